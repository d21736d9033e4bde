// TCP conversation state and sequence analysis, after Wireshark's tcp_analyze_sequence_number:
// stream numbering (a new number per new conversation, including port reuse after a close),
// relative sequence numbers, window scaling and the analysis flags that show up in the Info
// column ([TCP Retransmission], [TCP Previous segment not captured], ...).
//
// State only moves forward on the first pass over a frame; every result a frame needs is
// stored per frame so a later re-dissection shows exactly the same tree. Pure TS.

import type { Address } from '../core/context.ts';
import { conversationKey } from './conversation.ts';
import type { DesegFlow } from './tcp-desegment.ts';

export const TH_FIN = 0x01;
export const TH_SYN = 0x02;
export const TH_RST = 0x04;
export const TH_PUSH = 0x08;
export const TH_ACK = 0x10;
export const TH_URG = 0x20;

/** Analysis flags (Wireshark's TCP_A_*). */
export const A = {
  RETRANSMISSION: 0x0001,
  LOST_PACKET: 0x0002,
  ACK_LOST_PACKET: 0x0004,
  KEEP_ALIVE: 0x0008,
  DUPLICATE_ACK: 0x0010,
  ZERO_WINDOW: 0x0020,
  ZERO_WINDOW_PROBE: 0x0040,
  ZERO_WINDOW_PROBE_ACK: 0x0080,
  KEEP_ALIVE_ACK: 0x0100,
  OUT_OF_ORDER: 0x0200,
  FAST_RETRANSMISSION: 0x0400,
  WINDOW_UPDATE: 0x0800,
  WINDOW_FULL: 0x1000,
  REUSED_PORTS: 0x2000,
  SPURIOUS_RETRANSMISSION: 0x4000,
} as const;

const MAX_UNACKED = 10000;

/** A nanosecond count: a number while exact, else a bigint. */
export type Ns = number | bigint;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
function ns(v: bigint): Ns {
  return v <= SAFE && v >= -SAFE ? Number(v) : v;
}

/** Sequence-space comparisons (RFC 1982 style, 32 bits). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}
const GT = (a: number, b: number): boolean => seqDiff(a, b) > 0;
const LT = (a: number, b: number): boolean => seqDiff(a, b) < 0;
const LE = (a: number, b: number): boolean => seqDiff(a, b) <= 0;
const u32 = (n: number): number => n >>> 0;

interface Unacked {
  frame: number;
  seq: number;
  nextseq: number;
  ts: bigint;
}

export class TcpFlow {
  baseSeq = 0;
  baseSet = false;
  /** Window scale shift; -1 unknown, -2 known not to be used. */
  winScale = -1;
  window = -1;
  nextseq = 0;
  nextseqFrame = 0;
  nextseqTime = 0n;
  maxseqtobeacked = 0;
  lastack = 0;
  lastackTime = 0n;
  dupacknum = 0;
  lastnondupack = 0;
  lastSegmentFlags = 0;
  pushBytes = 0;
  pushSetLast = false;
  validBif = true;
  /** Bytes covered by the last SACK option this side sent (tshark subtracts them from bytes in flight). */
  sackBytes = 0;
  segments: Unacked[] = [];
  /** Reassembly of upper-layer PDUs in this direction (owned by tcp-desegment.ts). */
  deseg: DesegFlow | null = null;
}

export class TcpConversation {
  readonly flows: [TcpFlow, TcpFlow] = [new TcpFlow(), new TcpFlow()];
  /** Endpoint text of the side that sent flows[0]. */
  constructor(
    readonly stream: number,
    readonly firstSrc: string | number,
    readonly firstFrame: number,
  ) {}
  /** Bits: 1 SYN, 2 SYN-ACK, 4 ACK, 8 data, 16 FIN, 32 RST (Wireshark's completeness). */
  completeness = 0;
  /** Segments seen so far. */
  segments = 0;
  tsMruSyn = 0n;
  tsFirstRtt = 0n;
  hasMruSyn = false;
  hasFirstRtt = false;
  firstTime = 0n;
  lastTime = 0n;
  /** Frame of the latest segment looked up (lookupNumeric), for compaction of idle conversations. */
  lastFrame = 0;
}

/**
 * Idle conversations of the index pass, packed into typed arrays (about 220 bytes instead of
 * about a kilobyte of objects) and unpacked, unchanged, when a segment of theirs comes again.
 * Every field of TcpConversation and TcpFlow is listed here: keep it so when adding one.
 */
const PU = 23; // uint32 fields per conversation: 7, then 8 per flow
const PF = 10; // int32 fields
const PT = 8; // bigint64 fields
const PAGE_BITS = 12;

class PackedConversations {
  /** Slots live in pages of PAGE conversations: growth never copies, nothing is left as garbage. */
  private readonly uPages: Uint32Array<ArrayBuffer>[] = [];
  private readonly fPages: Int32Array<ArrayBuffer>[] = [];
  private readonly tPages: BigInt64Array<ArrayBuffer>[] = [];
  private readonly free: number[] = [];
  private n = 0;
  private exact = true;
  private u = new Uint32Array(0);
  private f = new Int32Array(0);
  private t = new BigInt64Array(0);

  /** Points u/f/t at the page of `slot`; returns the slot's index within its page. */
  private page(slot: number): number {
    const p = slot >>> PAGE_BITS;
    while (p >= this.uPages.length) {
      this.uPages.push(new Uint32Array(PU << PAGE_BITS));
      this.fPages.push(new Int32Array(PF << PAGE_BITS));
      this.tPages.push(new BigInt64Array(PT << PAGE_BITS));
    }
    this.u = this.uPages[p]!;
    this.f = this.fPages[p]!;
    this.t = this.tPages[p]!;
    return slot & ((1 << PAGE_BITS) - 1);
  }

  private pu(i: number, v: number): void {
    this.u[i] = v;
    if (this.u[i] !== v) this.exact = false;
  }

  private pi(i: number, v: number): void {
    this.f[i] = v;
    if (this.f[i] !== v) this.exact = false;
  }

  private pt(i: number, v: bigint): void {
    this.t[i] = v;
    if (this.t[i] !== v) this.exact = false;
  }

  /** The slot holding `c`, or -1 when it cannot be packed exactly (it then stays an object). */
  pack(c: TcpConversation): number {
    if (typeof c.firstSrc !== 'number') return -1;
    for (const fl of c.flows) if (fl.segments.length || fl.deseg) return -1;
    const slot = this.free.length ? this.free.pop()! : this.n++;
    const k = this.page(slot);
    this.exact = true;
    let u = k * PU;
    let f = k * PF;
    const t = k * PT;
    this.pu(u++, c.stream);
    this.pu(u++, c.firstSrc);
    this.pu(u++, c.firstFrame);
    this.pu(u++, c.lastFrame);
    this.pu(u++, c.completeness);
    this.pu(u++, c.segments);
    this.pu(u++, (c.hasMruSyn ? 1 : 0) | (c.hasFirstRtt ? 2 : 0));
    this.pt(t, c.tsMruSyn);
    this.pt(t + 1, c.tsFirstRtt);
    this.pt(t + 2, c.firstTime);
    this.pt(t + 3, c.lastTime);
    for (let d = 0; d < 2; d++) {
      const fl = c.flows[d]!;
      this.pu(u++, fl.baseSeq);
      this.pu(u++, fl.nextseq);
      this.pu(u++, fl.nextseqFrame);
      this.pu(u++, fl.maxseqtobeacked);
      this.pu(u++, fl.lastack);
      this.pu(u++, fl.lastnondupack);
      this.pu(u++, fl.lastSegmentFlags);
      this.pu(u++, (fl.baseSet ? 1 : 0) | (fl.pushSetLast ? 2 : 0) | (fl.validBif ? 4 : 0));
      this.pi(f++, fl.winScale);
      this.pi(f++, fl.window);
      this.pi(f++, fl.dupacknum);
      this.pi(f++, fl.pushBytes);
      this.pi(f++, fl.sackBytes);
      this.pt(t + 4 + d * 2, fl.nextseqTime);
      this.pt(t + 5 + d * 2, fl.lastackTime);
    }
    if (!this.exact) {
      this.free.push(slot);
      return -1;
    }
    return slot;
  }

  unpack(slot: number): TcpConversation {
    const k = this.page(slot);
    let u = k * PU;
    let f = k * PF;
    const t = k * PT;
    const U = this.u;
    const F = this.f;
    const T = this.t;
    const c = new TcpConversation(U[u]!, U[u + 1]!, U[u + 2]!);
    u += 3;
    c.lastFrame = U[u++]!;
    c.completeness = U[u++]!;
    c.segments = U[u++]!;
    const b = U[u++]!;
    c.hasMruSyn = (b & 1) !== 0;
    c.hasFirstRtt = (b & 2) !== 0;
    c.tsMruSyn = T[t]!;
    c.tsFirstRtt = T[t + 1]!;
    c.firstTime = T[t + 2]!;
    c.lastTime = T[t + 3]!;
    for (let d = 0; d < 2; d++) {
      const fl = c.flows[d]!;
      fl.baseSeq = U[u++]!;
      fl.nextseq = U[u++]!;
      fl.nextseqFrame = U[u++]!;
      fl.maxseqtobeacked = U[u++]!;
      fl.lastack = U[u++]!;
      fl.lastnondupack = U[u++]!;
      fl.lastSegmentFlags = U[u++]!;
      const bits = U[u++]!;
      fl.baseSet = (bits & 1) !== 0;
      fl.pushSetLast = (bits & 2) !== 0;
      fl.validBif = (bits & 4) !== 0;
      fl.winScale = F[f++]!;
      fl.window = F[f++]!;
      fl.dupacknum = F[f++]!;
      fl.pushBytes = F[f++]!;
      fl.sackBytes = F[f++]!;
      fl.nextseqTime = T[t + 4 + d * 2]!;
      fl.lastackTime = T[t + 5 + d * 2]!;
    }
    this.free.push(slot);
    return c;
  }
}

/** Everything the tree and the Info column of one TCP header need, fixed on the first pass. */
export interface TcpFrameResult {
  stream: number;
  /** Conversation completeness bits before this segment. */
  completeness: number;
  /** 0 or 1: which flow of the conversation this segment travels in. */
  dir: number;
  relSeq: number;
  relAck: number;
  nxtseq: number;
  window: number;
  /** Scaling factor shown in the tree: multiplier, -1 unknown, -2 not used; null for SYNs. */
  scale: number | null;
  flags: number;
  dupackNum: number;
  dupackFrame: number;
  acksFrame: number;
  /** Times in nanoseconds: numbers keep the per-frame record small, bigints when too large to be exact. */
  ackRtt: Ns;
  irtt: Ns | null;
  bytesInFlight: number;
  pushBytes: number;
  rtoFrame: number;
  rto: Ns;
  timeRelative: Ns;
  timeDelta: Ns;
  conv: TcpConversation;
  /** Desegmentation plan of this frame (tcp-desegment.ts), replayed on re-dissection. */
  plan: unknown;
}

export class TcpState {
  private readonly convs = new Map<string, TcpConversation>();
  private streams = 0;
  /** Per-frame results by frame number * 16 + TCP layer in the frame. */
  readonly results = new Map<number, TcpFrameResult>();

  /**
   * Finds or creates the conversation of a segment, Wireshark style: a SYN whose sequence
   * number differs from the one we know, or any SYN after a FIN or RST, starts a new stream.
   * Returns the conversation, this segment's direction and whether ports were reused.
   */
  lookup(src: Address | null, sport: number, dst: Address | null, dport: number, flags: number, seq: number, frame: number): { conv: TcpConversation; dir: number; reused: boolean } {
    const k = conversationKey('tcp', src, sport, dst, dport);
    let conv = this.convs.get(k.key);
    let reused = false;
    if (!conv) {
      conv = new TcpConversation(this.streams++, k.src, frame);
      this.convs.set(k.key, conv);
    } else if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) {
      const d = conv.firstSrc === k.src ? 0 : 1;
      const fwd = conv.flows[d];
      if (fwd.baseSet && (seq !== fwd.baseSeq || (conv.completeness & (16 | 32)) !== 0)) {
        conv = new TcpConversation(this.streams++, k.src, frame);
        this.convs.set(k.key, conv);
        reused = true;
      } else if (fwd.baseSet) {
        // A retransmitted SYN: restore nextseq so the retransmission is recognised.
        fwd.nextseq = fwd.maxseqtobeacked;
      }
    }
    return { conv, dir: conv.firstSrc === k.src ? 0 : 1, reused };
  }

  /** Conversations by numeric key: objects, or slots of `packed` for idle ones. */
  private readonly numConvs = new Map<number, TcpConversation | number>();
  private readonly packed = new PackedConversations();

  /**
   * Packs the numerically keyed conversations with no segment since `before` (frame number)
   * and nothing unacknowledged; they come back unchanged when a segment of theirs arrives.
   */
  compactIdle(before: number): void {
    for (const [key, v] of this.numConvs) {
      if (typeof v === 'number' || v.lastFrame >= before) continue;
      const slot = this.packed.pack(v);
      if (slot >= 0) this.numConvs.set(key, slot);
    }
  }
  /** Set by lookupNumeric: the segment's direction and whether ports were reused. */
  dir = 0;
  reused = false;

  /**
   * lookup() for callers that number endpoints themselves (the packet index): `key` is the
   * same number for both directions, `src` identifies this segment's source endpoint. The
   * direction and reuse verdict are left in `dir` and `reused` (no result object).
   */
  lookupNumeric(key: number, src: number, flags: number, seq: number, frame: number): TcpConversation {
    const v = this.numConvs.get(key);
    let conv = typeof v === 'number' ? this.packed.unpack(v) : v;
    if (typeof v === 'number') this.numConvs.set(key, conv!);
    let reused = false;
    if (!conv) {
      conv = new TcpConversation(this.streams++, src, frame);
      this.numConvs.set(key, conv);
    } else if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) {
      const d = conv.firstSrc === src ? 0 : 1;
      const fwd = conv.flows[d];
      if (fwd.baseSet && (seq !== fwd.baseSeq || (conv.completeness & (16 | 32)) !== 0)) {
        conv = new TcpConversation(this.streams++, src, frame);
        this.numConvs.set(key, conv);
        reused = true;
      } else if (fwd.baseSet) {
        fwd.nextseq = fwd.maxseqtobeacked;
      }
    }
    this.dir = conv.firstSrc === src ? 0 : 1;
    this.reused = reused;
    conv.lastFrame = frame;
    return conv;
  }
}

export interface SegmentInfo {
  seq: number;
  ack: number;
  flags: number;
  /** Segment length, or -1 when the header could not be trusted (short segment). */
  seglen: number;
  windowValue: number;
  /** Window scale option shift in this segment, or -1. */
  wsShift: number;
  /** The header length is under 20: relative numbers only, no analysis. */
  bogusHeader?: boolean;
  /** Bytes the segment's SACK blocks cover, or -1 without SACK. */
  sackBytes: number;
  time: bigint;
  frame: number;
}

/** First-pass analysis of one segment: moves the conversation state, returns the frame's result. */
export function analyzeSegment(conv: TcpConversation, dir: number, reused: boolean, s: SegmentInfo): TcpFrameResult {
  return advance(conv, dir, reused, s, true)!;
}

/** analyzeSegment() for the index pass: the same state moves, only the analysis flags (A) returned. */
export function analyzeSegmentFlags(conv: TcpConversation, dir: number, reused: boolean, s: SegmentInfo): number {
  advance(conv, dir, reused, s, false);
  return leanFlags;
}

let leanFlags = 0;

function advance(conv: TcpConversation, dir: number, reused: boolean, s: SegmentInfo, full: boolean): TcpFrameResult | null {
  const fwd = conv.flows[dir]!;
  const rev = conv.flows[1 - dir]!;
  const { seq, ack, flags, frame, time } = s;
  const seglen = Math.max(0, s.seglen);

  // (Not computed for the index pass, which only wants the flags.)
  const timeRelative = !full || (conv.firstTime === 0n && conv.lastTime === 0n) ? 0n : time - conv.firstTime;
  if (conv.firstTime === 0n && conv.lastTime === 0n) conv.firstTime = time;
  const timeDelta = !full || conv.lastTime === 0n ? 0n : time - conv.lastTime;
  conv.lastTime = time;

  // Completeness bits; the tree shows the value before this segment.
  const completeness = conv.completeness;
  if (flags & TH_SYN) conv.completeness |= flags & TH_ACK ? 2 : 1;
  // The segment that opens the conversation only counts as a SYN (what tshark 4.0 shows).
  if (conv.segments++ > 0) {
    if ((flags & (TH_SYN | TH_ACK | TH_FIN | TH_RST)) === TH_ACK && seglen === 0) conv.completeness |= 4;
    if (seglen > 0) conv.completeness |= 8;
    if (flags & TH_FIN) conv.completeness |= 16;
    if (flags & TH_RST) conv.completeness |= 32;
  }

  // Window scaling.
  if (flags & TH_SYN) {
    if (s.wsShift >= 0) fwd.winScale = Math.min(s.wsShift, 14);
    if (fwd.winScale === -1) {
      fwd.winScale = -2;
      rev.winScale = -2;
    } else if (flags & TH_ACK && rev.winScale === -2) {
      fwd.winScale = -2;
    }
    if (!(flags & TH_ACK)) {
      conv.tsMruSyn = time;
      conv.hasMruSyn = true;
    }
  }
  if ((flags & (TH_SYN | TH_ACK)) === TH_ACK && conv.hasMruSyn && !conv.hasFirstRtt) {
    conv.tsFirstRtt = time - conv.tsMruSyn;
    conv.hasFirstRtt = true;
  }
  let window = s.windowValue;
  let scale: number | null = null;
  if (!(flags & TH_SYN)) {
    if (fwd.winScale >= 0) {
      window = s.windowValue * 2 ** fwd.winScale;
      scale = 2 ** fwd.winScale;
    } else scale = fwd.winScale;
  }

  // Base sequence numbers for relative display (also for a bogus header length, as tshark).
  if (s.seglen >= 0 || s.bogusHeader) {
    if (!fwd.baseSet) {
      fwd.baseSeq = flags & TH_SYN ? seq : u32(seq - 1);
      fwd.baseSet = true;
    }
    if (!rev.baseSet && flags & TH_ACK) {
      rev.baseSeq = u32(ack - 1);
      rev.baseSet = true;
    }
  }

  let ta = reused ? A.REUSED_PORTS : 0;
  let dupackNum = 0;
  let dupackFrame = 0;
  let rtoFrame = 0;
  let rto = 0n;
  let acksFrame = 0;
  let ackRtt = 0n;
  let bytesInFlight = -1;
  let pushBytes = -1;

  if (s.seglen >= 0) {
    const r = analyzeSequence(conv, fwd, rev, seq, ack, seglen, flags, window, frame, time, ta, seqOut);
    ta = r.flags;
    dupackNum = r.dupackNum;
    dupackFrame = r.dupackFrame;
    rtoFrame = r.rtoFrame;
    rto = r.rto;
    acksFrame = r.acksFrame;
    ackRtt = r.ackRtt;
    bytesInFlight = r.bytesInFlight;
    pushBytes = r.pushBytes;
  }
  fwd.sackBytes = Math.max(0, s.sackBytes);
  if (!full) {
    leanFlags = ta;
    return null;
  }

  const relSeq = fwd.baseSet ? u32(seq - fwd.baseSeq) : seq;
  const relAck = flags & TH_ACK && rev.baseSet ? u32(ack - rev.baseSeq) : ack;
  let nxt = seq + seglen;
  if (flags & (TH_SYN | TH_FIN)) nxt += 1;
  const nxtseq = fwd.baseSet ? u32(nxt - fwd.baseSeq) : u32(nxt);
  return {
    stream: conv.stream, completeness, dir, relSeq, relAck, nxtseq, window, scale, flags: ta, dupackNum, dupackFrame, acksFrame, ackRtt: ns(ackRtt),
    irtt: conv.hasFirstRtt ? ns(conv.tsFirstRtt) : null, bytesInFlight, pushBytes, rtoFrame, rto: ns(rto),
    timeRelative: ns(timeRelative), timeDelta: ns(timeDelta), conv, plan: null,
  };
}

interface SeqResult {
  flags: number;
  dupackNum: number;
  dupackFrame: number;
  rtoFrame: number;
  rto: bigint;
  acksFrame: number;
  ackRtt: bigint;
  bytesInFlight: number;
  pushBytes: number;
}

/** analyzeSequence's result, reused from call to call (read at once by its only caller). */
const seqOut: SeqResult = { flags: 0, dupackNum: 0, dupackFrame: 0, rtoFrame: 0, rto: 0n, acksFrame: 0, ackRtt: 0n, bytesInFlight: -1, pushBytes: -1 };

function analyzeSequence(conv: TcpConversation, fwd: TcpFlow, rev: TcpFlow, seq: number, ack: number, seglen: number, flags: number, window: number, frame: number, time: bigint, initial: number, out: SeqResult): SeqResult {
  let ta = initial;
  let dupackNum = 0;
  let dupackFrame = 0;
  let rtoFrame = 0;
  let rto = 0n;
  const noSFR = (flags & (TH_SYN | TH_FIN | TH_RST)) === 0;
  if (flags & TH_ACK) rev.validBif = true;

  fwdChecks: {
    // Zero window probe.
    if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) {
      ta |= A.ZERO_WINDOW_PROBE;
      break fwdChecks;
    }
    // Zero window.
    if (window === 0 && noSFR) ta |= A.ZERO_WINDOW;
    // Lost packet: this segment starts beyond what we expected next.
    if (fwd.nextseq && GT(seq, fwd.nextseq) && (flags & TH_RST) === 0) {
      ta |= A.LOST_PACKET;
      fwd.validBif = false;
    }
    // Keep-alive.
    if ((seglen === 0 || seglen === 1) && seq === u32(fwd.nextseq - 1) && noSFR) ta |= A.KEEP_ALIVE;
    // Window update.
    if (seglen === 0 && window && window !== fwd.window && seq === fwd.nextseq && ack === fwd.lastack && noSFR) ta |= A.WINDOW_UPDATE;
    // Window full.
    if (seglen > 0 && rev.winScale !== -1 && rev.window >= 0) {
      const rwin = rev.window;
      if (u32(seq + seglen) === u32(rev.lastack + rwin) && noSFR) ta |= A.WINDOW_FULL;
    }
    // Keep-alive ACK.
    if (seglen === 0 && window && window === fwd.window && seq === fwd.nextseq && ack === fwd.lastack && rev.lastSegmentFlags & A.KEEP_ALIVE && noSFR) {
      ta |= A.KEEP_ALIVE_ACK;
      break fwdChecks;
    }
    // Zero window probe ACK.
    if (seglen === 0 && window === 0 && window === fwd.window && seq === fwd.nextseq && (ack === fwd.lastack || ack === u32(fwd.lastack + 1)) && rev.lastSegmentFlags & A.ZERO_WINDOW_PROBE && noSFR) {
      ta |= A.ZERO_WINDOW_PROBE_ACK;
      if (ack === u32(fwd.lastack + 1)) {
        rev.nextseq = ack;
        rev.maxseqtobeacked = ack;
      }
      break fwdChecks;
    }
    // Duplicate ACK.
    if (seglen === 0 && window && window === fwd.window && seq === fwd.nextseq && ack === fwd.lastack && noSFR) {
      fwd.dupacknum = fwd.dupacknum === -1 ? 1 : fwd.dupacknum + 1;
      ta |= A.DUPLICATE_ACK;
      dupackNum = fwd.dupacknum;
      dupackFrame = fwd.lastnondupack;
    }
  }

  if (ack !== fwd.lastack) {
    fwd.lastnondupack = frame;
    fwd.dupacknum = 0;
  }

  // ACKed lost packet: this ACK covers data we never saw in the other direction.
  if (rev.maxseqtobeacked && GT(ack, rev.maxseqtobeacked) && flags & TH_ACK) {
    if (LT(rev.maxseqtobeacked, rev.nextseq)) {
      rev.maxseqtobeacked = rev.nextseq;
      ta |= A.ACK_LOST_PACKET;
    } else {
      // The other direction is stalled: flag the same loss once, until it acks something new.
      if (rev.dupacknum === 0) ta |= A.ACK_LOST_PACKET;
      rev.dupacknum = -1;
    }
  }

  // Retransmission / fast retransmission / out-of-order / spurious.
  retrans: if (seglen > 0 || flags & (TH_SYN | TH_FIN)) {
    let seqNotAdvanced = fwd.nextseq !== 0 && LT(seq, fwd.nextseq);
    if (ta & A.KEEP_ALIVE) break retrans;
    if (seglen > 1 && u32(fwd.nextseq - 1) === seq) seqNotAdvanced = false;
    if (seglen > 0 && rev.lastack && LE(u32(seq + seglen), rev.lastack)) {
      ta |= A.SPURIOUS_RETRANSMISSION;
      break retrans;
    }
    // Time differences only when needed: each is a BigInt allocation.
    if (seqNotAdvanced && rev.dupacknum >= 2 && rev.lastack === seq && time - rev.lastackTime < 20_000_000n) {
      ta |= A.FAST_RETRANSMISSION;
      break retrans;
    }
    if (seqNotAdvanced && time - fwd.nextseqTime < (conv.hasFirstRtt && conv.tsFirstRtt !== 0n ? conv.tsFirstRtt : 3_000_000n) && fwd.nextseq !== u32(seq + seglen + (flags & (TH_SYN | TH_FIN) ? 1 : 0))) {
      ta |= A.OUT_OF_ORDER;
      break retrans;
    }
    if (seqNotAdvanced) {
      ta |= A.RETRANSMISSION;
      rtoFrame = fwd.nextseqFrame;
      rto = time - fwd.nextseqTime;
    }
  }

  let nextseq = u32(seq + seglen);
  if ((seglen || flags & (TH_SYN | TH_FIN)) && fwd.segments.length < MAX_UNACKED) {
    if (flags & (TH_SYN | TH_FIN)) nextseq = u32(nextseq + 1);
    fwd.segments.push({ frame, seq, nextseq, ts: time });
  }
  if (GT(nextseq, fwd.nextseq) || !fwd.nextseq) {
    if (!(ta & A.ZERO_WINDOW_PROBE)) {
      fwd.nextseq = nextseq;
      fwd.nextseqFrame = frame;
      fwd.nextseqTime = time;
    }
  }
  if (seq === fwd.maxseqtobeacked || !fwd.maxseqtobeacked) {
    if (!(ta & A.ZERO_WINDOW_PROBE)) fwd.maxseqtobeacked = fwd.nextseq;
  }

  fwd.window = window;
  fwd.lastack = ack;
  fwd.lastackTime = time;

  // Segments of the other direction this ACK covers.
  let acksFrame = 0;
  let ackRtt = 0n;
  if (rev.segments.length) {
    // Filtered in place; the earliest segment this ACK ends is the one it acks.
    const segs = rev.segments;
    let w = 0;
    let found = false;
    for (let i = 0; i < segs.length; i++) {
      const u = segs[i]!;
      if (ack === u.nextseq) {
        if (!found) {
          acksFrame = u.frame;
          ackRtt = time - u.ts;
          found = true;
        }
        continue;
      }
      if (GT(ack, u.seq) && LE(ack, u.nextseq)) u.seq = ack;
      if (GT(u.nextseq, ack)) segs[w++] = u;
    }
    if (w !== segs.length) segs.length = w;
  }
  // Bytes in flight: unacknowledged bytes in this direction.
  let bytesInFlight = -1;
  let pushBytes = -1;
  if (seglen > 0 && fwd.segments.length && fwd.validBif) {
    let first = u32(fwd.segments[0]!.seq - fwd.baseSeq);
    let last = u32(fwd.segments[0]!.nextseq - fwd.baseSeq);
    for (const u of fwd.segments) {
      const a = u32(u.seq - fwd.baseSeq);
      const b = u32(u.nextseq - fwd.baseSeq);
      if (b > last) last = b;
      if (a < first) first = a;
    }
    const inFlight = u32(last - first - rev.sackBytes);
    // tshark 4.0 counts pushed bytes only for segments with bytes in flight.
    if (inFlight > 0 && inFlight < 2000000000) {
      bytesInFlight = flags & (TH_SYN | TH_FIN) ? inFlight - 1 : inFlight;
      if (flags & TH_PUSH && !fwd.pushSetLast) {
        fwd.pushBytes += seglen;
        fwd.pushSetLast = true;
      } else if (flags & TH_PUSH && fwd.pushSetLast) {
        fwd.pushBytes = seglen;
      } else if (fwd.pushSetLast) {
        fwd.pushBytes = seglen;
        fwd.pushSetLast = false;
      } else fwd.pushBytes += seglen;
      pushBytes = fwd.pushBytes;
    }
  }

  fwd.lastSegmentFlags = ta;
  out.flags = ta;
  out.dupackNum = dupackNum;
  out.dupackFrame = dupackFrame;
  out.rtoFrame = rtoFrame;
  out.rto = rto;
  out.acksFrame = acksFrame;
  out.ackRtt = ackRtt;
  out.bytesInFlight = bytesInFlight;
  out.pushBytes = pushBytes;
  return out;
}

/** The Info prefixes of the analysis flags, in the order tshark shows them (last prepended first). */
export function analysisInfo(r: TcpFrameResult): string {
  const f = r.flags;
  const parts: string[] = [];
  if (f & A.RETRANSMISSION) parts.push('[TCP Retransmission] ');
  if (f & A.LOST_PACKET) parts.push('[TCP Previous segment not captured] ');
  if (f & A.ACK_LOST_PACKET) parts.push('[TCP ACKed unseen segment] ');
  if (f & A.KEEP_ALIVE) parts.push('[TCP Keep-Alive] ');
  if (f & A.WINDOW_UPDATE) parts.push('[TCP Window Update] ');
  if (f & A.WINDOW_FULL) parts.push('[TCP Window Full] ');
  if (f & A.KEEP_ALIVE_ACK) parts.push('[TCP Keep-Alive ACK] ');
  if (f & A.DUPLICATE_ACK) parts.push(`[TCP Dup ACK ${r.dupackFrame}#${r.dupackNum}] `);
  if (f & A.ZERO_WINDOW_PROBE) parts.push('[TCP ZeroWindowProbe] ');
  if (f & A.ZERO_WINDOW) parts.push('[TCP ZeroWindow] ');
  if (f & A.ZERO_WINDOW_PROBE_ACK) parts.push('[TCP ZeroWindowProbeAck] ');
  if (f & A.FAST_RETRANSMISSION) parts.push('[TCP Fast Retransmission] ');
  if (f & A.SPURIOUS_RETRANSMISSION) parts.push('[TCP Spurious Retransmission] ');
  if (f & A.OUT_OF_ORDER) parts.push('[TCP Out-Of-Order] ');
  if (f & A.REUSED_PORTS) parts.push('[TCP Port numbers reused] ');
  return parts.reverse().join('');
}
