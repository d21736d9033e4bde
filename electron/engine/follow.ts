// Follow TCP stream over an indexed capture: the stream's packets come from the index,
// their bytes from the file, and decoders/streams/tcp-follow.ts puts them in order.

import { newScanResult, scanPacket, L4 } from '../../decoders/fast/scan.ts';
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
    const bytes = engine.packetBytes(i);
    scanPacket(bytes, engine.linkTypeOf(i), s);
    if (s.l4 !== L4.TCP) continue;
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
