// BSD loopback / null encapsulation (link types NULL 0 and LOOP 108). A 4-byte header holds
// an AF_ address family: in the capturing host's byte order for NULL (we accept either, as
// Wireshark does), always in network order for LOOP. A NULL value above 1500 is an Ethernet
// type instead. 0xFF03 in front means PPP in HDLC-like framing.

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import { LinkType } from '../core/types.ts';
import { ethertypeNames } from './ethertype-names.ts';

/** BSD AF_ values and the names Wireshark gives them. */
const familyNames: Record<number, string> = {
  2: 'IP',
  7: 'OSI',
  16: 'Appletalk',
  23: 'Netware IPX/SPX',
  24: 'IPv6',
  28: 'IPv6',
  30: 'IPv6',
};

/** Families that map onto an Ethernet type we can dispatch through the `ethertype` table. */
const familyEthertype: Record<number, number> = {
  2: 0x0800,
  16: 0x809b,
  23: 0x8137,
  24: 0x86dd,
  28: 0x86dd,
  30: 0x86dd,
};

const f = {
  type: field('null.type', 'Type', 'uint16', { base: 'hex', values: ethertypeNames }),
  family: field('null.family', 'Family', 'uint32', { values: familyNames }),
};

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

function payload(c: Cursor, ctx: PacketContext, tree: Tree, call: () => number): number {
  if (call() < 0) ctx.callData(c.sub(c.start + 4), tree);
  return c.end - c.start;
}

export default protocol({
  abbrev: 'null',
  name: 'Null/Loopback',
  short: 'Null',
  fields: f,
  register(r) {
    r.table('link', LinkType.NULL);
    r.table('link', LinkType.LOOP);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    ctx.columns.protocol = 'N/A';
    ctx.columns.source = 'N/A';
    ctx.columns.destination = 'N/A';
    ctx.setInfo('Null/Loopback');
    if (ctx.frame.linkType === LinkType.LOOP) {
      const fam = c.u32(o);
      tree.add(f.family, c, o, 4, { value: fam });
      const next = c.sub(o + 4);
      return payload(c, ctx, tree, () => {
        const viaTable = ctx.call('null.family', fam, next, tree);
        if (viaTable >= 0) return viaTable;
        const et = familyEthertype[fam];
        return et === undefined ? -1 : ctx.call('ethertype', et, next, tree);
      });
    }
    if (c.has(o, 2) && c.u16(o) === 0xff03) {
      // PPP in HDLC-like framing, no null header at all.
      const used = ctx.callProtocol('ppp', c.sub(o), tree);
      return used < 0 ? 0 : used;
    }
    let v = c.u32le(o);
    if ((v & 0xffff0000) !== 0) v = swap32(v);
    const next = c.sub(o + 4);
    if (v > 1500) {
      const et = v & 0xffff;
      tree.add(f.type, c, o, 4, { value: et });
      return payload(c, ctx, tree, () => ctx.call('ethertype', et, next, tree));
    }
    tree.add(f.family, c, o, 4, { value: v });
    return payload(c, ctx, tree, () => {
      const viaTable = ctx.call('null.family', v, next, tree);
      if (viaTable >= 0) return viaTable;
      const et = familyEthertype[v];
      return et === undefined ? -1 : ctx.call('ethertype', et, next, tree);
    });
  },
});
