// TCP desegmentation (after Wireshark's desegment_tcp), protocol-agnostic.
//
// The contract with upper layers is only the PacketContext fields: TCP sets `canDesegment`
// before calling a payload dissector; a dissector that needs more bytes sets
// `desegmentOffset` (absolute offset in its data source where the unfinished PDU starts)
// and `desegmentLen` (bytes still missing, or DESEGMENT_ONE_MORE_SEGMENT).
//
// Per direction we keep the recent multi-segment PDUs (MSPs): byte chunks keyed by sequence
// number. When a segment completes one, the PDU is dissected in that frame from a
// "Reassembled TCP" data source. What a frame did is recorded as a plan of steps so a
// re-dissection replays the same calls without touching the state.

import { DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN } from '../core/context.ts';
import type { Cursor } from '../core/cursor.ts';

/** Upper bound on the bytes a new PDU may still ask for (tshark: 1 MiB). */
export const MAX_PDU_START = 1024 * 1024;
/** Upper bound on one reassembled PDU. */
export const MAX_PDU_BYTES = 16 * 1024 * 1024;
/** Upper bound on the chunks of one PDU (hostile 1-byte segments). */
export const MAX_PDU_PARTS = 20000;
/** Largest buffer allocated up front for a PDU whose length is known. */
const MAX_PREALLOC = 256 * 1024;
/** How many PDUs per direction we remember (for late retransmissions and keep-alives). */
export const MAX_MSPS = 64;
/** How far a "until FIN" PDU reaches (as tshark: big, but far from wrapping). */
const UNTIL_FIN_SPAN = 0x40000000;

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
  /** Sequence number one past the PDU's last byte. */
  nxtpdu: number;
  /** The dissector asked for "one more segment": take the whole next segment. */
  entire: boolean;
  parts: Part[];
  size: number;
  firstFrame: number;
  lastFrame: number;
  /** The reassembled bytes once complete. */
  data: Uint8Array | null;
  /**
   * The bytes so far when every part arrived in order (the usual case): appending here
   * avoids copying the whole PDU again for each segment of a long "one more segment" PDU.
   */
  buf: Uint8Array | null;
  /** Bytes of `buf` in use. */
  bufLen: number;
}

/**
 * Adds the bytes `data` (a view the caller does not own: they are copied once) at sequence
 * `seq` to the PDU, keeping the in-order buffer up to date. An in-order part's data is a view
 * into the buffer: bytes below `bufLen` are never written again, even after the buffer grows.
 */
function addPart(m: Msp, frame: number, seq: number, data: Uint8Array): void {
  m.size += data.length;
  if (m.buf && seq === u32(m.seq + m.bufLen)) {
    const need = m.bufLen + data.length;
    if (need > m.buf.length) {
      // A PDU of known length gets its whole buffer at once; others grow by doubling.
      const expected = diff(m.nxtpdu, m.seq);
      const size = m.bufLen === 0 && expected > need && expected <= MAX_PREALLOC ? expected : Math.max(need, m.buf.length * 2);
      const grown = new Uint8Array(Math.min(size, MAX_PDU_BYTES + 65536));
      grown.set(m.buf.subarray(0, m.bufLen));
      m.buf = grown;
    }
    m.buf.set(data, m.bufLen);
    m.parts.push({ frame, seq, data: m.buf.subarray(m.bufLen, need) });
    m.bufLen = need;
  } else {
    m.buf = null;
    m.parts.push({ frame, seq, data: data.slice() });
  }
}

export interface DesegFlow {
  msps: Msp[];
  /** A dissector asked for everything up to the FIN in this direction. */
  untilFin: boolean;
  /** Frame that completed each PDU, by the frames that carried its segments (for "Reassembled PDU in frame"). */
  readonly reassembledIn: Map<number, number>;
}

export function newDesegFlow(): DesegFlow {
  return { msps: [], untilFin: false, reassembledIn: new Map() };
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
  | { t: 'call'; off: number; fenced: boolean }
  /** Call the payload dissector on a reassembled buffer. */
  | { t: 'reasm'; data: Uint8Array; segments: SegmentRef[]; fenced: boolean; final?: boolean; own?: { off: number; len: number } }
  /** The bytes [off, off+len) are part of a PDU still being collected (or a retransmission). */
  | {
    t: 'segment'; off: number; len: number; marker: boolean; retransmitted: boolean;
    /** Columns a dissector left when it was called on the first pass and took nothing (replayed as they were). */
    info?: string; protocol?: string;
  }
  /** The bytes contradict data we already hold for that PDU. */
  | { t: 'error'; message: string }
  /** Nothing to hand on (a keep-alive byte outside any PDU). */
  | { t: 'skip' };

export interface Plan {
  steps: Step[];
}

/** What a payload dissector asked for after one call. */
export interface DesegRequest {
  /** Offset where the unfinished PDU starts (absolute in the frame for 'call', in the buffer for 'reasm'). */
  offset: number;
  /** Bytes still needed; 0 when the call needed nothing more. */
  len: number;
  /** The Info and Protocol columns after the call. */
  info?: string;
  protocol?: string;
}

/** Runs the payload dissector for one step with desegmentation allowed and reports what it asked for. */
export type CallPayload = (step: Step) => DesegRequest;

function findExact(flow: DesegFlow, seq: number): Msp | undefined {
  for (let i = flow.msps.length - 1; i >= 0; i--) if (flow.msps[i]!.seq === seq) return flow.msps[i];
  return undefined;
}

/** The PDU starting closest before `seq` (Wireshark's lookup32_le(seq - 1)). */
function findBefore(flow: DesegFlow, seq: number): Msp | undefined {
  let best: Msp | undefined;
  for (const m of flow.msps) {
    if (diff(m.seq, seq) < 0 && (!best || diff(m.seq, best.seq) > 0)) best = m;
  }
  return best;
}

function addMsp(flow: DesegFlow, m: Msp): void {
  // One PDU per start sequence number; the newest wins.
  flow.msps = flow.msps.filter((x) => x.seq !== m.seq);
  flow.msps.push(m);
  if (flow.msps.length > MAX_MSPS) flow.msps.shift();
}

function newMsp(seq: number, nxtpdu: number, frame: number): Msp {
  return { seq, nxtpdu, entire: false, parts: [], size: 0, firstFrame: frame, lastFrame: frame, data: null, buf: new Uint8Array(0), bufLen: 0 };
}

/** True when `data` at sequence `seq` contradicts bytes the PDU already holds. */
function conflicts(m: Msp, seq: number, data: Uint8Array): boolean {
  const check = (base: number, held: Uint8Array): boolean => {
    const from = Math.max(0, diff(base, seq));
    const to = Math.min(data.length, diff(base, seq) + held.length);
    for (let i = from; i < to; i++) if (data[i] !== held[i - diff(base, seq)]) return true;
    return false;
  };
  if (m.data) return check(m.seq, m.data);
  for (const p of m.parts) if (check(p.seq, p.data)) return true;
  return false;
}

/** Contiguous bytes from the PDU start, or null while there is a hole before `nxtpdu`. */
function assemble(m: Msp): { data: Uint8Array; segments: SegmentRef[] } | null {
  const total = diff(m.nxtpdu, m.seq);
  if (total <= 0 || total > MAX_PDU_BYTES) return null;
  if (m.buf) {
    // In order: the buffer already holds the bytes.
    if (m.bufLen < total) return null;
    const segments: SegmentRef[] = [];
    let at = 0;
    for (const p of m.parts) {
      segments.push({ frame: p.frame, offset: at, length: p.data.length });
      at += p.data.length;
    }
    return { data: m.buf.subarray(0, m.bufLen), segments };
  }
  const parts = [...m.parts].sort((a, b) => diff(a.seq, b.seq));
  let have = 0;
  for (const p of parts) {
    const at = diff(p.seq, m.seq);
    if (at > have) return null;
    have = Math.max(have, at + p.data.length);
  }
  if (have < total) return null;
  const data = new Uint8Array(have);
  const segments: SegmentRef[] = [];
  let filled = 0;
  for (const p of parts) {
    const at = diff(p.seq, m.seq);
    const end = at + p.data.length;
    if (end <= filled) continue;
    data.set(p.data, at);
    segments.push({ frame: p.frame, offset: Math.max(at, filled), length: end - Math.max(at, filled) });
    filled = end;
  }
  return { data, segments };
}

const OVERLAP = 'New fragment overlaps old data (retransmission?)';

/**
 * First pass over one segment's payload `p` (from p.start to p.end) whose first byte has
 * sequence number `seq`. Calls the dissector as often as the data allows and returns the plan.
 */
export function desegmentSegment(flow: DesegFlow, seq: number, p: Cursor, frame: number, call: CallPayload, keepAlive = false): Plan {
  const steps: Step[] = [];
  /** Records a step that calls nothing and runs it at once (segment data, errors). */
  const note = (step: Step): void => {
    steps.push(step);
    call(step);
  };
  let off = p.start;
  let s = seq;
  let firstPdu = true;
  for (let guard = 0; off < p.end && guard < 100000; guard++) {
    const nxtseq = u32(s + (p.end - off));
    const exact = findExact(flow, s);
    if (exact && diff(nxtseq, exact.nxtpdu) <= 0 && exact.lastFrame !== frame) {
      note({ t: 'segment', off, len: p.end - off, marker: false, retransmitted: true });
      return { steps };
    }
    const m = exact && diff(exact.nxtpdu, s) > 0 ? exact : findBefore(flow, s);
    if (m && diff(m.seq, s) <= 0 && diff(m.nxtpdu, s) > 0) {
      m.lastFrame = frame;
      const len = m.entire ? p.end - off : Math.min(p.end - off, diff(m.nxtpdu, s));
      const bytes = p.data.subarray(off, off + len);
      if (conflicts(m, s, bytes)) {
        note({ t: 'error', message: OVERLAP });
        return { steps };
      }
      let apf = 0;
      if (m.data) {
        // Bytes of a PDU that was already dissected: just segment data.
        if (diff(m.nxtpdu, nxtseq) < 0 && len > 0) apf = diff(m.nxtpdu, s);
        note({ t: 'segment', off, len: apf || p.end - off, marker: firstPdu, retransmitted: false });
        if (!apf) return { steps };
        off += apf;
        s = u32(s + apf);
        firstPdu = false;
        continue;
      }
      if (m.parts.length >= MAX_PDU_PARTS || m.size + len > MAX_PDU_BYTES) {
        flow.msps = flow.msps.filter((x) => x !== m);
        note({ t: 'segment', off, len: p.end - off, marker: firstPdu, retransmitted: false });
        return { steps };
      }
      addPart(m, frame, s, bytes);
      if (m.entire) {
        m.entire = false;
        if (diff(m.nxtpdu, nxtseq) < 0) m.nxtpdu = nxtseq;
      }
      if (diff(m.nxtpdu, nxtseq) < 0 && len > 0) apf = diff(m.nxtpdu, s);
      const whole = assemble(m);
      if (!whole) {
        note({ t: 'segment', off, len: apf || p.end - off, marker: firstPdu, retransmitted: false });
        if (!apf) return { steps };
        off += apf;
        s = u32(s + apf);
        firstPdu = false;
        continue;
      }
      const step: Step = { t: 'reasm', data: whole.data, segments: whole.segments, fenced: !firstPdu, own: { off, len } };
      steps.push(step);
      const req = call(step);
      if (req.len > 0) {
        const rel = Math.max(0, Math.min(req.offset, whole.data.length));
        let target = m;
        if (rel === 0) {
          // Nothing dissected: keep collecting the same PDU.
          steps[steps.length - 1] = { t: 'segment', off, len, marker: false, retransmitted: false, info: req.info, protocol: req.protocol };
        } else {
          // The PDUs before `rel` were dissected here; a new one starts at `rel` and runs on.
          for (const seg of whole.segments) if (seg.frame !== frame) flow.reassembledIn.set(seg.frame, frame);
          m.data = whole.data.subarray(0, rel);
          m.buf = null;
          m.parts = [];
          m.nxtpdu = u32(m.seq + rel);
          target = newMsp(u32(m.seq + rel), m.nxtpdu, frame);
          addPart(target, frame, target.seq, whole.data.subarray(rel));
          target.nxtpdu = u32(m.seq + whole.data.length);
          addMsp(flow, target);
        }
        if (req.len === DESEGMENT_UNTIL_FIN) {
          flow.untilFin = true;
          target.nxtpdu = u32(target.seq + UNTIL_FIN_SPAN);
        } else if (req.len === DESEGMENT_ONE_MORE_SEGMENT) {
          const end = u32(s + (p.end - off));
          target.nxtpdu = u32((diff(end, target.nxtpdu) > 0 ? end : target.nxtpdu) + 1);
          target.entire = true;
        } else if (diff(u32(s + len), target.nxtpdu) >= 0) {
          target.nxtpdu = u32(s + len + req.len);
        } else {
          target.nxtpdu = u32(target.nxtpdu + req.len);
        }
        if (diff(target.nxtpdu, target.seq) > MAX_PDU_BYTES && !flow.untilFin) flow.msps = flow.msps.filter((x) => x !== target);
        off += len;
        s = u32(s + len);
        continue;
      }
      m.data = whole.data;
      m.parts = [];
      m.buf = null;
      for (const seg of whole.segments) if (seg.frame !== frame) flow.reassembledIn.set(seg.frame, frame);
      if (!apf) return { steps };
      off += apf;
      s = u32(s + apf);
      firstPdu = false;
      continue;
    }
    // A keep-alive's garbage byte outside any PDU is not a message (tshark shows no layer for it).
    if (keepAlive) {
      steps.push({ t: 'skip' });
      return { steps };
    }
    // Not part of a known PDU: the dissector sees it directly.
    const step: Step = { t: 'call', off, fenced: !firstPdu };
    steps.push(step);
    const req = call(step);
    if (req.len > 0 && req.offset >= off && req.offset <= p.end) {
      const desegSeq = u32(s + (req.offset - off));
      if (diff(nxtseq, desegSeq) <= MAX_PDU_START) {
        const one = req.len === DESEGMENT_ONE_MORE_SEGMENT;
        const fin = req.len === DESEGMENT_UNTIL_FIN;
        if (fin) flow.untilFin = true;
        const msp = newMsp(desegSeq, u32(fin ? nxtseq + UNTIL_FIN_SPAN : one ? nxtseq + 1 : nxtseq + req.len), frame);
        msp.entire = one;
        const bytes = p.data.subarray(req.offset, p.end);
        addPart(msp, frame, desegSeq, bytes);
        if (fin || diff(msp.nxtpdu, msp.seq) <= MAX_PDU_BYTES) addMsp(flow, msp);
      }
    }
    return { steps };
  }
  return { steps };
}

/**
 * A FIN in a direction whose dissector asked for everything up to the FIN: the PDU being
 * collected ends here and is dissected now, with no further desegmentation offered.
 * Returns null when there is nothing to finish.
 */
export function finishAtFin(flow: DesegFlow, seq: number, p: Cursor, frame: number, call: CallPayload): Plan | null {
  if (!flow.untilFin) return null;
  const m = findBefore(flow, seq);
  if (!m || m.data) return null;
  const len = p.end - p.start;
  if (len > 0) {
    const bytes = p.data.subarray(p.start, p.end);
    if (conflicts(m, seq, bytes)) return null;
    addPart(m, frame, seq, bytes);
  }
  // Everything contiguous from the start is the PDU.
  const parts = [...m.parts].sort((a, b) => diff(a.seq, b.seq));
  let end = 0;
  for (const q of parts) {
    const at = diff(q.seq, m.seq);
    if (at > end) break;
    end = Math.max(end, at + q.data.length);
  }
  if (end <= 0 || end > MAX_PDU_BYTES) return null;
  m.nxtpdu = u32(m.seq + end);
  const whole = assemble(m);
  if (!whole) return null;
  m.data = whole.data;
  m.parts = [];
  m.buf = null;
  flow.untilFin = false;
  for (const seg of whole.segments) if (seg.frame !== frame) flow.reassembledIn.set(seg.frame, frame);
  const step: Step = { t: 'reasm', data: whole.data, segments: whole.segments, fenced: false, final: true };
  call(step);
  return { steps: [step] };
}
