// Flow (ladder) diagram, like Wireshark's Flow Graph: host columns in first-seen order and one
// arrow per packet from the sender's column to the receiver's.
// - For a TCP stream the columns are the two endpoints (address:port) and the label is a
//   compact TCP summary: flags as Wireshark lists them, then relative Seq/Ack, Win and Len.
// - For a set of packets (the displayed ones) the columns are the Source / Destination
//   columns of the packet list and the label is the Info column.

import { dissectFrame, Session } from '../../decoders/index.ts';
import { TH_ACK } from '../../decoders/streams/tcp-analysis.ts';
import type { CaptureEngine } from './engine.ts';
import type { FlowGraph, FlowItem } from './graph-types.ts';

export type { FlowGraph, FlowItem } from './graph-types.ts';
import { tcpStreamSegments, type StreamSegment } from './tcp-graph.ts';

export const DEFAULT_FLOW_LIMIT = 2000;
/** Earlier packets of a stream decoded before a packet of the set (as the engine's dissect does). */
const REPLAY_LIMIT = 256;
/** Packets decoded in all for the Info columns of one set (packets of the set plus context). */
const DECODE_BUDGET = 100_000;
export const MAX_FLOW_LIMIT = 10_000;

/** Wireshark's order of the flag names (tcp_flags_to_str): lowest bit first. */
const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'];

export function tcpFlagNames(flags: number): string {
  const out: string[] = [];
  for (let b = 0; b < FLAG_NAMES.length; b++) if (flags & (1 << b)) out.push(FLAG_NAMES[b]!);
  return out.join(', ');
}

/** `SYN, ACK Seq=0 Ack=1 Win=65535 Len=0`: the arrow label of a TCP segment. */
export function tcpFlowLabel(g: Pick<StreamSegment, 'flags' | 'seq' | 'ack' | 'window' | 'len'>): string {
  const names = tcpFlagNames(g.flags);
  let s = `${names ? names + ' ' : ''}Seq=${g.seq}`;
  if (g.flags & TH_ACK) s += ` Ack=${g.ack}`;
  return `${s} Win=${g.window} Len=${g.len}`;
}

/** The ladder of TCP stream `stream`: two endpoint columns, one arrow per segment. */
export function flowGraphOfStream(engine: CaptureEngine, stream: number, limit = DEFAULT_FLOW_LIMIT): FlowGraph {
  const all = tcpStreamSegments(engine, stream, limit);
  const items = all.segments.map((g) => ({ frame: g.frame, time: g.time, from: g.dir, to: 1 - g.dir, label: tcpFlowLabel(g) }));
  const nodes = all.segments.length ? [...all.endpoints] : [];
  return { nodes, items, total: all.segments.length + (all.truncated ? 1 : 0), truncated: all.truncated };
}

interface Columns {
  source: string;
  destination: string;
  info: string;
}

/**
 * Source, Destination and Info of packets `set` (ascending packet indexes) in one sequential
 * pass: each packet's stream predecessors (back to the previous packet of the set, at most
 * REPLAY_LIMIT of them, plus the stream's first three) are decoded before it in the same
 * session, so TCP relative numbers and analysis are those of the packet list. Decoding a set
 * of a long stream costs the stream once instead of a replay per packet.
 */
function columnsOf(engine: CaptureEngine, set: readonly number[]): Map<number, Columns> {
  const idx = engine.index;
  const need = new Set<number>(set);
  for (const i of set) {
    if (need.size >= DECODE_BUDGET) break;
    const chain: number[] = [];
    let p = idx.prevInStream[i]!;
    for (; p >= 0 && !need.has(p) && chain.length < REPLAY_LIMIT; p = idx.prevInStream[p]!) chain.push(p);
    for (const c of chain) need.add(c);
    if (p >= 0 && !need.has(p)) {
      // Cut short: the stream's first packets still set its base numbers.
      let first = p;
      const head: number[] = [];
      for (; first >= 0; first = idx.prevInStream[first]!) {
        head.push(first);
        if (head.length > 3) head.shift();
      }
      for (const h of head) need.add(h);
    }
  }
  const order = [...need].sort((a, b) => a - b);
  const wanted = new Set(set);
  const out = new Map<number, Columns>();
  const session = new Session();
  if (idx.count > 0) session.firstTime = idx.timeNs(0);
  for (const i of order) {
    if (i > 0) session.previousTime = idx.timeNs(i - 1);
    const frame = { number: i + 1, linkType: engine.linkTypeOf(i), tsSec: idx.tsSec[i]!, tsNsec: idx.tsNsec[i]!, caplen: idx.caplen[i]!, origlen: idx.origlenOf(i), interfaceId: idx.iface[i]! };
    const d = dissectFrame(engine.registry, session, frame, engine.packetBytes(i), { tree: false });
    if (wanted.has(i)) out.set(i, { source: d.columns.source, destination: d.columns.destination, info: d.columns.info });
  }
  return out;
}

/**
 * The ladder of a set of packets (0-based packet indexes, in the order to draw them): columns
 * from the Source and Destination of each row, labels from its Info column.
 */
export function flowGraphOfPackets(engine: CaptureEngine, indexes: ArrayLike<number>, limit = DEFAULT_FLOW_LIMIT): FlowGraph {
  const idx = engine.index;
  const t0 = idx.count > 0 ? idx.timeNs(0) : 0n;
  const nodes: string[] = [];
  const column = new Map<string, number>();
  const col = (host: string): number => {
    let c = column.get(host);
    if (c === undefined) {
      c = nodes.length;
      nodes.push(host);
      column.set(host, c);
    }
    return c;
  };
  const items: FlowItem[] = [];
  const n = Math.min(indexes.length, limit);
  const set: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = indexes[k]!;
    if (i >= 0 && i < idx.count) set.push(i);
  }
  const columns = columnsOf(engine, [...set].sort((a, b) => a - b));
  for (const i of set) {
    const r = columns.get(i)!;
    const from = col(r.source || '?');
    const to = col(r.destination || '?');
    items.push({ frame: i + 1, time: Number(idx.timeNs(i) - t0) / 1e9, from, to, label: r.info });
  }
  return { nodes, items, total: indexes.length, truncated: indexes.length > limit };
}
