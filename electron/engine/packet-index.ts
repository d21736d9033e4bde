// The columnar packet index: one slot per packet in growable typed arrays, no per-packet
// objects. Packet bytes stay in the file (fileOffset + caplen); addresses are ids into an
// interned table. About 50 bytes per packet.

import { formatIPv4, formatIPv6 } from '../../decoders/core/format.ts';
import { scanPacket, newScanResult, L3, L4, ScanFlag, type ScanResult } from '../../decoders/fast/scan.ts';
import type { PacketRecord } from '../../decoders/formats/capture-parser.ts';
import { TcpState, analyzeSegmentFlags, type SegmentInfo } from '../../decoders/streams/tcp-analysis.ts';
import { TunnelColumns } from './tunnel-columns.ts';

/** The transport facts the index keeps for a packet (from the scan, or from a reassembled datagram). */
interface Transport {
  l4: L4;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  seq: number;
  ack: number;
  window: number;
  wscale: number;
  segLen: number;
}

interface PendingDatagram {
  have: number;
  total: number;
  first: (Transport & { hdr: number }) | null;
  frames: number[];
}

/** Fragmented datagrams waiting for their last piece; the oldest is dropped beyond this. */
const MAX_PENDING_DATAGRAMS = 4096;

function transportOf(s: ScanResult, into?: Transport): Transport {
  if (!into) return { l4: s.l4, srcPort: s.srcPort, dstPort: s.dstPort, tcpFlags: s.tcpFlags, seq: s.seq, ack: s.ack, window: s.window, wscale: s.wscale, segLen: s.segLen };
  into.l4 = s.l4;
  into.srcPort = s.srcPort;
  into.dstPort = s.dstPort;
  into.tcpFlags = s.tcpFlags;
  into.seq = s.seq;
  into.ack = s.ack;
  into.window = s.window;
  into.wscale = s.wscale;
  into.segLen = s.segLen;
  return into;
}

/** Interned network addresses: IPv4 keyed by their 32-bit value, IPv6 by their text. */
export class AddressTable {
  private readonly v4 = new Map<number, number>();
  private readonly v6 = new Map<string, number>();
  readonly texts: string[] = [''];

  /** Id of the address at b[o..o+len) (len 4 or 16); 0 means none. */
  intern(b: Uint8Array, o: number, len: number): number {
    if (len === 4) {
      const k = ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
      let id = this.v4.get(k);
      if (id === undefined) {
        id = this.texts.length;
        this.texts.push(formatIPv4(k));
        this.v4.set(k, id);
      }
      return id;
    }
    if (len === 16) {
      const text = formatIPv6(b.subarray(o, o + 16));
      let id = this.v6.get(text);
      if (id === undefined) {
        id = this.texts.length;
        this.texts.push(text);
        this.v6.set(text, id);
      }
      return id;
    }
    return 0;
  }

  text(id: number): string {
    return this.texts[id] ?? '';
  }
}

type Grow<T> = { new (n: number): T } & { BYTES_PER_ELEMENT: number };

function grow<T extends { length: number; set(a: ArrayLike<number>): void; subarray(a: number, b: number): T }>(a: T, Ctor: Grow<T>, need: number, exact = false): T {
  if (exact) {
    if (need === a.length) return a;
    const b = new Ctor(need);
    b.set((need < a.length ? a.subarray(0, need) : a) as unknown as ArrayLike<number>);
    return b;
  }
  if (need <= a.length) return a;
  const b = new Ctor(Math.max(need, a.length * 2));
  b.set(a as unknown as ArrayLike<number>);
  return b;
}

export class PacketIndex {
  count = 0;
  fileOffset = new Float64Array(1024); // 64-bit safe: files over 4 GiB
  tsSec = new Uint32Array(1024);
  tsNsec = new Uint32Array(1024);
  caplen = new Uint32Array(1024);
  /**
   * Original lengths, allocated at the first packet the capture cut short (origlen != caplen):
   * most captures never need it. Read through origlenOf().
   */
  origlen: Uint32Array | null = null;
  iface = new Uint16Array(1024);
  file = new Uint8Array(1024); // which of several merged files
  l3 = new Uint8Array(1024);
  l4 = new Uint8Array(1024);
  scanFlags = new Uint8Array(1024);
  src = new Uint32Array(1024);
  dst = new Uint32Array(1024);
  srcPort = new Uint16Array(1024);
  dstPort = new Uint16Array(1024);
  tcpFlags = new Uint16Array(1024);
  /** TCP or UDP stream id, -1 when none. */
  stream = new Int32Array(1024);
  /** tcp.analysis.* verdict bits (A in decoders/streams/tcp-analysis.ts). */
  analysis = new Uint16Array(1024);
  /** Index of the previous packet of the same TCP/UDP stream, -1 for the first: replays a stream's context cheaply. */
  prevInStream = new Int32Array(1024);
  /**
   * Outermost network addresses of tunnelled packets and the udp.stream of a second UDP header
   * (a UDP tunnel's outer level, or the datagram an ICMP error quotes), for those packets only.
   */
  readonly tunnels = new TunnelColumns();
  /** Packets between two compactions of idle TCP conversations (and how long idle means). */
  compactEvery = 0x10000;
  private sinceCompact = 0;
  /** Per TCP / UDP stream id: index of its latest packet. */
  private lastOfTcp = new Int32Array(256);
  private lastOfUdp = new Int32Array(256);
  /** The scan's transport facts, reused from packet to packet. */
  private readonly tx: Transport = transportOf(newScanResult());
  /** Nanoseconds of the last whole second seen (BigInt made once per second, not per packet). */
  private secNs = 0n;
  private sec = -1;
  readonly addresses = new AddressTable();
  private readonly scan: ScanResult = newScanResult();
  private conversations = new Map<number, number>();
  /** The same TCP analysis the dissector runs, fed from the scan instead of a tree. */
  private tcp = new TcpState();
  private readonly segment: SegmentInfo = { seq: 0, ack: 0, flags: 0, seglen: 0, windowValue: 0, wsShift: -1, sackBytes: -1, time: 0n, frame: 0 };
  tcpStreams = 0;
  udpStreams = 0;

  /** Room for `n` packets in all columns (an estimate from the file size), so they grow without copies. */
  reserve(n: number): void {
    if (n > this.fileOffset.length) this.ensure(Math.ceil(n), true);
  }

  private sealed = false;

  /**
   * Indexing is over for good (a finished file, not a live one): the per-conversation state
   * that only numbers and analyses packets still to come (TCP sequence tracking, UDP endpoint
   * numbers, pending IP fragments) is let go. Columns and stream lists stay.
   */
  seal(): void {
    this.sealed = true;
    this.tcp = new TcpState();
    this.endpoints = new Map();
    this.conversations = new Map();
    this.pendingFragments = new Map();
  }

  /** Trims the columns to the packets indexed, once indexing is over (no growth slack kept). */
  trim(): void {
    this.tcp.compactIdle(this.count + 1 - this.compactEvery);
    if (this.lastOfTcp.length > this.tcpStreams) this.lastOfTcp = grow(this.lastOfTcp, Int32Array, Math.max(1, this.tcpStreams), true);
    if (this.lastOfUdp.length > this.udpStreams) this.lastOfUdp = grow(this.lastOfUdp, Int32Array, Math.max(1, this.udpStreams), true);
    // A copy costs a transient second set of columns: only worth it for a large slack.
    const n = Math.max(1, this.count);
    if (this.fileOffset.length - n <= n / 16) return;
    this.ensure(n, true);
  }

  private ensure(n: number, exact = false): void {
    if (!exact && n <= this.fileOffset.length) return;
    const need = n;
    this.fileOffset = grow(this.fileOffset, Float64Array, need, exact);
    this.tsSec = grow(this.tsSec, Uint32Array, need, exact);
    this.tsNsec = grow(this.tsNsec, Uint32Array, need, exact);
    this.caplen = grow(this.caplen, Uint32Array, need, exact);
    if (this.origlen) this.origlen = grow(this.origlen, Uint32Array, need, exact);
    this.iface = grow(this.iface, Uint16Array, need, exact);
    this.file = grow(this.file, Uint8Array, need, exact);
    this.l3 = grow(this.l3, Uint8Array, need, exact);
    this.l4 = grow(this.l4, Uint8Array, need, exact);
    this.scanFlags = grow(this.scanFlags, Uint8Array, need, exact);
    this.src = grow(this.src, Uint32Array, need, exact);
    this.dst = grow(this.dst, Uint32Array, need, exact);
    this.srcPort = grow(this.srcPort, Uint16Array, need, exact);
    this.dstPort = grow(this.dstPort, Uint16Array, need, exact);
    this.tcpFlags = grow(this.tcpFlags, Uint16Array, need, exact);
    this.stream = grow(this.stream, Int32Array, need, exact);
    this.analysis = grow(this.analysis, Uint16Array, need, exact);
    this.prevInStream = grow(this.prevInStream, Int32Array, need, exact);
  }

  /** Adds one packet; returns its 0-based index. */
  add(rec: PacketRecord, fileNo = 0, interfaceId = rec.interfaceId): number {
    if (this.sealed) throw new Error('the packet index is sealed: indexing was over');
    const i = this.count;
    this.ensure(i + 1);
    this.fileOffset[i] = rec.offset;
    this.tsSec[i] = rec.tsSec;
    this.tsNsec[i] = rec.tsNsec;
    this.caplen[i] = rec.caplen;
    if (this.origlen) this.origlen[i] = rec.origlen;
    else if (rec.origlen !== rec.caplen) {
      this.origlen = new Uint32Array(this.fileOffset.length);
      this.origlen.set(this.caplen.subarray(0, i));
      this.origlen[i] = rec.origlen;
    }
    this.iface[i] = interfaceId;
    this.file[i] = fileNo;
    const s = this.scan;
    scanPacket(rec.data, rec.linkType, s);
    this.l3[i] = s.l3;
    this.l4[i] = s.l4;
    this.scanFlags[i] = s.flags;
    const b = rec.data;
    this.src[i] = s.addrLen ? this.addresses.intern(b, s.srcOff, s.addrLen) : 0;
    this.dst[i] = s.addrLen ? this.addresses.intern(b, s.dstOff, s.addrLen) : 0;
    const tunnelled = (s.flags & ScanFlag.Tunnel) !== 0 && s.outerAddrLen > 0;
    const outerSrc = tunnelled ? this.addresses.intern(b, s.outerSrcOff, s.outerAddrLen) : 0;
    const outerDst = tunnelled ? this.addresses.intern(b, s.outerDstOff, s.outerAddrLen) : 0;
    this.analysis[i] = 0;
    this.stream[i] = -1;
    // tshark numbers the outer UDP conversation of a tunnel before the inner one.
    let extraUdp = -1;
    if (s.xUdpAddrLen && !(s.flags & ScanFlag.Fragment)) {
      const a = this.addresses.intern(b, s.xUdpSrcOff, s.xUdpAddrLen);
      const z = this.addresses.intern(b, s.xUdpDstOff, s.xUdpAddrLen);
      extraUdp = this.udpStreamOf(a, s.xUdpSrcPort, z, s.xUdpDstPort);
    }
    if (tunnelled || extraUdp >= 0) this.tunnels.set(i, outerSrc, outerDst, extraUdp);
    // Every `compactEvery` packets, TCP conversations quiet for as long are packed away.
    if (++this.sinceCompact >= this.compactEvery) {
      this.sinceCompact = 0;
      this.tcp.compactIdle(i + 1 - this.compactEvery);
    }
    // A TCP header cut short still belongs to its stream (tshark numbers it) but is not analysed.
    const shortTcp = s.l4 === L4.TCP && (s.flags & ScanFlag.Short) !== 0;
    let t: Transport | null = s.l4 === L4.None || (s.flags & ScanFlag.Short && !shortTcp) ? null : transportOf(s, this.tx);
    if (s.flags & ScanFlag.Fragment) t = this.fragment(i, s);
    this.l4[i] = t ? t.l4 : s.l4 === L4.ICMP || s.l4 === L4.ICMPv6 ? s.l4 : L4.None;
    this.srcPort[i] = t ? t.srcPort : 0;
    this.dstPort[i] = t ? t.dstPort : 0;
    this.tcpFlags[i] = t ? t.tcpFlags : 0;
    if (t && t.l4 === L4.TCP) {
      // Endpoints (address id + port) numbered once; the conversation key pairs the two numbers.
      const ea = this.endpoint(this.src[i]!, t.srcPort);
      const eb = this.endpoint(this.dst[i]!, t.dstPort);
      const lo = ea < eb ? ea : eb;
      const hi = ea < eb ? eb : ea;
      const key = (hi * (hi + 1)) / 2 + lo;
      const g = this.segment;
      g.frame = i + 1;
      if (rec.tsSec !== this.sec) {
        this.sec = rec.tsSec;
        this.secNs = BigInt(rec.tsSec) * 1_000_000_000n;
      }
      g.time = this.secNs + BigInt(rec.tsNsec);
      g.seq = t.seq;
      g.ack = t.ack;
      g.seglen = t.segLen;
      g.flags = t.tcpFlags;
      g.windowValue = t.window;
      g.wsShift = t.wscale;
      const tcp = this.tcp;
      const conv = tcp.lookupNumeric(key, ea, t.tcpFlags, t.seq, g.frame);
      this.stream[i] = conv.stream;
      if (!shortTcp || s.flags & ScanFlag.Fragment) this.analysis[i] = analyzeSegmentFlags(conv, tcp.dir, tcp.reused, g);
      if (conv.stream + 1 > this.tcpStreams) this.tcpStreams = conv.stream + 1;
    } else if (t && t.l4 === L4.UDP) {
      this.stream[i] = this.udpStreamOf(this.src[i]!, this.srcPort[i]!, this.dst[i]!, this.dstPort[i]!);
    }
    const sid = this.stream[i]!;
    this.prevInStream[i] = -1;
    if (sid >= 0) {
      // Slots hold index + 1 (0: no packet yet).
      if (this.l4[i] === L4.TCP) {
        if (sid >= this.lastOfTcp.length) this.lastOfTcp = grow(this.lastOfTcp, Int32Array, sid + 1);
        this.prevInStream[i] = this.lastOfTcp[sid]! - 1;
        this.lastOfTcp[sid] = i + 1;
      } else {
        if (sid >= this.lastOfUdp.length) this.lastOfUdp = grow(this.lastOfUdp, Int32Array, sid + 1);
        this.prevInStream[i] = this.lastOfUdp[sid]! - 1;
        this.lastOfUdp[sid] = i + 1;
      }
    }
    this.count = i + 1;
    return i;
  }

  /**
   * An IP fragment: like tshark, the transport layer belongs to the frame that completes the
   * datagram (returned for it), not to the fragments. Only header facts are kept per
   * datagram, never payload; `reassembled` lists the fragments behind a completed datagram.
   */
  private fragment(i: number, s: ScanResult): Transport | null {
    const key = `${s.l3}|${this.src[i]}|${this.dst[i]}|${s.fragId}|${s.fragProto}`;
    let e = this.pendingFragments.get(key);
    if (!e) {
      if (this.pendingFragments.size >= MAX_PENDING_DATAGRAMS) this.pendingFragments.delete(this.pendingFragments.keys().next().value!);
      e = { have: 0, total: -1, first: null, frames: [] };
      this.pendingFragments.set(key, e);
    }
    e.frames.push(i);
    e.have += s.fragLen;
    if (!s.fragMore) e.total = s.fragOffset + s.fragLen;
    if (s.fragOffset === 0 && s.l4 !== L4.None && !(s.flags & ScanFlag.Short)) {
      const t = transportOf(s);
      // Header length: what this fragment carries beyond the segment data it declares.
      e.first = { ...t, hdr: s.fragLen - s.segLen };
    }
    if (e.total < 0 || e.have < e.total) return null;
    this.pendingFragments.delete(key);
    this.reassembled.set(i, e.frames);
    if (!e.first) return null;
    const full = { ...e.first, segLen: Math.max(0, e.total - e.first.hdr) };
    return full;
  }

  private endpoints = new Map<number, number>();
  /** Number of the endpoint (address id, port); address ids stay far below 2^37. */
  private endpoint(addr: number, port: number): number {
    const k = addr * 65536 + port;
    let e = this.endpoints.get(k);
    if (e === undefined) {
      e = this.endpoints.size;
      this.endpoints.set(k, e);
    }
    return e;
  }

  /** udp.stream: conversations numbered in order of first appearance. */
  private udpStreamOf(a: number, pa: number, bb: number, pb: number): number {
    // Direction-independent key: the pair of endpoint numbers, smaller first (only UDP comes here).
    const ea = this.endpoint(a, pa);
    const eb = this.endpoint(bb, pb);
    const lo = ea < eb ? ea : eb;
    const hi = ea < eb ? eb : ea;
    const key = (hi * (hi + 1)) / 2 + lo;
    let id = this.conversations.get(key);
    if (id === undefined) {
      id = this.udpStreams++;
      this.conversations.set(key, id);
    }
    return id;
  }

  /** Timestamp of packet `i` in ns since the epoch (exact: epoch ns exceed a double). */
  timeNs(i: number): bigint {
    return BigInt(this.tsSec[i]!) * 1_000_000_000n + BigInt(this.tsNsec[i]!);
  }

  /** Packet indexes of TCP stream `id` in capture order (empty when there is no such stream). */
  tcpStreamPackets(id: number): number[] {
    const out: number[] = [];
    for (let p = id >= 0 && id < this.lastOfTcp.length ? this.lastOfTcp[id]! - 1 : -1; p >= 0; p = this.prevInStream[p]!) out.push(p);
    return out.reverse();
  }

  /** Frames whose datagram was reassembled from IP fragments: packet index -> fragment packet indexes. */
  readonly reassembled = new Map<number, number[]>();
  private pendingFragments = new Map<string, PendingDatagram>();

  /** Bytes held by the index arrays (for the memory-per-packet figure). */
  byteSize(): number {
    let n = 0;
    for (const a of [this.fileOffset, this.tsSec, this.tsNsec, this.caplen, this.iface, this.file, this.l3, this.l4, this.scanFlags, this.src, this.dst, this.srcPort, this.dstPort, this.tcpFlags, this.stream, this.analysis, this.prevInStream]) n += a.byteLength;
    n += this.tunnels.byteSize() + (this.origlen?.byteLength ?? 0);
    return n;
  }

  /** Outermost [source, destination] addresses of a tunnelled packet, null for one that is not. */
  outerAddresses(i: number): [string, string] | null {
    const a = this.tunnels.outerSrcOf(i);
    const b = this.tunnels.outerDstOf(i);
    return a || b ? [this.addresses.text(a), this.addresses.text(b)] : null;
  }

  /** frame.len of packet `i`. */
  origlenOf(i: number): number {
    return this.origlen ? this.origlen[i]! : this.caplen[i]!;
  }

  isIp(i: number): boolean {
    return this.l3[i] === L3.IPv4 || this.l3[i] === L3.IPv6;
  }
}
