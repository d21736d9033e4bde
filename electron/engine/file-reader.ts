// Streams a capture file through CaptureParser in large chunks. Damage never loses what
// came before it: every complete packet is delivered, then `error` says where it broke.
// Pull-based (`next()`), so several files can be merged by timestamp.
//
// Offsets are plain numbers (exact to 2^53 bytes), so files beyond 4 GiB are read correctly.
// The buffer grows only when one record does not fit, and the parser refuses implausible
// lengths before that, so a corrupt length cannot make it grow without bound.

import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { CaptureFormatError, CaptureParser, type PacketRecord } from '../../decoders/formats/capture-parser.ts';

const CHUNK = 4 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);
const pause = new Int32Array(new SharedArrayBuffer(4));

export class CaptureFileReader {
  readonly parser = new CaptureParser();
  /** Damage found by the parser, reported through `error` once the packets before it are out. */
  private damage: CaptureFormatError | null = null;
  /**
   * Follow a file that is still being written (a live capture's file, like `tail -f`): at the
   * end, `next()` returns null without ending, and a later call picks up what was appended; an
   * incomplete record at the end is awaited, not an error. Set it to false to end normally.
   */
  follow = false;
  /** Follow mode: the last read found nothing new. */
  private idle = false;
  /** Records holding views into `buf` were handed out (so it must not be overwritten). */
  private handedOut = false;
  /** File size in bytes (0 for a pipe). */
  readonly size: number;
  /** A pipe or terminal (`-` is standard input): read in sequence, offsets still count from its start. */
  readonly sequential: boolean;
  private fd: number;
  private buf: Buffer;
  private have = 0; // bytes in buf
  private used = 0; // bytes of buf already parsed
  private fileOffset = 0; // file offset of buf[0]
  private eof = false;
  private done = false;
  /** The whole file was read (to its end or to the damage), as opposed to closed early. */
  private complete = false;
  /** Records parsed from the current chunk and not yet handed out, as copies. */
  private queue: PacketRecord[] = [];
  private qi = 0;

  constructor(
    readonly path: string,
    private readonly chunkSize = CHUNK,
  ) {
    this.fd = path === '-' ? 0 : openSync(path, 'r');
    try {
      const st = fstatSync(this.fd);
      this.sequential = !st.isFile();
      this.size = this.sequential ? 0 : st.size;
    } catch (e) {
      if (this.fd > 0) closeSync(this.fd);
      throw e;
    }
    this.buf = Buffer.allocUnsafe(this.sequential ? chunkSize : Math.max(64, Math.min(chunkSize, this.size + 16)));
  }

  /** File bytes parsed so far (for progress). */
  get bytesParsed(): number {
    return this.fileOffset + this.used;
  }

  /** True once the file header (pcap) or first section header (pcapng) has been read. */
  get headerRead(): boolean {
    return this.parser.format === 'pcap' ? this.parser.interfaces.length > 0 : this.parser.sections.length > 0;
  }

  /** The next packet, or null at the end (check `error`). The record is the reader's own copy. */
  next(): PacketRecord | null {
    while (this.qi >= this.queue.length) {
      if (this.done) return null;
      this.fill();
      if (this.idle && this.qi >= this.queue.length) return null;
    }
    return this.queue[this.qi++]!;
  }

  /**
   * Set when the file ended early or is corrupt, once every packet before the damage has been
   * handed out by next() (a reader stopped earlier, e.g. by -c, never reached it).
   */
  get error(): CaptureFormatError | null {
    return this.ended ? this.damage : null;
  }

  /** True once every packet has been handed out and the file is finished (or broken). */
  get ended(): boolean {
    return this.complete && this.qi >= this.queue.length;
  }

  close(): void {
    this.finish();
  }

  /**
   * The fast path for one reader consumed in order: parses the next chunk and hands each of
   * its records to `each` without copying (the record object and its `data` view are only
   * valid during the call). Records already queued by next() come first. Returns false once
   * the file is finished (check `error`), or in follow mode when nothing new was found.
   */
  drainChunk(each: (rec: PacketRecord) => void): boolean {
    while (this.qi < this.queue.length) each(this.queue[this.qi++]!);
    if (this.done) return false;
    this.fill(each);
    return !(this.idle || this.done);
  }

  private fill(direct?: (rec: PacketRecord) => void): void {
    this.queue = [];
    this.qi = 0;
    this.fileOffset += this.used;
    const tail = this.have - this.used;
    // A fresh buffer when records handed out keep views into the old one; twice as big when
    // a single record did not fit in the last one; chunk-sized once a followed file grows.
    let size = this.used === 0 && this.have === this.buf.length ? this.buf.length * 2 : this.buf.length;
    if (this.follow && size < this.chunkSize && this.fileOffset + this.have >= this.buf.length) size = this.chunkSize;
    if (this.handedOut || size !== this.buf.length) {
      const fresh = Buffer.allocUnsafe(size);
      this.buf.copy(fresh, 0, this.used, this.have);
      this.buf = fresh;
    } else if (this.used > 0) {
      this.buf.copyWithin(0, this.used, this.have);
    }
    this.handedOut = false;
    this.have = tail;
    this.used = 0;
    const n = this.eof || this.fd < 0 ? 0 : this.read();
    this.idle = false;
    if (n === 0) {
      if (this.follow && this.fd >= 0) this.idle = true;
      else this.eof = true;
    }
    this.have += n;
    try {
      this.used = direct
        ? // A plain Uint8Array view: its subarray() per record is cheaper than a Buffer's.
          this.parser.parse(new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.have), this.fileOffset, direct)
        : this.parser.parse(this.buf.subarray(0, this.have), this.fileOffset, (rec) => {
            this.queue.push({ ...rec });
            this.handedOut = true;
          });
    } catch (e) {
      if (!(e instanceof CaptureFormatError)) throw e;
      this.damage = e;
      this.complete = true;
      this.finish();
      return;
    }
    if (this.eof) {
      const left = this.have - this.used;
      if (this.parser.format === null) {
        const total = this.fileOffset + this.have;
        this.damage = new CaptureFormatError(total === 0 ? 'The file is empty' : `The file is too short (${total} bytes) to be a capture file`, 0);
      } else if (!this.headerRead) {
        this.damage = new CaptureFormatError(`The file was cut short inside its ${this.parser.format === 'pcap' ? 'pcap file header' : 'pcapng section header'}`, this.fileOffset + this.used);
      } else if (left > 0) {
        this.damage = new CaptureFormatError(`The file was cut short: ${left} bytes of an incomplete ${this.parser.format === 'pcap' ? 'packet record' : 'block'} after packet ${this.parser.packets}`, this.fileOffset + this.used);
      }
      this.complete = true;
      this.finish();
    }
  }

  private read(): number {
    if (!this.sequential) return readSync(this.fd, this.buf, this.have, this.buf.length - this.have, this.fileOffset + this.have);
    for (;;) {
      try {
        return readSync(this.fd, this.buf, this.have, this.buf.length - this.have, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(pause, 0, 0, 5); // a non-blocking pipe with nothing yet
          continue;
        }
        if (code === 'EOF') return 0;
        throw e;
      }
    }
  }

  private finish(): void {
    this.done = true;
    if (this.fd > 0 || (this.fd === 0 && this.path !== '-')) closeSync(this.fd);
    this.fd = -1;
    // The chunk buffer (4 MiB) is not needed once the file is read: packets are read back by offset.
    this.buf = EMPTY;
    this.have = this.used = 0;
  }
}
