// Raw IP link types. LINKTYPE_RAW (101, and the DLT_RAW values 12 and 14 some systems
// write) is Wireshark's `raw` layer: no link header, IPv4 or IPv6 picked by the version
// nibble, with the PPP-in-HDLC and ISDN oddities old Linux drivers produced.
// LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229) go straight to IP: tshark shows no link layer
// at all there, so that path lives in `rawip-direct.ts`.

import { protocol } from '../core/registry.ts';
import { LinkType } from '../core/types.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';

function ppp(c: Cursor, at: number, ctx: PacketContext, tree: Tree): number {
  const used = ctx.callProtocol('ppp', c.sub(at), tree);
  return at - c.start + Math.max(0, used);
}

function isZeros(c: Cursor, o: number, n: number): boolean {
  if (!c.has(o, n)) return false;
  for (let i = 0; i < n; i++) if (c.data[o + i] !== 0) return false;
  return true;
}

export default protocol({
  abbrev: 'raw',
  name: 'Raw packet data',
  short: 'Raw',
  fields: {},
  register(r) {
    r.table('link', LinkType.RAW);
    r.table('link', 12);
    r.table('link', 14);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    ctx.columns.protocol = 'N/A';
    ctx.columns.source = 'N/A';
    ctx.columns.destination = 'N/A';
    ctx.setInfo('Raw packet data');
    // The checks read like Wireshark's: a frame shorter than 8 bytes fails on the second one.
    if (c.u16(o) === 0xff03) return ppp(c, o, ctx, tree);
    if (c.u16(o + 6) === 0xff03) return ppp(c, o + 6, ctx, tree); // ISDN: fake MAC address first
    if (c.u16(o + 1) === 0xff03) return ppp(c, o + 1, ctx, tree); // ...or a single byte
    let start = o;
    let type: number | null = null;
    if (isZeros(c, o, 10)) {
      // A link that is down sends ten zero bytes in front of IPv4.
      start = o + 10;
      type = 0x0800;
    } else {
      const nibble = c.u8(o) >> 4;
      if (nibble === 4) type = 0x0800;
      else if (nibble === 6) type = 0x86dd;
    }
    const next = c.sub(start);
    if (type === null || ctx.call('ethertype', type, next, tree) < 0) ctx.callData(next, tree);
    return c.end - c.start;
  },
});
