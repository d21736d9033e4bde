// Builds well-formed frames for the benchmark capture and for tests: Ethernet (optionally
// VLAN-tagged), IPv4/IPv6, TCP/UDP/ICMP, with correct lengths and IPv4 header checksums.

import { concatBytes } from '../../decoders/formats/pcap-writer.ts';

export type Mac = readonly number[];

export function ipv4(a: number, b: number, c: number, d: number): Uint8Array {
  return Uint8Array.of(a, b, c, d);
}

function checksum(b: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  for (let i = start; i + 1 < end; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if ((end - start) & 1) sum += b[end - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}


export function ethernet(dst: Mac, src: Mac, type: number, payload: Uint8Array, vlan?: number): Uint8Array {
  const tag = vlan === undefined ? 0 : 4;
  const h = new Uint8Array(14 + tag);
  h.set(dst, 0);
  h.set(src, 6);
  if (vlan !== undefined) {
    h[12] = 0x81;
    h[13] = 0x00;
    h[14] = (vlan >> 8) & 0x0f;
    h[15] = vlan & 0xff;
  }
  h[12 + tag] = type >> 8;
  h[13 + tag] = type & 0xff;
  const frame = concatBytes([h, payload]);
  // Pad to the 60-byte Ethernet minimum, as a NIC would.
  if (frame.length < 60) return concatBytes([frame, new Uint8Array(60 - frame.length)]);
  return frame;
}

export function ipv4Packet(src: Uint8Array, dst: Uint8Array, proto: number, payload: Uint8Array, id: number, ttl = 64): Uint8Array {
  const h = new Uint8Array(20);
  const total = 20 + payload.length;
  h[0] = 0x45;
  h[2] = total >> 8;
  h[3] = total & 0xff;
  h[4] = (id >> 8) & 0xff;
  h[5] = id & 0xff;
  h[6] = 0x40; // DF
  h[8] = ttl;
  h[9] = proto;
  h.set(src, 12);
  h.set(dst, 16);
  const c = checksum(h, 0, 20);
  h[10] = c >> 8;
  h[11] = c & 0xff;
  return concatBytes([h, payload]);
}

export function ipv6Packet(src: Uint8Array, dst: Uint8Array, next: number, payload: Uint8Array, hlim = 64): Uint8Array {
  const h = new Uint8Array(40);
  h[0] = 0x60;
  h[4] = payload.length >> 8;
  h[5] = payload.length & 0xff;
  h[6] = next;
  h[7] = hlim;
  h.set(src, 8);
  h.set(dst, 24);
  return concatBytes([h, payload]);
}

export interface TcpOptions {
  mss?: number;
  wscale?: number;
  sackPerm?: boolean;
}

export function tcpSegment(sport: number, dport: number, seq: number, ack: number, flags: number, window: number, data: Uint8Array, opts: TcpOptions = {}): Uint8Array {
  const o: number[] = [];
  if (opts.mss !== undefined) o.push(2, 4, opts.mss >> 8, opts.mss & 0xff);
  if (opts.sackPerm) o.push(4, 2);
  if (opts.wscale !== undefined) o.push(1, 3, 3, opts.wscale);
  while (o.length % 4) o.push(1);
  const hl = 20 + o.length;
  const h = new Uint8Array(hl);
  const v = new DataView(h.buffer);
  v.setUint16(0, sport);
  v.setUint16(2, dport);
  v.setUint32(4, seq >>> 0);
  v.setUint32(8, ack >>> 0);
  h[12] = (hl / 4) << 4;
  h[13] = flags;
  v.setUint16(14, window);
  h.set(o, 20);
  return concatBytes([h, data]);
}

export function udpDatagram(sport: number, dport: number, data: Uint8Array): Uint8Array {
  const h = new Uint8Array(8);
  const v = new DataView(h.buffer);
  v.setUint16(0, sport);
  v.setUint16(2, dport);
  v.setUint16(4, 8 + data.length);
  return concatBytes([h, data]);
}

/** Fills in the UDP checksum of an IPv6 datagram (mandatory there, RFC 8200). */
export function udpChecksumIpv6(src: Uint8Array, dst: Uint8Array, udp: Uint8Array): Uint8Array {
  const pseudo = new Uint8Array(40);
  pseudo.set(src, 0);
  pseudo.set(dst, 16);
  pseudo[34] = udp.length >> 8;
  pseudo[35] = udp.length & 0xff;
  pseudo[39] = 17;
  udp[6] = udp[7] = 0;
  const partial = ~checksum(pseudo, 0, 40) & 0xffff;
  let c = checksum(udp, 0, udp.length, partial);
  if (c === 0) c = 0xffff;
  udp[6] = c >> 8;
  udp[7] = c & 0xff;
  return udp;
}

export function icmpEcho(type: 8 | 0, id: number, seq: number, data: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 + data.length);
  b[0] = type;
  b[4] = id >> 8;
  b[5] = id & 0xff;
  b[6] = seq >> 8;
  b[7] = seq & 0xff;
  b.set(data, 8);
  const c = checksum(b, 0, b.length);
  b[2] = c >> 8;
  b[3] = c & 0xff;
  return b;
}

export function arpPacket(op: 1 | 2, senderMac: Mac, senderIp: Uint8Array, targetMac: Mac, targetIp: Uint8Array): Uint8Array {
  const b = new Uint8Array(28);
  b.set([0, 1, 8, 0, 6, 4, 0, op]);
  b.set(senderMac, 8);
  b.set(senderIp, 14);
  b.set(targetMac, 18);
  b.set(targetIp, 24);
  return b;
}

/** A DNS message with one question (and, for answers, one A record unless NXDOMAIN). */
export function dnsMessage(id: number, name: string, response: boolean, rcode: number, answer?: Uint8Array): Uint8Array {
  const labels: number[] = [];
  for (const part of name.split('.')) {
    labels.push(part.length);
    for (let i = 0; i < part.length; i++) labels.push(part.charCodeAt(i));
  }
  labels.push(0);
  const an = response && rcode === 0 && answer ? 1 : 0;
  const b: number[] = [id >> 8, id & 0xff, response ? 0x81 : 0x01, response ? 0x80 | rcode : 0x00, 0, 1, 0, an, 0, 0, 0, 0, ...labels, 0, 1, 0, 1];
  if (an && answer) b.push(0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, ...answer);
  return Uint8Array.from(b);
}

export function vxlan(vni: number, inner: Uint8Array): Uint8Array {
  const h = new Uint8Array(8);
  h[0] = 0x08;
  h[4] = (vni >> 16) & 0xff;
  h[5] = (vni >> 8) & 0xff;
  h[6] = vni & 0xff;
  return concatBytes([h, inner]);
}

export const text = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);
