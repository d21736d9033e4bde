// Several capture files (tcpdump -C/-W rings, per-host captures) read as one, ordered by
// timestamp like mergecap. Ties keep the order of the files as given.

import type { PacketRecord } from '../../decoders/formats/capture-parser.ts';
import type { InterfaceInfo } from '../../decoders/formats/capture-parser.ts';
import { CaptureFileReader } from './file-reader.ts';

export interface MergedRecord {
  rec: PacketRecord;
  /** Index of the file the record came from. */
  file: number;
  iface: InterfaceInfo | undefined;
}

export class MergedReader {
  readonly readers: CaptureFileReader[];
  private heads: (PacketRecord | null)[];

  constructor(paths: readonly string[]) {
    this.readers = [];
    try {
      for (const p of paths) this.readers.push(new CaptureFileReader(p));
    } catch (e) {
      for (const r of this.readers) r.close();
      throw e;
    }
    this.heads = this.readers.map((r) => r.next());
  }

  next(): MergedRecord | null {
    let best = -1;
    for (let i = 0; i < this.heads.length; i++) {
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
    const reader = this.readers[best]!;
    this.heads[best] = reader.next();
    return { rec, file: best, iface: reader.parser.interfaces[rec.interfaceId] };
  }

  close(): void {
    for (const r of this.readers) r.close();
  }
}
