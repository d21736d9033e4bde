// Incremental reader of pcap and pcapng over byte chunks. The caller feeds chunks in file
// order; each call parses every complete record in the chunk and says how many bytes it used,
// so the caller keeps the tail and prepends it to the next chunk. No per-packet allocation:
// one mutable record object is handed to the callback and reused.

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Largest record we accept; anything bigger is corruption, not a packet (Wireshark uses 256 KiB for most link types). */
export const MAX_PACKET = 262_144 * 4;
const MAX_BLOCK = 16 * 1024 * 1024;

export interface PacketRecord {
  /** Absolute file offset of the packet bytes. */
  offset: number;
  caplen: number;
  origlen: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  interfaceId: number;
  /** The packet bytes (a view into the chunk: copy it to keep it). */
  data: Uint8Array;
  /** pcapng opt_comment of the packet, if any. */
  comment: string | undefined;
}

export interface InterfaceInfo {
  linkType: number;
  snaplen: number;
  name?: string;
  description?: string;
  filter?: string;
  /** Timestamp units per second (pcapng if_tsresol). */
  unitsPerSecond: number;
  /** if_tsoffset seconds. */
  tsOffset: number;
  /** Section the interface belongs to (pcapng sections restart interface numbering). */
  section: number;
}

export class CaptureFormatError extends Error {
  constructor(
    message: string,
    /** File offset where the damage was found. */
    readonly offset: number,
  ) {
    super(`${message} at byte offset ${offset}`);
  }
}

export type Format = 'pcap' | 'pcapng';

type Emit = (rec: PacketRecord) => void | boolean;

const textDecoder = new TextDecoder('utf-8', { fatal: false });

export class CaptureParser {
  format: Format | null = null;
  /** Interfaces in order of appearance over all sections. Packets refer to them by global index. */
  readonly interfaces: InterfaceInfo[] = [];
  /** Comments of section headers, in order. */
  readonly sectionComments: string[] = [];
  /** Name resolution records (pcapng NRB): address text -> name. */
  readonly names = new Map<string, string>();
  /** Packets delivered so far. */
  packets = 0;
  private little = false;
  private section = -1;
  private sectionFirstInterface = 0;
  private pcapLink = 0;
  private pcapSnap = 0;
  private pcapNano = false;
  private readonly rec: PacketRecord = { offset: 0, caplen: 0, origlen: 0, tsSec: 0, tsNsec: 0, linkType: 0, interfaceId: 0, data: new Uint8Array(0), comment: undefined };

  /**
   * Parses complete records in `buf` (which starts at file offset `base`). Returns the
   * number of bytes used; a record split across chunks is left for the next call.
   * `emit` may return false to stop early (then the return value points just past the
   * last emitted record). Throws CaptureFormatError on damage.
   */
  parse(buf: Uint8Array, base: number, emit: Emit): number {
    const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let p = 0;
    if (this.format === null) {
      if (buf.length < 4) return 0;
      const m = v.getUint32(0, false);
      const ml = v.getUint32(0, true);
      if (m === PCAPNG_SHB) this.format = 'pcapng';
      else if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || ml === PCAP_MAGIC_US || ml === PCAP_MAGIC_NS) this.format = 'pcap';
      else throw new CaptureFormatError('Not a pcap or pcapng file (unknown magic number 0x' + m.toString(16).padStart(8, '0') + ')', base);
    }
    if (this.format === 'pcap') {
      if (this.interfaces.length === 0) {
        if (buf.length < 24) return 0;
        this.readPcapHeader(v, base);
        p = 24;
      }
      return this.parsePcapRecords(buf, v, p, base, emit);
    }
    return this.parsePcapng(buf, v, base, emit);
  }

  private readPcapHeader(v: DataView, base: number): void {
    const m = v.getUint32(0, false);
    this.little = !(m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS);
    const magic = v.getUint32(0, this.little);
    this.pcapNano = magic === PCAP_MAGIC_NS;
    const major = v.getUint16(4, this.little);
    if (major !== 2) throw new CaptureFormatError(`Unsupported pcap version ${major}.${v.getUint16(6, this.little)}`, base + 4);
    this.pcapSnap = v.getUint32(16, this.little);
    // The upper bits of the link-type word carry FCS flags (pcap LINKTYPE_* in the low 16 bits... 28).
    this.pcapLink = v.getUint32(20, this.little) & 0x0fffffff;
    this.interfaces.push({ linkType: this.pcapLink, snaplen: this.pcapSnap, unitsPerSecond: this.pcapNano ? 1e9 : 1e6, tsOffset: 0, section: 0 });
  }

  private parsePcapRecords(buf: Uint8Array, v: DataView, p: number, base: number, emit: Emit): number {
    const le = this.little;
    const rec = this.rec;
    const nano = this.pcapNano;
    const snapLimit = Math.max(this.pcapSnap, MAX_PACKET);
    while (p + 16 <= buf.length) {
      const caplen = v.getUint32(p + 8, le);
      const origlen = v.getUint32(p + 12, le);
      if (caplen > snapLimit) {
        throw new CaptureFormatError(`Packet ${this.packets + 1}: captured length ${caplen} is larger than the maximum ${snapLimit} (the file is corrupt)`, base + p);
      }
      if (p + 16 + caplen > buf.length) break;
      rec.tsSec = v.getUint32(p, le);
      const frac = v.getUint32(p + 4, le);
      rec.tsNsec = nano ? frac : frac * 1000;
      rec.caplen = caplen;
      rec.origlen = origlen < caplen ? caplen : origlen;
      rec.offset = base + p + 16;
      rec.linkType = this.pcapLink;
      rec.interfaceId = 0;
      rec.data = buf.subarray(p + 16, p + 16 + caplen);
      rec.comment = undefined;
      p += 16 + caplen;
      this.packets++;
      if (emit(rec) === false) return p;
    }
    return p;
  }

  private parsePcapng(buf: Uint8Array, v: DataView, base: number, emit: Emit): number {
    let p = 0;
    while (p + 12 <= buf.length) {
      let type = v.getUint32(p, this.little);
      if (v.getUint32(p, false) === PCAPNG_SHB) {
        type = PCAPNG_SHB;
        const bom = v.getUint32(p + 8, false);
        if (bom === BYTE_ORDER_MAGIC) this.little = false;
        else if (bom === 0x4d3c2b1a) this.little = true;
        else throw new CaptureFormatError('pcapng section header with a bad byte-order magic', base + p + 8);
      } else if (this.section < 0) {
        throw new CaptureFormatError('pcapng file does not start with a section header block', base + p);
      }
      const len = v.getUint32(p + 4, this.little);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) throw new CaptureFormatError(`pcapng block of type 0x${type.toString(16)} has an invalid length ${len}`, base + p + 4);
      if (p + len > buf.length) break;
      const trailer = v.getUint32(p + len - 4, this.little);
      if (trailer !== len) throw new CaptureFormatError(`pcapng block of type 0x${type.toString(16)}: trailing length ${trailer} does not match ${len}`, base + p + len - 4);
      const stop = this.block(type, buf, v, p, len, base, emit) === false;
      p += len;
      if (stop) return p;
    }
    return p;
  }

  private block(type: number, buf: Uint8Array, v: DataView, p: number, len: number, base: number, emit: Emit): void | boolean {
    const le = this.little;
    switch (type) {
      case PCAPNG_SHB: {
        this.section++;
        this.sectionFirstInterface = this.interfaces.length;
        const major = v.getUint16(p + 12, le);
        if (major !== 1) throw new CaptureFormatError(`Unsupported pcapng version ${major}`, base + p + 12);
        const opts = this.options(buf, v, p + 24, p + len - 4);
        const comment = opts.get(1);
        if (comment) this.sectionComments.push(textDecoder.decode(comment[0]));
        return;
      }
      case 1: { // Interface Description Block
        if (len < 20) throw new CaptureFormatError('pcapng interface block too short', base + p);
        const info: InterfaceInfo = { linkType: v.getUint16(p + 8, le), snaplen: v.getUint32(p + 12, le), unitsPerSecond: 1e6, tsOffset: 0, section: this.section };
        const opts = this.options(buf, v, p + 16, p + len - 4);
        const name = opts.get(2)?.[0];
        if (name) info.name = textDecoder.decode(name);
        const desc = opts.get(3)?.[0];
        if (desc) info.description = textDecoder.decode(desc);
        const filter = opts.get(11)?.[0];
        if (filter && filter.length > 1) info.filter = textDecoder.decode(filter.subarray(1));
        const res = opts.get(9)?.[0];
        if (res && res.length >= 1) {
          const r = res[0]!;
          info.unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** (r & 0x7f);
        }
        const off = opts.get(14)?.[0];
        if (off && off.length >= 8) info.tsOffset = Number(new DataView(off.buffer, off.byteOffset, 8).getBigInt64(0, le));
        this.interfaces.push(info);
        return;
      }
      case 6: // Enhanced Packet Block
      case 2: { // obsolete Packet Block: same layout with a 16-bit interface id
        if (len < 32) throw new CaptureFormatError('pcapng packet block too short', base + p);
        const ifLocal = type === 6 ? v.getUint32(p + 8, le) : v.getUint16(p + 8, le);
        const iface = this.interfaces[this.sectionFirstInterface + ifLocal];
        if (!iface || iface.section !== this.section) throw new CaptureFormatError(`Packet refers to interface ${ifLocal}, which the section does not describe`, base + p + 8);
        const caplen = v.getUint32(p + 20, le);
        const origlen = v.getUint32(p + 24, le);
        if (28 + caplen + 4 > len) throw new CaptureFormatError(`Packet ${this.packets + 1}: captured length ${caplen} does not fit its block`, base + p + 20);
        this.setTime(v.getUint32(p + 12, le), v.getUint32(p + 16, le), iface);
        const dataStart = p + 28;
        const optStart = dataStart + ((caplen + 3) & ~3);
        return this.deliver(buf, v, base, dataStart, caplen, origlen, iface, this.sectionFirstInterface + ifLocal, optStart, p + len - 4, emit);
      }
      case 3: { // Simple Packet Block: first interface of the section, no timestamp
        const iface = this.interfaces[this.sectionFirstInterface];
        if (!iface || iface.section !== this.section) throw new CaptureFormatError('Simple packet block without an interface', base + p);
        const origlen = v.getUint32(p + 8, le);
        const caplen = Math.min(origlen, len - 16, iface.snaplen || Infinity);
        this.rec.tsSec = 0;
        this.rec.tsNsec = 0;
        return this.deliver(buf, v, base, p + 12, caplen, origlen, iface, this.sectionFirstInterface, p + len - 4, p + len - 4, emit);
      }
      case 4: // Name Resolution Block
        this.nameRecords(buf, v, p + 8, p + len - 4);
        return;
      default:
        return; // ISB, DSB, custom and unknown blocks are skipped.
    }
  }

  private deliver(buf: Uint8Array, v: DataView, base: number, dataStart: number, caplen: number, origlen: number, iface: InterfaceInfo, ifIndex: number, optStart: number, optEnd: number, emit: Emit): void | boolean {
    const rec = this.rec;
    rec.caplen = caplen;
    rec.origlen = origlen < caplen ? caplen : origlen;
    rec.offset = base + dataStart;
    rec.linkType = iface.linkType;
    rec.interfaceId = ifIndex;
    rec.data = buf.subarray(dataStart, dataStart + caplen);
    rec.comment = undefined;
    if (optStart < optEnd) {
      const c = this.options(buf, v, optStart, optEnd).get(1)?.[0];
      if (c) rec.comment = textDecoder.decode(c);
    }
    this.packets++;
    return emit(rec);
  }

  private setTime(hi: number, lo: number, iface: InterfaceInfo): void {
    const units = hi * 4294967296 + lo;
    const ups = iface.unitsPerSecond;
    if (ups === 1e6) {
      this.rec.tsSec = Math.floor(units / 1e6) + iface.tsOffset;
      this.rec.tsNsec = (units % 1e6) * 1000;
    } else if (ups === 1e9) {
      // 64-bit nanosecond counts exceed 2^53: split through BigInt to stay exact.
      const big = (BigInt(hi) << 32n) | BigInt(lo);
      this.rec.tsSec = Number(big / 1_000_000_000n) + iface.tsOffset;
      this.rec.tsNsec = Number(big % 1_000_000_000n);
    } else {
      const big = (BigInt(hi) << 32n) | BigInt(lo);
      const u = BigInt(ups);
      this.rec.tsSec = Number(big / u) + iface.tsOffset;
      this.rec.tsNsec = Number(((big % u) * 1_000_000_000n) / u);
    }
  }

  /** Options of a block as code -> values (only what we read; bounded by the block). */
  private options(buf: Uint8Array, v: DataView, p: number, end: number): Map<number, Uint8Array[]> {
    const out = new Map<number, Uint8Array[]>();
    while (p + 4 <= end) {
      const code = v.getUint16(p, this.little);
      const olen = v.getUint16(p + 2, this.little);
      if (code === 0) break;
      if (p + 4 + olen > end) break;
      const list = out.get(code) ?? [];
      list.push(buf.subarray(p + 4, p + 4 + olen));
      out.set(code, list);
      p += 4 + ((olen + 3) & ~3);
    }
    return out;
  }

  private nameRecords(buf: Uint8Array, v: DataView, p: number, end: number): void {
    while (p + 4 <= end) {
      const type = v.getUint16(p, this.little);
      const rlen = v.getUint16(p + 2, this.little);
      if (type === 0 || p + 4 + rlen > end) break;
      const body = buf.subarray(p + 4, p + 4 + rlen);
      const alen = type === 1 ? 4 : type === 2 ? 16 : type === 3 ? 6 : 0;
      if (alen && body.length > alen) {
        const addr = alen === 4 ? Array.from(body.subarray(0, 4)).join('.') : Array.from(body.subarray(0, alen), (b) => b.toString(16).padStart(2, '0')).join(':');
        for (const name of textDecoder.decode(body.subarray(alen)).split('\0')) if (name) this.names.set(addr, name);
      }
      p += 4 + ((rlen + 3) & ~3);
    }
  }
}
