// The index pass's decoder: just enough of the link, network and transport headers to fill
// the packet index columns (addresses, ports, TCP flags and sequence numbers) without
// building a tree. It runs once per packet over the whole file, so it allocates nothing:
// results go into a caller-owned ScanResult that is reused, addresses are offsets into the
// packet bytes. The full dissection (core/dissect.ts) remains the reference for what a
// packet means; this scan is checked against it in test/unit/fast/scan.test.ts.

export const enum L3 {
  None = 0,
  IPv4 = 4,
  IPv6 = 6,
  ARP = 8,
}

export const enum L4 {
  None = 0,
  ICMP = 1,
  TCP = 6,
  UDP = 17,
  ICMPv6 = 58,
}

/** Bits of ScanResult.flags. */
export const enum ScanFlag {
  Vlan = 1,
  /** Tunnelled: addresses/ports are the innermost ones (VXLAN, GENEVE, IP-in-IP, GRE). */
  Tunnel = 2,
  /** An IP fragment other than the first: no transport header here. */
  Fragment = 4,
  /** The headers were cut short or inconsistent; the full decode will say more. */
  Short = 8,
}

export interface ScanResult {
  l3: L3;
  l4: L4;
  /** Offset and length (4 or 16) of the innermost network source/destination addresses. */
  srcOff: number;
  dstOff: number;
  addrLen: number;
  /** Outer addresses when tunnelled (offsets), else equal to the inner ones. */
  outerSrcOff: number;
  outerDstOff: number;
  outerAddrLen: number;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  seq: number;
  ack: number;
  window: number;
  /** Window scale option of a SYN, -1 when absent. */
  wscale: number;
  /** Transport payload offset and captured length (TCP segment data, UDP payload). */
  payloadOff: number;
  payloadLen: number;
  /** Payload length the headers declare (tcp.len); more than payloadLen when the capture was cut at the snaplen. */
  segLen: number;
  icmpType: number;
  icmpCode: number;
  vlanId: number;
  vni: number;
  flags: number;
  /** For ScanFlag.Fragment: identification, byte offset and length of this fragment's data, more-fragments bit, and the protocol carried. */
  fragId: number;
  fragOffset: number;
  fragLen: number;
  fragMore: boolean;
  fragProto: number;
  /** Where this fragment's data starts in the packet. */
  fragDataOff: number;
  /**
   * A second UDP header the packet carries besides its innermost transport: the outermost UDP of
   * a UDP tunnel (GTP-U, VXLAN, GENEVE, LISP), or the datagram an ICMP error quotes. tshark
   * numbers a udp.stream for it too. Address offsets and length (0: none) and the two ports.
   */
  xUdpSrcOff: number;
  xUdpDstOff: number;
  xUdpAddrLen: number;
  xUdpSrcPort: number;
  xUdpDstPort: number;
}

export function newScanResult(): ScanResult {
  return { l3: L3.None, l4: L4.None, srcOff: 0, dstOff: 0, addrLen: 0, outerSrcOff: 0, outerDstOff: 0, outerAddrLen: 0, srcPort: 0, dstPort: 0, tcpFlags: 0, seq: 0, ack: 0, window: 0, wscale: -1, payloadOff: 0, payloadLen: 0, segLen: 0, icmpType: 0, icmpCode: 0, vlanId: 0, vni: 0, flags: 0, fragId: 0, fragOffset: 0, fragLen: 0, fragMore: false, fragProto: 0, fragDataOff: 0, xUdpSrcOff: 0, xUdpDstOff: 0, xUdpAddrLen: 0, xUdpSrcPort: 0, xUdpDstPort: 0 };
}

function reset(r: ScanResult): void {
  r.l3 = L3.None;
  r.l4 = L4.None;
  r.srcOff = r.dstOff = r.addrLen = 0;
  r.outerSrcOff = r.outerDstOff = r.outerAddrLen = 0;
  r.srcPort = r.dstPort = r.tcpFlags = r.seq = r.ack = r.window = 0;
  r.wscale = -1;
  r.payloadOff = r.payloadLen = r.segLen = 0;
  r.icmpType = r.icmpCode = 0;
  r.vlanId = 0;
  r.vni = 0;
  r.flags = 0;
  r.fragId = r.fragOffset = r.fragLen = r.fragProto = r.fragDataOff = 0;
  r.fragMore = false;
  r.xUdpSrcOff = r.xUdpDstOff = r.xUdpAddrLen = r.xUdpSrcPort = r.xUdpDstPort = 0;
}

/** Remembers the current UDP level as the packet's second UDP header (the first one seen wins). */
function noteUdp(r: ScanResult, srcOff: number, dstOff: number, addrLen: number, sp: number, dp: number): void {
  if (r.xUdpAddrLen) return;
  r.xUdpSrcOff = srcOff;
  r.xUdpDstOff = dstOff;
  r.xUdpAddrLen = addrLen;
  r.xUdpSrcPort = sp;
  r.xUdpDstPort = dp;
}

const MAX_TUNNEL_DEPTH = 4;

/** Scans one packet of link type `link` into `r`. Never throws; short data sets ScanFlag.Short. */
export function scanPacket(b: Uint8Array, link: number, r: ScanResult): void {
  reset(r);
  const n = b.length;
  switch (link) {
    case 1: // Ethernet
      ethernet(b, 0, n, r, 0);
      return;
    case 0: { // NULL: the family in host byte order, or (some systems) an EtherType
      if (n < 4) return void (r.flags |= ScanFlag.Short);
      let v = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
      if ((v & 0xffff0000) !== 0) v = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
      if (v > 1500) etherPayload(b, v & 0xffff, 4, n, r, 0);
      else nullFamily(b, v, r);
      return;
    }
    case 108: { // LOOP: the family in network byte order
      if (n < 4) return void (r.flags |= ScanFlag.Short);
      nullFamily(b, ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0, r);
      return;
    }
    case 239: // NFLOG: TLVs after a 4-byte header; NFULA_PAYLOAD (9) holds the packet
      nflog(b, r);
      return;
    case 101: case 12: case 14: // raw IP, version from the first nibble
      rawIp(b, 0, n, r, 0);
      return;
    case 228:
      ipv4(b, 0, n, r, 0);
      return;
    case 229:
      ipv6(b, 0, n, r, 0);
      return;
    case 113: // Linux SLL: protocol at 14, payload at 16
      if (n < 16) return void (r.flags |= ScanFlag.Short);
      etherPayload(b, (b[14]! << 8) | b[15]!, 16, n, r, 0);
      return;
    case 104: // Cisco HDLC: address, control, then an EtherType
      if (n < 4) return void (r.flags |= ScanFlag.Short);
      etherPayload(b, (b[2]! << 8) | b[3]!, 4, n, r, 0);
      return;
    case 276: // Linux SLL2: protocol at 0, payload at 20
      if (n < 20) return void (r.flags |= ScanFlag.Short);
      etherPayload(b, (b[0]! << 8) | b[1]!, 20, n, r, 0);
      return;
    default:
      return;
  }
}

function nullFamily(b: Uint8Array, fam: number, r: ScanResult): void {
  if (fam === 2) ipv4(b, 4, b.length, r, 0);
  else if (fam === 24 || fam === 28 || fam === 30 || fam === 10) ipv6(b, 4, b.length, r, 0);
}

function nflog(b: Uint8Array, r: ScanResult): void {
  const fam = b[0];
  let p = 4;
  for (let i = 0; i < 64 && p + 4 <= b.length; i++) {
    // TLV lengths and types are in host byte order: little-endian on the machines that write these.
    const len = b[p]! | (b[p + 1]! << 8);
    const type = (b[p + 2]! | (b[p + 3]! << 8)) & 0x7fff;
    if (len < 4 || p + len > b.length) return void (r.flags |= ScanFlag.Short);
    if (type === 9) {
      if (fam === 2) ipv4(b, p + 4, p + len, r, 0);
      else if (fam === 10) ipv6(b, p + 4, p + len, r, 0);
      return;
    }
    p += (len + 3) & ~3;
  }
}

function rawIp(b: Uint8Array, o: number, end: number, r: ScanResult, depth: number): void {
  if (o >= end) return void (r.flags |= ScanFlag.Short);
  const v = b[o]! >> 4;
  if (v === 4) ipv4(b, o, end, r, depth);
  else if (v === 6) ipv6(b, o, end, r, depth);
}

function ethernet(b: Uint8Array, o: number, end: number, r: ScanResult, depth: number): void {
  if (o + 14 > end) return void (r.flags |= ScanFlag.Short);
  const type = (b[o + 12]! << 8) | b[o + 13]!;
  if (type < 1536) return; // 802.3 + LLC: nothing the index needs
  etherPayload(b, type, o + 14, end, r, depth);
}

function etherPayload(b: Uint8Array, type: number, o: number, end: number, r: ScanResult, depth: number): void {
  // VLAN tags (802.1Q, 802.1ad, old QinQ), possibly stacked.
  for (let tags = 0; (type === 0x8100 || type === 0x88a8 || type === 0x9100) && tags < 8; tags++) {
    if (o + 4 > end) return void (r.flags |= ScanFlag.Short);
    if (!(r.flags & ScanFlag.Vlan)) r.vlanId = ((b[o]! << 8) | b[o + 1]!) & 0x0fff;
    r.flags |= ScanFlag.Vlan;
    type = (b[o + 2]! << 8) | b[o + 3]!;
    o += 4;
  }
  if (type === 0x0800) ipv4(b, o, end, r, depth);
  else if (type === 0x86dd) ipv6(b, o, end, r, depth);
  else if (type === 0x0806) arp(b, o, end, r);
  else if (type === 0x8864) {
    // PPPoE session: 6-byte header, then the PPP protocol number.
    if (o + 8 > end) return void (r.flags |= ScanFlag.Short);
    const ppp = (b[o + 6]! << 8) | b[o + 7]!;
    const plen = (b[o + 4]! << 8) | b[o + 5]!;
    const stop = o + 6 + plen <= end ? o + 6 + plen : end;
    if (ppp === 0x0021) ipv4(b, o + 8, stop, r, depth);
    else if (ppp === 0x0057) ipv6(b, o + 8, stop, r, depth);
  } else if (type === 0x8847 || type === 0x8848) {
    // MPLS: labels up to the bottom of the stack, then guess IP from the version nibble.
    for (let i = 0; i < 16; i++) {
      if (o + 4 > end) return void (r.flags |= ScanFlag.Short);
      const bottom = b[o + 2]! & 1;
      o += 4;
      if (bottom) break;
    }
    rawIp(b, o, end, r, depth);
  }
}

function arp(b: Uint8Array, o: number, end: number, r: ScanResult): void {
  if (o + 8 > end) return void (r.flags |= ScanFlag.Short);
  const hlen = b[o + 4]!;
  const plen = b[o + 5]!;
  if (plen !== 4 || o + 8 + 2 * hlen + 8 > end) return;
  r.l3 = L3.ARP;
  r.srcOff = o + 8 + hlen;
  r.dstOff = o + 8 + 2 * hlen + 4;
  r.addrLen = 4;
  r.outerSrcOff = r.srcOff;
  r.outerDstOff = r.dstOff;
  r.outerAddrLen = 4;
  r.icmpType = (b[o + 6]! << 8) | b[o + 7]!; // the ARP opcode
}

function setNet(r: ScanResult, l3: L3, src: number, dst: number, len: number, depth: number): void {
  if (depth === 0) {
    r.outerSrcOff = src;
    r.outerDstOff = dst;
    r.outerAddrLen = len;
  } else {
    r.flags |= ScanFlag.Tunnel;
  }
  r.l3 = l3;
  r.srcOff = src;
  r.dstOff = dst;
  r.addrLen = len;
  // An inner layer replaces the outer transport view.
  r.l4 = L4.None;
  r.srcPort = r.dstPort = 0;
}

function ipv4(b: Uint8Array, o: number, end: number, r: ScanResult, depth: number): void {
  if (o + 20 > end || b[o]! >> 4 !== 4) return void (r.flags |= ScanFlag.Short);
  const ihl = (b[o]! & 15) * 4;
  const total = (b[o + 2]! << 8) | b[o + 3]!;
  if (ihl < 20) return void (r.flags |= ScanFlag.Short);
  setNet(r, L3.IPv4, o + 12, o + 16, 4, depth);
  // A total length shorter than the header (0 aside: TSO) is bogus: tshark stops at the IP header.
  if (total !== 0 && total < ihl) return void (r.flags |= ScanFlag.Short);
  // The IP total length bounds the payload (Ethernet padding is not payload); TSO captures write 0.
  const stop = total >= ihl && o + total <= end ? o + total : end;
  const fragOff = ((b[o + 6]! & 0x1f) << 8) | b[o + 7]!;
  if (fragOff !== 0 || b[o + 6]! & 0x20) {
    r.flags |= ScanFlag.Fragment;
    r.fragId = (b[o + 4]! << 8) | b[o + 5]!;
    r.fragOffset = fragOff * 8;
    r.fragLen = Math.max(0, (total >= ihl ? total : stop - o) - ihl);
    r.fragMore = (b[o + 6]! & 0x20) !== 0;
    r.fragProto = b[o + 9]!;
    r.fragDataOff = o + ihl;
  }
  if (fragOff !== 0) return;
  transport(b, b[o + 9]!, o + ihl, stop, r, depth, total >= ihl ? o + total : stop);
}

function ipv6(b: Uint8Array, o: number, end: number, r: ScanResult, depth: number): void {
  if (o + 40 > end || b[o]! >> 4 !== 6) return void (r.flags |= ScanFlag.Short);
  setNet(r, L3.IPv6, o + 8, o + 24, 16, depth);
  const plen = (b[o + 4]! << 8) | b[o + 5]!;
  const stop = plen && o + 40 + plen <= end ? o + 40 + plen : end;
  const declared = plen ? o + 40 + plen : stop;
  let next = b[o + 6]!;
  let p = o + 40;
  // Extension headers: hop-by-hop, routing, destination options, fragment; bounded count.
  for (let i = 0; i < 8; i++) {
    if (next === 0 || next === 43 || next === 60) {
      if (p + 2 > stop) return void (r.flags |= ScanFlag.Short);
      next = b[p]!;
      p += (b[p + 1]! + 1) * 8;
    } else if (next === 44) {
      if (p + 8 > stop) return void (r.flags |= ScanFlag.Short);
      const fo = ((b[p + 2]! << 8) | b[p + 3]!) >> 3;
      const more = b[p + 3]! & 1;
      next = b[p]!;
      if (fo !== 0 || more) {
        r.flags |= ScanFlag.Fragment;
        r.fragId = ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0;
        r.fragOffset = fo * 8;
        r.fragLen = Math.max(0, declared - (p + 8));
        r.fragMore = more === 1;
        r.fragProto = next;
        r.fragDataOff = p + 8;
      }
      p += 8;
      if (fo !== 0) return;
    } else break;
  }
  transport(b, next, p, stop, r, depth, declared);
}

/** GTPv1-U: a T-PDU (message type 255) carries an IP packet after the header and its extensions. */
function gtpU(b: Uint8Array, o: number, end: number, r: ScanResult, depth: number): void {
  const fl = b[o]!;
  if (fl >> 5 !== 1 || b[o + 1] !== 0xff) return;
  let p = o + 8;
  if (fl & 0x07) {
    if (p + 4 > end) return;
    let next = b[p + 3]!;
    p += 4;
    for (let i = 0; next && i < 8; i++) {
      if (p >= end) return;
      const len = b[p]! * 4;
      if (!len || p + len > end) return;
      next = b[p + len - 1]!;
      p += len;
    }
  }
  rawIp(b, p, end, r, depth + 1);
}

/** An ICMP error quoting an IP header and a UDP header: that datagram's endpoints (tshark numbers a udp.stream for them). */
function quotedUdp(b: Uint8Array, proto: number, o: number, end: number, r: ScanResult): void {
  const t = b[o]!;
  const error = proto === 1 ? t === 3 || t === 4 || t === 5 || t === 11 || t === 12 : t >= 1 && t <= 4;
  if (!error) return;
  const q = o + 8;
  if (proto === 1) {
    if (q + 20 > end || b[q]! >> 4 !== 4 || b[q + 9] !== 17) return;
    const ihl = (b[q]! & 15) * 4;
    // Only a first fragment (or none) has the UDP header.
    if (ihl < 20 || q + ihl + 4 > end || ((b[q + 6]! & 0x1f) | b[q + 7]!) !== 0) return;
    noteUdp(r, q + 12, q + 16, 4, (b[q + ihl]! << 8) | b[q + ihl + 1]!, (b[q + ihl + 2]! << 8) | b[q + ihl + 3]!);
  } else {
    if (q + 44 > end || b[q]! >> 4 !== 6 || b[q + 6] !== 17) return;
    noteUdp(r, q + 8, q + 24, 16, (b[q + 40]! << 8) | b[q + 41]!, (b[q + 42]! << 8) | b[q + 43]!);
  }
}

/** Enhanced GRE (version 1, PPTP): key word always, optional sequence and ack, then PPP. */
function pptpGre(b: Uint8Array, o: number, end: number, r: ScanResult, depth: number): void {
  const ptype = (b[o + 2]! << 8) | b[o + 3]!;
  if (ptype !== 0x880b) return;
  let p = o + 8 + (b[o]! & 0x10 ? 4 : 0) + (b[o + 1]! & 0x80 ? 4 : 0);
  if (p + 2 > end) return;
  if (b[p] === 0xff && b[p + 1] === 0x03) p += 2;
  // The PPP protocol field may be compressed to one (odd) byte.
  let proto: number;
  if (p < end && b[p]! & 1) proto = b[p++]!;
  else if (p + 2 <= end) {
    proto = (b[p]! << 8) | b[p + 1]!;
    p += 2;
  } else return;
  if (proto === 0x21) ipv4(b, p, end, r, depth + 1);
  else if (proto === 0x57) ipv6(b, p, end, r, depth + 1);
}

/** The window scale option (kind 3) among TCP options, or -1. */
function windowScaleOption(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const kind = b[p]!;
    if (kind === 0) return -1;
    if (kind === 1) {
      p++;
      continue;
    }
    if (p + 1 >= end) return -1;
    const len = b[p + 1]!;
    if (len < 2 || p + len > end) return -1;
    if (kind === 3 && len === 3) return b[p + 2]!;
    p += len;
  }
  return -1;
}

/** `end`: end of the captured transport bytes; `declared`: where the network header says they end. */
function transport(b: Uint8Array, proto: number, o: number, end: number, r: ScanResult, depth: number, declared = end): void {
  switch (proto) {
    case 6: {
      if (o + 20 > end) return void (r.flags |= ScanFlag.Short);
      const hl = (b[o + 12]! >> 4) * 4;
      r.l4 = L4.TCP;
      r.srcPort = (b[o]! << 8) | b[o + 1]!;
      r.dstPort = (b[o + 2]! << 8) | b[o + 3]!;
      r.seq = ((b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!) >>> 0;
      r.ack = ((b[o + 8]! << 24) | (b[o + 9]! << 16) | (b[o + 10]! << 8) | b[o + 11]!) >>> 0;
      r.tcpFlags = ((b[o + 12]! & 0x0f) << 8) | b[o + 13]!;
      r.window = (b[o + 14]! << 8) | b[o + 15]!;
      if (hl < 20 || o + hl > end) return void (r.flags |= ScanFlag.Short);
      r.payloadOff = o + hl;
      r.payloadLen = end - (o + hl);
      r.segLen = Math.max(r.payloadLen, declared - (o + hl));
      if (r.tcpFlags & 0x02) r.wscale = windowScaleOption(b, o + 20, o + hl);
      return;
    }
    case 17: {
      if (o + 8 > end) return void (r.flags |= ScanFlag.Short);
      r.l4 = L4.UDP;
      const sp = (b[o]! << 8) | b[o + 1]!;
      const dp = (b[o + 2]! << 8) | b[o + 3]!;
      r.srcPort = sp;
      r.dstPort = dp;
      const ulen = (b[o + 4]! << 8) | b[o + 5]!;
      const stop = ulen >= 8 && o + ulen <= end ? o + ulen : end;
      r.payloadOff = o + 8;
      r.payloadLen = stop - (o + 8);
      if (depth >= MAX_TUNNEL_DEPTH || stop - o < 16) return;
      const srcOff = r.srcOff;
      const dstOff = r.dstOff;
      const addrLen = r.addrLen;
      // GTP-U (2152), VXLAN (4789, flannel's 8472), GENEVE (6081), LISP data (4341) and LISP
      // encapsulated control messages (4342, type 8): index the inner packet.
      if (dp === 2152 || sp === 2152) {
        noteUdp(r, srcOff, dstOff, addrLen, sp, dp);
        gtpU(b, o + 8, stop, r, depth);
      } else if ((dp === 4789 || dp === 8472) && b[o + 8]! & 0x08) {
        noteUdp(r, srcOff, dstOff, addrLen, sp, dp);
        r.vni = (b[o + 12]! << 16) | (b[o + 13]! << 8) | b[o + 14]!;
        ethernet(b, o + 16, stop, r, depth + 1);
      } else if (dp === 6081) {
        noteUdp(r, srcOff, dstOff, addrLen, sp, dp);
        const optLen = (b[o + 8]! & 0x3f) * 4;
        const ptype = (b[o + 10]! << 8) | b[o + 11]!;
        r.vni = (b[o + 12]! << 16) | (b[o + 13]! << 8) | b[o + 14]!;
        const inner = o + 16 + optLen;
        if (ptype === 0x6558) ethernet(b, inner, stop, r, depth + 1);
        else etherPayload(b, ptype, inner, stop, r, depth + 1);
      } else if (dp === 4341 || sp === 4341) {
        noteUdp(r, srcOff, dstOff, addrLen, sp, dp);
        rawIp(b, o + 16, stop, r, depth + 1);
      } else if ((dp === 4342 || sp === 4342) && b[o + 8]! >> 4 === 8) {
        noteUdp(r, srcOff, dstOff, addrLen, sp, dp);
        rawIp(b, o + 12, stop, r, depth + 1);
      }
      // A tunnel header the scan could not follow leaves the outer UDP as the transport.
      if (r.l4 === L4.UDP && r.srcOff === r.xUdpSrcOff && r.srcPort === r.xUdpSrcPort && r.dstPort === r.xUdpDstPort) r.xUdpAddrLen = 0;
      return;
    }
    case 1:
    case 58:
      if (o + 4 > end) return void (r.flags |= ScanFlag.Short);
      r.l4 = proto === 1 ? L4.ICMP : L4.ICMPv6;
      r.icmpType = b[o]!;
      r.icmpCode = b[o + 1]!;
      quotedUdp(b, proto, o, end, r);
      return;
    case 4: // IP-in-IP
      if (depth < MAX_TUNNEL_DEPTH) ipv4(b, o, end, r, depth + 1);
      return;
    case 41: // IPv6-in-IPv4
      if (depth < MAX_TUNNEL_DEPTH) ipv6(b, o, end, r, depth + 1);
      return;
    case 47: { // GRE: version 0 with optional checksum/key/sequence words, or PPTP's version 1
      if (depth >= MAX_TUNNEL_DEPTH || o + 4 > end) return;
      const fl = b[o]!;
      if ((b[o + 1]! & 7) === 1) return void pptpGre(b, o, end, r, depth);
      if ((b[o + 1]! & 7) !== 0) return;
      const ptype = (b[o + 2]! << 8) | b[o + 3]!;
      const inner = o + 4 + (fl & 0x80 ? 4 : 0) + (fl & 0x20 ? 4 : 0) + (fl & 0x10 ? 4 : 0);
      if (ptype === 0x6558) ethernet(b, inner, end, r, depth + 1);
      else etherPayload(b, ptype, inner, end, r, depth + 1);
      return;
    }
    default:
      return;
  }
}
