// Generic Network Virtualization Encapsulation (RFC 8926) over UDP 6081: a header with
// variable-length TLV options, then a payload whose type is an ethertype (0x6558 = Ethernet).

import { field, protocol } from '../core/registry.ts';
import { ethertypeNames } from './ethertype-names.ts';

const f = {
  version: field('geneve.version', 'Version', 'uint8'),
  flags: field('geneve.flags', 'Flags', 'uint8', { base: 'hex' }),
  oam: field('geneve.flags.oam', 'Operations, Administration and Management Frame', 'bool', { bitmask: 0x80, bitWidth: 8 }),
  critical: field('geneve.flags.critical', 'Critical Options Present', 'bool', { bitmask: 0x40, bitWidth: 8 }),
  flagsReserved: field('geneve.flags.reserved', 'Reserved', 'bool', { bitmask: 0x3f, bitWidth: 8 }),
  protoType: field('geneve.proto_type', 'Protocol Type', 'uint16', { base: 'hex', values: { ...ethertypeNames, 0x6558: 'Transparent Ethernet bridging' } }),
  vni: field('geneve.vni', 'Virtual Network Identifier (VNI)', 'uint24', { base: 'hex_dec' }),
  reserved: field('geneve.reserved', 'Reserved', 'uint8', { base: 'hex' }),
  options: field('geneve.options', 'Geneve Options', 'bytes'),
  option: field('geneve.option', 'Option', 'bytes'),
  optClass: field('geneve.option.class', 'Class', 'uint16', { base: 'hex' }),
  optType: field('geneve.option.type', 'Type', 'uint8', { base: 'hex' }),
  optCritical: field('geneve.option.type.critical', 'Critical Option', 'bool', { bitmask: 0x80, bitWidth: 8 }),
  optFlags: field('geneve.option.flags', 'Flags', 'uint8', { base: 'hex' }),
  optFlagsReserved: field('geneve.option.flags.reserved', 'Reserved', 'bool', { bitmask: 0xe0, bitWidth: 8 }),
  optLength: field('geneve.option.length', 'Length', 'uint8'),
  optUnknown: field('geneve.option.unknown.data', 'Unknown Option Data', 'bytes'),
};

const ETH_BRIDGE = 0x6558;

export default protocol({
  abbrev: 'geneve',
  name: 'Generic Network Virtualization Encapsulation',
  short: 'Geneve',
  fields: f,
  register(r) {
    r.table('udp.port', 6081);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const b0 = c.u8(o);
    const ver = b0 >> 6;
    const optLen = (b0 & 0x3f) * 4;
    tree.add(f.version, c, o, 1, { value: ver, label: `Version: ${ver}` });
    if (ver !== 0) {
      tree.expert('warn', 'undecoded', `Unknown version ${ver}`, c, o, 1);
      ctx.callData(c.sub(o + 1), tree);
      return c.remaining(o);
    }
    // tshark shows the options length here with the option length field.
    tree.add(f.optLength, c, o, 1, { value: optLen, label: `Length: ${optLen} bytes` });
    const flags = c.u8(o + 1);
    const fl: string[] = [];
    if (flags & 0x80) fl.push('Operations, Administration and Management Frame');
    if (flags & 0x40) fl.push('Critical Options Present');
    const ft = tree.addTree(f.flags, c, o + 1, 1, { label: `Flags: 0x${flags.toString(16).padStart(2, '0')}${fl.length ? ', ' + fl.join(', ') : ''}` });
    ft.add(f.oam, c, o + 1, 1);
    ft.add(f.critical, c, o + 1, 1);
    ft.add(f.flagsReserved, c, o + 1, 1);
    const type = c.u16(o + 2);
    tree.add(f.protoType, c, o + 2, 2);
    const vni = c.u24(o + 4);
    tree.add(f.vni, c, o + 4, 3);
    tree.add(f.reserved, c, o + 7, 1);
    if (tree.owner) tree.owner.label = `Generic Network Virtualization Encapsulation, VNI: 0x${vni.toString(16).padStart(6, '0')}`;
    if (optLen > 0) {
      const ot = tree.addTree(f.options, c, o + 8, optLen, { label: `Options: (${optLen} bytes)` });
      let p = o + 8;
      const end = o + 8 + optLen;
      while (p < end) {
        const len = 4 + (c.u8(p + 3) & 0x1f) * 4;
        if (p + len > end) {
          ot.expert('error', 'malformed', `Invalid length for option (${len} bytes past the options)`, c, p, end - p);
          break;
        }
        const cls = c.u16(p);
        const t = c.u8(p + 2);
        const st = ot.addTree(f.option, c, p, len, { label: `Unknown, Class: 0x${cls.toString(16).padStart(4, '0')} Type: 0x${t.toString(16).padStart(2, '0')}${t & 0x80 ? ' (Critical)' : ''}` });
        st.add(f.optClass, c, p, 2);
        st.add(f.optType, c, p + 2, 1);
        st.add(f.optCritical, c, p + 2, 1);
        st.add(f.optFlags, c, p + 3, 1, { value: c.u8(p + 3) & 0xe0 });
        st.add(f.optFlagsReserved, c, p + 3, 1);
        st.add(f.optLength, c, p + 3, 1, { value: len, label: `Length: ${len} bytes` });
        if (len > 4) st.add(f.optUnknown, c, p + 4, len - 4);
        p += len;
      }
    }
    const inner = c.sub(o + 8 + optLen);
    if (inner.remaining(inner.start) <= 0) return c.remaining(o);
    let used = ctx.call('ethertype', type, inner, tree);
    if (used < 0 && type === ETH_BRIDGE) used = ctx.callProtocol('eth', inner, tree);
    if (used < 0) ctx.callData(inner, tree);
    return c.remaining(o);
  },
});
