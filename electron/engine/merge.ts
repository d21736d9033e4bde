// Several capture files (tcpdump -C/-W rings, per-host captures) read as one, ordered by
// timestamp like mergecap: each step hands out the earliest packet at the head of any file;
// ties keep the order of the files as given. A file that breaks stops contributing (its
// `error` says where); the others go on. Followed files (live capture) are polled again on
// each call, so a file that grew is picked up.
//
// Interfaces are numbered over all files. Like `mergecap -I any`, an interface identical to
// one another file already described (same link type, snaplen, name, resolution ...) is shared,
// so the files of a ring keep one interface; a single file keeps its own numbering.

import type { PacketRecord, InterfaceInfo } from '../../decoders/formats/capture-parser.ts';
import type { FrameInfo } from '../../decoders/core/types.ts';
import { CaptureFileReader } from './file-reader.ts';

export interface MergedRecord {
  rec: PacketRecord;
  /** Index of the file the record came from. */
  file: number;
  /** Interface index over all files (into MergedReader.interfaces). */
  interfaceId: number;
  /**
   * The id to show as frame.interface_id: for one file the section-local id, as tshark shows
   * it; for several files the merged id (what tshark shows on mergecap's output).
   */
  frameInterfaceId: number;
  iface: InterfaceInfo | undefined;
}

function ifaceKey(i: InterfaceInfo): string {
  return JSON.stringify([i.linkType, i.snaplen, i.name ?? null, i.description ?? null, i.filter ?? null, i.os ?? null, i.fcsLen ?? null, i.tsresol, i.tsOffset]);
}

/** The frame a merged record becomes: number, times, lengths, interface and comments. */
export function frameInfoOf(m: MergedRecord, number: number): FrameInfo {
  const rec = m.rec;
  return { number, linkType: rec.linkType, tsSec: rec.tsSec, tsNsec: rec.tsNsec, caplen: rec.caplen, origlen: rec.origlen, interfaceId: m.frameInterfaceId, ...(rec.comment ? { comment: rec.comment } : {}), ...(rec.comments ? { comments: rec.comments } : {}) };
}

export class MergedReader {
  readonly readers: CaptureFileReader[];
  /** Interfaces over all files, in order of first appearance. */
  readonly interfaces: InterfaceInfo[] = [];
  private readonly heads: (PacketRecord | null)[];
  /** Per file: local interface index -> merged index. */
  private readonly maps: number[][];
  /** Merged index -> files already using it (an interface is shared across files, never within one). */
  private readonly users: Set<number>[] = [];
  private readonly byKey = new Map<string, number[]>();

  constructor(paths: readonly string[], opts: { follow?: boolean } = {}) {
    this.readers = [];
    try {
      for (const p of paths) this.readers.push(new CaptureFileReader(p));
    } catch (e) {
      for (const r of this.readers) r.close();
      throw e;
    }
    this.maps = this.readers.map(() => []);
    if (opts.follow) this.follow = true;
    // Heads are read lazily by next(), so `follow` may still be set after construction.
    this.heads = this.readers.map(() => null);
  }

  /** Follow files still being written (see CaptureFileReader.follow); false ends them normally. */
  get follow(): boolean {
    return this.readers.some((r) => r.follow);
  }

  set follow(on: boolean) {
    for (const r of this.readers) r.follow = on;
  }

  next(): MergedRecord | null {
    let best = -1;
    for (let i = 0; i < this.heads.length; i++) {
      // A followed file that had nothing new may have grown since.
      if (!this.heads[i] && !this.readers[i]!.ended) this.heads[i] = this.readers[i]!.next();
      const h = this.heads[i];
      if (!h) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const b = this.heads[best]!;
      if (h.tsSec < b.tsSec || (h.tsSec === b.tsSec && h.tsNsec < b.tsNsec)) best = i;
    }
    if (best < 0) return null;
    const rec = this.heads[best]!;
    const interfaceId = this.mapInterface(best, rec.interfaceId);
    this.heads[best] = null; // read again on the next call, not ahead (a -c stop never reaches later damage)
    const iface = this.interfaces[interfaceId];
    const frameInterfaceId = this.readers.length === 1 ? (iface?.localId ?? interfaceId) : interfaceId;
    return { rec, file: best, interfaceId, frameInterfaceId, iface };
  }

  close(): void {
    for (const r of this.readers) r.close();
  }

  /**
   * Fast path for a single file: parses its next chunk and calls `each` per record, with no
   * copy (the record and its bytes are valid only during the call). Returns false at the end.
   * Only for a one-file reader that next() has not been used on.
   */
  drainChunk(each: (rec: PacketRecord, interfaceId: number) => void): boolean {
    if (this.readers.length !== 1 || this.heads[0]) throw new Error('drainChunk needs a single file read from the start');
    const map = this.maps[0]!;
    const known = this.readers[0]!.parser.interfaces;
    return this.readers[0]!.drainChunk((rec) => each(rec, rec.interfaceId < map.length && map.length === known.length ? map[rec.interfaceId]! : this.mapInterface(0, rec.interfaceId)));
  }

  private mapInterface(file: number, local: number): number {
    const map = this.maps[file]!;
    const known = this.readers[file]!.parser.interfaces;
    // Map every interface the file has described so far, in its own order.
    for (let i = map.length; i < known.length; i++) {
      const info = known[i]!;
      const key = ifaceKey(info);
      const same = this.byKey.get(key) ?? [];
      let id = same.find((g) => !this.users[g]!.has(file));
      if (id === undefined) {
        id = this.interfaces.length;
        this.interfaces.push(info);
        this.users.push(new Set());
        same.push(id);
        this.byKey.set(key, same);
      }
      this.users[id]!.add(file);
      map.push(id);
    }
    return map[local] ?? local;
  }
}
