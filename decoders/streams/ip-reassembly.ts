// IP fragment reassembly (IPv4 and IPv6), modelled on Wireshark's reassemble.c as tshark uses
// it in one pass: fragments are collected per datagram key; when the tail has been seen and the
// bytes 0..length are covered, the frame that completed the datagram gets the reassembled
// payload. Later fragments with the same key start a new datagram.
//
// Results are stored by frame number, so dissecting a frame again (the UI re-decodes rows on
// demand) gives the same answer as the first pass. Memory is bounded: pending datagrams and
// completed payloads are both capped and evicted oldest first.

import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import type { FieldDef } from '../core/types.ts';
import { formatBytesHex } from '../core/format.ts';

export interface FragmentPiece {
  /** Frame the fragment came in. */
  readonly frame: number;
  /** Byte offset of the fragment inside the datagram payload. */
  readonly offset: number;
  readonly length: number;
  /** Overlaps an earlier fragment. */
  overlap: boolean;
  /** Overlaps with different bytes. */
  conflict: boolean;
  /** Reaches past the datagram length given by the tail. */
  tooLong: boolean;
  /** A tail fragment giving a different datagram length. */
  multipleTails: boolean;
}

export interface ReassembledDatagram {
  /** The frame in which the datagram was completed. */
  readonly frame: number;
  readonly data: Uint8Array;
  /** Fragments ordered by offset (as Wireshark lists them). */
  readonly pieces: readonly FragmentPiece[];
  readonly overlap: boolean;
  readonly conflict: boolean;
  readonly tooLong: boolean;
  readonly multipleTails: boolean;
}

/** What adding a fragment produced. */
export interface FragmentResult {
  /** The datagram, when this frame completed it. */
  readonly done: ReassembledDatagram | null;
  /** Frame where the datagram this fragment belongs to was completed, when known. */
  readonly reassembledIn: number;
}

interface Pending {
  readonly key: string;
  /** Fragments in list order: sorted by offset, older first at the same offset. */
  readonly frags: { piece: FragmentPiece; data: Uint8Array; seq: number }[];
  /** Datagram length once a tail (no more-fragments flag) was seen; -1 before. */
  length: number;
  multipleTails: boolean;
  bytes: number;
}

/** Largest datagram payload accepted (IPv4: 13-bit offset * 8 + 16-bit length). */
const MAX_DATAGRAM = 0x20000;

export class FragmentTable {
  private readonly pending = new Map<string, Pending>();
  /** frame -> datagrams completed in it (keyed by datagram key). */
  private readonly completed = new Map<string, ReassembledDatagram>();
  /**
   * `${frame}|${key}` of every fragment added -> frame its datagram was reassembled in (0 while
   * pending), so a re-dissection neither adds a fragment twice nor forgets where it went.
   */
  private readonly seen = new Map<string, number>();
  private completedBytes = 0;
  private pendingBytes = 0;
  private seq = 0;

  constructor(
    private readonly maxPending = 4096,
    private readonly maxPendingBytes = 32 * 1024 * 1024,
    private readonly maxCompletedBytes = 64 * 1024 * 1024,
    private readonly maxSeen = 1 << 20,
  ) {}

  /**
   * Adds the fragment [offset, offset+data.length) of datagram `key` seen in `frame`.
   * `more` is the more-fragments flag. Calling it again for the same frame and key (a
   * re-dissection) does not add anything and returns what the first call found.
   */
  add(key: string, frame: number, offset: number, data: Uint8Array, more: boolean): FragmentResult {
    const id = `${frame}|${key}`;
    const known = this.seen.get(id);
    if (known !== undefined) return { done: this.completed.get(id) ?? null, reassembledIn: known };
    this.seen.set(id, 0);
    if (this.seen.size > this.maxSeen) this.seen.delete(this.seen.keys().next().value as string);
    if (offset + data.length > MAX_DATAGRAM) return { done: null, reassembledIn: 0 };

    let p = this.pending.get(key);
    if (!p) {
      this.evictPending();
      p = { key, frags: [], length: -1, multipleTails: false, bytes: 0 };
      this.pending.set(key, p);
    }
    const piece: FragmentPiece = { frame, offset, length: data.length, overlap: false, conflict: false, tooLong: false, multipleTails: false };
    if (!more) {
      const end = offset + data.length;
      if (p.length >= 0) {
        if (p.length !== end) {
          piece.multipleTails = true;
          p.multipleTails = true;
        }
      } else {
        p.length = end;
      }
    }
    // Sorted by offset; at an equal offset the new fragment goes after the older ones.
    let at = 0;
    while (at < p.frags.length && p.frags[at]!.piece.offset <= offset) at++;
    p.frags.splice(at, 0, { piece, data: data.slice(), seq: this.seq++ });
    p.bytes += data.length;
    this.pendingBytes += data.length;

    if (p.length < 0) return { done: null, reassembledIn: 0 };
    let max = 0;
    for (const f of p.frags) {
      if (f.piece.offset <= max && f.piece.offset + f.piece.length > max) max = f.piece.offset + f.piece.length;
    }
    if (max < p.length) return { done: null, reassembledIn: 0 };

    // Complete: copy the fragments in list order, noting overlaps and fragments past the end.
    const out = new Uint8Array(p.length);
    let pos = 0;
    let overlap = false;
    let conflict = false;
    let tooLong = false;
    for (const f of p.frags) {
      const pc = f.piece;
      if (pc.length === 0) continue;
      const end = pc.offset + pc.length;
      if (pc.offset >= p.length) {
        pc.tooLong = tooLong = true;
      } else {
        if (end > p.length) pc.tooLong = tooLong = true;
        if (pc.offset < pos) {
          pc.overlap = overlap = true;
          const cmpEnd = Math.min(pos, end, p.length);
          for (let i = pc.offset; i < cmpEnd; i++) {
            if (out[i] !== f.data[i - pc.offset]) {
              pc.conflict = conflict = true;
              break;
            }
          }
        }
        // Bytes already placed win: only the part past what is there is copied.
        const from = Math.max(pos, pc.offset);
        const to = Math.min(end, p.length);
        if (to > from) out.set(f.data.subarray(from - pc.offset, to - pc.offset), from);
      }
      pos = Math.max(pos, end);
    }
    const done: ReassembledDatagram = {
      frame,
      data: out,
      pieces: p.frags.map((f) => f.piece),
      overlap,
      conflict,
      tooLong,
      multipleTails: p.multipleTails,
    };
    this.pending.delete(key);
    this.pendingBytes -= p.bytes;
    for (const f of p.frags) this.seen.set(`${f.piece.frame}|${key}`, frame);
    this.completed.set(id, done);
    this.completedBytes += out.length;
    this.evictCompleted();
    return { done, reassembledIn: frame };
  }

  /** Frame in which the fragment of `key` seen in `frame` was reassembled (0: not (yet) known). */
  reassembledInFrame(key: string, frame: number): number {
    return this.seen.get(`${frame}|${key}`) ?? 0;
  }

  private evictPending(): void {
    while (this.pending.size >= this.maxPending || (this.pendingBytes > this.maxPendingBytes && this.pending.size > 0)) {
      const oldest = this.pending.keys().next().value as string;
      const p = this.pending.get(oldest)!;
      this.pendingBytes -= p.bytes;
      this.pending.delete(oldest);
    }
  }

  private evictCompleted(): void {
    while (this.completedBytes > this.maxCompletedBytes && this.completed.size > 1) {
      const oldest = this.completed.keys().next().value as string;
      this.completedBytes -= this.completed.get(oldest)!.data.length;
      this.completed.delete(oldest);
    }
  }
}

// ---- The fragment tree Wireshark shows in the frame that completed a datagram ----


export interface FragmentFields {
  readonly fragments: FieldDef;
  readonly fragment: FieldDef;
  /** Used instead of `fragment` for a fragment with conflicting data, an extra tail or excess bytes. */
  readonly error: FieldDef;
  readonly overlap: FieldDef;
  readonly conflict: FieldDef;
  readonly multipleTails: FieldDef;
  readonly tooLong: FieldDef;
  readonly count: FieldDef;
  readonly reassembledLength: FieldDef;
  readonly reassembledData: FieldDef;
}

/**
 * `[3 IPv4 Fragments (4060 bytes): #1(1480), #2(1480), #3(1100)]` with one item per fragment,
 * the count, the length and the data. `rc` is a cursor on the reassembled data source.
 */
export function addFragmentTree(tree: Tree, rc: Cursor, d: ReassembledDatagram, ff: FragmentFields, what: string): void {
  const n = d.pieces.length;
  const list = d.pieces.map((p) => `#${p.frame}(${p.length})`).join(', ');
  const node = tree.generated(ff.fragments, d.data, `[${n} ${what} Fragment${n === 1 ? '' : 's'} (${d.data.length} bytes): ${list}]`, rc, 0, d.data.length);
  const ft = tree.subtree(node);
  for (const p of d.pieces) {
    const len = Math.max(0, Math.min(p.length, d.data.length - p.offset));
    const label = `[Frame: ${p.frame}, payload: ${p.offset}-${p.offset + p.length - 1} (${p.length} bytes)]`;
    const bad = p.conflict || p.multipleTails || p.tooLong;
    const item = ft.generated(bad ? ff.error : ff.fragment, p.frame, label, rc, Math.min(p.offset, d.data.length), len);
    if (p.overlap || p.conflict || p.multipleTails || p.tooLong) {
      const it = ft.subtree(item);
      if (p.overlap) it.generated(ff.overlap, true, '[Fragment overlap: True]');
      if (p.conflict) it.generated(ff.conflict, true, '[Conflicting data in fragment overlap: True]');
      if (p.multipleTails) it.generated(ff.multipleTails, true, '[Multiple tail fragments found: True]');
      if (p.tooLong) it.generated(ff.tooLong, true, '[Fragment too long: True]');
    }
  }
  ft.generated(ff.count, n, `[Fragment count: ${n}]`);
  ft.generated(ff.reassembledLength, d.data.length, `[Reassembled ${what} length: ${d.data.length}]`);
  const shown = formatBytesHex(d.data.subarray(0, 36)) + (d.data.length > 36 ? '…' : '');
  ft.generated(ff.reassembledData, d.data, `[Reassembled ${what} data: ${shown}]`, rc, 0, d.data.length);
}
