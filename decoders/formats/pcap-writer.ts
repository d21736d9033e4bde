// Writing classic pcap (libpcap) files: a 24-byte file header, then a 16-byte record header
// before each packet. Pure bytes out: the caller writes them to a file, a socket or memory.

import { PCAP_MAGIC_NS, PCAP_MAGIC_US, MAX_PACKET } from './capture-parser.ts';

export interface PcapWriterOptions {
  linkType: number;
  /** Snapshot length written in the header; longer packets are cut to it. Default 262144. */
  snaplen?: number;
  /** Nanosecond timestamps (magic 0xa1b23c4d) instead of microseconds. */
  nanosecond?: boolean;
  /** Write big-endian (as a SPARC or PowerPC host would); default little-endian. */
  bigEndian?: boolean;
  /** Cut packets longer than the snaplen (default true; false keeps every byte, e.g. when saving a file read back). */
  cutToSnaplen?: boolean;
}

export interface PacketToWrite {
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  /** Length on the wire; defaults to data.length. */
  origlen?: number;
}

export class PcapWriter {
  readonly linkType: number;
  readonly snaplen: number;
  readonly nanosecond: boolean;
  private readonly le: boolean;
  private readonly cut: boolean;

  constructor(opts: PcapWriterOptions) {
    if (!Number.isInteger(opts.linkType) || opts.linkType < 0 || opts.linkType > 0x03ffffff) throw new RangeError(`invalid link type ${opts.linkType}`);
    this.linkType = opts.linkType;
    this.snaplen = opts.snaplen ?? MAX_PACKET;
    if (!Number.isInteger(this.snaplen) || this.snaplen < 0 || this.snaplen > 0xffffffff) throw new RangeError(`invalid snaplen ${this.snaplen}`);
    this.nanosecond = opts.nanosecond ?? false;
    this.le = !opts.bigEndian;
    this.cut = opts.cutToSnaplen ?? true;
  }

  /** The 24-byte file header. */
  header(): Uint8Array {
    const b = new Uint8Array(24);
    const v = new DataView(b.buffer);
    v.setUint32(0, this.nanosecond ? PCAP_MAGIC_NS : PCAP_MAGIC_US, this.le);
    v.setUint16(4, 2, this.le);
    v.setUint16(6, 4, this.le);
    v.setInt32(8, 0, this.le); // thiszone
    v.setUint32(12, 0, this.le); // sigfigs
    v.setUint32(16, this.snaplen, this.le);
    v.setUint32(20, this.linkType, this.le);
    return b;
  }

  /** One packet record: header and captured bytes (cut to the snaplen). */
  packet(p: PacketToWrite): Uint8Array {
    const caplen = this.snaplen > 0 && this.cut ? Math.min(p.data.length, this.snaplen) : p.data.length;
    const origlen = p.origlen ?? p.data.length;
    checkTime(p.tsSec, p.tsNsec);
    if (!Number.isInteger(origlen) || origlen < 0 || origlen > 0xffffffff) throw new RangeError(`invalid packet length ${origlen}`);
    const b = new Uint8Array(16 + caplen);
    const v = new DataView(b.buffer);
    v.setUint32(0, p.tsSec, this.le);
    v.setUint32(4, this.nanosecond ? p.tsNsec : Math.floor(p.tsNsec / 1000), this.le);
    v.setUint32(8, caplen, this.le);
    v.setUint32(12, origlen, this.le); // as given: a saved file keeps even a damaged origlen < caplen
    b.set(p.data.subarray(0, caplen), 16);
    return b;
  }

  /** A whole file in memory. */
  static file(opts: PcapWriterOptions, packets: Iterable<PacketToWrite>): Uint8Array {
    const w = new PcapWriter(opts);
    return concatBytes([w.header(), ...Array.from(packets, (p) => w.packet(p))]);
  }
}

export function checkTime(tsSec: number, tsNsec: number): void {
  if (!Number.isInteger(tsSec) || tsSec < 0 || tsSec > 0xffffffff) throw new RangeError(`timestamp seconds ${tsSec} do not fit a pcap record`);
  if (!Number.isInteger(tsNsec) || tsNsec < 0 || tsNsec >= 1e9) throw new RangeError(`invalid nanoseconds ${tsNsec}`);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
