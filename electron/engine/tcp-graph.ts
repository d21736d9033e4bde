// TCP sequence graph (Stevens / tcptrace style) of one TCP stream: per segment of one direction
// its time, relative sequence number, length, flags and retransmission verdict; from the other
// direction the ACK line and the receive window edge (ack + window * scale).
//
// The stream's packets come from the index (tcpStreamPackets); their TCP headers are read back
// with the fast scan and replayed through a fresh copy of the same sequence analysis the
// dissector runs (decoders/streams/tcp-analysis.ts), so the numbers are tshark's tcp.seq,
// tcp.ack, tcp.len and tcp.window_size. Retransmissions are the index's tcp.analysis bits.

import { newScanResult, scanPacket, L4, ScanFlag, type ScanResult } from '../../decoders/fast/scan.ts';
import { A, TH_ACK, TH_SYN, TcpConversation, analyzeSegment, type SegmentInfo } from '../../decoders/streams/tcp-analysis.ts';
import type { CaptureEngine } from './engine.ts';
import type { TcpGraph, TcpGraphAck, TcpGraphSegment } from './graph-types.ts';

export type { TcpGraph, TcpGraphAck, TcpGraphSegment } from './graph-types.ts';

/** One TCP segment of a stream, numbers as tshark shows them (relative sequence numbers). */
export interface StreamSegment {
  /** Packet number (frame.number). */
  frame: number;
  /** 0: sent by the side that sent the stream's first packet, 1: the other side. */
  dir: 0 | 1;
  /** Seconds since the capture's first packet (frame.time_relative). */
  time: number;
  /** tcp.seq (relative). */
  seq: number;
  /** tcp.ack (relative when the ACK flag is set). */
  ack: number;
  /** tcp.len */
  len: number;
  /** tcp.window_size: the window value times the scale in use. */
  window: number;
  /** TCP flags (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10 ...). */
  flags: number;
  /** tcp.analysis.* bits (A in decoders/streams/tcp-analysis.ts). */
  analysis: number;
}

export interface StreamSegments {
  stream: number;
  /** Endpoints as tshark prints them (`10.0.0.1:80`, `[2001:db8::1]:443`): [side 0, side 1]. */
  endpoints: [string, string];
  /** Payload bytes sent by each side. */
  bytes: [number, number];
  segments: StreamSegment[];
  /** More segments than `max`: the rest were left out. */
  truncated: boolean;
}

/** Segments kept per stream (the graph and the ladder stay responsive). */
export const MAX_STREAM_SEGMENTS = 200_000;

const RETRANSMISSIONS = A.RETRANSMISSION | A.FAST_RETRANSMISSION | A.SPURIOUS_RETRANSMISSION;

interface Header {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  wscale: number;
  segLen: number;
}

function header(s: ScanResult, segLen = s.segLen): Header {
  return { srcPort: s.srcPort, dstPort: s.dstPort, seq: s.seq, ack: s.ack, flags: s.tcpFlags, window: s.window, wscale: s.wscale, segLen };
}

/** The TCP header of packet index `i`, from the packet or from its reassembled IP fragments. */
function readHeader(engine: CaptureEngine, i: number, s: ScanResult): Header | null {
  const frags = engine.index.reassembled.get(i);
  if (frags) {
    // The first fragment carries the TCP header; the datagram's total gives the segment length.
    let first: Header | null = null;
    let hdr = 0;
    let total = 0;
    for (const j of frags) {
      scanPacket(engine.packetBytes(j), engine.linkTypeOf(j), s);
      total = Math.max(total, s.fragOffset + s.fragLen);
      if (s.fragOffset === 0 && s.l4 === L4.TCP && !(s.flags & ScanFlag.Short)) {
        first = header(s);
        hdr = s.fragLen - s.segLen;
      }
    }
    if (first) first.segLen = Math.max(0, total - hdr);
    return first;
  }
  scanPacket(engine.packetBytes(i), engine.linkTypeOf(i), s);
  // A TCP header cut short is not analysed (the index leaves it out too).
  if (s.l4 !== L4.TCP || s.flags & ScanFlag.Short) return null;
  return header(s);
}

function endpointText(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** Every analysed segment of TCP stream `stream` in capture order (empty for an unknown stream). */
export function tcpStreamSegments(engine: CaptureEngine, stream: number, max = MAX_STREAM_SEGMENTS): StreamSegments {
  const idx = engine.index;
  const packets = idx.tcpStreamPackets(stream);
  const out: StreamSegments = { stream, endpoints: ['', ''], bytes: [0, 0], segments: [], truncated: false };
  if (packets.length === 0) return out;
  const t0 = idx.timeNs(0);
  const s = newScanResult();
  let conv: TcpConversation | null = null;
  let firstKey = '';
  const g: SegmentInfo = { seq: 0, ack: 0, flags: 0, seglen: 0, windowValue: 0, wsShift: -1, sackBytes: -1, time: 0n, frame: 0 };
  for (const i of packets) {
    const h = readHeader(engine, i, s);
    if (!h) continue;
    const key = `${idx.src[i]}|${h.srcPort}`;
    if (!conv) {
      conv = new TcpConversation(stream, key, i + 1);
      firstKey = key;
      out.endpoints = [endpointText(idx.addresses.text(idx.src[i]!), h.srcPort), endpointText(idx.addresses.text(idx.dst[i]!), h.dstPort)];
    }
    const dir: 0 | 1 = key === firstKey ? 0 : 1;
    // A retransmitted SYN (same ISN): the conversation lookup rewinds nextseq, as in the index.
    const fwd = conv.flows[dir];
    if ((h.flags & (TH_SYN | TH_ACK)) === TH_SYN && fwd.baseSet && h.seq === fwd.baseSeq) fwd.nextseq = fwd.maxseqtobeacked;
    g.frame = i + 1;
    g.time = idx.timeNs(i);
    g.seq = h.seq;
    g.ack = h.ack;
    g.seglen = h.segLen;
    g.flags = h.flags;
    g.windowValue = h.window;
    g.wsShift = h.wscale;
    const r = analyzeSegment(conv, dir, false, g);
    out.bytes[dir] += h.segLen;
    if (out.segments.length >= max) {
      out.truncated = true;
      continue;
    }
    out.segments.push({
      frame: i + 1,
      dir,
      time: Number(g.time - t0) / 1e9,
      seq: r.relSeq,
      ack: r.relAck,
      len: h.segLen,
      window: r.window,
      flags: h.flags,
      analysis: idx.analysis[i]!,
    });
  }
  return out;
}

/**
 * The sequence graph of `stream` for `direction` (0: data sent by the stream's first sender);
 * without one, the direction that carried more payload (the data direction, as Wireshark
 * picks it from a selected data packet).
 */
export function tcpGraph(engine: CaptureEngine, stream: number, direction?: 0 | 1): TcpGraph {
  const all = tcpStreamSegments(engine, stream);
  const dir: 0 | 1 = direction ?? (all.bytes[1] > all.bytes[0] ? 1 : 0);
  const segments: TcpGraphSegment[] = [];
  const acks: TcpGraphAck[] = [];
  for (const g of all.segments) {
    if (g.dir === dir) segments.push({ frame: g.frame, time: g.time, seq: g.seq, len: g.len, flags: g.flags, retransmission: (g.analysis & RETRANSMISSIONS) !== 0, analysis: g.analysis });
    else if (g.flags & TH_ACK) acks.push({ frame: g.frame, time: g.time, ack: g.ack, window: g.window });
  }
  return { stream, direction: dir, start: all.segments[0]?.time ?? 0, endpoints: all.endpoints, bytes: all.bytes, segments, acks, truncated: all.truncated };
}
