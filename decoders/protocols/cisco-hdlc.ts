// Cisco HDLC (LINKTYPE_C_HDLC 104): address, control and an Ethernet-type protocol word.
// SLARP (0x8035 here, not RARP) is Cisco's keepalive and address request protocol; other
// protocols go through `chdlc.protocol`, then the `ethertype` table.

import { field, protocol } from '../core/registry.ts';
import { formatIPv4 } from '../core/format.ts';
import { ethertypeNames } from './ethertype-names.ts';

const chdlcNames: Record<number, string> = {
  ...ethertypeNames,
  0x0800: 'IP',
  0x86dd: 'IPv6',
  0x8035: 'SLARP',
  0x2000: 'CDP',
  0x8847: 'MPLS unicast',
  0x8848: 'MPLS multicast',
  0xfefe: 'OSI',
};

const f = {
  address: field('chdlc.address', 'Address', 'uint8', { base: 'hex', values: { 0x0f: 'Unicast', 0x8f: 'Multicast' } }),
  control: field('chdlc.control', 'Control', 'uint8', { base: 'hex' }),
  protocol: field('chdlc.protocol', 'Protocol', 'uint16', { base: 'hex', values: chdlcNames }),
};

export default protocol({
  abbrev: 'chdlc',
  name: 'Cisco HDLC',
  short: 'CHDLC',
  fields: f,
  register(r) {
    r.table('link', 104);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    ctx.columns.source = 'N/A';
    ctx.columns.destination = 'N/A';
    tree.add(f.address, c, o, 1);
    tree.add(f.control, c, o + 1, 1);
    const proto = c.u16(o + 2);
    tree.add(f.protocol, c, o + 2, 2);
    const next = c.sub(o + 4);
    let used = ctx.call('chdlc.protocol', proto, next, tree);
    if (used < 0) used = ctx.call('ethertype', proto, next, tree);
    if (used < 0) ctx.callData(next, tree);
    return c.end - c.start;
  },
});

const ptypeNames: Record<number, string> = { 0: 'Request', 1: 'Reply', 2: 'Line keepalive' };
const s = {
  ptype: field('slarp.ptype', 'Packet type', 'uint32', { values: ptypeNames }),
  address: field('slarp.address', 'Address', 'ipv4'),
  netmask: field('slarp.netmask', 'Netmask', 'ipv4'),
  mysequence: field('slarp.mysequence', 'Outgoing sequence number', 'uint32'),
  yoursequence: field('slarp.yoursequence', 'Returned sequence number', 'uint32'),
  reliability: field('slarp.reliability', 'Reliability', 'uint16', { base: 'hex' }),
};

export const slarp = protocol({
  abbrev: 'slarp',
  name: 'Cisco SLARP',
  short: 'SLARP',
  fields: s,
  register(r) {
    r.table('chdlc.protocol', 0x8035);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const type = c.u32(o);
    tree.add(s.ptype, c, o, 4);
    if (type === 0 || type === 1) {
      const addr = c.u32(o + 4);
      const mask = c.u32(o + 8);
      ctx.setInfo(`${ptypeNames[type]}, from ${formatIPv4(addr)}, mask ${formatIPv4(mask)}`);
      tree.add(s.address, c, o + 4, 4);
      tree.add(s.netmask, c, o + 8, 4);
      return 14;
    }
    if (type === 2) {
      const mine = c.u32(o + 4);
      const yours = c.u32(o + 8);
      ctx.setInfo(`Line keepalive, outgoing sequence ${mine}, returned sequence ${yours}`);
      tree.add(s.mysequence, c, o + 4, 4);
      tree.add(s.yoursequence, c, o + 8, 4);
      const rel = c.u16(o + 12);
      tree.add(s.reliability, c, o + 12, 2);
      if (rel !== 0xffff) tree.expert('warn', 'protocol', 'Reliability must be 0xFFFF', c, o + 12, 2);
      return 14;
    }
    ctx.setInfo(`Unknown packet type 0x${type.toString(16).padStart(8, '0')}`);
    return 4;
  },
});
