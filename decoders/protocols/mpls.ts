// MPLS label stacks (Ethernet types 0x8847/0x8848, PPP 0x0281/0x0283, GRE, MPLS-in-IP).
// Wireshark 4.0 shows one node per label under a single `mpls` layer; here the stack shares
// one protocol node whose heading names the first label, the later labels following inside
// it. After the bottom label the payload is guessed from its first nibble: 4 IPv4, 6 IPv6,
// 1 PW associated channel, 0 Ethernet pseudowire (with or without control word), else data.
// `mpls.label` is also a dissector table for explicit label bindings (Decode As).

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';

const specialLabels: Record<number, string> = {
  0: 'IPv4 Explicit-Null',
  1: 'Router Alert',
  2: 'IPv6 Explicit-Null',
  3: 'Implicit-Null',
  7: 'Entropy Label Indicator',
  13: 'Generic Associated Channel Label (GAL)',
  14: 'OAM Alert',
  15: 'Extension',
};

const f = {
  label: field('mpls.label', 'MPLS Label', 'uint32', { base: 'dec_hex', bitmask: 0xfffff000, bitWidth: 32 }),
  exp: field('mpls.exp', 'MPLS Experimental Bits', 'uint32', { bitmask: 0x00000e00, bitWidth: 32 }),
  bottom: field('mpls.bottom', 'MPLS Bottom Of Label Stack', 'uint32', { bitmask: 0x00000100, bitWidth: 32 }),
  ttl: field('mpls.ttl', 'MPLS TTL', 'uint32', { bitmask: 0x000000ff, bitWidth: 32 }),
  // Headings of the second and later labels of a stack (text items in Wireshark).
  shim: field('mpls.shim', 'MultiProtocol Label Switching Header', 'none'),
};

const LABEL_GACH = 13;

function bits(v: number, mask: number): string {
  let s = '';
  for (let i = 31; i >= 0; i--) {
    s += (mask >>> i) & 1 ? String((v >>> i) & 1) : '.';
    if (i % 4 === 0 && i) s += ' ';
  }
  return s;
}

function labelFields(c: Cursor, o: number, v: number, tree: Tree): void {
  const label = v >>> 12;
  const special = label <= 15 ? ` ${specialLabels[label] ?? 'Reserved - Unknown'} (${label})` : ` ${label} (0x${label.toString(16).padStart(5, '0')})`;
  tree.add(f.label, c, o, 4, { value: label, label: `${bits(v, 0xfffff000)} = MPLS Label:${special}` });
  tree.add(f.exp, c, o, 4);
  tree.add(f.bottom, c, o, 4);
  tree.add(f.ttl, c, o, 4);
}

function heading(v: number): string {
  const label = v >>> 12;
  const name = label <= 15 ? ` (${specialLabels[label] ?? 'Reserved - Unknown'})` : '';
  return `MultiProtocol Label Switching Header, Label: ${label}${name}, Exp: ${(v >> 9) & 7}, S: ${(v >> 8) & 1}, TTL: ${v & 0xff}`;
}

export default protocol({
  abbrev: 'mpls',
  name: 'MultiProtocol Label Switching Header',
  short: 'MPLS',
  fields: f,
  register(r) {
    r.table('ethertype', 0x8847);
    r.table('ethertype', 0x8848);
    r.table('ppp.protocol', 0x0281);
    r.table('ppp.protocol', 0x0283);
    r.table('chdlc.protocol', 0x8847);
    r.table('chdlc.protocol', 0x8848);
    r.table('gre.proto', 0x8847);
    r.table('gre.proto', 0x8848);
    r.table('ip.proto', 137);
    r.table('udp.port', 6635);
  },
  dissect(c, ctx, tree) {
    ctx.setInfo('MPLS Label Switched Packet');
    let off = c.start;
    let label = -1;
    // One shim per 4 bytes until the bottom-of-stack bit; bounded by the data itself.
    for (let n = 0; c.reportedRemaining(off) > 0; n++) {
      const v = c.u32(off);
      label = v >>> 12;
      const bos = (v >> 8) & 1;
      if (n === 0) {
        if (tree.owner) tree.owner.label = heading(v);
        labelFields(c, off, v, tree);
      } else {
        labelFields(c, off, v, tree.addTree(f.shim, c, off, 4, { label: heading(v) }));
      }
      off += 4;
      if (label === LABEL_GACH && !bos) tree.expert('warn', 'protocol', 'Invalid Label', c, off - 4, 4);
      if (label === LABEL_GACH && bos) {
        ctx.callProtocol('pwach', c.sub(off), tree);
        return c.end - c.start;
      }
      if (bos) break;
    }
    const next = c.sub(off);
    if (ctx.call('mpls.label', label, next, tree) >= 0) return c.end - c.start;
    const nibble = c.u8(off) >> 4;
    let used: number;
    switch (nibble) {
      case 4:
        used = ctx.call('ethertype', 0x0800, next, tree);
        break;
      case 6:
        used = ctx.call('ethertype', 0x86dd, next, tree);
        break;
      case 1:
        used = ctx.callProtocol('pwach', next, tree);
        break;
      case 0:
        used = ctx.callProtocol('pwethheuristic', next, tree);
        break;
      default:
        used = -1;
    }
    if (used < 0) return off - c.start + ctx.callData(next, tree);
    // IP may claim less than the frame: what it leaves is the Ethernet trailer.
    return nibble === 4 || nibble === 6 ? off - c.start + used : c.end - c.start;
  },
});
