// Transmission Control Protocol (RFC 9293), as tshark 4.0 shows it by default: relative
// sequence numbers, window scaling, sequence analysis flags in the Info column, and
// desegmentation of upper-layer PDUs (tcp.desegment_tcp_streams = TRUE).
// Conversation state lives in ../streams/tcp-analysis.ts, reassembly in ../streams/tcp-desegment.ts.

import { field, protocol } from '../core/registry.ts';
import type { PacketContext } from '../core/context.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import { wsFields } from '../core/builtin-fields.ts';
import { NodeFlags } from '../core/types.ts';
import { formatNsTime } from '../core/format.ts';
import { frameTimeNs } from '../core/dissect.ts';
import { A, analysisInfo, analyzeSegment, TcpState, TH_ACK, TH_SYN, TH_URG, type TcpFrameResult } from '../streams/tcp-analysis.ts';
import { desegmentSegment, finishAtFin, newDesegFlow, type DesegRequest, type Plan, type Step } from '../streams/tcp-desegment.ts';
import { dissectOptions, optionFields, scanOptions } from './tcp-options.ts';
import { addChecksum, inetChecksum, pseudoHeaderSum } from './ip-shared.ts';

const checksumStatus = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };

const f = {
  srcport: field('tcp.srcport', 'Source Port', 'uint16'),
  dstport: field('tcp.dstport', 'Destination Port', 'uint16'),
  port: field('tcp.port', 'Source or Destination Port', 'uint16'),
  stream: field('tcp.stream', 'Stream index', 'uint32'),
  completeness: field('tcp.completeness', 'Conversation completeness', 'uint8'),
  len: field('tcp.len', 'TCP Segment Len', 'uint32'),
  seq: field('tcp.seq', 'Sequence Number', 'uint32'),
  seqRaw: field('tcp.seq_raw', 'Sequence Number (raw)', 'uint32'),
  nxtseq: field('tcp.nxtseq', 'Next Sequence Number', 'uint32'),
  ack: field('tcp.ack', 'Acknowledgment Number', 'uint32'),
  ackRaw: field('tcp.ack_raw', 'Acknowledgment number (raw)', 'uint32'),
  hdrLen: field('tcp.hdr_len', 'Header Length', 'uint8'),
  flags: field('tcp.flags', 'Flags', 'uint16', { base: 'hex', bitmask: 0x0fff }),
  res: field('tcp.flags.res', 'Reserved', 'bool', { bitmask: 0xe00, bitWidth: 12 }),
  ae: field('tcp.flags.ae', 'Accurate ECN', 'bool', { bitmask: 0x100, bitWidth: 12 }),
  cwr: field('tcp.flags.cwr', 'Congestion Window Reduced', 'bool', { bitmask: 0x80, bitWidth: 12 }),
  ece: field('tcp.flags.ece', 'ECN-Echo', 'bool', { bitmask: 0x40, bitWidth: 12 }),
  urg: field('tcp.flags.urg', 'Urgent', 'bool', { bitmask: 0x20, bitWidth: 12 }),
  ackFlag: field('tcp.flags.ack', 'Acknowledgment', 'bool', { bitmask: 0x10, bitWidth: 12 }),
  push: field('tcp.flags.push', 'Push', 'bool', { bitmask: 0x08, bitWidth: 12 }),
  reset: field('tcp.flags.reset', 'Reset', 'bool', { bitmask: 0x04, bitWidth: 12 }),
  syn: field('tcp.flags.syn', 'Syn', 'bool', { bitmask: 0x02, bitWidth: 12 }),
  fin: field('tcp.flags.fin', 'Fin', 'bool', { bitmask: 0x01, bitWidth: 12 }),
  flagsStr: field('tcp.flags.str', 'TCP Flags', 'string'),
  windowValue: field('tcp.window_size_value', 'Window', 'uint16'),
  window: field('tcp.window_size', 'Calculated window size', 'uint32'),
  scale: field('tcp.window_size_scalefactor', 'Window size scaling factor', 'int32'),
  checksum: field('tcp.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: field('tcp.checksum.status', 'Checksum Status', 'uint8', { values: checksumStatus }),
  urgentPointer: field('tcp.urgent_pointer', 'Urgent Pointer', 'uint16'),
  ...optionFields,
  timeRelative: field('tcp.time_relative', 'Time since first frame in this TCP stream', 'rel_time'),
  timeDelta: field('tcp.time_delta', 'Time since previous frame in this TCP stream', 'rel_time'),
  analysis: field('tcp.analysis', 'SEQ/ACK analysis', 'none'),
  analysisFlags: field('tcp.analysis.flags', 'TCP Analysis Flags', 'none'),
  acksFrame: field('tcp.analysis.acks_frame', 'This is an ACK to the segment in frame', 'framenum'),
  ackRtt: field('tcp.analysis.ack_rtt', 'The RTT to ACK the segment was', 'rel_time'),
  irtt: field('tcp.analysis.initial_rtt', 'iRTT', 'rel_time'),
  bytesInFlight: field('tcp.analysis.bytes_in_flight', 'Bytes in flight', 'uint32'),
  pushBytes: field('tcp.analysis.push_bytes_sent', 'Bytes sent since last PSH flag', 'uint32'),
  rto: field('tcp.analysis.rto', 'The RTO for this segment was', 'rel_time'),
  rtoFrame: field('tcp.analysis.rto_frame', 'RTO based on delta from frame', 'framenum'),
  dupAck: field('tcp.analysis.duplicate_ack', 'Duplicate ACK', 'none'),
  dupAckNum: field('tcp.analysis.duplicate_ack_num', 'Duplicate ACK #', 'uint32'),
  dupAckFrame: field('tcp.analysis.duplicate_ack_frame', 'Duplicate to the ACK in frame', 'framenum'),
  retransmission: field('tcp.analysis.retransmission', 'This frame is a (suspected) retransmission', 'none'),
  fastRetransmission: field('tcp.analysis.fast_retransmission', 'This frame is a (suspected) fast retransmission', 'none'),
  spuriousRetransmission: field('tcp.analysis.spurious_retransmission', 'This frame is a (suspected) spurious retransmission', 'none'),
  outOfOrder: field('tcp.analysis.out_of_order', 'This frame is a (suspected) out-of-order segment', 'none'),
  reusedPorts: field('tcp.analysis.reused_ports', 'A new tcp session is started with the same ports as an earlier session in this trace', 'none'),
  lostSegment: field('tcp.analysis.lost_segment', 'Previous segment(s) not captured (common at capture start)', 'none'),
  ackLostSegment: field('tcp.analysis.ack_lost_segment', "ACKed segment that wasn't captured (common at capture start)", 'none'),
  windowUpdate: field('tcp.analysis.window_update', 'TCP window update', 'none'),
  windowFull: field('tcp.analysis.window_full', 'TCP window specified by the receiver is now completely full', 'none'),
  keepAlive: field('tcp.analysis.keep_alive', 'TCP keep-alive segment', 'none'),
  keepAliveAck: field('tcp.analysis.keep_alive_ack', 'ACK to a TCP keep-alive segment', 'none'),
  zeroWindowProbe: field('tcp.analysis.zero_window_probe', 'TCP Zero Window Probe', 'none'),
  zeroWindow: field('tcp.analysis.zero_window', 'TCP Zero Window segment', 'none'),
  zeroWindowProbeAck: field('tcp.analysis.zero_window_probe_ack', 'ACK to a TCP Zero Window Probe', 'none'),
  payload: field('tcp.payload', 'TCP payload', 'bytes'),
  segmentData: field('tcp.segment_data', 'TCP segment data', 'bytes'),
  reassembledIn: field('tcp.reassembled_in', 'Reassembled PDU in frame', 'framenum'),
  segments: field('tcp.segments', 'Reassembled TCP Segments', 'none'),
  segment: field('tcp.segment', 'TCP Segment', 'framenum'),
  segmentCount: field('tcp.segment.count', 'Segment count', 'uint32'),
  reassembledLength: field('tcp.reassembled.length', 'Reassembled TCP length', 'uint32'),
  reassembledData: field('tcp.reassembled.data', 'Reassembled TCP Data', 'bytes'),
};

/** Analysis flags: field, expert severity and message, in tshark's tree order. */
const analysisItems: [number, typeof f.retransmission, 'note' | 'warn' | 'chat', string][] = [
  [A.RETRANSMISSION, f.retransmission, 'note', 'This frame is a (suspected) retransmission'],
  [A.FAST_RETRANSMISSION, f.fastRetransmission, 'note', 'This frame is a (suspected) fast retransmission'],
  [A.SPURIOUS_RETRANSMISSION, f.spuriousRetransmission, 'note', 'This frame is a (suspected) spurious retransmission'],
  [A.OUT_OF_ORDER, f.outOfOrder, 'warn', 'This frame is a (suspected) out-of-order segment'],
  [A.LOST_PACKET, f.lostSegment, 'warn', 'Previous segment(s) not captured (common at capture start)'],
  [A.ACK_LOST_PACKET, f.ackLostSegment, 'warn', "ACKed segment that wasn't captured (common at capture start)"],
  [A.WINDOW_UPDATE, f.windowUpdate, 'chat', 'TCP window update'],
  [A.WINDOW_FULL, f.windowFull, 'warn', 'TCP window specified by the receiver is now completely full'],
  [A.KEEP_ALIVE, f.keepAlive, 'note', 'TCP keep-alive segment'],
  [A.KEEP_ALIVE_ACK, f.keepAliveAck, 'note', 'ACK to a TCP keep-alive segment'],
  [A.DUPLICATE_ACK, f.dupAck, 'note', 'Duplicate ACK'],
  [A.ZERO_WINDOW_PROBE, f.zeroWindowProbe, 'note', 'TCP Zero Window Probe'],
  [A.ZERO_WINDOW, f.zeroWindow, 'warn', 'TCP Zero Window segment'],
  [A.ZERO_WINDOW_PROBE_ACK, f.zeroWindowProbeAck, 'note', 'ACK to a TCP Zero Window Probe'],
  [A.REUSED_PORTS, f.reusedPorts, 'note', 'A new tcp session is started with the same ports as an earlier session in this trace'],
];

/** The flag bits in tree order. */
const flagBits = [f.res, f.ae, f.cwr, f.ece, f.urg, f.ackFlag, f.push, f.reset, f.syn, f.fin];

const flagNames = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
const flagLetters = 'FSRPAUECA';

/** tcpFlagsText by flag word (12 bits), filled as met. */
const flagsTextCache: (string | undefined)[] = new Array(4096);

/** `SYN, ACK` as in the Info column and the Flags line. */
export function tcpFlagsText(flags: number): string {
  const k = flags & 0xfff;
  return (flags >>> 0) === k ? (flagsTextCache[k] ??= flagsText(k)) : flagsText(flags);
}

function flagsText(flags: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) parts.push(flagNames[i]!);
  if (flags & 0xe00) parts.push('Reserved');
  return parts.length ? parts.join(', ') : '<None>';
}

/** `·······AP···`: one character per bit, high bit first. */
export function tcpFlagsString(flags: number): string {
  let s = '';
  for (let i = 11; i >= 0; i--) {
    const set = (flags & (1 << i)) !== 0;
    s += set ? (i >= 9 ? 'R' : flagLetters[i]!) : '\u00b7';
  }
  return s;
}

const completenessNames = (v: number): string => {
  switch (v) {
    case 1: return 'Incomplete, SYN_SENT (1)';
    case 3: return 'Incomplete, CLIENT_ESTABLISHED (3)';
    case 7: return 'Incomplete, ESTABLISHED (7)';
    case 15: return 'Incomplete, DATA (15)';
    case 31: case 47: case 63: return `Complete, WITH_DATA (${v})`;
    case 23: case 39: case 55: return `Complete, NO_DATA (${v})`;
    default: return `Incomplete (${v})`;
  }
};

const timeLabel = (name: string, ns: number | bigint): string => `[${name}: ${formatNsTime(BigInt(ns))} seconds]`;

const SEGMENT_INFO = '[TCP segment of a reassembled PDU]';
/** Scratch flag the ICMP dissectors set while they dissect a quoted packet. */
const IN_ERROR_PACKET = 'icmp.inErrorPacket';

function state(ctx: PacketContext): TcpState {
  return ctx.session.slot('tcp', () => new TcpState());
}

/** Whether a FIN comes from the side that sent the stream's first FIN (tshark's closing initiator); kept per frame. */
function finInitiator(ctx: PacketContext, key: number, conv: object, dir: number): boolean {
  const st = ctx.session.slot('tcp.finInitiator', () => ({ byFrame: new Map<number, boolean>(), byConv: new WeakMap<object, number>() }));
  let v = ctx.session.singlePass ? undefined : st.byFrame.get(key);
  if (v === undefined) {
    let first = st.byConv.get(conv);
    if (first === undefined) st.byConv.set(conv, (first = dir));
    v = first === dir;
    if (!ctx.session.singlePass) st.byFrame.set(key, v);
  }
  return v;
}

/** Runs the upper layer on `pc`: the lower port, then the higher, then heuristics, then data. */
function callUpper(ctx: PacketContext, pc: Cursor, tree: Tree, sport: number, dport: number): number {
  let n = ctx.callPorts('tcp.port', sport, dport, pc, tree);
  if (n < 0) n = ctx.callHeuristics('tcp', pc, tree);
  if (n < 0) n = ctx.callData(pc, tree);
  return n;
}

interface StepOutcome extends DesegRequest {
  /** Nothing of the data was dissected: it is part of a PDU still being collected. */
  segmentOnly: boolean;
}

function segmentLabel(n: number, retransmitted = false): string {
  return `${retransmitted ? 'Retransmitted ' : ''}TCP segment data (${n} byte${n === 1 ? '' : 's'})`;
}

/** Marks a segment that only carries part of a PDU, as tshark does (once per frame, first PDU only). */
function markSegment(ctx: PacketContext): void {
  ctx.columns.protocol = 'TCP';
  ctx.appendInfo(SEGMENT_INFO);
}

/**
 * Runs one step of a frame's plan. Shared by the first pass and re-dissection, so the tree
 * comes out the same both times.
 */
function runStep(ctx: PacketContext, c: Cursor, tree: Tree, step: Step, sport: number, dport: number, r: TcpFrameResult, prefix: string): StepOutcome {
  if (step.t === 'skip') return { offset: 0, len: 0, segmentOnly: false };
  if (step.t === 'error') {
    const label = `[Reassembly error, protocol TCP: ${step.message}]`;
    tree.nodes.push({ def: wsFields.malformed, source: 0, offset: 0, length: 0, value: null, flags: NodeFlags.Generated, children: [], label });
    tree.expert('error', 'malformed', step.message);
    ctx.malformed = true;
    if (!ctx.protocols.includes('_ws.malformed')) ctx.protocols.push('_ws.malformed');
    ctx.columns.info += label;
    return { offset: 0, len: 0, segmentOnly: false };
  }
  if (step.t === 'segment') {
    if (ctx.buildTree && step.len > 0 && c.has(step.off, step.len)) tree.add(f.segmentData, c, step.off, step.len, { label: () => segmentLabel(step.len, step.retransmitted) });
    const inFrame = step.retransmitted ? 0 : reassembledInOf(r, ctx.frame.number);
    if (inFrame && inFrame !== ctx.frame.number) tree.generated(f.reassembledIn, inFrame, `[Reassembled PDU in frame: ${inFrame}]`);
    if (step.marker) markSegment(ctx);
    if (step.info !== undefined) ctx.columns.info = step.info;
    if (step.protocol !== undefined) ctx.columns.protocol = step.protocol;
    return { offset: step.off, len: 0, segmentOnly: true };
  }
  let pc: Cursor;
  const sourcesBefore = ctx.sources.length;
  const fenceText = step.fenced ? ctx.columns.info : '';
  const protocolCol = ctx.columns.protocol;
  if (step.t === 'reasm') {
    pc = ctx.addSource('Reassembled TCP', step.data);
    if (ctx.buildTree) {
      // The segment list (all within the reassembled bytes): tree only.
      const st = tree.addTree(f.segments, pc, 0, step.data.length, {
        label: () => `[${step.segments.length} Reassembled TCP Segments (${step.data.length} bytes): ${step.segments.map((s) => `#${s.frame}(${s.length})`).join(', ')}]`,
      });
      for (const s of step.segments) st.add(f.segment, pc, s.offset, s.length, { value: s.frame, label: () => `[Frame: ${s.frame}, payload: ${s.offset}-${s.offset + s.length - 1} (${s.length} bytes)]` });
      st.generated(f.segmentCount, step.segments.length, `[Segment count: ${step.segments.length}]`);
      st.generated(f.reassembledLength, step.data.length, `[Reassembled TCP length: ${step.data.length}]`);
      st.add(f.reassembledData, pc, 0, step.data.length);
    }
  } else {
    pc = c.sub(step.off);
  }
  const nodesBefore = tree.nodes.length;
  // Upper layers' nodes sit next to TCP's (Tree.layer), in the tree that holds TCP's node.
  const hostNodes = layerHost(ctx, tree).nodes;
  const hostBefore = hostNodes.length;
  const protocolsBefore = ctx.protocols.length;
  const expertsBefore = ctx.experts.length;
  ctx.canDesegment = !(step.t === 'reasm' && step.final);
  ctx.desegmentOffset = 0;
  ctx.desegmentLen = 0;
  try {
    callUpper(ctx, pc, tree, sport, dport);
  } finally {
    ctx.canDesegment = false;
  }
  const len = ctx.desegmentLen;
  const offset = Math.max(pc.start, Math.min(ctx.desegmentOffset, pc.end));
  ctx.desegmentLen = 0;
  ctx.desegmentOffset = 0;
  if (step.fenced) {
    // After a complete PDU in this segment, the next one may only add to the columns.
    const info = ctx.columns.info;
    if (!info.startsWith(fenceText)) ctx.columns.info = fenceText + (prefix && info.startsWith(prefix) ? info.slice(prefix.length) : info);
    ctx.columns.protocol = protocolCol;
  }
  if (len > 0 && offset === pc.start) {
    // The dissector could not use any of it: the bytes are only a TCP segment for now.
    const keep = step.t === 'reasm' ? nodesBefore - 1 : nodesBefore;
    tree.nodes.length = Math.max(0, keep);
    if (hostNodes !== tree.nodes) hostNodes.length = hostBefore;
    ctx.protocols.length = protocolsBefore;
    ctx.experts.length = expertsBefore;
    ctx.columns.protocol = protocolCol;
    if (step.t === 'reasm') ctx.sources.length = sourcesBefore;
    const segLen = pc.end - pc.start;
    if (ctx.buildTree && step.t === 'call' && segLen > 0) tree.add(f.segmentData, c, step.off, segLen, { label: () => segmentLabel(segLen) });
    const own = step.t === 'reasm' ? step.own : undefined;
    if (ctx.buildTree && own && own.len > 0) tree.add(f.segmentData, c, own.off, own.len, { label: () => segmentLabel(own.len) });
    const inFrame = reassembledInOf(r, ctx.frame.number);
    if (inFrame && inFrame !== ctx.frame.number) tree.generated(f.reassembledIn, inFrame, `[Reassembled PDU in frame: ${inFrame}]`);
    if (!step.fenced) markSegment(ctx);
    return { offset, len, segmentOnly: true, info: ctx.columns.info, protocol: ctx.columns.protocol };
  }
  return { offset, len, segmentOnly: false };
}

/** The tree the layers called from `tree` land in (see Tree.layer in core/tree.ts). */
function layerHost(ctx: PacketContext, tree: Tree): Tree {
  return tree.layer ? (tree.host ?? ctx.root ?? tree) : tree;
}

function reassembledInOf(r: TcpFrameResult, frame: number): number {
  const flow = r.conv.flows[r.dir]!;
  return flow.deseg?.reassembledIn.get(frame) ?? 0;
}

export default protocol({
  abbrev: 'tcp',
  name: 'Transmission Control Protocol',
  short: 'TCP',
  fields: f,
  register(r) {
    r.table('ip.proto', 6);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const layer = ((ctx.scratch.get('tcp.layer') as number | undefined) ?? 0) + 1;
    ctx.scratch.set('tcp.layer', layer);
    const key = ctx.frame.number * 16 + Math.min(layer, 15);

    const sport = c.u16(o);
    const dport = c.u16(o + 2);
    ctx.srcPort = sport;
    ctx.dstPort = dport;
    const ports = `${sport} \u2192 ${dport}`;
    ctx.setInfo(ports);
    tree.add(f.srcport, c, o, 2);
    tree.add(f.dstport, c, o + 2, 2);
    tree.hidden(f.port, c, o, 2);
    tree.hidden(f.port, c, o + 2, 2);
    if (tree.owner && ctx.buildTree) tree.owner.label = `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}`;

    if (ctx.scratch.get(IN_ERROR_PACKET) === true && !c.has(o, 20)) {
      // The start of a segment quoted by an ICMP error: ports and sequence number only, as tshark.
      if (c.reportedRemaining(o + 4) >= 4) tree.add(f.seq, c, o + 4, 4);
      return c.remaining(o);
    }
    const seq = c.u32(o + 4);
    const ack = c.u32(o + 8);
    const hb = c.u16(o + 12);
    const hlen = (hb >> 12) * 4;
    const flags = hb & 0x0fff;
    const win = c.u16(o + 14);
    const reported = c.reportedRemaining(o);
    const seglen = hlen >= 20 && reported >= hlen ? reported - hlen : -1;

    // Conversation and analysis: once per frame on the first pass, then from the store.
    const st = state(ctx);
    let r = ctx.session.singlePass ? undefined : st.results.get(key);
    if (!r) {
      const { conv, dir, reused } = st.lookup(ctx.netSrc, sport, ctx.netDst, dport, flags, seq, ctx.frame.number);
      const scan = hlen > 20 ? scanOptions(c, o + 20, Math.min(o + hlen, c.end)) : { wsShift: -1, sackBytes: -1 };
      r = analyzeSegment(conv, dir, reused, {
        seq, ack, flags, seglen: hlen < 20 ? -1 : seglen, bogusHeader: hlen < 20, windowValue: win, wsShift: flags & TH_SYN ? scan.wsShift : -1, sackBytes: scan.sackBytes,
        time: frameTimeNs(ctx.frame), frame: ctx.frame.number,
      });
      // Kept for re-dissection only: a single pass (the CLI) lets the frame's result go.
      if (!ctx.session.singlePass) st.results.set(key, r);
    }
    ctx.scratch.set('tcp.stream', r.stream);

    const full = ctx.buildTree;
    if (full) {
      tree.generated(f.stream, r.stream, `[Stream index: ${r.stream}]`);
      tree.generated(f.completeness, r.completeness, `[Conversation completeness: ${completenessNames(r.completeness)}]`);
    }
    if (hlen < 20) {
      tree.add(f.hdrLen, c, o + 12, 1, { value: hlen, label: () => `${((hb >> 12) & 0xf).toString(2).padStart(4, '0')} .... = Header Length: ${hlen} bytes (${hlen / 4})` });
      // tshark gives up here with an expert item (no exception, so no _ws.malformed).
      tree.expert('error', 'malformed', `Bogus TCP header length (${hlen}, must be at least 20)`, c, o + 12, 1);
      ctx.setInfo(`${sport} \u2192 ${dport} [${tcpFlagsText(flags)}] Seq=${r.relSeq}` + (flags & TH_ACK ? ` Ack=${r.relAck}` : '') + ` Win=${win}, bogus TCP header length (${hlen}, must be at least 20)`);
      return Math.min(12, c.remaining(o));
    }
    if (seglen >= 0) {
      if (full) tree.generated(f.len, seglen, `[TCP Segment Len: ${seglen}]`);
    } else tree.expert('warn', 'malformed', 'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)');

    const ackSet = (flags & TH_ACK) !== 0;
    const relative = seglen >= 0;
    const seqShown = relative ? r.relSeq : seq;
    const ackShown = relative && ackSet ? r.relAck : ack;
    if (full) {
      tree.add(f.seq, c, o + 4, 4, { value: seqShown, label: () => `Sequence Number: ${seqShown}    (relative sequence number)` });
      tree.add(f.seqRaw, c, o + 4, 4);
      if (seglen >= 0) tree.generated(f.nxtseq, r.nxtseq, `[Next Sequence Number: ${r.nxtseq}    (relative sequence number)]`);
      tree.add(f.ack, c, o + 8, 4, { value: ackShown, label: () => `Acknowledgment Number: ${ackShown}${ackSet ? '    (relative ack number)' : ''}` });
    }
    if (!ackSet && ack !== 0) tree.expert('note', 'protocol', `The acknowledgment number field is nonzero while the ACK flag is not set`, c, o + 8, 4);
    // The flags subtree (its experts go to the packet either way; without a tree, nowhere else).
    let ft = tree;
    if (full) {
      tree.add(f.ackRaw, c, o + 8, 4);
      tree.add(f.hdrLen, c, o + 12, 1, { value: hlen, label: () => `${(hb >> 12).toString(2).padStart(4, '0')} .... = Header Length: ${hlen} bytes (${hlen / 4})` });
      ft = tree.addTree(f.flags, c, o + 12, 2, { label: () => `Flags: 0x${flags.toString(16).padStart(3, '0')} (${tcpFlagsText(flags)})` });
      for (const b of flagBits) ft.add(b, c, o + 12, 2);
      const str = tcpFlagsString(flags);
      ft.generated(f.flagsStr, str, `[TCP Flags: ${str}]`);
    }
    // tshark's connection expert items on the flags (SYN / SYN+ACK / FIN chats, RST warning).
    if (flags & TH_SYN) ft.expert('chat', 'sequence', ackSet ? `Connection establish acknowledge (SYN+ACK): server port ${sport}` : `Connection establish request (SYN): server port ${dport}`);
    if (flags & 0x01) {
      ft.expert('chat', 'sequence', 'Connection finish (FIN)');
      ft.expert('note', 'sequence', finInitiator(ctx, key, r.conv, r.dir) ? 'This frame initiates the connection closing' : 'This frame undergoes the connection closing');
    }
    if (flags & 0x04) ft.expert('warn', 'sequence', 'Connection reset (RST)');

    let info = `${ports} [${tcpFlagsText(flags)}] Seq=${seqShown}`;
    if (ackSet) info += ` Ack=${ackShown}`;
    const winShown = relative ? r.window : win;
    info += ` Win=${winShown}`;
    const prefix = relative ? analysisInfo(r) : '';
    ctx.setInfo(prefix + info);

    if (full) tree.add(f.windowValue, c, o + 14, 2);
    if (full) tree.generated(f.window, winShown, `[Calculated window size: ${winShown}]`);
    if (full && r.scale !== null && relative) {
      const s = r.scale;
      tree.generated(f.scale, s, `[Window size scaling factor: ${s === -1 ? '-1 (unknown)' : s === -2 ? '-2 (no window scaling used)' : s}]`);
    }
    // Verified over the pseudo-header when the whole segment is here (not in a quoted ICMP error).
    const tcpLen = c.reportedEnd - o;
    const pseudo = ctx.buildTree && c.end === c.reportedEnd && ctx.scratch.get(IN_ERROR_PACKET) !== true ? pseudoHeaderSum(ctx, 6, tcpLen) : null;
    addChecksum(tree, c, o + 16, f.checksum, f.checksumStatus, 'Checksum', pseudo === null ? null : inetChecksum(c.bytes(o, tcpLen), pseudo));
    const urp = c.u16(o + 18);
    if (full) tree.add(f.urgentPointer, c, o + 18, 2);
    if (urp && !(flags & TH_URG)) tree.expert('note', 'protocol', 'The urgent pointer field is nonzero while the URG flag is not set', c, o + 18, 2);
    if (flags & TH_URG) info += ` Urg=${urp}`;
    if (seglen >= 0) info += ` Len=${seglen}`;
    ctx.setInfo(prefix + info);

    if (hlen > 20) {
      // Options past the reported end make the segment malformed (as tshark does).
      const base = r.conv.flows[1 - r.dir]!.baseSet && relative ? r.conv.flows[1 - r.dir]!.baseSeq : 0;
      if (o + hlen > c.reportedEnd) c.check(o + 20, hlen - 20);
      const opt = dissectOptions(c, o + 20, o + hlen, tree, base);
      info += opt.info;
      ctx.setInfo(prefix + info);
    }
    if (tree.owner && full) {
      tree.owner.label = `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}, Seq: ${seqShown}` + (ackSet ? `, Ack: ${ackShown}` : '') + (seglen >= 0 ? `, Len: ${seglen}` : '');
    }

    if (full) {
      tree.generated(f.timeRelative, BigInt(r.timeRelative), timeLabel('Time since first frame in this TCP stream', r.timeRelative));
      tree.generated(f.timeDelta, BigInt(r.timeDelta), timeLabel('Time since previous frame in this TCP stream', r.timeDelta));
    }

    if (relative) addAnalysis(tree, r);

    const finPlan = r.plan as (Plan & { fin?: boolean }) | null;
    if (flags & 0x01 && seglen >= 0 && c.remaining(o + hlen) === seglen && (finPlan ? finPlan.fin : r.conv.flows[r.dir]!.deseg?.untilFin)) {
      // The FIN ends a PDU collected "until FIN": dissect it here, as tshark does.
      const exec = (step: Step): DesegRequest => runStep(ctx, c, tree, step, sport, dport, r, prefix);
      const before = tree.nodes.length;
      const hostNodes = layerHost(ctx, tree).nodes;
      const hostBefore = hostNodes.length;
      if (ctx.buildTree && seglen > 0) tree.add(f.payload, c, o + hlen, seglen, { label: () => `TCP payload (${seglen} byte${seglen === 1 ? '' : 's'})` });
      if (finPlan) for (const step of finPlan.steps) exec(step);
      else {
        const done = finishAtFin(r.conv.flows[r.dir]!.deseg!, seq, c.sub(o + hlen), ctx.frame.number, exec);
        if (done) r.plan = { ...done, fin: true };
      }
      if (r.plan) {
        restorePrefix(ctx, prefix);
        return c.remaining(o);
      }
      tree.nodes.length = before;
      if (hostNodes !== tree.nodes) hostNodes.length = hostBefore;
    }
    if (seglen <= 0) return Math.min(hlen, c.remaining(o));
    const payloadStart = o + hlen;
    const captured = c.remaining(payloadStart);
    // Payload items lie within the captured bytes: only a tree shows them.
    if (ctx.buildTree && captured > 0) tree.add(f.payload, c, payloadStart, captured, { label: () => `TCP payload (${captured} byte${captured === 1 ? '' : 's'})` });

    // The payload: through desegmentation when the whole segment was captured.
    const payload = c.sub(payloadStart);
    const canDeseg = captured === seglen && !(flags & 0x04);
    if (!canDeseg) {
      if (captured > 0 || seglen > 0) {
        ctx.canDesegment = false;
        callUpper(ctx, payload, tree, sport, dport);
        restorePrefix(ctx, prefix);
      }
      return c.remaining(o);
    }
    // tshark hands retransmitted data to nobody: it was dissected with the original.
    if (r.flags & A.SPURIOUS_RETRANSMISSION) return c.remaining(o);
    // Nor out-of-order data (tcp.no_subdissector_on_error, on by default): protocols that need
    // their bytes in order would misread it.
    if (r.flags & A.OUT_OF_ORDER && !(flags & 0x02)) return c.remaining(o);
    if (r.flags & A.RETRANSMISSION) {
      if (ctx.buildTree) tree.add(f.segmentData, c, payloadStart, captured, { label: () => segmentLabel(captured, true) });
      return c.remaining(o);
    }
    const flow = r.conv.flows[r.dir]!;
    flow.deseg ??= newDesegFlow();
    const exec = (step: Step): DesegRequest => runStep(ctx, c, tree, step, sport, dport, r, prefix);
    const stored = r.plan as Plan | null;
    if (!stored) r.plan = desegmentSegment(flow.deseg, seq, payload, ctx.frame.number, exec, (r.flags & A.KEEP_ALIVE) !== 0 && seglen <= 1);
    else for (const step of stored.steps) exec(step);
    restorePrefix(ctx, prefix);
    return c.remaining(o);
  },
});

/** Upper layers may replace the Info text; the analysis prefix stays in front (tshark's column fence). */
function restorePrefix(ctx: PacketContext, prefix: string): void {
  // Some dissectors place the prefix themselves (tshark's SSH shows `Client: [TCP ...] , ...`).
  if (prefix && !ctx.columns.info.includes(prefix.trimEnd())) ctx.columns.info = prefix + ctx.columns.info;
}

function addAnalysis(tree: Tree, r: TcpFrameResult): void {
  // tshark shows the analysis only for segments it has something to say about.
  const hasAny = r.acksFrame || r.bytesInFlight >= 0 || r.pushBytes >= 0 || r.flags;
  if (!hasAny) return;
  if (!tree.ctx.buildTree) {
    // Summary only: the analysis experts, in the same order, without the items.
    if (!r.flags) return;
    for (const [bit, , sev, msg] of analysisItems) {
      if (!(r.flags & bit)) continue;
      tree.expert(sev, 'sequence', bit === A.DUPLICATE_ACK ? `Duplicate ACK (#${r.dupackNum})` : msg);
      if (bit === A.FAST_RETRANSMISSION || bit === A.SPURIOUS_RETRANSMISSION) tree.expert('note', 'sequence', 'This frame is a (suspected) retransmission');
    }
    return;
  }
  const node = tree.generated(f.analysis, null, '[SEQ/ACK analysis]');
  const at = tree.subtree(node);
  if (r.acksFrame) {
    at.generated(f.acksFrame, r.acksFrame, `[This is an ACK to the segment in frame: ${r.acksFrame}]`);
    if (Number(r.ackRtt) !== 0) at.generated(f.ackRtt, BigInt(r.ackRtt), timeLabel('The RTT to ACK the segment was', r.ackRtt));
  }
  if (r.irtt !== null) at.generated(f.irtt, BigInt(r.irtt), timeLabel('iRTT', r.irtt));
  if (r.bytesInFlight >= 0) at.generated(f.bytesInFlight, r.bytesInFlight, `[Bytes in flight: ${r.bytesInFlight}]`);
  if (r.pushBytes >= 0) at.generated(f.pushBytes, r.pushBytes, `[Bytes sent since last PSH flag: ${r.pushBytes}]`);
  if (!r.flags) return;
  const fl = at.subtree(at.generated(f.analysisFlags, null, '[TCP Analysis Flags]'));
  for (const [bit, def, sev, msg] of analysisItems) {
    if (!(r.flags & bit)) continue;
    if (bit === A.DUPLICATE_ACK) {
      fl.generated(f.dupAck, null, '[This is a TCP duplicate ack]');
      fl.generated(f.dupAckNum, r.dupackNum, `[Duplicate ACK #: ${r.dupackNum}]`);
      fl.generated(f.dupAckFrame, r.dupackFrame, `[Duplicate to the ACK in frame: ${r.dupackFrame}]`);
    } else fl.generated(def, null, `[${msg}]`);
    fl.expert(sev, 'sequence', bit === A.DUPLICATE_ACK ? `Duplicate ACK (#${r.dupackNum})` : msg);
    if (bit === A.FAST_RETRANSMISSION || bit === A.SPURIOUS_RETRANSMISSION) {
      // tshark marks these as retransmissions too (tcp.analysis.retransmission matches them), after the specific item.
      fl.generated(f.retransmission, null, '[This frame is a (suspected) retransmission]');
      fl.expert('note', 'sequence', 'This frame is a (suspected) retransmission');
    }
    if (bit === A.RETRANSMISSION && r.rtoFrame) {
      fl.generated(f.rto, BigInt(r.rto), timeLabel('The RTO for this segment was', r.rto));
      fl.generated(f.rtoFrame, r.rtoFrame, `[RTO based on delta from frame: ${r.rtoFrame}]`);
    }
  }
}

