// Conversations and endpoints (tshark -z conv,TYPE / -z endpoints,TYPE), computed from the
// packet index without decoding packets. Tunnelled packets count for their outer and their
// inner network layer, as Wireshark's taps see both.

import { L3, L4, newScanResult, scanPacket, ScanFlag } from '../../decoders/fast/scan.ts';
import { formatEther, formatIPv4, formatIPv6, ipv4FromBytes } from '../../decoders/core/format.ts';
import type { FieldNode } from '../../decoders/core/types.ts';
import type { CaptureEngine } from './engine.ts';

export type ConversationType = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';

export interface Conversation {
  /** Endpoint texts; A sent the conversation's first packet. */
  a: string;
  b: string;
  aAddr: string;
  bAddr: string;
  aPort: number;
  bPort: number;
  framesAB: number;
  bytesAB: number;
  framesBA: number;
  bytesBA: number;
  /** Seconds since the capture's first packet (a double, as tshark computes it). */
  start: number;
  /** tcp.stream of a TCP conversation, -1 for other types. */
  stream: number;
  end: number;
}

export interface Endpoint {
  addr: string;
  port: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

function addrText(b: Uint8Array, off: number, len: number): string {
  return len === 4 ? formatIPv4(ipv4FromBytes(b, off)) : formatIPv6(b.subarray(off, off + 16));
}

/** All conversations of one type, in order of first appearance. */
export function conversations(engine: CaptureEngine, type: ConversationType): Conversation[] {
  const idx = engine.index;
  const byKey = new Map<string, Conversation>();
  const list: Conversation[] = [];
  const s = newScanResult();
  const t0s = idx.count ? idx.tsSec[0]! : 0;
  const t0n = idx.count ? idx.tsNsec[0]! : 0;
  const add = (key: string, aAddr: string, aPort: number, bAddr: string, bPort: number, len: number, t: number, stream = -1) => {
    let c = byKey.get(key);
    if (!c) {
      const port = type === 'tcp' || type === 'udp';
      c = { a: port ? `${aAddr}:${aPort}` : aAddr, b: port ? `${bAddr}:${bPort}` : bAddr, aAddr, bAddr, aPort, bPort, framesAB: 0, bytesAB: 0, framesBA: 0, bytesBA: 0, start: t, end: t, stream };
      byKey.set(key, c);
      list.push(c);
    }
    if (c.aAddr === aAddr && c.aPort === aPort) {
      c.framesAB++;
      c.bytesAB += len;
    } else {
      c.framesBA++;
      c.bytesBA += len;
    }
    // Timestamps can go backwards: the span covers the earliest and the latest packet.
    if (t > c.end) c.end = t;
    else if (t < c.start) c.start = t;
  };
  for (let i = 0; i < idx.count; i++) {
    const l3 = idx.l3[i]!;
    const l4 = idx.l4[i]!;
    const len = idx.origlenOf(i);
    // Relative seconds as tshark's nstime_to_sec: whole seconds plus nanoseconds / 1e9.
    let ds = idx.tsSec[i]! - t0s;
    let dn = idx.tsNsec[i]! - t0n;
    if (dn < 0) {
      ds--;
      dn += 1e9;
    }
    const t = ds + dn / 1e9;
    const tunnel = (idx.scanFlags[i]! & ScanFlag.Tunnel) !== 0;
    if (type === 'eth') {
      for (const [a, b] of ethernetPairs(engine, i, tunnel)) add(canonical(a, 0, b, 0), a, 0, b, 0, len, t);
      continue;
    }
    // Outer layers first, as the taps see them.
    if (tunnel) {
      const bytes = engine.packetBytes(i);
      scanPacket(bytes, engine.linkTypeOf(i), s);
      if (type === 'udp') {
        // The outer UDP of a VXLAN/GENEVE/GTP packet is a conversation of its own.
        const outer = outerUdp(bytes, s);
        if (outer) add(canonical(outer.a, outer.ap, outer.b, outer.bp), outer.a, outer.ap, outer.b, outer.bp, len, t);
      } else if (type === 'ip' || type === 'ipv6') {
        const outerLen = s.outerAddrLen;
        if ((type === 'ip' && outerLen === 4) || (type === 'ipv6' && outerLen === 16)) {
          const a = addrText(bytes, s.outerSrcOff, outerLen);
          const b = addrText(bytes, s.outerDstOff, outerLen);
          add(canonical(a, 0, b, 0), a, 0, b, 0, len, t);
        }
      }
    }
    if (type === 'tcp' || type === 'udp') {
      if ((type === 'tcp' ? l4 !== L4.TCP : l4 !== L4.UDP) || idx.scanFlags[i]! & ScanFlag.Short) continue;
      const a = idx.addresses.text(idx.src[i]!);
      const b = idx.addresses.text(idx.dst[i]!);
      // TCP conversations are tcp.stream: a reused port pair starts a new one.
      const key = type === 'tcp' ? `s${idx.stream[i]}` : canonical(a, idx.srcPort[i]!, b, idx.dstPort[i]!);
      add(key, a, idx.srcPort[i]!, b, idx.dstPort[i]!, len, t, type === 'tcp' ? idx.stream[i]! : -1);
    } else if (l3 === (type === 'ip' ? L3.IPv4 : L3.IPv6)) {
      // Wireshark's IPv6 tap sees a fragmented datagram once, in the frame that completes it.
      if (type === 'ipv6' && idx.scanFlags[i]! & ScanFlag.Fragment && !idx.reassembled.has(i)) continue;
      // A bogus or cut-short IPv4 header ends Wireshark's dissection before its tap.
      if (type === 'ip' && idx.scanFlags[i]! & (ScanFlag.Short | ScanFlag.Fragment) && !tunnel && !ipv4HeaderTapped(engine, i, s)) continue;
      const a = idx.addresses.text(idx.src[i]!);
      const b = idx.addresses.text(idx.dst[i]!);
      add(canonical(a, 0, b, 0), a, 0, b, 0, len, t);
    }
  }
  return list;
}

/** Whether Wireshark's IPv4 dissector gets through packet i's header (its total length and options). */
function ipv4HeaderTapped(engine: CaptureEngine, i: number, s: ReturnType<typeof newScanResult>): boolean {
  const b = engine.packetBytes(i);
  scanPacket(b, engine.linkTypeOf(i), s);
  if (s.outerAddrLen !== 4) return true;
  const o = s.outerSrcOff - 12;
  const ihl = (b[o]! & 15) * 4;
  const total = (b[o + 2]! << 8) | b[o + 3]!;
  return !(total !== 0 && total < ihl) && o + ihl <= b.length;
}

/** UDP ports of tunnels that may carry whole Ethernet frames (VXLAN, GENEVE, VXLAN-GPE). */
const ETH_TUNNEL_UDP_PORTS = new Set([4789, 8472, 6081, 4790]);

/** MAC address texts by their 48-bit value (formatting each packet's addresses anew costs more than the rest). */
const macTexts = new Map<number, string>();
function macText(b: Uint8Array, o: number): string {
  const k = (b[o]! * 0x10000 + ((b[o + 1]! << 8) | b[o + 2]!)) * 0x1000000 + ((b[o + 3]! << 16) | (b[o + 4]! << 8) | b[o + 5]!);
  let t = macTexts.get(k);
  if (t === undefined) {
    if (macTexts.size > 100_000) macTexts.clear();
    t = formatEther(b.subarray(o, o + 6));
    macTexts.set(k, t);
  }
  return t;
}

/**
 * The (source, destination) MAC pairs of packet `i` as Wireshark's eth tap counts them: one per
 * Ethernet layer of the packet (outer first; layers inside samples, e.g. sFlow, are not
 * tapped). Like Wireshark, the tap data lives in a ring of 4 headers filled in decode order, so
 * a packet with more than 4 Ethernet layers reports the latest header of the same ring slot.
 * Plain frames are read from the bytes; a packet that may carry an inner frame is decoded.
 */
function ethernetPairs(engine: CaptureEngine, i: number, tunnel: boolean): [string, string][] {
  const idx = engine.index;
  const ethLink = engine.linkTypeOf(i) === 1;
  let mayNest = tunnel || (idx.isIp(i) && idx.l4[i] === L4.None) || (idx.l4[i] === L4.UDP && (ETH_TUNNEL_UDP_PORTS.has(idx.srcPort[i]!) || ETH_TUNNEL_UDP_PORTS.has(idx.dstPort[i]!)));
  if (!mayNest) {
    if (!ethLink || idx.caplen[i]! < 14) return [];
    const b = engine.packetBytes(i);
    // MPLS (Ethernet pseudowires) and transparent bridging carry frames the scan does not look into.
    const et = (b[12]! << 8) | b[13]!;
    mayNest = idx.l3[i] === L3.None && (et === 0x8847 || et === 0x8848 || et === 0x6558 || et === 0x8100 || et === 0x88a8);
    if (!mayNest) return [[macText(b, 6), macText(b, 0)]];
  }
  const layers: { pair: [string, string]; tapped: boolean }[] = [];
  const walk = (list: readonly FieldNode[], top: boolean): void => {
    for (const n of list) {
      if (n.def.abbrev === 'eth' && n.children) {
        const src = n.children.find((c) => c.def.abbrev === 'eth.src');
        const dst = n.children.find((c) => c.def.abbrev === 'eth.dst');
        if (src?.value instanceof Uint8Array && dst?.value instanceof Uint8Array) layers.push({ pair: [formatEther(src.value), formatEther(dst.value)], tapped: top });
      }
      if (n.children) walk(n.children, false);
    }
  };
  walk(engine.dissect(i).tree, true);
  const pairs: [string, string][] = [];
  layers.forEach((l, j) => {
    if (!l.tapped) return;
    let last = j;
    for (let k = j + 4; k < layers.length; k += 4) last = k;
    pairs.push(layers[last]!.pair);
  });
  return pairs;
}

/** The outer UDP header of a tunnelled packet: right after the outer IPv4/IPv6 header. */
function outerUdp(b: Uint8Array, s: ReturnType<typeof newScanResult>): { a: string; ap: number; b: string; bp: number } | null {
  if (s.outerAddrLen === 4) {
    const ipStart = s.outerSrcOff - 12;
    if (b[ipStart + 9] !== 17) return null;
    const o = ipStart + (b[ipStart]! & 15) * 4;
    return { a: addrText(b, s.outerSrcOff, 4), ap: (b[o]! << 8) | b[o + 1]!, b: addrText(b, s.outerDstOff, 4), bp: (b[o + 2]! << 8) | b[o + 3]! };
  }
  if (s.outerAddrLen === 16) {
    const ipStart = s.outerSrcOff - 8;
    if (b[ipStart + 6] !== 17) return null;
    const o = ipStart + 40;
    return { a: addrText(b, s.outerSrcOff, 16), ap: (b[o]! << 8) | b[o + 1]!, b: addrText(b, s.outerDstOff, 16), bp: (b[o + 2]! << 8) | b[o + 3]! };
  }
  return null;
}

function canonical(a: string, ap: number, b: string, bp: number): string {
  const x = `${a}|${ap}`;
  const y = `${b}|${bp}`;
  return x < y ? `${x}|${y}` : `${y}|${x}`;
}

/** Endpoints derived from the conversations (same counting, per address or address:port). */
export function endpoints(convs: readonly Conversation[], withPorts: boolean): Endpoint[] {
  const map = new Map<string, Endpoint>();
  const list: Endpoint[] = [];
  const get = (addr: string, port: number) => {
    const k = withPorts ? `${addr}|${port}` : addr;
    let e = map.get(k);
    if (!e) {
      e = { addr, port, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0 };
      map.set(k, e);
      list.push(e);
    }
    return e;
  };
  for (const c of convs) {
    const a = get(c.aAddr, c.aPort);
    const b = get(c.bAddr, c.bPort);
    a.txFrames += c.framesAB;
    a.txBytes += c.bytesAB;
    a.rxFrames += c.framesBA;
    a.rxBytes += c.bytesBA;
    b.txFrames += c.framesBA;
    b.txBytes += c.bytesBA;
    b.rxFrames += c.framesAB;
    b.rxBytes += c.bytesAB;
  }
  return list;
}
