// LISP data plane (RFC 9300) on UDP 4341: the 8-byte header (flags, nonce or map versions,
// instance id or locator status bits), then the encapsulated IPv4/IPv6 packet.

import { field, protocol } from '../core/registry.ts';

const f = {
  flags: field('lisp-data.flags', 'Flags', 'uint8', { base: 'hex' }),
  nonceFlag: field('lisp-data.flags.nonce', 'N bit (Nonce present)', 'bool', { bitmask: 0x80, bitWidth: 8 }),
  lsbFlag: field('lisp-data.flags.lsb', 'L bit (Locator-Status-Bits field enabled)', 'bool', { bitmask: 0x40, bitWidth: 8 }),
  enr: field('lisp-data.flags.enr', 'E bit (Echo-Nonce-Request)', 'bool', { bitmask: 0x20, bitWidth: 8 }),
  mv: field('lisp-data.flags.mv', 'V bit (Map-Version present)', 'bool', { bitmask: 0x10, bitWidth: 8 }),
  iid: field('lisp-data.flags.iid', 'I bit (Instance ID present)', 'bool', { bitmask: 0x08, bitWidth: 8 }),
  res: field('lisp-data.flags.res', 'Reserved', 'uint8', { base: 'hex', bitmask: 0x07, bitWidth: 8 }),
  nonce: field('lisp-data.nonce', 'Nonce', 'uint24', { base: 'dec_hex' }),
  srcmapver: field('lisp-data.srcmapver', 'Source Map-Version', 'uint24', { bitmask: 0xfff000, bitWidth: 24 }),
  dstmapver: field('lisp-data.dstmapver', 'Destination Map-Version', 'uint24', { bitmask: 0x000fff, bitWidth: 24 }),
  iidValue: field('lisp-data.iid', 'Instance ID', 'uint24'),
  lsb: field('lisp-data.lsb', 'Locator-Status-Bits', 'uint32', { base: 'hex' }),
  lsb8: field('lisp-data.lsb8', 'Locator-Status-Bits', 'uint8', { base: 'hex' }),
};

export default protocol({
  abbrev: 'lisp-data',
  name: 'Locator/ID Separation Protocol (Data)',
  short: 'LISP',
  fields: f,
  register(r) {
    r.table('udp.port', 4341);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const flags = c.u8(o);
    const ft = tree.addTree(f.flags, c, o, 1);
    for (const d of [f.nonceFlag, f.lsbFlag, f.enr, f.mv, f.iid, f.res]) ft.add(d, c, o, 1);
    if (flags & 0x80) tree.add(f.nonce, c, o + 1, 3);
    else if (flags & 0x10) {
      tree.add(f.srcmapver, c, o + 1, 3);
      tree.add(f.dstmapver, c, o + 1, 3);
    }
    if (flags & 0x08) {
      tree.add(f.iidValue, c, o + 4, 3);
      tree.add(f.lsb8, c, o + 7, 1);
    } else tree.add(f.lsb, c, o + 4, 4);
    const inner = c.sub(o + 8);
    if (inner.length > 0) {
      const v = c.u8(o + 8) >> 4;
      if (v === 4) ctx.callProtocol('ip', inner, tree);
      else if (v === 6) ctx.callProtocol('ipv6', inner, tree);
      else ctx.callData(inner, tree);
    }
    return c.remaining(o);
  },
});
