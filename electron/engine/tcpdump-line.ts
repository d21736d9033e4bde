// One packet as `tcpdump -nn -e` (4.99) prints it: "Copy as tcpdump line". Written from the
// packet bytes, the way tcpdump's printers read them: link header (Ethernet, VLAN, MPLS, Linux
// SLL/SLL2, NULL/LOOP, raw IP, Cisco HDLC, NFLOG, PPPoE), IPv4/IPv6, ARP, TCP (flags, sequence
// numbers relative after the first ACK of a connection as tcpdump keeps them, options), UDP,
// ICMP/ICMPv6, DNS, BOOTP, NTP, VXLAN (the inner frame on a second line) and the first line of
// HTTP/FTP/SMTP/RTSP/SIP. Time is printed in UTC. Protocols tcpdump decodes further than this
// (BGP, telnet, SunRPC/NFS, IPv6 options, LLC ...) are listed as known differences by the conformance
// test (test/conformance/tcpdump.test.ts), not hidden.
//
// Pure: no node:*, no DOM (the engine type is imported for types only).

import type { CaptureEngine } from './engine.ts';

/** Thrown when the captured bytes end: tcpdump prints " [|proto]". */
class Truncated extends Error {}

/** tcpdump's per-connection initial sequence numbers (its tcp_seq_hash), fed packets in order. */
export class TcpdumpTcpState {
  readonly conns = new Map<string, { seq: number; ack: number }>();
}

export interface TcpdumpFrame {
  bytes: Uint8Array;
  linkType: number;
  tsSec: number;
  tsNsec: number;
  /** Length on the wire. */
  origlen: number;
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const hex4 = (n: number) => n.toString(16).padStart(4, '0');

class Out {
  s = '';
  proto = '';
  constructor(
    readonly b: Uint8Array,
    readonly st: TcpdumpTcpState,
  ) {}
  p(t: string): void {
    this.s += t;
  }
  need(o: number, n: number): void {
    if (o < 0 || o + n > this.b.length) throw new Truncated();
  }
  u8(o: number): number {
    this.need(o, 1);
    return this.b[o]!;
  }
  u16(o: number): number {
    this.need(o, 2);
    return (this.b[o]! << 8) | this.b[o + 1]!;
  }
  u32(o: number): number {
    this.need(o, 4);
    return ((this.b[o]! << 24) | (this.b[o + 1]! << 16) | (this.b[o + 2]! << 8) | this.b[o + 3]!) >>> 0;
  }
  mac(o: number): string {
    this.need(o, 6);
    return Array.from(this.b.subarray(o, o + 6), hex2).join(':');
  }
  ip4(o: number): string {
    this.need(o, 4);
    return `${this.b[o]}.${this.b[o + 1]}.${this.b[o + 2]}.${this.b[o + 3]}`;
  }
  ip6(o: number): string {
    this.need(o, 16);
    return formatIPv6Text(this.b.subarray(o, o + 16));
  }
}

/** RFC 5952 text of an IPv6 address, with an IPv4-mapped/compatible tail as inet_ntop writes it. */
function formatIPv6Text(a: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push((a[i]! << 8) | a[i + 1]!);
  // longest run of zero words (length >= 2)
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const v4tail = best === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff));
  const words = (from: number, to: number) => w.slice(from, to).map((x) => x.toString(16));
  if (v4tail) {
    const head = bestLen === 5 ? '::ffff:' : '::';
    return `${head}${a[12]}.${a[13]}.${a[14]}.${a[15]}`;
  }
  if (best < 0) return words(0, 8).join(':');
  return `${words(0, best).join(':')}::${words(best + bestLen, 8).join(':')}`;
}

function utcTime(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(Math.floor(nsec / 1000)).padStart(6, '0')}`;
}

const ETHERTYPES: Record<number, string> = {
  0x0800: 'IPv4', 0x0806: 'ARP', 0x8035: 'Reverse ARP', 0x86dd: 'IPv6', 0x8100: '802.1Q', 0x88a8: '802.1Q-QinQ', 0x9100: '802.1Q-9100',
  0x8847: 'MPLS unicast', 0x8848: 'MPLS multicast', 0x8863: 'PPPoE D', 0x8864: 'PPPoE S', 0x88cc: 'LLDP', 0x888e: 'EAPOL', 0x9000: 'Loopback',
  0x8137: 'IPX', 0x809b: 'Appletalk', 0x80f3: 'Appletalk ARP', 0x8809: 'Slow Protocols', 0x6558: 'TEB',
};

/** Hex and ASCII dump of undecoded bytes, as tcpdump's default print (indented lines). */
function hexDump(o: Out, off: number, len: number): void {
  const end = Math.min(o.b.length, off + Math.max(0, len));
  for (let line = off; line < end; line += 16) {
    let hex = '';
    let asc = '';
    for (let k = line; k < Math.min(end, line + 16); k += 2) {
      if (k + 1 < end) hex += ` ${hex2(o.b[k]!)}${hex2(o.b[k + 1]!)}`;
      else hex += ` ${hex2(o.b[k]!)}`;
      for (const c of k + 1 < end ? [o.b[k]!, o.b[k + 1]!] : [o.b[k]!]) asc += c > 32 && c < 127 ? String.fromCharCode(c) : '.';
    }
    o.p(`\n\t0x${hex4(line - off)}: ${hex.padEnd(40)}  ${asc}`);
  }
}

// ---- link layers ----

function ether(o: Out, off: number, len: number): void {
  o.proto = 'ether';
  o.need(off, 14);
  o.p(`${o.mac(off + 6)} > ${o.mac(off)}, `);
  const type = o.u16(off + 12);
  if (type <= 1500) {
    o.p(`802.3, length ${len}: `);
    llc(o, off + 14, Math.min(type, len - 14));
    return;
  }
  o.p(`ethertype ${etherName(type)} (0x${hex4(type)}), length ${len}: `);
  etherPayload(o, type, off + 14, len - 14);
}

const etherName = (t: number) => ETHERTYPES[t] ?? 'Unknown';

function llc(o: Out, off: number, len: number): void {
  o.proto = 'llc';
  const dsap = o.u8(off);
  const ssap = o.u8(off + 1);
  const ctrl = o.u8(off + 2);
  o.p(`LLC, dsap Unknown (0x${hex2(dsap & 0xfe)}) ${dsap & 1 ? 'Group' : 'Individual'}, ssap Unknown (0x${hex2(ssap & 0xfe)}) ${ssap & 1 ? 'Response' : 'Command'}, ctrl 0x${hex2(ctrl)}: `);
  hexDump(o, off + 3, len - 3);
}

/** After an EtherType (Ethernet, SLL, VLAN, HDLC): `vlan` tags continue the line with ", ". */
function etherPayload(o: Out, type: number, off: number, len: number): void {
  if (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
    o.proto = 'vlan';
    const tci = o.u16(off);
    const inner = o.u16(off + 2);
    o.p(`vlan ${tci & 0xfff}, p ${tci >> 13}${tci & 0x1000 ? ', DEI' : ''}, `);
    o.p(`ethertype ${etherName(inner)} (0x${hex4(inner)}), `);
    etherPayload(o, inner, off + 4, len - 4);
    return;
  }
  switch (type) {
    case 0x0800:
      ipv4(o, off, len);
      return;
    case 0x86dd:
      ipv6(o, off, len);
      return;
    case 0x0806:
    case 0x8035:
      arp(o, off, len);
      return;
    case 0x8847:
    case 0x8848:
      mpls(o, off, len);
      return;
    case 0x8864:
      pppoeSession(o, off, len);
      return;
    default:
      hexDump(o, off, len);
  }
}

function mpls(o: Out, off: number, len: number): void {
  o.proto = 'mpls';
  o.p('MPLS');
  let e = 0;
  for (let i = 0; i < 64; i++) {
    e = o.u32(off);
    o.p(` (label ${e >>> 12}, tc ${(e >> 9) & 7}${e & 0x100 ? ', [S]' : ''}, ttl ${e & 0xff})`);
    off += 4;
    len -= 4;
    if (e & 0x100) break;
  }
  const label = e >>> 12;
  let pt = 0;
  if (label === 0 || label === 3) pt = 4;
  else if (label === 2) pt = 6;
  else {
    const first = o.u8(off);
    if (first >= 0x45 && first <= 0x4f) pt = 4;
    else if (first >= 0x60 && first <= 0x6f) pt = 6;
  }
  if (pt === 4) {
    o.p(' ');
    ipv4(o, off, len);
  } else if (pt === 6) {
    o.p(' ');
    ipv6(o, off, len);
  } else hexDump(o, off, len);
}

const PPP_NAMES: Record<number, string> = { 0x0021: 'IP', 0x0057: 'IP6', 0xc021: 'LCP', 0x8021: 'IPCP', 0x8057: 'IP6CP', 0xc023: 'PAP', 0xc223: 'CHAP', 0x80fd: 'CCP' };

function pppoeSession(o: Out, off: number, len: number): void {
  o.proto = 'pppoe';
  const ses = o.u16(off + 2);
  const plen = o.u16(off + 4);
  o.p(`PPPoE  [ses 0x${ses.toString(16)}] `);
  const proto = o.u16(off + 6);
  const l = Math.min(plen, len - 6) - 2;
  o.p(`${PPP_NAMES[proto] ?? 'unknown'} (0x${hex4(proto)}), length ${l + 2}: `);
  pppPayload(o, proto, off + 8, l, l + 2);
}

const PPP_CODES: Record<number, string> = {
  1: 'Conf-Request', 2: 'Conf-Ack', 3: 'Conf-Nack', 4: 'Conf-Reject', 5: 'Term-Request', 6: 'Term-Ack', 7: 'Code-Reject', 8: 'Prot-Reject',
  9: 'Echo-Request', 10: 'Echo-Reply', 11: 'Discard-Request', 14: 'Reset-Req', 15: 'Reset-Ack',
};

/** What follows the PPP protocol number: IP, IPv6, or a control protocol's code, id and length. */
function pppPayload(o: Out, proto: number, off: number, len: number, shownLen: number): void {
  if (proto === 0x0021) ipv4(o, off, len);
  else if (proto === 0x0057) ipv6(o, off, len);
  else if (proto === 0xc021 || proto === 0x8021 || proto === 0x80fd || proto === 0x8057) {
    o.proto = 'ppp';
    const code = o.u8(off);
    // tcpdump prints the PPP frame's length here (without address/control bytes), not the packet's own field.
    o.u16(off + 2);
    o.p(`${PPP_NAMES[proto]}, ${PPP_CODES[code] ?? 'unknown'} (0x${hex2(code)}), id ${o.u8(off + 1)}, length ${shownLen}`);
  } else hexDump(o, off, len);
}

/** A PPP frame (GRE version 1): optional address/control bytes, the protocol, its payload. */
function ppp(o: Out, off: number, len: number): void {
  o.proto = 'ppp';
  let p = off;
  const addrCtl = o.u8(p) === 0xff && o.u8(p + 1) === 0x03;
  if (addrCtl) p += 2;
  let proto = o.u8(p);
  if (proto & 1) p += 1;
  else {
    proto = o.u16(p);
    p += 2;
  }
  o.p(`${PPP_NAMES[proto] ?? 'unknown'} (0x${hex4(proto)}), length ${len}: `);
  pppPayload(o, proto, p, len - (p - off), len - (addrCtl ? 2 : 0));
}

const SLL_TYPES = ['In', 'B', 'M', 'P', 'Out'];

function sll(o: Out, len: number): void {
  o.proto = 'sll';
  o.need(0, 16);
  const type = SLL_TYPES[o.u16(0)] ?? '?';
  o.p(`${type.padStart(3)} `);
  if (o.u16(4) === 6) o.p(`${o.mac(6)} `);
  const proto = o.u16(14);
  if (proto <= 1500) {
    o.p(`802.3, length ${len}: `);
    hexDump(o, 16, len - 16);
    return;
  }
  o.p(`ethertype ${etherName(proto)} (0x${hex4(proto)}), length ${len}: `);
  etherPayload(o, proto, 16, len - 16);
}

function sll2(o: Out, len: number): void {
  o.proto = 'sll2';
  o.need(0, 20);
  const proto = o.u16(0);
  const ifindex = o.u32(4);
  const type = SLL_TYPES[o.u8(10)] ?? '?';
  // tcpdump names the interface from this machine's interfaces: "?" for an unknown index.
  o.p(`${'?'.padEnd(5)} ${type.padEnd(3)} ifindex ${ifindex} `);
  if (o.u8(11) === 6) o.p(`${o.mac(12)} `);
  if (proto <= 1500) {
    o.p(`802.3, length ${len}: `);
    hexDump(o, 20, len - 20);
    return;
  }
  o.p(`ethertype ${etherName(proto)} (0x${hex4(proto)}), length ${len}: `);
  etherPayload(o, proto, 20, len - 20);
}

const AF_NAMES: Record<number, string> = { 2: 'IPv4', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6', 10: 'IPv6', 7: 'OSI', 23: 'Novell', 16: 'Appletalk' };

function nullLink(o: Out, len: number, network: boolean): void {
  o.proto = 'null';
  o.need(0, 4);
  let fam = network ? o.u32(0) : (o.b[0]! | (o.b[1]! << 8) | (o.b[2]! << 16) | (o.b[3]! << 24)) >>> 0;
  if (!network && (fam & 0xffff0000) !== 0) fam = o.u32(0);
  o.p(`AF ${AF_NAMES[fam] ?? 'Unknown'} (${fam}), length ${len}: `);
  if (fam === 2) ipv4(o, 4, len - 4);
  else if (AF_NAMES[fam] === 'IPv6') ipv6(o, 4, len - 4);
  else hexDump(o, 4, len - 4);
}

function chdlc(o: Out, len: number): void {
  o.proto = 'chdlc';
  const addr = o.u8(0);
  const proto = o.u16(2);
  o.p(`${addr === 0x0f ? 'unicast' : addr === 0x8f ? 'bcast' : `0x${hex2(addr)}`}, ethertype ${etherName(proto)} (0x${hex4(proto)}), length ${len}: `);
  if (proto === 0x0800) ipv4(o, 4, len - 4);
  else if (proto === 0x86dd) ipv6(o, 4, len - 4);
  else hexDump(o, 4, len - 4);
}

function nflog(o: Out, len: number): void {
  o.proto = 'nflog';
  const fam = o.u8(0);
  o.p(`version ${o.u8(1)}, resource ID ${o.u16(2)}, family ${fam === 2 ? 'IPv4' : fam === 10 ? 'IPv6' : 'Unknown'} (${fam}), length ${len}: `);
  let p = 4;
  for (let i = 0; i < 64 && p + 4 <= o.b.length; i++) {
    const tl = o.b[p]! | (o.b[p + 1]! << 8);
    const type = (o.b[p + 2]! | (o.b[p + 3]! << 8)) & 0x7fff;
    if (tl < 4) return;
    if (type === 9) {
      if (fam === 2) ipv4(o, p + 4, tl - 4);
      else if (fam === 10) ipv6(o, p + 4, tl - 4);
      return;
    }
    p += (tl + 3) & ~3;
  }
}

// ---- network layers ----

const ARP_OPS: Record<number, string> = { 1: 'Request', 2: 'Reply', 3: 'Reverse Request', 4: 'Reverse Reply', 8: 'Inverse Request', 9: 'Inverse Reply', 10: 'NACK Reply' };

function arp(o: Out, off: number, len: number): void {
  o.proto = 'arp';
  const hrd = o.u16(off);
  const pro = o.u16(off + 2);
  const hln = o.u8(off + 4);
  const pln = o.u8(off + 5);
  const op = o.u16(off + 6);
  if (hrd !== 1 || pro !== 0x0800 || hln !== 6 || pln !== 4) {
    o.p(`${ARP_OPS[op] ?? `Unknown (${op})`}, length ${len}`);
    return;
  }
  const sha = off + 8;
  const spa = sha + 6;
  const tha = spa + 4;
  const tpa = tha + 6;
  o.p(`${ARP_OPS[op] ?? `Unknown (${op})`} `);
  switch (op) {
    case 1: {
      o.p(`who-has ${o.ip4(tpa)}`);
      o.need(tha, 6);
      if (o.b.subarray(tha, tha + 6).some((x) => x !== 0)) o.p(` (${o.mac(tha)})`);
      o.p(` tell ${o.ip4(spa)}`);
      break;
    }
    case 2:
      o.p(`${o.ip4(spa)} is-at ${o.mac(sha)}`);
      break;
    case 3:
      o.p(`who-is ${o.mac(tha)} tell ${o.mac(sha)}`);
      break;
    case 4:
      o.p(`${o.mac(tha)} at ${o.ip4(tpa)}`);
      break;
    default:
      break;
  }
  o.p(`, length ${len}`);
}

interface NetCtx {
  v6: boolean;
  src: string;
  dst: string;
  /** Raw address bytes (for tcpdump's connection key ordering). */
  srcB: Uint8Array;
  dstB: Uint8Array;
  /** Print "addr.port > addr.port" (the transport follows the IP header directly), else ports only. */
  withAddrs: boolean;
  /** A fragment of a bigger datagram (UDP then prints its declared length without complaint). */
  frag?: boolean;
}

function ipv4(o: Out, off: number, len: number): void {
  o.proto = 'ip';
  const vhl = o.u8(off);
  if (vhl >> 4 !== 4) {
    if (vhl >> 4 === 6) o.p(', wrong link-layer encapsulation');
    else o.p(`IP${vhl >> 4} `);
    return;
  }
  const hlen = (vhl & 15) * 4;
  if (hlen < 20) {
    o.p(`bad-hlen ${hlen}`);
    return;
  }
  const total = o.u16(off + 2);
  if (len < total) o.p(`truncated-ip - ${total - len} bytes missing! `);
  // tcpdump 4.99 as packaged has no TSO guess: a zero total length is "bad-len 0" too.
  if (total < hlen) {
    o.p(`bad-len ${total}`);
    return;
  }
  const foff = o.u16(off + 6);
  const proto = o.u8(off + 9);
  o.need(off + 12, 8);
  const srcB = o.b.slice(off + 12, off + 16);
  const dstB = o.b.slice(off + 16, off + 20);
  const src = o.ip4(off + 12);
  const dst = o.ip4(off + 16);
  const plen = Math.min(total, len) - hlen;
  if ((foff & 0x1fff) !== 0) {
    o.p(`${src} > ${dst}: ip-proto-${proto}`);
    return;
  }
  if (proto !== 6 && proto !== 17 && proto !== 132 && proto !== 33) o.p(`${src} > ${dst}: `);
  demux(o, proto, off + hlen, plen, { v6: false, src, dst, srcB, dstB, withAddrs: true, frag: (foff & 0x2000) !== 0 });
}

function ipv6(o: Out, off: number, len: number): void {
  o.proto = 'ip6';
  const v = o.u8(off) >> 4;
  if (v !== 6) {
    o.p(`IP6, wrong version ${v}`);
    return;
  }
  const plen = o.u16(off + 4);
  let nh = o.u8(off + 6);
  const srcB = o.b.slice(off + 8, off + 24);
  const dstB = o.b.slice(off + 24, off + 40);
  o.need(off, 40);
  const src = o.ip6(off + 8);
  const dst = o.ip6(off + 24);
  if (len - 40 < plen) o.p(`truncated-ip6 - ${plen - (len - 40)} bytes missing!`);
  let payload = Math.min(plen, len - 40);
  let p = off + 40;
  let printedAddrs = false;
  let frag = false;
  const addrs = () => {
    if (!printedAddrs) o.p(`${src} > ${dst}: `);
    printedAddrs = true;
  };
  for (let i = 0; i < 16; i++) {
    if (nh === 0 || nh === 60 || nh === 43) {
      addrs();
      const next = o.u8(p);
      const l = (o.u8(p + 1) + 1) * 8;
      if (nh === 0) o.p('HBH ');
      else if (nh === 60) o.p('DSTOPT ');
      else {
        // Routing header (type 0) as tcpdump prints it without -v.
        const type = o.u8(p + 2);
        const segleft = o.u8(p + 3);
        o.p(`RT6 (len=${o.u8(p + 1)}, type=${type}${type === 0 ? ' [Deprecated]' : ''}, segleft=${segleft}`);
        if (type === 0) {
          for (let k = 0, q = p + 8; q + 16 <= p + l; k++, q += 16) o.p(`, [${k}]${o.ip6(q)}`);
        }
        o.p(') ');
      }
      nh = next;
      p += l;
      payload -= l;
      continue;
    }
    if (nh === 44) {
      addrs();
      const next = o.u8(p);
      const fo = o.u16(p + 2);
      o.p(`frag (${fo & 0xfff8}|${payload - 8})`);
      if ((fo & 0xfff8) !== 0) return;
      frag = true;
      o.p(' ');
      nh = next;
      p += 8;
      payload -= 8;
      continue;
    }
    break;
  }
  const direct = !printedAddrs && (nh === 6 || nh === 17);
  if (!direct) addrs();
  demux(o, nh, p, payload, { v6: true, src, dst, srcB, dstB, withAddrs: direct, frag });
}

function demux(o: Out, proto: number, off: number, len: number, net: NetCtx): void {
  switch (proto) {
    case 6:
      tcp(o, off, len, net);
      return;
    case 17:
      udp(o, off, len, net);
      return;
    case 1:
      icmp(o, off, len);
      return;
    case 58:
      icmp6(o, off, len);
      return;
    case 2:
      igmp(o, off, len);
      return;
    case 112:
      vrrp(o, off, len);
      return;
    case 50:
      o.proto = 'esp';
      o.p(`ESP(spi=0x${o.u32(off).toString(16).padStart(8, '0')},seq=0x${o.u32(off + 4).toString(16)}), length ${len}`);
      return;
    case 51: {
      // AH: the header, then the protected protocol (in tunnel mode an inner IP header).
      o.proto = 'ah';
      const next = o.u8(off);
      const ahLen = (o.u8(off + 1) + 2) * 4;
      o.p(`AH(spi=0x${o.u32(off + 4).toString(16).padStart(8, '0')},seq=0x${o.u32(off + 8).toString(16)},icv=0x`);
      for (let k = off + 12; k < off + ahLen; k++) o.p(hex2(o.u8(k)));
      o.p('): ');
      demux(o, next, off + ahLen, len - ahLen, net);
      return;
    }
    case 47:
      gre(o, off, len);
      return;
    case 4:
      ipv4(o, off, len);
      return;
    case 41:
      ipv6(o, off, len);
      return;
    default:
      o.p(` ip-proto-${proto} ${len}`);
  }
}

/** GRE version 0 as tcpdump prints it without -v (version 1, PPTP, only as its version). */
function gre(o: Out, off: number, len: number): void {
  o.proto = 'gre';
  const flags = o.u16(off);
  const vers = flags & 7;
  o.p(`GREv${vers}`);
  const prot = o.u16(off + 2);
  let p = off + 4;
  if (vers === 1) {
    if (flags & 0x2000) {
      o.p(`, call ${o.u32(p) & 0xffff}`);
      p += 4;
    }
    if (flags & 0x1000) {
      o.p(`, seq ${o.u32(p)}`);
      p += 4;
    }
    if (flags & 0x0080) {
      o.p(`, ack ${o.u32(p)}`);
      p += 4;
    }
    if (!(flags & 0x1000)) o.p(', no-payload');
    o.p(`, proto ${prot === 0x880b ? 'PPP' : ETHERTYPES[prot] ?? 'unknown'} (0x${hex4(prot)}), length ${len}`);
    if (!(flags & 0x1000)) return;
    o.p(': ');
    if (prot === 0x880b) ppp(o, p, len - (p - off));
    else o.p(`gre-proto-0x${prot.toString(16)}`);
    return;
  }
  if (vers !== 0) return;
  if (flags & 0xc000) {
    o.p(`, off 0x${o.u16(p + 2).toString(16)}`);
    p += 4;
  }
  if (flags & 0x2000) {
    o.p(`, key=0x${o.u32(p).toString(16)}`);
    p += 4;
  }
  if (flags & 0x1000) {
    o.p(`, seq ${o.u32(p)}`);
    p += 4;
  }
  o.p(`, proto ${ETHERTYPES[prot] ?? 'unknown'} (0x${hex4(prot)}), length ${len}: `);
  const rest = len - (p - off);
  if (prot === 0x0800) ipv4(o, p, rest);
  else if (prot === 0x86dd) ipv6(o, p, rest);
  else if (prot === 0x8847) mpls(o, p, rest);
  else if (prot === 0x6558) ether(o, p, rest);
  else o.p(`gre-proto-0x${prot.toString(16)}`);
}

// ---- transport ----

const TCP_FLAGS: [number, string][] = [[0x01, 'F'], [0x02, 'S'], [0x04, 'R'], [0x08, 'P'], [0x10, '.'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W']];
const TCP_OPTS: Record<number, string> = { 0: 'eol', 1: 'nop', 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 6: 'echo', 7: 'echoreply', 8: 'TS', 11: 'cc', 12: 'ccnew', 13: '', 19: 'md5', 20: 'scps', 28: 'uto', 29: 'tcp-ao', 30: 'mptcp', 34: 'tfo', 254: 'exp' };

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function ports(o: Out, net: NetCtx, sp: number, dp: number): void {
  if (net.withAddrs) o.p(`${net.src}.${sp} > ${net.dst}.${dp}: `);
  else o.p(`${sp} > ${dp}: `);
}

function tcp(o: Out, off: number, len: number, net: NetCtx): void {
  o.proto = 'tcp';
  const sp = o.u16(off);
  const dp = o.u16(off + 2);
  ports(o, net, sp, dp);
  let seq = o.u32(off + 4);
  let ack = o.u32(off + 8);
  const hlen = (o.u8(off + 12) >> 4) * 4;
  const flags = o.u8(off + 13);
  const win = o.u16(off + 14);
  const urp = o.u16(off + 18);
  if (hlen < 20) {
    o.p(` tcp ${len - hlen} [bad hdr length ${hlen} - too short, < 20]`);
    return;
  }
  let fl = '';
  for (const [bit, ch] of TCP_FLAGS) if (flags & bit) fl += ch;
  o.p(`Flags [${fl || 'none'}]`);
  if (flags & 0x10) {
    // tcpdump's connection key: the lower port (then the lower address) first.
    const rev = sp > dp || (sp === dp && cmpBytes(net.srcB, net.dstB) > 0);
    const key = rev ? `${net.dst}|${net.src}|${dp}|${sp}` : `${net.src}|${net.dst}|${sp}|${dp}`;
    const th = o.st.conns.get(key);
    if (!th || flags & 0x02) {
      o.st.conns.set(key, rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 });
    } else if (rev) {
      seq = (seq - th.ack) >>> 0;
      ack = (ack - th.seq) >>> 0;
    } else {
      seq = (seq - th.seq) >>> 0;
      ack = (ack - th.ack) >>> 0;
    }
  }
  if (hlen > len) {
    o.p(` [bad hdr length ${hlen} - too long, > ${len}]`);
    return;
  }
  const dlen = len - hlen;
  if (dlen > 0 || flags & 0x07) {
    o.p(`, seq ${seq}`);
    if (dlen > 0) o.p(`:${(seq + dlen) >>> 0}`);
  }
  if (flags & 0x10) o.p(`, ack ${ack}`);
  o.p(`, win ${win}`);
  if (flags & 0x20) o.p(`, urg ${urp}`);
  if (hlen > 20) tcpOptions(o, off + 20, hlen - 20, net, sp, dp);
  o.p(`, length ${dlen}`);
  if (dlen <= 0) return;
  const data = off + hlen;
  const port = (n: number) => sp === n || dp === n;
  if (port(80) || port(8080)) {
    o.p(': ');
    txtproto(o, data, dlen, 'http', HTTP_CMDS, true);
  } else if (port(21)) {
    o.p(': ');
    txtproto(o, data, dlen, 'ftp', null, false);
  } else if (port(25)) {
    o.p(': ');
    txtproto(o, data, dlen, 'smtp', null, false);
  } else if (port(554) || port(8554)) {
    o.p(': ');
    txtproto(o, data, dlen, 'rtsp', RTSP_CMDS, true);
  } else if (port(5060)) {
    o.p(': ');
    txtproto(o, data, dlen, 'sip', SIP_CMDS, true);
  } else if (port(179)) {
    o.p(': BGP');
  } else if (port(22)) {
    sshBanner(o, data, dlen);
  } else if (port(23)) {
    telnet(o, data, dlen);
  } else if (port(53) && dlen > 2) {
    o.p(' ');
    domain(o, data + 2, dlen - 2, false);
  }
}

function tcpOptions(o: Out, p: number, hlen: number, net: NetCtx, sp: number, dp: number): void {
  o.p(', options [');
  const end = p + hlen;
  let first = true;
  for (let i = 0; i < 40 && p < end; i++) {
    if (!first) o.p(',');
    first = false;
    const opt = o.u8(p++);
    let len = 1;
    if (opt > 1) {
      len = o.u8(p++);
      if (len < 2 || len > end - p + 2) {
        o.p(`${TCP_OPTS[opt] ?? `unknown-${opt}`}[bad opt]`);
        return;
      }
    }
    o.p(TCP_OPTS[opt] ?? `unknown-${opt}`);
    let datalen: number;
    switch (opt) {
      case 2:
        datalen = 2;
        o.p(` ${o.u16(p)}`);
        break;
      case 3:
        datalen = 1;
        o.p(` ${o.u8(p)}`);
        break;
      case 5: {
        datalen = len - 2;
        if (datalen % 8 !== 0) o.p(' invalid sack');
        else {
          o.p(` ${datalen / 8} `);
          const rev = sp > dp || (sp === dp && cmpBytes(net.srcB, net.dstB) > 0);
          const key = rev ? `${net.dst}|${net.src}|${dp}|${sp}` : `${net.src}|${net.dst}|${sp}|${dp}`;
          const th = o.st.conns.get(key);
          for (let k = 0; k < datalen; k += 8) {
            let s = o.u32(p + k);
            let e = o.u32(p + k + 4);
            if (th) {
              const base = rev ? th.seq : th.ack;
              s = (s - base) >>> 0;
              e = (e - base) >>> 0;
            }
            o.p(`{${s}:${e}}`);
          }
        }
        break;
      }
      case 8:
        datalen = 8;
        o.p(` val ${o.u32(p)} ecr ${o.u32(p + 4)}`);
        break;
      case 0:
      case 1:
      case 4:
        datalen = 0;
        break;
      default:
        datalen = len - 2;
        if (datalen > 0) {
          o.p(' 0x');
          for (let k = 0; k < datalen; k++) o.p(hex2(o.u8(p + k)));
        }
    }
    p += datalen;
    const used = datalen + (opt > 1 ? 2 : 1);
    if (used !== len) o.p(`[len ${len}]`);
    if (opt > 1) p += len - used > 0 ? len - used : 0;
    if (opt === 0) break;
  }
  o.p(']');
}

const TEL_CMDS = ['EOF', 'SUSP', 'ABORT', 'EOR', 'SE', 'NOP', 'DMARK', 'BRK', 'IP', 'AO', 'AYT', 'EC', 'EL', 'GA', 'SB', 'WILL', 'WONT', 'DO', 'DONT', 'IAC'];
const TEL_OPTS = ['BINARY', 'ECHO', 'RCP', 'SUPPRESS GO AHEAD', 'NAME', 'STATUS', 'TIMING MARK', 'RCTE', 'NAOL', 'NAOP', 'NAOCRD', 'NAOHTS', 'NAOHTD', 'NAOFFD', 'NAOVTS', 'NAOVTD', 'NAOLFD', 'EXTEND ASCII', 'LOGOUT', 'BYTE MACRO', 'DATA ENTRY TERMINAL', 'SUPDUP', 'SUPDUP OUTPUT', 'SEND LOCATION', 'TERMINAL TYPE', 'END OF RECORD', 'TACACS UID', 'OUTPUT MARKING', 'TTYLOC', '3270 REGIME', 'X.3 PAD', 'NAWS', 'TSPEED', 'LFLOW', 'LINEMODE', 'XDISPLOC', 'OLD-ENVIRON', 'AUTHENTICATION', 'ENCRYPT', 'NEW-ENVIRON'];
const TEL_AUTH_CMDS = ['IS', 'SEND', 'REPLY', 'NAME'];
const TEL_AUTH_TYPES = ['NULL', 'KERBEROS_V4', 'KERBEROS_V5', 'SPX', 'MINK', 'SRP', 'RSA', 'SSL', '', '', 'LOKI', 'SSA', 'KEA_SJ', 'KEA_SJ_INTEG', 'DSS', 'NTLM'];
const TEL_ENC_CMDS = ['IS', 'SUPPORT', 'REPLY', 'START', 'END', 'REQUEST-START', 'REQUEST-END', 'END_KEYID', 'DEC_KEYID'];
const TEL_ENC_TYPES = ['NULL', 'DES_CFB64', 'DES_OFB64', 'DES3_CFB64', 'DES3_OFB64', '', 'CAST5_40_CFB64', 'CAST5_40_OFB64', 'CAST128_CFB64', 'CAST128_OFB64'];
const TEL_SUB_CMDS = ['IS', 'SEND', 'INFO'];
/** C's "%#x": 0 stays "0". */
const cHex = (n: number) => (n ? `0x${n.toString(16)}` : '0');
const strOrId = (n: number, tab: string[]) => tab[n] || cHex(n);

/** One telnet command at `p` (IAC ...): its text and length, or null when it is cut short. */
function telnetCommand(o: Out, p: number, end: number): { text: string; len: number } | null {
  const at = (k: number) => (k < end && k < o.b.length ? o.b[k]! : -1);
  if (at(p) !== 255) return null;
  const c = at(p + 1);
  if (c < 0) return null;
  if (c === 255) return { text: 'IAC IAC', len: 2 };
  if (c < 236) return null;
  const cmd = TEL_CMDS[c - 236]!;
  if (c < 250) return { text: cmd, len: 2 };
  const x = at(p + 2);
  if (x < 0) return null;
  let text = x < TEL_OPTS.length ? `${cmd} ${TEL_OPTS[x]}` : `${cmd} ${cHex(x)}`;
  let q = p + 3;
  if (c !== 250) return { text, len: 3 };
  // IAC SB option ... IAC SE
  let e = q;
  while (e + 1 < Math.min(end, o.b.length) && !(o.b[e] === 255 && o.b[e + 1] === 240)) e++;
  if (at(e) !== 255) return null;
  const sub = (tab: string[]) => {
    if (q < e) text += ` ${strOrId(at(q++), tab)}`;
  };
  if (x === 37) {
    sub(TEL_AUTH_CMDS);
    sub(TEL_AUTH_TYPES);
  } else if (x === 38) {
    sub(TEL_ENC_CMDS);
    sub(TEL_ENC_TYPES);
  } else sub(TEL_SUB_CMDS);
  while (q < e) text += ` ${cHex(at(q++))}`;
  text += ' SE';
  return { text, len: e + 2 - p };
}

/** Telnet: the commands at the start of the segment, " [telnet WILL ECHO, DO NAWS ...]". */
function telnet(o: Out, p: number, len: number): void {
  o.proto = 'telnet';
  const end = p + len;
  const parts: string[] = [];
  for (let i = 0; i < 1000 && p < end && o.b[p] === 255; i++) {
    const c = telnetCommand(o, p, end);
    if (!c) break;
    parts.push(c.text);
    p += c.len;
  }
  if (parts.length) o.p(` [telnet ${parts.join(', ')}]`);
}

/** SSH: only the version banner ("SSH-2.0-...") line is printed. */
function sshBanner(o: Out, p: number, len: number): void {
  o.proto = 'ssh';
  const cap = Math.min(len, o.b.length - p);
  if (cap < 4 || o.b[p] !== 0x53 || o.b[p + 1] !== 0x53 || o.b[p + 2] !== 0x48 || o.b[p + 3] !== 0x2d) return;
  for (let i = 4; i < cap; i++) {
    const c = o.b[p + i]!;
    if (c === 10 || (c === 13 && i + 1 < cap && o.b[p + i + 1] === 10)) {
      o.p(': SSH: ' + String.fromCharCode(...o.b.subarray(p, p + i)));
      return;
    }
    if (c === 13 || !isPrint(c)) return;
  }
}

const HTTP_CMDS = ['GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MKCOL', 'TRACE', 'LABEL', 'MERGE', 'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'NOTIFY', 'BDELETE', 'CONNECT', 'OPTIONS', 'CHECKIN', 'PROPFIND', 'CHECKOUT', 'CCM_POST', 'SUBSCRIBE', 'PROPPATCH', 'BPROPFIND', 'BPROPPATCH', 'UNCHECKOUT', 'MKACTIVITY', 'MKWORKSPACE', 'UNSUBSCRIBE', 'RPC_CONNECT', 'VERSION-CONTROL', 'BASELINE-CONTROL'];
const RTSP_CMDS = ['DESCRIBE', 'ANNOUNCE', 'GET_PARAMETER', 'OPTIONS', 'PAUSE', 'PLAY', 'RECORD', 'REDIRECT', 'SETUP', 'SET_PARAMETER', 'TEARDOWN'];
const SIP_CMDS = ['ACK', 'BYE', 'CANCEL', 'DO', 'INFO', 'INVITE', 'MESSAGE', 'NOTIFY', 'OPTIONS', 'PRACK', 'QAUTH', 'REFER', 'REGISTER', 'SPRACK', 'SUBSCRIBE', 'UPDATE', 'PUBLISH'];

const isPrint = (c: number) => c >= 0x20 && c < 0x7f;

/** tcpdump's fetch_token: a token ended by white space, then the white space after it; 0 when none. */
function fetchToken(o: Out, p: number, idx: number, len: number): { idx: number; token: string } {
  let tok = '';
  for (; idx < len; idx++) {
    if (p + idx >= o.b.length) return { idx: 0, token: '' };
    const c = o.b[p + idx]!;
    if (!isPrint(c)) return { idx: 0, token: '' };
    if (c === 0x20) break;
    if (tok.length + 2 > 129) return { idx: 0, token: '' };
    tok += String.fromCharCode(c);
  }
  if (!tok) return { idx: 0, token: '' };
  for (; idx < len; idx++) {
    if (p + idx >= o.b.length) break;
    const c = o.b[p + idx]!;
    if (c === 13 || c === 10 || !isPrint(c) || (c !== 0x20 && c !== 9)) break;
  }
  return { idx, token: tok };
}

/** tcpdump's txtproto_print without -v: the protocol name, and the first line of a request or response. */
function txtproto(o: Out, p: number, len: number, name: string, cmds: string[] | null, respSecond: boolean): void {
  o.proto = name;
  const cap = Math.min(len, o.b.length - p);
  let show = cmds === null;
  if (cmds) {
    let t = fetchToken(o, p, 0, cap);
    if (t.idx !== 0) {
      if (cmds.some((c) => c.toLowerCase() === t.token.toLowerCase())) show = true;
      if (respSecond) t = fetchToken(o, p, t.idx, cap);
      if (t.idx !== 0 && /^[0-9]{3}$/.test(t.token)) show = true;
    }
  }
  o.p(name.toUpperCase());
  if (!show) return;
  for (let i = 0; i < cap; i++) {
    const c = o.b[p + i]!;
    if (c === 10) {
      o.p(': ' + String.fromCharCode(...o.b.subarray(p, p + i)));
      return;
    }
    if (c === 13) {
      if (i + 1 >= cap) return;
      if (o.b[p + i + 1] === 10) {
        o.p(': ' + String.fromCharCode(...o.b.subarray(p, p + i)));
        return;
      }
      return;
    }
    if (!isPrint(c) && c !== 9) return;
  }
  o.p(': ' + String.fromCharCode(...o.b.subarray(p, p + cap)));
  o.p(` [|${name}]`);
}

function udp(o: Out, off: number, len: number, net: NetCtx): void {
  o.proto = 'udp';
  const sp = o.u16(off);
  const dp = o.u16(off + 2);
  let ulen = o.u16(off + 4);
  if (ulen < len) len = ulen;
  if (ulen < 8) {
    ports(o, net, sp, dp);
    o.p(`truncated-udplength ${ulen}`);
    return;
  }
  ulen -= 8;
  len -= 8;
  if (ulen < len) len = ulen;
  ports(o, net, sp, dp);
  const data = off + 8;
  const port = (n: number) => sp === n || dp === n;
  if (port(53)) domain(o, data, len, false);
  else if (port(5353)) domain(o, data, len, true);
  else if (port(67) || port(68)) bootp(o, data, len);
  else if (port(123)) ntp(o, data, len);
  else if (port(546) || port(547)) dhcp6(o, data);
  else if (port(520)) {
    o.proto = 'rip';
    const cmd = o.u8(data);
    o.p(`RIPv${o.u8(data + 1)}, ${['', 'Request', 'Response', 'Trace on', 'Trace off', 'Poll', 'Poll Entry'][cmd] || `unknown command (${cmd})`}, length: ${len}`);
  }
  else if (dp === 4789 || (sp === 4789 && dp !== 4789)) vxlan(o, data, len);
  else if (port(5060)) {
    txtproto(o, data, len, 'sip', SIP_CMDS, true);
  } else if (ulen > len && !net.frag) o.p(`UDP, bad length ${ulen} > ${len}`);
  else o.p(`UDP, length ${ulen}`);
}

function vxlan(o: Out, off: number, len: number): void {
  o.proto = 'vxlan';
  o.need(off, 8);
  const flags = o.u8(off);
  const vni = (o.u8(off + 4) << 16) | (o.u8(off + 5) << 8) | o.u8(off + 6);
  o.p(`VXLAN, flags [${flags & 0x08 ? 'I' : 'none'}] (0x${hex2(flags)}), vni ${vni}\n`);
  ether(o, off + 8, len - 8);
}

function bootp(o: Out, off: number, len: number): void {
  o.proto = 'bootp';
  const op = o.u8(off);
  o.p(`BOOTP/DHCP, ${op === 1 ? 'Request' : op === 2 ? 'Reply' : `unknown (0x${hex2(op)})`}`);
  if (o.u8(off + 1) === 1 && o.u8(off + 2) === 6 && op === 1) o.p(` from ${o.mac(off + 28)}`);
  o.p(`, length ${len}`);
}

const NTP_MODES = ['Reserved', 'Symmetric Active', 'Symmetric Passive', 'Client', 'Server', 'Broadcast', 'Control Message', 'Reserved'];

const DHCP6_TYPES = ['', 'solicit', 'advertise', 'request', 'confirm', 'renew', 'rebind', 'reply', 'release', 'decline', 'reconfigure', 'inf-req', 'relay-fwd', 'relay-reply', 'leasequery', 'leasequery-reply'];

function dhcp6(o: Out, off: number): void {
  o.proto = 'dhcp6';
  const t = o.u8(off);
  o.p(`dhcp6 ${DHCP6_TYPES[t] || `msgtype-${t}`}`);
}

function vrrp(o: Out, off: number, len: number): void {
  o.proto = 'vrrp';
  const vt = o.u8(off);
  const ver = vt >> 4;
  const type = vt & 15;
  o.p(`VRRPv${ver}, ${type === 1 ? 'Advertisement' : `unknown type ${type}`}`);
  if (type !== 1) return;
  o.p(`, vrid ${o.u8(off + 1)}, prio ${o.u8(off + 2)}`);
  if (ver === 2) {
    const auth = o.u8(off + 4);
    o.p(`, authtype ${['none', 'simple', 'ah'][auth] ?? 'unknown'}, intvl ${o.u8(off + 5)}s`);
  } else {
    o.p(`, intvl ${o.u16(off + 4) & 0xfff}cs`);
  }
  o.p(`, length ${len}`);
}

function ntp(o: Out, off: number, len: number): void {
  o.proto = 'ntp';
  const b = o.u8(off);
  o.p(`NTPv${(b >> 3) & 7}, ${NTP_MODES[b & 7]}, length ${len}`);
}

// ---- DNS ----

const DNS_TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS', 12: 'PTR', 13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT',
  17: 'RP', 18: 'AFSDB', 19: 'X25', 20: 'ISDN', 21: 'RT', 22: 'NSAP', 23: 'NSAP_PTR', 24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS', 28: 'AAAA', 29: 'LOC', 30: 'NXT',
  31: 'EID', 32: 'NIMLOC', 33: 'SRV', 34: 'ATMA', 35: 'NAPTR', 36: 'KX', 37: 'CERT', 38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP',
  45: 'IPSECKEY', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 59: 'CDS', 60: 'CDNSKEY',
  61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID', 105: 'L32',
  106: 'L64', 107: 'LP', 108: 'EUI48', 109: 'EUI64', 249: 'TKEY', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: 'ANY', 256: 'URI', 257: 'CAA',
  32768: 'TA', 32769: 'DLV',
};
const DNS_CLASSES: Record<number, string> = { 1: 'IN', 3: 'CHAOS', 4: 'HS', 255: 'ANY' };
const DNS_OPS = ['', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7', ' op8', ' updateA', ' updateD', ' updateDA', ' updateM', ' updateMA', ' zoneInit', ' zoneRef'];
const DNS_RCODES = ['', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet', ' NXRRSet', ' NotAuth', ' NotZone', ' Resp11', ' Resp12', ' Resp13', ' Resp14', ' NoChange', ' BadVers'];

/** Skips a domain name; returns the offset after it. */
function nameSkip(o: Out, p: number): number {
  for (let i = 0; i < 256; i++) {
    const l = o.u8(p);
    if (l === 0) return p + 1;
    if ((l & 0xc0) === 0xc0) {
      o.u8(p + 1);
      return p + 2;
    }
    if ((l & 0xc0) !== 0) throw new Truncated();
    p += l + 1;
  }
  throw new Truncated();
}

/** Prints a domain name with its trailing dot, following compression pointers (bounded). */
function fqdn(o: Out, p: number, base: number): number {
  let after = -1;
  let s = '';
  let jumps = 0;
  for (let i = 0; i < 256; i++) {
    const l = o.u8(p);
    if (l === 0) {
      if (after < 0) after = p + 1;
      break;
    }
    if ((l & 0xc0) === 0xc0) {
      const target = base + (((l & 0x3f) << 8) | o.u8(p + 1));
      if (after < 0) after = p + 2;
      if (++jumps > 64) break;
      p = target;
      continue;
    }
    if ((l & 0xc0) !== 0) throw new Truncated();
    o.need(p + 1, l);
    for (const c of o.b.subarray(p + 1, p + 1 + l)) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\${String(c).padStart(3, '0')}`;
    s += '.';
    p += l + 1;
  }
  o.p(s || '.');
  return after;
}

function dnsQuestion(o: Out, p: number, base: number, mdns: boolean): number {
  const np = nameSkip(o, p);
  const type = o.u16(np);
  const cls = o.u16(np + 2);
  o.p(` ${DNS_TYPES[type] ?? `Type${type}`}`);
  const c = mdns ? cls & 0x7fff : cls;
  if (c !== 1) o.p(` ${DNS_CLASSES[c] ?? `(Class ${c})`}`);
  if (mdns) o.p(cls & 0x8000 ? ' (QU)' : ' (QM)');
  o.p('? ');
  fqdn(o, p, base);
  return np + 4;
}

function dnsAnswer(o: Out, p: number, base: number, mdns: boolean): number {
  p = nameSkip(o, p);
  o.need(p, 10);
  const type = o.u16(p);
  const raw = o.u16(p + 2);
  const cls = mdns ? raw & 0x7fff : raw;
  if (cls !== 1 && type !== 41) o.p(` ${DNS_CLASSES[cls] ?? `(Class ${cls})`}`);
  if (mdns && raw & 0x8000) o.p(' (Cache flush)');
  let optFlags = 0;
  if (type === 41) optFlags = o.u16(p + 6);
  const len = o.u16(p + 8);
  const d = p + 10;
  const rp = d + len;
  o.p(` ${DNS_TYPES[type] ?? `Type${type}`}`);
  if (rp > o.b.length) throw new Truncated();
  switch (type) {
    case 1:
      o.p(` ${o.ip4(d)}`);
      break;
    case 2:
    case 5:
    case 12:
    case 39:
      o.p(' ');
      fqdn(o, d, base);
      break;
    case 15:
      o.p(' ');
      fqdn(o, d + 2, base);
      o.p(` ${o.u16(d)}`);
      break;
    case 16: {
      let q = d;
      for (let i = 0; i < 256 && q < rp; i++) {
        const l = o.u8(q);
        o.need(q + 1, l);
        o.p(` "${String.fromCharCode(...o.b.subarray(q + 1, q + 1 + l))}"`);
        q += l + 1;
      }
      break;
    }
    case 33:
      o.p(' ');
      fqdn(o, d + 6, base);
      o.p(`:${o.u16(d + 4)} ${o.u16(d)} ${o.u16(d + 2)}`);
      break;
    case 28:
      o.p(` ${o.ip6(d)}`);
      break;
    case 41:
      o.p(` UDPsize=${cls}`);
      if (optFlags & 0x8000) o.p(' DO');
      break;
    default:
      break;
  }
  return rp;
}

function domain(o: Out, p: number, len: number, mdns: boolean): void {
  o.proto = 'domain';
  if (len < 12) {
    o.p(`domain [DNS over UDP: length ${len} < 12]`);
    return;
  }
  o.need(p, 12);
  const id = o.u16(p);
  const f = o.u16(p + 2);
  let qd = o.u16(p + 4);
  let an = o.u16(p + 6);
  const ns = o.u16(p + 8);
  const ar = o.u16(p + 10);
  const opcode = (f >> 11) & 15;
  let q = p + 12;
  if (f & 0x8000) {
    o.p(`${id}${DNS_OPS[opcode]}${DNS_RCODES[f & 15] ?? ` Resp${f & 15}`}${f & 0x0400 ? '*' : ''}${f & 0x0080 ? '' : '-'}${f & 0x0200 ? '|' : ''}`);
    if (qd !== 1) o.p(` [${qd}q]`);
    for (let i = 0; i < qd && i < 256; i++) q = nameSkip(o, q) + 4;
    o.p(` ${an}/${ns}/${ar}`);
    if (an) {
      q = dnsAnswer(o, q, p, mdns);
      an--;
      while (q < o.b.length && an > 0) {
        o.p(',');
        q = dnsAnswer(o, q, p, mdns);
        an--;
      }
    }
    if (an) throw new Truncated();
  } else {
    o.p(`${id}${DNS_OPS[opcode]}${f & 0x0100 ? '+' : ''}${f & 0x0010 ? '%' : ''}`);
    if (f & 0x6cf) o.p(` [b2&3=0x${(f & 0xffff).toString(16)}]`);
    if (opcode === 1) {
      if (qd) o.p(` [${qd}q]`);
      if (an !== 1) o.p(` [${an}a]`);
    } else {
      if (an) o.p(` [${an}a]`);
      if (qd !== 1) o.p(` [${qd}q]`);
    }
    if (ns) o.p(` [${ns}n]`);
    if (ar) o.p(` [${ar}au]`);
    if (qd) {
      q = dnsQuestion(o, q, p, mdns);
      qd--;
      while (q < o.b.length && qd > 0) {
        q = dnsQuestion(o, q, p, mdns);
        qd--;
      }
    }
    if (qd) throw new Truncated();
  }
  o.p(` (${len})`);
}

// ---- ICMP ----

/** Milliseconds since midnight as ICMP timestamps print: H:MM:SS.mmm (hours not wrapped). */
function msTime(t: number): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(Math.floor(t / 3_600_000))}:${p2(Math.floor(t / 60_000) % 60)}:${p2(Math.floor(t / 1000) % 60)}.${String(t % 1000).padStart(3, '0')}`;
}

function lifetime(n: number): string {
  if (n < 60) return String(n);
  if (n < 3600) return `${Math.floor(n / 60)}:${String(n % 60).padStart(2, '0')}`;
  return `${Math.floor(n / 3600)}:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
}

const UNREACH: Record<number, string> = {
  0: 'net %s unreachable', 1: 'host %s unreachable', 5: '%s unreachable - source route failed', 6: 'net %s unreachable - unknown', 7: 'host %s unreachable - unknown',
  8: '%s unreachable - source host isolated', 9: 'net %s unreachable - admin prohibited', 10: 'host %s unreachable - admin prohibited', 11: 'net %s unreachable - tos prohibited',
  12: 'host %s unreachable - tos prohibited', 13: 'host %s unreachable - admin prohibited filter', 14: 'host %s unreachable - host precedence violation', 15: 'host %s unreachable - precedence cutoff',
};
const ICMP_TYPES: Record<number, string> = { 0: 'echo reply', 3: 'destination unreachable', 4: 'source quench', 5: 'redirect', 8: 'echo request', 9: 'router advertisement', 10: 'router solicitation', 11: 'time exceeded', 12: 'parameter problem', 13: 'time stamp request', 14: 'time stamp reply', 15: 'information request', 16: 'information reply', 17: 'address mask request', 18: 'address mask reply' };

function icmp(o: Out, off: number, len: number): void {
  o.proto = 'icmp';
  const type = o.u8(off);
  const code = o.u8(off + 1);
  let s: string;
  switch (type) {
    case 0:
    case 8:
      s = `echo ${type === 0 ? 'reply' : 'request'}, id ${o.u16(off + 4)}, seq ${o.u16(off + 6)}`;
      break;
    case 3: {
      const ip = off + 8;
      const dst = o.ip4(ip + 16);
      const ihl = (o.u8(ip) & 15) * 4;
      const p = o.u8(ip + 9);
      if (code === 2) s = `${dst} protocol ${p} unreachable`;
      else if (code === 3) {
        const dport = o.u16(ip + ihl + 2);
        s = p === 17 ? `${dst} udp port ${dport} unreachable` : p === 6 ? `${dst} tcp port ${dport} unreachable` : `${dst} protocol ${p} port ${dport} unreachable`;
      } else if (code === 4) {
        const mtu = o.u16(off + 6);
        s = mtu ? `${dst} unreachable - need to frag (mtu ${mtu})` : `${dst} unreachable - need to frag`;
      } else s = (UNREACH[code] ?? `${dst} unreachable - #${code}`).replace('%s', dst);
      break;
    }
    case 5: {
      const dst = o.ip4(off + 8 + 16);
      const gw = o.ip4(off + 4);
      s = [`redirect ${dst} to net ${gw}`, `redirect ${dst} to host ${gw}`, `redirect-tos ${dst} to net ${gw}`, `redirect-tos ${dst} to host ${gw}`][code] ?? `redirect-#${code} ${dst} to ${gw}`;
      break;
    }
    case 9: {
      const num = o.u8(off + 4);
      const size = o.u8(off + 5);
      s = `router advertisement lifetime ${lifetime(o.u16(off + 6))} ${num}:`;
      if (size === 2) for (let k = 0, q = off + 8; k < num; k++, q += 8) s += ` {${o.ip4(q)} ${o.u32(q + 4)}}`;
      break;
    }
    case 10:
      s = 'router solicitation';
      break;
    case 11:
      s = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${code}`;
      break;
    case 12:
      s = code === 0 ? `parameter problem - octet ${o.u8(off + 4)}` : `parameter problem - code ${code}`;
      break;
    case 13:
    case 14:
      s = `time stamp ${type === 13 ? 'query' : 'reply'} id ${o.u16(off + 4)} seq ${o.u16(off + 6)}`;
      if (type === 14) s += `: org ${msTime(o.u32(off + 8))}, recv ${msTime(o.u32(off + 12))}, xmit ${msTime(o.u32(off + 16))}`;
      break;
    case 17:
      s = 'address mask request';
      break;
    case 18:
      s = `address mask is 0x${o.u32(off + 8).toString(16).padStart(8, '0')}`;
      break;
    default:
      s = ICMP_TYPES[type] ?? `type-#${type}`;
  }
  o.p(`ICMP ${s}, length ${len}`);
}

const ICMP6_TYPES: Record<number, string> = {
  1: 'destination unreachable', 2: 'packet too big', 3: 'time exceeded in-transit', 4: 'parameter problem', 128: 'echo request', 129: 'echo reply',
  130: 'multicast listener query', 131: 'multicast listener report', 132: 'multicast listener done', 133: 'router solicitation', 134: 'router advertisement',
  135: 'neighbor solicitation', 136: 'neighbor advertisement', 137: 'redirect', 138: 'router renumbering', 139: 'node information query', 140: 'node information reply',
  141: 'inverse neighbor solicitation', 142: 'inverse neighbor advertisement', 143: 'multicast listener report v2', 144: 'ha discovery request', 145: 'ha discovery reply',
  146: 'mobile router solicitation', 147: 'mobile router advertisement', 148: 'certification path solicitation', 149: 'certification path advertisement',
  151: 'multicast router advertisement', 152: 'multicast router solicitation', 153: 'multicast router termination', 155: 'RPL',
};

function icmp6(o: Out, off: number, len: number): void {
  o.proto = 'icmp6';
  const type = o.u8(off);
  o.p(`ICMP6, ${ICMP6_TYPES[type] ?? `unknown icmp6 type (${type})`}`);
  switch (type) {
    case 128:
    case 129:
      o.p(`, id ${o.u16(off + 4)}, seq ${o.u16(off + 6)}`);
      break;
    case 135:
      o.p(`, who has ${o.ip6(off + 8)}`);
      break;
    case 136:
      o.p(`, tgt is ${o.ip6(off + 8)}`);
      break;
    case 143:
      o.p(`, ${o.u16(off + 6)} group record(s)`);
      break;
    case 2:
      o.p(`, mtu ${o.u32(off + 4)}`);
      break;
    default:
      break;
  }
  o.p(`, length ${len}`);
}

function igmp(o: Out, off: number, len: number): void {
  o.proto = 'igmp';
  const type = o.u8(off);
  switch (type) {
    case 0x11: {
      const mrt = o.u8(off + 1);
      const group = o.ip4(off + 4);
      if (len >= 12) {
        let s = 'igmp query v3';
        const t = mrt < 128 ? mrt : ((mrt & 15) | 16) << (((mrt >> 4) & 7) + 3);
        if (t !== 100) s += ` [max resp time ${(t / 10).toFixed(1)}s]`;
        const n = o.u16(off + 10);
        if (group !== '0.0.0.0') s += ` [gaddr ${group}${n ? `, ${n} source(s)` : ''}]`;
        else if (n) s += ` [${n} source(s)]`;
        o.p(s);
      } else if (mrt) {
        o.p(`igmp query v2${mrt !== 100 ? ` [max resp time ${mrt}]` : ''}${group !== '0.0.0.0' ? ` [gaddr ${group}]` : ''}`);
      } else o.p(`igmp query v1${group !== '0.0.0.0' ? ` [gaddr ${group}]` : ''}`);
      return;
    }
    case 0x12:
      o.p(`igmp v1 report ${o.ip4(off + 4)}`);
      return;
    case 0x16:
      o.p(`igmp v2 report ${o.ip4(off + 4)}`);
      return;
    case 0x17:
      o.p(`igmp leave ${o.ip4(off + 4)}`);
      return;
    case 0x22:
      o.p(`igmp v3 report, ${o.u16(off + 6)} group record(s)`);
      return;
    default:
      o.p(`igmp-${type.toString(16)}`);
  }
}

// ---- entry points ----

/**
 * The `tcpdump -nn -e` line(s) of one frame. `state` carries TCP connections across calls: feed
 * every packet of a capture in order (tcpdump's own state), or see tcpdumpLineOf for one packet.
 */
export function formatTcpdumpLine(f: TcpdumpFrame, state = new TcpdumpTcpState()): string {
  const o = new Out(f.bytes, state);
  const len = f.origlen;
  try {
    switch (f.linkType) {
      case 1:
        ether(o, 0, len);
        break;
      case 113:
        sll(o, len);
        break;
      case 276:
        sll2(o, len);
        break;
      case 0:
        nullLink(o, len, false);
        break;
      case 108:
        nullLink(o, len, true);
        break;
      case 101:
      case 12:
      case 14:
        o.p('ip: ');
        if (f.bytes.length && f.bytes[0]! >> 4 === 6) ipv6(o, 0, len);
        else ipv4(o, 0, len);
        break;
      case 228:
        o.p('ip: ');
        ipv4(o, 0, len);
        break;
      case 229:
        o.p('ip: ');
        ipv6(o, 0, len);
        break;
      case 104:
        chdlc(o, len);
        break;
      case 239:
        nflog(o, len);
        break;
      default:
        // A link type tcpdump has no printer for (e.g. Linux netlink): the bytes as hex.
        o.p('UNSUPPORTED');
        hexDump(o, 0, f.bytes.length);
    }
  } catch (e) {
    if (!(e instanceof Truncated)) throw e;
    o.p(` [|${o.proto}]`);
  }
  return `${utcTime(f.tsSec, f.tsNsec)} ${o.s}`;
}

const TCP_ACK = 0x10;
const TCP_SYN = 0x02;

/**
 * The tcpdump line of packet index `i` of an open capture. TCP numbers are relative like tcpdump
 * reading the file from its start: the connection's base is set by its latest SYN+ACK before
 * `i`, or else by its first packet with ACK; only that packet is read back, not the whole stream.
 */
export function tcpdumpLineOf(engine: CaptureEngine, i: number): string {
  const idx = engine.index;
  const frame = (k: number): TcpdumpFrame => ({ bytes: engine.packetBytes(k), linkType: engine.linkTypeOf(k), tsSec: idx.tsSec[k]!, tsNsec: idx.tsNsec[k]!, origlen: idx.origlenOf(k) });
  const state = new TcpdumpTcpState();
  if (idx.l4[i] === 6 && idx.stream[i]! >= 0) {
    let base = -1;
    let firstAck = -1;
    for (let p = idx.prevInStream[i]!, n = 0; p >= 0 && n < 10_000_000; p = idx.prevInStream[p]!, n++) {
      const fl = idx.tcpFlags[p]!;
      if (fl & TCP_ACK) {
        firstAck = p;
        if (fl & TCP_SYN && base < 0) base = p;
      }
    }
    const seed = base >= 0 ? base : firstAck;
    if (seed >= 0) formatTcpdumpLine(frame(seed), state);
  }
  return formatTcpdumpLine(frame(i), state);
}
