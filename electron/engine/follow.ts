// Follow TCP stream over an indexed capture: the stream's packets come from the index,
// their bytes from the file, and decoders/streams/tcp-follow.ts puts them in order.

import { newScanResult, scanPacket, L4, ScanFlag, type ScanResult } from '../../decoders/fast/scan.ts';
import { TcpFollower, type FollowChunk } from '../../decoders/streams/tcp-follow.ts';
import type { CaptureEngine } from './engine.ts';

export interface FollowResult {
  stream: number;
  /** Endpoint texts as tshark prints them: `10.0.0.1:80`, `[2001:db8::1]:443`. */
  nodes: [string, string];
  chunks: FollowChunk[];
  /** Payload bytes per side. */
  bytes: [number, number];
}

interface TcpSegmentBytes {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
}

function reassembledTcp(engine: CaptureEngine, frags: readonly number[], s: ScanResult): TcpSegmentBytes | null {
  const parts: { off: number; data: Uint8Array }[] = [];
  let total = 0;
  for (const j of frags) {
    const bytes = engine.packetBytes(j);
    scanPacket(bytes, engine.linkTypeOf(j), s);
    const data = bytes.subarray(s.fragDataOff, Math.min(bytes.length, s.fragDataOff + s.fragLen));
    parts.push({ off: s.fragOffset, data });
    total = Math.max(total, s.fragOffset + data.length);
  }
  const d = new Uint8Array(total);
  for (const p of parts) d.set(p.data, p.off);
  if (d.length < 20) return null;
  const hl = (d[12]! >> 4) * 4;
  if (hl < 20 || hl > d.length) return null;
  const u32 = (o: number) => ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
  return { srcPort: (d[0]! << 8) | d[1]!, dstPort: (d[2]! << 8) | d[3]!, seq: u32(4), ack: u32(8), flags: d[13]!, payload: d.subarray(hl) };
}

export function followTcpStream(engine: CaptureEngine, stream: number): FollowResult {
  const idx = engine.index;
  // A stream that does not exist follows to nothing, as in tshark (nodes ":0").
  const packets = idx.tcpStreamPackets(stream);
  const follower = new TcpFollower();
  const s = newScanResult();
  let firstSrc = -1;
  let firstPort = -1;
  const nodes: [string, string] = [':0', ':0'];
  const endpoint = (addr: number, port: number) => {
    const a = idx.addresses.text(addr);
    return a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`;
  };
  for (const i of packets) {
    const frags = idx.reassembled.get(i);
    if (frags) {
      // TCP in a fragmented datagram: put the datagram together, then read its TCP header.
      const seg = reassembledTcp(engine, frags, s);
      if (!seg) continue;
      if (firstSrc < 0) {
        firstSrc = idx.src[i]!;
        firstPort = seg.srcPort;
        nodes[0] = endpoint(idx.src[i]!, seg.srcPort);
        nodes[1] = endpoint(idx.dst[i]!, seg.dstPort);
      }
      const side = idx.src[i] === firstSrc && seg.srcPort === firstPort ? 0 : 1;
      follower.add(side, i + 1, seg.seq, seg.ack, (seg.flags & 0x02) !== 0, seg.payload.length, seg.payload);
      continue;
    }
    const bytes = engine.packetBytes(i);
    scanPacket(bytes, engine.linkTypeOf(i), s);
    // A segment whose TCP header is cut short never reaches tshark's follow tap.
    if (s.l4 !== L4.TCP || s.flags & ScanFlag.Short) continue;
    if (firstSrc < 0) {
      firstSrc = idx.src[i]!;
      firstPort = s.srcPort;
      nodes[0] = endpoint(idx.src[i]!, s.srcPort);
      nodes[1] = endpoint(idx.dst[i]!, s.dstPort);
    }
    const side = idx.src[i] === firstSrc && s.srcPort === firstPort ? 0 : 1;
    const payload = bytes.subarray(s.payloadOff, s.payloadOff + s.payloadLen);
    // The headers' length: on a cut-short capture the payload we hold is shorter.
    follower.add(side, i + 1, s.seq, s.ack, (s.tcpFlags & 0x02) !== 0, s.segLen, payload);
  }
  return { stream, nodes, chunks: follower.chunks, bytes: follower.bytes };
}
