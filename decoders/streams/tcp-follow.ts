// Follow TCP stream: each direction's bytes in sequence order, as Wireshark's follow tap
// builds them. Retransmitted and overlapping bytes are dropped (the first copy wins),
// out-of-order segments wait until the gap before them fills, and a gap the receiver
// acknowledged (the sender's bytes exist, the capture missed them) becomes a marker chunk
// "[N bytes missing in capture file]". Every chunk remembers the frame it came from.

export interface FollowChunk {
  /** 0: the side that sent the stream's first packet (the client), 1: the other side. */
  readonly side: 0 | 1;
  readonly frame: number;
  readonly data: Uint8Array;
  /** True for the "[N bytes missing in capture file]" marker. */
  readonly missing?: true;
  /** Bytes the capture lacks, for a marker chunk. */
  readonly missingBytes?: number;
}

const gtSeq = (a: number, b: number): boolean => ((b - a) | 0) < 0;
const ltSeq = (a: number, b: number): boolean => ((a - b) | 0) < 0;

interface Pending {
  frame: number;
  seq: number;
  data: Uint8Array;
}

const encoder = new TextEncoder();

export class TcpFollower {
  readonly chunks: FollowChunk[] = [];
  /** Next expected sequence number per side (0 until the side's first segment). */
  private readonly seq: [number, number] = [0, 0];
  private readonly started: [boolean, boolean] = [false, false];
  private readonly pending: [Pending[], Pending[]] = [[], []];
  /** Payload bytes delivered per side. */
  readonly bytes: [number, number] = [0, 0];

  /**
   * Adds one segment in capture order. `seglen` is the TCP payload length from the headers;
   * `payload` the captured part of it (shorter when the capture was cut at the snaplen).
   */
  add(side: 0 | 1, frame: number, seqIn: number, ack: number, syn: boolean, seglen: number, payload: Uint8Array): void {
    let sequence = seqIn >>> 0;
    if (syn) sequence = (sequence + 1) >>> 0;
    const other = side === 0 ? 1 : 0;
    // This segment's ACK may show that the other side's missing bytes did reach the receiver.
    while (this.pending[other].length && this.fitPending(other, ack >>> 0, frame));
    if (!this.started[side]) {
      this.started[side] = true;
      this.seq[side] = sequence;
    }
    let data = payload;
    let length = seglen;
    const expected = this.seq[side];
    if (ltSeq(sequence, expected)) {
      const next = (sequence + length) >>> 0;
      if (gtSeq(next, expected)) {
        const skip = (expected - sequence) >>> 0;
        data = data.length <= skip ? data.subarray(0, 0) : data.subarray(skip);
        sequence = expected;
        length = (next - expected) >>> 0;
      }
    }
    if (data.length === 0 || ltSeq(sequence, this.seq[side])) return;
    if (sequence === this.seq[side]) {
      this.seq[side] = (this.seq[side] + length) >>> 0;
      this.push(side, frame, data);
      while (this.pending[side].length && this.fitPending(side, 0, frame));
    } else {
      this.pending[side].push({ frame, seq: sequence, data });
    }
  }

  private push(side: 0 | 1, frame: number, data: Uint8Array): void {
    this.chunks.push({ side, frame, data });
    this.bytes[side] += data.length;
  }

  /** Wireshark's check_follow_fragments: true when it made progress. */
  private fitPending(side: 0 | 1, acknowledged: number, frame: number): boolean {
    const list = this.pending[side];
    if (!list.length) return false;
    let lowest = list[0]!.seq;
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      if (gtSeq(lowest, f.seq)) lowest = f.seq;
      if (ltSeq(f.seq, this.seq[side])) {
        const end = (f.seq + f.data.length) >>> 0;
        if (gtSeq(end, this.seq[side])) {
          const pos = (this.seq[side] - f.seq) >>> 0;
          if (f.data.length > pos) this.push(side, f.frame, f.data.subarray(pos));
          this.seq[side] = (this.seq[side] + (f.data.length - pos)) >>> 0;
        }
        list.splice(i, 1);
        return true;
      }
      if (f.seq === this.seq[side]) {
        if (f.data.length) this.push(side, f.frame, f.data);
        this.seq[side] = (this.seq[side] + f.data.length) >>> 0;
        list.splice(i, 1);
        return true;
      }
    }
    if (gtSeq(acknowledged, lowest)) {
      const missing = (lowest - this.seq[side]) | 0;
      // Wireshark's marker carries its C string terminator, which prints as '.'.
      const text = encoder.encode(`[${missing} bytes missing in capture file]\0`);
      this.chunks.push({ side, frame, data: text, missing: true, missingBytes: missing });
      this.seq[side] = lowest;
      return true;
    }
    return false;
  }
}
