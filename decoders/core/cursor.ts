// Bounds-checked reads over one data source. Offsets are absolute within the source so that
// every field's byte range can be highlighted in the hex pane without translation.
//
// Two limits, as in Wireshark's tvbuff: `end` is how many bytes were captured, `reportedEnd`
// how many the headers say exist. Reading past `end` but within `reportedEnd` means the
// capture was cut short (snaplen); past `reportedEnd` means the packet itself is malformed.

export class BoundsError extends Error {
  constructor(
    readonly kind: 'captured' | 'reported',
    readonly at: number,
    readonly wanted: number,
  ) {
    super(kind === 'captured' ? 'Packet size limited during capture' : 'Malformed packet: read past the end of the data');
  }
}

export class Cursor {
  readonly view: DataView;

  constructor(
    readonly data: Uint8Array,
    /** Index of the data source in the dissection. */
    readonly source: number,
    /** First byte of this layer. */
    readonly start: number,
    /** One past the last captured byte available to this layer. */
    readonly end: number,
    /** One past the last byte the packet claims to have. Never less than `end`. */
    readonly reportedEnd: number,
    view?: DataView,
  ) {
    this.view = view ?? new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  static of(data: Uint8Array, source = 0, reportedLength = data.length): Cursor {
    return new Cursor(data, source, 0, data.length, Math.max(reportedLength, data.length));
  }

  /** Captured bytes from `start` to `end`. */
  get length(): number {
    return this.end - this.start;
  }

  /** Captured bytes remaining from `offset`. */
  remaining(offset: number): number {
    return Math.max(0, this.end - offset);
  }

  reportedRemaining(offset: number): number {
    return Math.max(0, this.reportedEnd - offset);
  }

  has(offset: number, length: number): boolean {
    return offset >= this.start && length >= 0 && offset + length <= this.end;
  }

  /** Throws a BoundsError when [offset, offset+length) is not all captured. */
  check(offset: number, length: number): void {
    if (offset < this.start || length < 0 || offset + length > this.end) {
      const kind = offset + length > this.reportedEnd || offset < this.start || length < 0 ? 'reported' : 'captured';
      throw new BoundsError(kind, offset, length);
    }
  }

  /**
   * A cursor for the layer that starts at `offset`. `length` (when known from a header)
   * limits both captured and reported ends; bytes beyond it are the caller's trailer.
   */
  sub(offset: number, length?: number): Cursor {
    if (offset > this.end) throw new BoundsError(offset > this.reportedEnd ? 'reported' : 'captured', offset, 0);
    if (length === undefined) return new Cursor(this.data, this.source, offset, this.end, this.reportedEnd, this.view);
    const reported = offset + length;
    if (reported > this.reportedEnd) {
      // The header claims more than exists: keep what there is; reads past it are malformed.
      return new Cursor(this.data, this.source, offset, this.end, this.reportedEnd, this.view);
    }
    return new Cursor(this.data, this.source, offset, Math.min(this.end, reported), reported, this.view);
  }

  u8(o: number): number {
    this.check(o, 1);
    return this.data[o]!;
  }
  u16(o: number): number {
    this.check(o, 2);
    return this.view.getUint16(o);
  }
  u16le(o: number): number {
    this.check(o, 2);
    return this.view.getUint16(o, true);
  }
  u24(o: number): number {
    this.check(o, 3);
    return (this.data[o]! << 16) | (this.data[o + 1]! << 8) | this.data[o + 2]!;
  }
  u32(o: number): number {
    this.check(o, 4);
    return this.view.getUint32(o);
  }
  u32le(o: number): number {
    this.check(o, 4);
    return this.view.getUint32(o, true);
  }
  u48(o: number): number {
    this.check(o, 6);
    return this.view.getUint16(o) * 0x100000000 + this.view.getUint32(o + 2);
  }
  u64(o: number): bigint {
    this.check(o, 8);
    return this.view.getBigUint64(o);
  }
  i8(o: number): number {
    this.check(o, 1);
    return this.view.getInt8(o);
  }
  i16(o: number): number {
    this.check(o, 2);
    return this.view.getInt16(o);
  }
  i32(o: number): number {
    this.check(o, 4);
    return this.view.getInt32(o);
  }

  /** A copy-free view of captured bytes; throws if not all captured. */
  bytes(o: number, length: number): Uint8Array {
    this.check(o, length);
    return this.data.subarray(o, o + length);
  }

  /** Latin-1/ASCII text of the bytes (protocol text is ASCII; UTF-8 is decoded by callers that need it). */
  ascii(o: number, length: number): string {
    this.check(o, length);
    // Byte values are the code points (Latin-1): one string per 4 KiB instead of one per byte.
    if (length <= 4096) return String.fromCharCode.apply(null, this.data.subarray(o, o + length) as unknown as number[]);
    let s = '';
    for (let i = o; i < o + length; i += 4096) s += String.fromCharCode.apply(null, this.data.subarray(i, Math.min(i + 4096, o + length)) as unknown as number[]);
    return s;
  }

  /** Offset of the first `byte` at or after `o` within the captured data, or -1. */
  find(o: number, byte: number, limit = this.end): number {
    const stop = Math.min(limit, this.end);
    for (let i = Math.max(o, this.start); i < stop; i++) if (this.data[i] === byte) return i;
    return -1;
  }

  /** Offset just past the next CRLF (or lone LF) at or after `o`, or -1 when there is none. */
  lineEnd(o: number): { next: number; eol: number } | null {
    const lf = this.find(o, 0x0a);
    if (lf < 0) return null;
    const eol = lf > o && this.data[lf - 1] === 0x0d ? lf - 1 : lf;
    return { next: lf + 1, eol };
  }
}
