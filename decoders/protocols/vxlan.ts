// Virtual eXtensible Local Area Network (RFC 7348, with the Group Based Policy extension):
// an 8-byte header over UDP 4789 (IANA) and 8472 (Linux/flannel default), carrying Ethernet.
// On UDP 4790 the same protocol is VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe): a next-protocol byte
// says what follows (IPv4, IPv6, Ethernet, NSH, MPLS).

import { field, protocol } from '../core/registry.ts';

const f = {
  flags: field('vxlan.flags', 'Flags', 'uint16', { base: 'hex' }),
  flagG: field('vxlan.flag_g', 'GBP Extension', 'bool', { bitmask: 0x8000, bitWidth: 16, trueFalse: ['Defined', 'Not defined'] }),
  flagI: field('vxlan.flag_i', 'VXLAN Network ID (VNI)', 'bool', { bitmask: 0x0800, bitWidth: 16, trueFalse: ['True', 'False'] }),
  flagD: field('vxlan.flag_d', "Don't Learn", 'bool', { bitmask: 0x0040, bitWidth: 16, trueFalse: ['True', 'False'] }),
  flagA: field('vxlan.flag_a', 'Policy Applied', 'bool', { bitmask: 0x0008, bitWidth: 16, trueFalse: ['True', 'False'] }),
  flagsReserved: field('vxlan.flags_reserved', 'Reserved(R)', 'uint16', { base: 'hex', bitmask: 0x77b7, bitWidth: 16 }),
  gbp: field('vxlan.gbp', 'Group Policy ID', 'uint16'),
  vni: field('vxlan.vni', 'VXLAN Network Identifier (VNI)', 'uint24'),
  reserved8: field('vxlan.reserved8', 'Reserved', 'uint8'),
  ver: field('vxlan.ver', 'Version', 'uint8', { bitmask: 0x30, bitWidth: 8 }),
  iBit: field('vxlan.i_bit', 'Instance', 'uint8', { bitmask: 0x08, bitWidth: 8 }),
  pBit: field('vxlan.p_bit', 'Next Protocol Bit', 'uint8', { bitmask: 0x04, bitWidth: 8 }),
  oBit: field('vxlan.o_bit', 'OAM bit', 'uint8', { bitmask: 0x01, bitWidth: 8 }),
  reserved16: field('vxlan.reserved_16', 'Reserved', 'uint16'),
  nextProto: field('vxlan.next_proto', 'Next Protocol', 'uint8', { values: { 1: 'IPv4', 2: 'IPv6', 3: 'Ethernet', 4: 'Network Service Header', 5: 'MPLS' } }),
};

const GPE_PORT = 4790;
/** VXLAN-GPE next protocol -> ethertype of the payload (3 = Ethernet is handled apart). */
const gpeEthertypes: Record<number, number> = { 1: 0x0800, 2: 0x86dd, 4: 0x894f, 5: 0x8847 };

const flagNames: [number, string][] = [
  [0x8000, 'GBP Extension'],
  [0x0800, 'VXLAN Network ID (VNI)'],
  [0x0040, "Don't Learn"],
  [0x0008, 'Policy Applied'],
];

export default protocol({
  abbrev: 'vxlan',
  name: 'Virtual eXtensible Local Area Network',
  short: 'VXLAN',
  fields: f,
  register(r) {
    r.table('udp.port', 4789);
    r.table('udp.port', 8472);
    r.table('udp.port', GPE_PORT);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    if (ctx.srcPort === GPE_PORT || ctx.dstPort === GPE_PORT) {
      const b0 = c.u8(o);
      tree.add(f.flags, c, o, 2, { label: `Flags: 0x${c.u16(o).toString(16).padStart(4, '0')}` });
      tree.add(f.ver, c, o, 1);
      tree.add(f.iBit, c, o, 1);
      tree.add(f.pBit, c, o, 1);
      tree.add(f.oBit, c, o, 1);
      tree.add(f.reserved16, c, o + 1, 2);
      const next = c.u8(o + 3);
      tree.add(f.nextProto, c, o + 3, 1);
      tree.add(f.vni, c, o + 4, 3);
      tree.add(f.reserved8, c, o + 7, 1);
      const inner = c.sub(o + 8);
      if (inner.remaining(inner.start) <= 0) return c.remaining(o);
      let used = -1;
      if (b0 & 0x04 && next === 3) used = ctx.callProtocol('eth', inner, tree);
      else if (b0 & 0x04 && gpeEthertypes[next] !== undefined) used = ctx.call('ethertype', gpeEthertypes[next]!, inner, tree);
      if (used < 0) ctx.callData(inner, tree);
      return c.remaining(o);
    }
    const flags = c.u16(o);
    const names = flagNames.filter(([m]) => flags & m).map(([, n]) => n);
    const ft = tree.addTree(f.flags, c, o, 2, { label: `Flags: 0x${flags.toString(16).padStart(4, '0')}${names.length ? ', ' + names.join(', ') : ''}` });
    ft.add(f.flagG, c, o, 2);
    ft.add(f.flagI, c, o, 2);
    ft.add(f.flagD, c, o, 2);
    ft.add(f.flagA, c, o, 2);
    ft.add(f.flagsReserved, c, o, 2);
    tree.add(f.gbp, c, o + 2, 2);
    tree.add(f.vni, c, o + 4, 3);
    tree.add(f.reserved8, c, o + 7, 1);
    const inner = c.sub(o + 8);
    if (inner.remaining(inner.start) > 0) ctx.callProtocol('eth', inner, tree);
    return c.remaining(o);
  },
});
