// Linux "cooked" capture, v1 (LINKTYPE_LINUX_SLL 113) and v2 (LINKTYPE_LINUX_SLL2 276).
// Wireshark shows both as the `sll` protocol with the same field names. The protocol word is
// an Ethernet type when above 1536; below that it is a Linux ETH_P_* value (802.2 LLC, raw
// 802.3, PPP in HDLC framing, CAN ...).

import { field, protocol } from '../core/registry.ts';
import { formatEther, formatIPv4, ipv4FromBytes } from '../core/format.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import { LinkType } from '../core/types.ts';
import { ethertypeNames } from './ethertype-names.ts';
import { dispatchEthertype } from './ethertype.ts';

const pkttypeNames: Record<number, string> = {
  0: 'Unicast to us',
  1: 'Broadcast',
  2: 'Multicast',
  3: 'Unicast to another host',
  4: 'Sent by us',
};

/** Linux ARPHRD_* values (the ones captures meet). */
const hatypeNames: Record<number, string> = {
  0: 'NET/ROM',
  1: 'Ethernet',
  2: 'Experimental Ethernet',
  3: 'AX.25',
  4: 'ProNET',
  5: 'Chaos',
  6: 'IEEE 802',
  7: 'ARCNET',
  15: 'Frame Relay DLCI',
  19: 'ATM',
  23: 'Metricom STRIP',
  24: 'IEEE 1394',
  27: 'EUI-64',
  32: 'InfiniBand',
  256: 'SLIP',
  257: 'CSLIP',
  258: 'SLIP6',
  259: 'CSLIP6',
  260: 'Reserved',
  264: 'Adaptive',
  270: 'ROSE',
  271: 'X.25',
  272: 'HW X.25',
  280: 'CAN',
  512: 'PPP',
  513: 'Cisco HDLC',
  516: 'LAPB',
  517: 'DDCMP',
  518: 'RAWHDLC',
  519: 'Raw IP',
  768: 'IPIP Tunnel',
  769: 'IPv6-in-IPv6',
  770: 'FRAD',
  771: 'SKIP',
  772: 'Loopback',
  773: 'Localtalk',
  774: 'FDDI',
  775: 'BIF',
  776: 'IPv6-in-IPv4',
  777: 'IP over DDP',
  778: 'GRE over IP',
  779: 'PIMSM register',
  780: 'High Performance Parallel I\'face',
  781: '(Nexus Electronics) Ash',
  782: 'Acorn Econet',
  783: 'IrDA',
  784: 'FCPP',
  785: 'FCAL',
  786: 'FCPL',
  787: 'FCFABRIC',
  800: 'IEEE 802.5',
  801: 'IEEE 802.11',
  802: 'IEEE 802.11 + Prism header',
  803: 'IEEE 802.11 + radiotap header',
  804: 'IEEE 802.15.4',
  805: 'IEEE 802.15.4 PHY',
  820: 'Phonet',
  821: 'Phonet pipe',
  822: 'CAIF',
  823: 'GRE over IPv6',
  824: 'Netlink',
  825: '6LoWPAN',
  826: 'VSOCK Monitor',
  65534: 'None',
  65535: 'Void',
};

/** Linux ETH_P_* values used when the protocol word is not an Ethernet type. */
const ltypeNames: Record<number, string> = {
  0x0001: 'Raw 802.3',
  0x0003: 'Ethernet',
  0x0004: '802.2 LLC',
  0x0007: 'PPP (HDLC)',
  0x000c: 'CAN',
  0x000d: 'CAN FD',
  0x0017: 'IrDA LAP',
  0x00f5: 'ISI',
  0x00f6: 'IEEE 802.15.4',
  0x00fa: 'MCTP',
};

const f = {
  pkttype: field('sll.pkttype', 'Packet type', 'uint16', { values: pkttypeNames }),
  hatype: field('sll.hatype', 'Link-layer address type', 'uint16', { values: hatypeNames }),
  halen: field('sll.halen', 'Link-layer address length', 'uint16'),
  srcEth: field('sll.src.eth', 'Source', 'ether'),
  srcIpv4: field('sll.src.ipv4', 'Source', 'ipv4'),
  srcOther: field('sll.src.other', 'Source', 'bytes'),
  unused: field('sll.unused', 'Unused', 'bytes'),
  ltype: field('sll.ltype', 'Protocol', 'uint16', { base: 'hex', values: ltypeNames }),
  gretype: field('sll.gretype', 'Protocol', 'uint16', { base: 'hex', values: ethertypeNames }),
  etype: field('sll.etype', 'Protocol', 'uint16', { base: 'hex', values: ethertypeNames }),
  trailer: field('sll.trailer', 'Trailer', 'bytes'),
  ifindex: field('sll.ifindex', 'Interface index', 'uint32'),
};

const ARPHRD_ETHER = 1;
const ARPHRD_IEEE802 = 6;
const ARPHRD_LOOPBACK = 772;
const ARPHRD_SIT = 776;
const ARPHRD_IPGRE = 778;
const ARPHRD_NETLINK = 824;

/** The 8-byte address field: source address (when it has a known shape) and unused bytes. */
function address(c: Cursor, o: number, hatype: number, halen: number, ctx: PacketContext, tree: Tree): void {
  let used = 0;
  if (halen === 6 && (hatype === ARPHRD_ETHER || hatype === ARPHRD_LOOPBACK || hatype === ARPHRD_IEEE802)) {
    const mac = c.bytes(o, 6);
    ctx.dlSrc = { kind: 'ether', bytes: mac };
    ctx.columns.source = formatEther(mac);
    tree.add(f.srcEth, c, o, 6);
    used = 6;
  } else if (halen === 4 && (hatype === ARPHRD_IPGRE || hatype === ARPHRD_SIT)) {
    const a = c.bytes(o, 4);
    ctx.columns.source = formatIPv4(ipv4FromBytes(a));
    tree.add(f.srcIpv4, c, o, 4);
    used = 4;
  } else if (halen > 0) {
    used = Math.min(halen, 8);
    tree.add(f.srcOther, c, o, used);
  }
  if (used < 8) tree.add(f.unused, c, o + used, 8 - used);
}

/** The protocol word and what follows it: Ethernet types, Linux types, GRE and netlink. */
function payload(c: Cursor, at: number, protoOffset: number, proto: number, hatype: number, ctx: PacketContext, tree: Tree, addProto: boolean): number {
  if (hatype === ARPHRD_IPGRE) {
    if (addProto) tree.add(f.gretype, c, protoOffset, 2);
    const next = c.sub(at);
    if (ctx.call('gre.proto', proto, next, tree) < 0) ctx.callData(next, tree);
    return c.end - c.start;
  }
  if (hatype === ARPHRD_NETLINK) {
    if (addProto) tree.add(f.ltype, c, protoOffset, 2);
    const next = c.sub(at);
    if (ctx.call('netlink.family', proto, next, tree) < 0) ctx.callData(next, tree);
    return c.end - c.start;
  }
  if (proto <= 1536) {
    if (addProto) tree.add(f.ltype, c, protoOffset, 2);
    const next = c.sub(at);
    if (ctx.call('sll.ltype', proto, next, tree) < 0) {
      if (proto === 0x0004) ctx.callProtocol('llc', next, tree);
      else if (proto === 0x0003) ctx.callProtocol('eth', next, tree);
      else if (proto === 0x0007) ctx.callProtocol('ppp', next, tree);
      else ctx.callData(next, tree);
    }
    return c.end - c.start;
  }
  if (addProto) tree.add(f.etype, c, protoOffset, 2);
  return dispatchEthertype(proto, c, at, ctx, tree, { padding: f.trailer, trailer: f.trailer });
}

export default protocol({
  abbrev: 'sll',
  name: 'Linux cooked capture',
  short: 'SLL',
  fields: f,
  register(r) {
    r.table('link', LinkType.SLL);
    r.table('link', LinkType.SLL2);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    ctx.columns.source = '';
    ctx.columns.destination = '';
    if (ctx.frame.linkType === LinkType.SLL2) {
      if (tree.owner) tree.owner.label = 'Linux cooked capture v2';
      const proto = c.u16(o);
      const hatype = c.u16(o + 8);
      // The protocol word comes first in v2: its field goes in first as well.
      if (hatype === ARPHRD_IPGRE) tree.add(f.gretype, c, o, 2);
      else if (hatype === ARPHRD_NETLINK || proto <= 1536) tree.add(f.ltype, c, o, 2);
      else tree.add(f.etype, c, o, 2);
      tree.add(f.ifindex, c, o + 4, 4);
      tree.add(f.hatype, c, o + 8, 2);
      const pkttype = c.u8(o + 10);
      tree.add(f.pkttype, c, o + 10, 1, { value: pkttype });
      const halen = c.u8(o + 11);
      tree.add(f.halen, c, o + 11, 1, { value: halen });
      // Wireshark 4.0 reads the Info text's packet type as 16 bits (packet type + address length).
      const infoType = c.u16(o + 10);
      ctx.setInfo(pkttypeNames[infoType] ?? `Unknown (${infoType})`);
      address(c, o + 12, hatype, halen, ctx, tree);
      return payload(c, o + 20, o, proto, hatype, ctx, tree, false);
    }
    if (tree.owner) tree.owner.label = 'Linux cooked capture v1';
    const pkttype = c.u16(o);
    tree.add(f.pkttype, c, o, 2);
    ctx.setInfo(pkttypeNames[pkttype] ?? `Unknown (${pkttype})`);
    const hatype = c.u16(o + 2);
    tree.add(f.hatype, c, o + 2, 2);
    const halen = c.u16(o + 4);
    tree.add(f.halen, c, o + 4, 2);
    address(c, o + 6, hatype, halen, ctx, tree);
    const proto = c.u16(o + 14);
    return payload(c, o + 16, o + 14, proto, hatype, ctx, tree, true);
  },
});

