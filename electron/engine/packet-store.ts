// Packet bytes are not kept in memory: they are read back from the capture files by offset
// when a row, a tree or a stream needs them, through a small LRU cache.

import { openSync, readSync, closeSync } from 'node:fs';

export class PacketStore {
  private readonly fds: number[];
  private readonly cache = new Map<number, Uint8Array>();

  constructor(
    paths: readonly string[],
    /** How many packets to keep decoded bytes for. */
    private readonly capacity = 4096,
  ) {
    this.fds = [];
    try {
      for (const p of paths) this.fds.push(openSync(p, 'r'));
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Bytes of packet `key` (any unique number, e.g. its index), `length` bytes at `offset` of file `file`. */
  read(key: number, file: number, offset: number, length: number): Uint8Array {
    const hit = this.cache.get(key);
    if (hit) {
      // Refresh its place in the LRU order.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const fd = this.fds[file];
    if (fd === undefined) throw new Error(`no capture file #${file}`);
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, offset + got);
      if (n === 0) throw new Error(`capture file #${file} ended at ${offset + got} while reading a packet of ${length} bytes at ${offset}`);
      got += n;
    }
    this.cache.set(key, buf);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return buf;
  }

  close(): void {
    for (const fd of this.fds) closeSync(fd);
    this.fds.length = 0;
    this.cache.clear();
  }
}
