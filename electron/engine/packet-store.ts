// Packet bytes are not kept in memory: they are read back from the capture files by offset
// when a row, a tree or a stream needs them, through a small LRU cache. A miss reads a window
// ahead of the packet, so passes in file order (filters, statistics, row blocks) cost one
// read per window instead of one per packet.

import { openSync, readSync, closeSync } from 'node:fs';

const WINDOW = 128 * 1024;

export class PacketStore {
  private readonly fds: number[];
  private readonly cache = new Map<number, Uint8Array>();
  /** The latest read-ahead window: which file, where it starts, its bytes. */
  private winFile = -1;
  private winStart = 0;
  private win = new Uint8Array(0);

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
    if (file !== this.winFile || offset < this.winStart || offset + length > this.winStart + this.win.length) this.fill(fd, file, offset, length);
    // A copy: cached packets must not pin whole windows.
    const buf = this.win.slice(offset - this.winStart, offset - this.winStart + length);
    this.cache.set(key, buf);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return buf;
  }

  private fill(fd: number, file: number, offset: number, length: number): void {
    const win = new Uint8Array(Math.max(WINDOW, length));
    let got = 0;
    while (got < win.length) {
      const n = readSync(fd, win, got, win.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    this.winFile = -1;
    if (got < length) throw new Error(`capture file #${file} ended at ${offset + got} while reading a packet of ${length} bytes at ${offset}`);
    this.win = win.subarray(0, got);
    this.winStart = offset;
    this.winFile = file;
  }

  /** Forgets the read-ahead window (a file still being written may change past its end). */
  dropWindow(): void {
    this.winFile = -1;
    this.win = new Uint8Array(0);
  }

  close(): void {
    for (const fd of this.fds) closeSync(fd);
    this.fds.length = 0;
    this.cache.clear();
    this.dropWindow();
  }
}
