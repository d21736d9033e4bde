// Virtual eXtensible Local Area Network (RFC 7348, with the Group Based Policy extension):
// an 8-byte header over UDP 4789 (IANA) and 8472 (Linux/flannel default), carrying Ethernet.

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
};

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
  },
  dissect(c, ctx, tree) {
    const o = c.start;
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
