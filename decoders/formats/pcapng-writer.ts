// Writing pcapng: a Section Header Block, Interface Description Blocks (with if_name,
// if_filter, if_tsresol ...), Enhanced Packet Blocks with comments and flags, and optionally
// Name Resolution and Interface Statistics blocks. Each method returns one complete block, so
// a live capture can append blocks to a file as packets arrive (Wireshark's dumpcap model)
// and Save/Export can write a whole file. Pure bytes: no node:* here.

import { PCAPNG_SHB, MAX_PACKET } from './capture-parser.ts';
import { concatBytes } from './pcap-writer.ts';

export interface SectionOptions {
  comment?: string | string[];
  hardware?: string;
  os?: string;
  userAppl?: string;
  /** Write the section big-endian; default little-endian. */
  bigEndian?: boolean;
  /** Cut packets longer than their interface's snaplen (default true; false keeps every byte). */
  cutToSnaplen?: boolean;
}

export interface InterfaceOptions {
  linkType: number;
  /** 0 means "no limit". Default 262144. */
  snaplen?: number;
  name?: string;
  description?: string;
  /** Capture filter (written as a libpcap filter string). */
  filter?: string;
  os?: string;
  comment?: string;
  fcsLen?: number;
  /** Raw if_tsresol byte: 6 = microseconds (default, not written), 9 = nanoseconds, 0x80|n = 2^-n. */
  tsresol?: number;
  /** if_tsoffset seconds, added by readers to every timestamp of the interface. */
  tsOffset?: number;
}

export interface EnhancedPacket {
  /** Interface id within the current section (the value addInterface returned). */
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  /** Length on the wire; defaults to data.length. */
  origlen?: number;
  comment?: string | string[];
  /** epb_flags word (bits 0-1 direction, 2-4 reception type, 5-8 FCS length). */
  flags?: number;
}

export interface InterfaceStatistics {
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  /** Packets received by the interface (isb_ifrecv). */
  received?: bigint | number;
  /** Packets dropped by the interface (isb_ifdrop). */
  dropped?: bigint | number;
  comment?: string;
}

export interface NameRecord {
  /** IPv4 (4 bytes) or IPv6 (16 bytes) address. */
  address: Uint8Array;
  names: string[];
}

const enc = new TextEncoder();

interface IfaceState {
  snaplen: number;
  ticks: bigint;
  tsOffset: number;
}

/** Builds a block body from options: code, length, value padded to 4 bytes, then opt_endofopt. */
class Options {
  private readonly parts: { code: number; value: Uint8Array }[] = [];
  constructor(private readonly le: boolean) {}
  str(code: number, s: string | undefined): this {
    if (s !== undefined) this.bytes(code, enc.encode(s));
    return this;
  }
  bytes(code: number, value: Uint8Array): this {
    if (value.length > 0xffff) throw new RangeError(`option ${code} is too long (${value.length} bytes)`);
    this.parts.push({ code, value });
    return this;
  }
  u8(code: number, n: number): this {
    return this.bytes(code, Uint8Array.of(n));
  }
  u32(code: number, n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, this.le);
    return this.bytes(code, b);
  }
  u64(code: number, n: bigint | number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n), this.le);
    return this.bytes(code, b);
  }
  i64(code: number, n: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt(n), this.le);
    return this.bytes(code, b);
  }
  encode(): Uint8Array {
    if (this.parts.length === 0) return new Uint8Array(0);
    let n = 4;
    for (const p of this.parts) n += 4 + pad4(p.value.length);
    const b = new Uint8Array(n);
    const v = new DataView(b.buffer);
    let o = 0;
    for (const p of this.parts) {
      v.setUint16(o, p.code, this.le);
      v.setUint16(o + 2, p.value.length, this.le);
      b.set(p.value, o + 4);
      o += 4 + pad4(p.value.length);
    }
    return b; // the last 4 zero bytes are opt_endofopt
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function list(s: string | string[] | undefined): string[] {
  return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

export class PcapngWriter {
  private le: boolean;
  private readonly section: SectionOptions;
  private ifaces: IfaceState[] = [];

  constructor(section: SectionOptions = {}) {
    this.section = section;
    this.le = !section.bigEndian;
  }

  /** Number of interfaces described in the current section. */
  get interfaceCount(): number {
    return this.ifaces.length;
  }

  /** A Section Header Block. Starts a new section: interfaces must be described again. */
  sectionHeader(opts: SectionOptions = this.section): Uint8Array {
    this.le = !opts.bigEndian;
    this.ifaces = [];
    const o = new Options(this.le);
    for (const c of list(opts.comment)) o.str(1, c);
    o.str(2, opts.hardware).str(3, opts.os).str(4, opts.userAppl);
    const body = new Uint8Array(16);
    const v = new DataView(body.buffer);
    v.setUint32(0, 0x1a2b3c4d, this.le);
    v.setUint16(4, 1, this.le);
    v.setUint16(6, 0, this.le);
    v.setBigInt64(8, -1n, this.le); // section length not specified
    return this.block(PCAPNG_SHB, body, o.encode());
  }

  /** An Interface Description Block. Its id (0, 1, ...) is `interfaceCount - 1` afterwards. */
  addInterface(opts: InterfaceOptions): Uint8Array {
    if (!Number.isInteger(opts.linkType) || opts.linkType < 0 || opts.linkType > 0xffff) throw new RangeError(`invalid link type ${opts.linkType}`);
    const snaplen = opts.snaplen ?? MAX_PACKET;
    const tsresol = opts.tsresol ?? 6;
    const exp = BigInt(tsresol & 0x7f);
    const ticks = tsresol & 0x80 ? 2n ** exp : 10n ** exp;
    const o = new Options(this.le);
    o.str(1, opts.comment).str(2, opts.name).str(3, opts.description);
    if (opts.tsresol !== undefined && opts.tsresol !== 6) o.u8(9, tsresol);
    if (opts.filter !== undefined) {
      const f = enc.encode(opts.filter);
      const b = new Uint8Array(1 + f.length);
      b.set(f, 1); // first byte 0: a libpcap filter string
      o.bytes(11, b);
    }
    o.str(12, opts.os);
    if (opts.fcsLen !== undefined) o.u8(13, opts.fcsLen);
    if (opts.tsOffset) o.i64(14, opts.tsOffset);
    const body = new Uint8Array(8);
    const v = new DataView(body.buffer);
    v.setUint16(0, opts.linkType, this.le);
    v.setUint32(4, snaplen, this.le);
    this.ifaces.push({ snaplen, ticks, tsOffset: opts.tsOffset ?? 0 });
    return this.block(1, body, o.encode());
  }

  /** An Enhanced Packet Block (captured bytes cut to the interface's snaplen). */
  packet(p: EnhancedPacket): Uint8Array {
    const iface = this.ifaces[p.interfaceId];
    if (!iface) throw new RangeError(`interface ${p.interfaceId} is not described in this section`);
    const caplen = iface.snaplen > 0 && this.section.cutToSnaplen !== false ? Math.min(p.data.length, iface.snaplen) : p.data.length;
    const origlen = p.origlen ?? p.data.length;
    if (!Number.isInteger(origlen) || origlen < 0 || origlen > 0xffffffff) throw new RangeError(`invalid packet length ${origlen}`);
    const units = this.units(iface, p.tsSec, p.tsNsec);
    const o = new Options(this.le);
    for (const c of list(p.comment)) o.str(1, c);
    if (p.flags !== undefined) o.u32(2, p.flags);
    const body = new Uint8Array(20 + pad4(caplen));
    const v = new DataView(body.buffer);
    v.setUint32(0, p.interfaceId, this.le);
    v.setUint32(4, Number(units >> 32n), this.le);
    v.setUint32(8, Number(units & 0xffffffffn), this.le);
    v.setUint32(12, caplen, this.le);
    v.setUint32(16, origlen, this.le);
    body.set(p.data.subarray(0, caplen), 20);
    return this.block(6, body, o.encode());
  }

  /** A Simple Packet Block (no timestamp, always interface 0). */
  simplePacket(data: Uint8Array, origlen = data.length): Uint8Array {
    const iface = this.ifaces[0];
    if (!iface) throw new RangeError('a simple packet block needs interface 0');
    const caplen = iface.snaplen > 0 ? Math.min(data.length, iface.snaplen) : data.length;
    const body = new Uint8Array(4 + pad4(caplen));
    new DataView(body.buffer).setUint32(0, Math.max(origlen, caplen), this.le);
    body.set(data.subarray(0, caplen), 4);
    return this.block(3, body, new Uint8Array(0));
  }

  /** A Name Resolution Block with IPv4 / IPv6 records. */
  nameResolution(records: readonly NameRecord[]): Uint8Array {
    const parts: Uint8Array[] = [];
    for (const r of records) {
      const type = r.address.length === 4 ? 1 : r.address.length === 16 ? 2 : 0;
      if (!type) throw new RangeError('name records take 4- or 16-byte addresses');
      const names = enc.encode(r.names.map((n) => n + '\0').join(''));
      const len = r.address.length + names.length;
      const rec = new Uint8Array(4 + pad4(len));
      const v = new DataView(rec.buffer);
      v.setUint16(0, type, this.le);
      v.setUint16(2, len, this.le);
      rec.set(r.address, 4);
      rec.set(names, 4 + r.address.length);
      parts.push(rec);
    }
    parts.push(new Uint8Array(4)); // nrb_record_end
    return this.block(4, concatBytes(parts), new Uint8Array(0));
  }

  /** An Interface Statistics Block (dumpcap writes one per interface when a capture stops). */
  interfaceStatistics(s: InterfaceStatistics): Uint8Array {
    const iface = this.ifaces[s.interfaceId];
    if (!iface) throw new RangeError(`interface ${s.interfaceId} is not described in this section`);
    const units = this.units(iface, s.tsSec, s.tsNsec);
    const o = new Options(this.le);
    o.str(1, s.comment);
    if (s.received !== undefined) o.u64(4, s.received);
    if (s.dropped !== undefined) o.u64(5, s.dropped);
    const body = new Uint8Array(12);
    const v = new DataView(body.buffer);
    v.setUint32(0, s.interfaceId, this.le);
    v.setUint32(4, Number(units >> 32n), this.le);
    v.setUint32(8, Number(units & 0xffffffffn), this.le);
    return this.block(5, body, o.encode());
  }

  /** Any block, for custom blocks and tests: type, body (padded here) and the length fields. */
  rawBlock(type: number, body: Uint8Array): Uint8Array {
    return this.block(type, body, new Uint8Array(0));
  }

  /** A whole file in memory: one section, the interfaces, then the packets. */
  static file(section: SectionOptions, interfaces: readonly InterfaceOptions[], packets: Iterable<EnhancedPacket>): Uint8Array {
    const w = new PcapngWriter(section);
    const parts = [w.sectionHeader(), ...interfaces.map((i) => w.addInterface(i))];
    for (const p of packets) parts.push(w.packet(p));
    return concatBytes(parts);
  }

  private units(iface: IfaceState, tsSec: number, tsNsec: number): bigint {
    if (!Number.isInteger(tsSec) || !Number.isInteger(tsNsec) || tsNsec < 0 || tsNsec >= 1e9) throw new RangeError(`invalid timestamp ${tsSec}.${tsNsec}`);
    const units = BigInt(tsSec - iface.tsOffset) * iface.ticks + (BigInt(tsNsec) * iface.ticks) / 1_000_000_000n;
    if (units < 0n || units > 0xffffffffffffffffn) throw new RangeError(`timestamp ${tsSec}.${tsNsec} does not fit the interface's resolution`);
    return units;
  }

  private block(type: number, body: Uint8Array, options: Uint8Array): Uint8Array {
    const len = 12 + pad4(body.length) + options.length;
    const b = new Uint8Array(len);
    const v = new DataView(b.buffer);
    v.setUint32(0, type, this.le);
    v.setUint32(4, len, this.le);
    b.set(body, 8);
    b.set(options, 8 + pad4(body.length));
    v.setUint32(len - 4, len, this.le);
    return b;
  }
}
