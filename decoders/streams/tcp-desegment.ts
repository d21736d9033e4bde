// TCP desegmentation (Wireshark's desegment_pdus), protocol-agnostic.
//
// The contract with upper layers is only the PacketContext fields: TCP sets `canDesegment`
// before calling a payload dissector; a dissector that needs more bytes sets
// `desegmentOffset` (absolute offset in its data source where the unfinished PDU starts)
// and `desegmentLen` (bytes still missing, or DESEGMENT_ONE_MORE_SEGMENT).
//
// Per direction we keep at most one multi-segment PDU (MSP) in progress, as byte chunks
// keyed by sequence number. When a segment completes it, the PDU is dissected in that frame
// from a "Reassembled TCP" data source. What a frame did is recorded as a plan of steps so a
// re-dissection replays the same calls without touching the state.

import { DESEGMENT_ONE_MORE_SEGMENT } from '../core/context.ts';
import type { Cursor } from '../core/cursor.ts';

/** Upper bound on one reassembled PDU; beyond it the bytes are shown as plain segment data. */
export const MAX_PDU_BYTES = 16 * 1024 * 1024;
/** Upper bound on the chunks of one PDU (hostile 1-byte segments). */
export const MAX_PDU_PARTS = 20000;

const u32 = (n: number): number => n >>> 0;
const diff = (a: number, b: number): number => (a - b) | 0;

interface Part {
  frame: number;
  seq: number;
  data: Uint8Array;
}

interface Msp {
  /** Sequence number of the PDU's first byte. */
  seq: number;
  /** Sequence number one past the PDU's last byte (meaningless when `oneMore`). */
  nxtpdu: number;
  oneMore: boolean;
  parts: Part[];
  size: number;
  firstFrame: number;
}

export interface DesegFlow {
  msp: Msp | null;
  /** Frame that completed each PDU, by the frames that carried its segments (for "Reassembled PDU in frame"). */
  readonly reassembledIn: Map<number, number>;
}

export function newDesegFlow(): DesegFlow {
  return { msp: null, reassembledIn: new Map() };
}

/** One PDU segment of the reassembled buffer: which frame carried which bytes. */
export interface SegmentRef {
  frame: number;
  /** Offset of these bytes in the reassembled buffer. */
  offset: number;
  length: number;
}

export type Step =
  /** Call the payload dissector on this frame's payload from `off` (absolute). */
  | { t: 'call'; off: number }
  /** Call the payload dissector on a reassembled buffer. */
  | { t: 'reasm'; data: Uint8Array; segments: SegmentRef[] }
  /** The bytes from `off` are the middle of a PDU: shown as segment data only. */
  | { t: 'segment'; off: number; len: number };

export interface Plan {
  steps: Step[];
}

/** What a payload dissector asked for after one call. */
export interface DesegRequest {
  /** Absolute offset where the unfinished PDU starts, in the cursor's data source. */
  offset: number;
  /** Bytes still needed; 0 when the call needed nothing more. */
  len: number;
}

/**
 * Runs the payload dissector for one step with desegmentation allowed and reports what it
 * asked for. For 'call' steps offsets are absolute in the frame; for 'reasm' steps they are
 * offsets in the reassembled buffer.
 */
export type CallPayload = (step: Step) => DesegRequest;

function concat(parts: Part[], size: number): { data: Uint8Array; segments: SegmentRef[] } {
  const data = new Uint8Array(size);
  const segments: SegmentRef[] = [];
  let o = 0;
  for (const p of parts) {
    data.set(p.data.subarray(0, Math.min(p.data.length, size - o)), o);
    segments.push({ frame: p.frame, offset: o, length: p.data.length });
    o += p.data.length;
    if (o >= size) break;
  }
  return { data, segments };
}

function startMsp(flow: DesegFlow, seq: number, bytes: Uint8Array, frame: number, needMore: number): void {
  const oneMore = needMore === DESEGMENT_ONE_MORE_SEGMENT;
  const total = bytes.length + (oneMore ? 0 : needMore);
  if (total > MAX_PDU_BYTES) {
    flow.msp = null;
    return;
  }
  flow.msp = {
    seq,
    nxtpdu: u32(seq + total),
    oneMore,
    parts: [{ frame, seq, data: bytes.slice() }],
    size: bytes.length,
    firstFrame: frame,
  };
}

/**
 * First pass over one segment's payload `p` (from p.start to p.end) whose first byte has
 * sequence number `seq`. Calls the dissector as often as the data allows and returns the plan.
 */
export function desegmentSegment(flow: DesegFlow, seq: number, p: Cursor, frame: number, call: CallPayload): Plan {
  const steps: Step[] = [];
  let off = p.start;
  let s = seq;
  // Each round consumes at least one byte or stops; bounded by the segment length.
  let guard = 0;
  while (off < p.end && guard++ < 100000) {
    const msp = flow.msp;
    if (msp && diff(s, msp.seq) >= 0 && (msp.oneMore || diff(s, msp.nxtpdu) < 0)) {
      const have = u32(msp.seq + msp.size);
      if (s !== have) {
        // A retransmission of bytes we already hold, or a gap: show as segment data.
        const len = p.end - off;
        steps.push({ t: 'segment', off, len });
        if (diff(s, have) > 0) flow.msp = null; // a hole: this PDU cannot complete
        return { steps };
      }
      const want = msp.oneMore ? p.end - off : Math.min(p.end - off, diff(msp.nxtpdu, s));
      if (msp.parts.length >= MAX_PDU_PARTS || msp.size + want > MAX_PDU_BYTES) {
        flow.msp = null;
        steps.push({ t: 'segment', off, len: p.end - off });
        return { steps };
      }
      msp.parts.push({ frame, seq: s, data: p.data.slice(off, off + want) });
      msp.size += want;
      off += want;
      s = u32(s + want);
      if (!msp.oneMore && s !== msp.nxtpdu) {
        steps.push({ t: 'segment', off: off - want, len: want });
        continue;
      }
      // Complete (or "one more segment" arrived): dissect the whole buffer.
      const { data, segments } = concat(msp.parts, msp.size);
      const step: Step = { t: 'reasm', data, segments };
      steps.push(step);
      const req = call(step);
      if (req.len > 0) {
        const rel = Math.max(0, Math.min(req.offset, data.length));
        if (rel === 0) {
          // Still the same PDU: keep collecting.
          if (req.len === DESEGMENT_ONE_MORE_SEGMENT) msp.oneMore = true;
          else {
            msp.oneMore = false;
            msp.nxtpdu = u32(msp.seq + data.length + req.len);
          }
          if (data.length + (msp.oneMore ? 0 : req.len) > MAX_PDU_BYTES) flow.msp = null;
          // The step becomes a segment step: nothing was dissected from it.
          steps[steps.length - 1] = { t: 'segment', off: off - want, len: want };
          continue;
        }
        // A new PDU starts inside the reassembled data and runs on.
        for (const seg of segments) if (seg.frame !== frame) flow.reassembledIn.set(seg.frame, frame);
        startMsp(flow, u32(msp.seq + rel), data.subarray(rel), frame, req.len);
        continue;
      }
      for (const seg of segments) if (seg.frame !== frame) flow.reassembledIn.set(seg.frame, frame);
      flow.msp = null;
      continue;
    }
    if (msp && diff(s, msp.seq) < 0) {
      // Bytes before the PDU being collected: an old retransmission.
      steps.push({ t: 'segment', off, len: p.end - off });
      return { steps };
    }
    if (msp) flow.msp = null; // beyond the PDU: it can never complete
    const step: Step = { t: 'call', off };
    steps.push(step);
    const req = call(step);
    if (req.len > 0 && req.offset >= off && req.offset <= p.end) {
      const start = req.offset;
      const bytes = p.data.subarray(start, p.end);
      startMsp(flow, u32(s + (start - off)), bytes, frame, req.len);
    }
    return { steps };
  }
  return { steps };
}
