// Point-to-Point Protocol framing: an optional HDLC-like address/control pair (0xFF 0x03),
// then the protocol number (one byte when compressed, RFC 1661 PFC). Network protocols are
// looked up in `ppp.protocol` first; IPv4, IPv6 and MPLS fall back to their Ethernet types,
// the control protocols (LCP, IPCP, IPV6CP, CCP) are called by name.

import { field, protocol } from '../core/registry.ts';

export const pppProtocolNames: Record<number, string> = {
  0x0001: 'Padding Protocol',
  0x0021: 'Internet Protocol version 4',
  0x0029: 'Appletalk',
  0x002b: 'Netware IPX/SPX',
  0x002d: 'Van Jacobson Compressed TCP/IP',
  0x002f: 'Van Jacobson Uncompressed TCP/IP',
  0x0031: 'Bridging PDU',
  0x003d: 'PPP Multilink Protocol',
  0x0057: 'Internet Protocol version 6',
  0x00fb: 'Single link compression in multilink',
  0x00fd: 'Compressed datagram',
  0x0281: 'MPLS Unicast',
  0x0283: 'MPLS Multicast',
  0x8021: 'Internet Protocol Control Protocol',
  0x8029: 'Appletalk Control Protocol',
  0x802b: 'Novell IPX Control Protocol',
  0x8031: 'Bridging Control Protocol',
  0x803d: 'Multi-Link Control Protocol',
  0x8057: 'IPv6 Control Protocol',
  0x80fb: 'Single Link Compression Control Protocol',
  0x80fd: 'Compression Control Protocol',
  0x8281: 'MPLS Control Protocol',
  0xc021: 'Link Control Protocol',
  0xc023: 'Password Authentication Protocol',
  0xc025: 'Link Quality Report',
  0xc223: 'Challenge Handshake Authentication Protocol',
  0xc227: 'Extensible Authentication Protocol',
};

const f = {
  address: field('ppp.address', 'Address', 'uint8', { base: 'hex' }),
  control: field('ppp.control', 'Control', 'uint8', { base: 'hex' }),
  protocol: field('ppp.protocol', 'Protocol', 'uint16', { base: 'hex', values: pppProtocolNames }),
};

/** Fallbacks when nothing registered the protocol number in `ppp.protocol`. */
const viaEthertype: Record<number, number> = { 0x0021: 0x0800, 0x0057: 0x86dd, 0x0281: 0x8847, 0x0283: 0x8848, 0x002b: 0x8137 };
const byName: Record<number, string> = { 0xc021: 'lcp', 0x8021: 'ipcp', 0x8057: 'ipv6cp', 0x80fd: 'ccp' };

export default protocol({
  abbrev: 'ppp',
  name: 'Point-to-Point Protocol',
  short: 'PPP',
  fields: f,
  register(r) {
    r.table('link', 9); // LINKTYPE_PPP
    r.table('link', 50); // LINKTYPE_PPP_HDLC
    r.table('gre.proto', 0x880b);
    r.table('ethertype', 0x880b);
  },
  dissect(c, ctx, tree) {
    let o = c.start;
    if (c.has(o, 2) && c.u16(o) === 0xff03) {
      tree.add(f.address, c, o, 1);
      tree.add(f.control, c, o + 1, 1);
      o += 2;
    }
    let proto: number;
    if (c.u8(o) & 1) {
      proto = c.u8(o);
      tree.add(f.protocol, c, o, 1, { value: proto });
      o += 1;
    } else {
      proto = c.u16(o);
      tree.add(f.protocol, c, o, 2);
      o += 2;
    }
    ctx.setInfo(`PPP ${pppProtocolNames[proto] ?? 'Unknown'} (0x${proto.toString(16).padStart(4, '0')})`);
    const next = c.sub(o);
    let used = ctx.call('ppp.protocol', proto, next, tree);
    if (used < 0 && viaEthertype[proto] !== undefined) used = ctx.call('ethertype', viaEthertype[proto]!, next, tree);
    if (used < 0 && byName[proto] !== undefined) used = ctx.callProtocol(byName[proto]!, next, tree);
    if (used < 0) used = ctx.callData(next, tree);
    return o - c.start + used;
  },
});
