// Support for the robustness suite (test/robustness): a seeded PRNG, packet mutators, the
// corpus as a flat list of packets, traps that catch decoder bugs the core would otherwise
// turn into "Dissector bug" markers, tree invariants, the "must be marked" oracle for cut
// packets, and timing statistics. Everything is deterministic for a given seed and corpus.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRegistry, dissectFrame, Session, type Registry } from '../../decoders/index.ts';
import { BoundsError } from '../../decoders/core/cursor.ts';
import { formatFieldValue, nodeLabel } from '../../decoders/core/format.ts';
import { NodeFlags, type Dissection, type FieldNode, type FieldType, type FrameInfo } from '../../decoders/core/types.ts';
import type { Dissector, HeuristicTest } from '../../decoders/core/registry.ts';
import { CaptureFileReader } from '../../electron/engine/file-reader.ts';
import { corpusDir } from './corpus.ts';

// ---------------------------------------------------------------------------------------
// Seeded PRNG (sfc32: small, fast, good enough statistics, identical on every platform).

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 16; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.u32() / 4294967296) * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}

// ---------------------------------------------------------------------------------------
// The corpus as packets.

export interface CorpusPacket {
  readonly file: string;
  /** 1-based packet number inside its file. */
  readonly index: number;
  readonly linkType: number;
  readonly data: Uint8Array;
  readonly origlen: number;
}

export function corpusFiles(): string[] {
  return readdirSync(corpusDir).filter((f) => /\.(pcap|pcapng|cap)$/.test(f)).sort();
}

/** Every packet of every corpus file, in file-name then packet order. */
export function loadCorpus(): CorpusPacket[] {
  const out: CorpusPacket[] = [];
  for (const file of corpusFiles()) {
    const r = new CaptureFileReader(join(corpusDir, file));
    let index = 0;
    for (let rec = r.next(); rec; rec = r.next()) {
      index++;
      out.push({ file, index, linkType: rec.linkType, data: rec.data.slice(), origlen: rec.origlen });
    }
    r.close();
  }
  return out;
}

export function frameInfo(number: number, linkType: number, caplen: number, origlen: number): FrameInfo {
  return { number, linkType, tsSec: 1_600_000_000 + number, tsNsec: 0, caplen, origlen: Math.max(origlen, caplen), interfaceId: 0 };
}

export function decodeWith(session: Session, data: Uint8Array, linkType: number, origlen: number, number = 1, registry: Registry = defaultRegistry(), tree = true): Dissection {
  return dissectFrame(registry, session, frameInfo(number, linkType, data.length, origlen), data, tree ? {} : { tree: false });
}

/** What the Packet List shows of a dissection (the summary-only decode must give the same). */
export function summaryOf(d: Dissection): string {
  return `${d.protocols.join(':')} | ${d.columns.source} | ${d.columns.destination} | ${d.columns.protocol} | ${d.columns.info} | ${d.malformed ? 'malformed' : ''}`;
}

/**
 * A decode to run again later (re-measuring slow decodes). Made here, away from the caller's
 * scope, so that the closure keeps only the bytes alive, not the caller's trees and sessions.
 */
export function redoDecode(data: Uint8Array, linkType: number, origlen: number, registry: Registry = defaultRegistry(), tree = true): () => void {
  return () => {
    decodeWith(new Session(), data, linkType, origlen, 1, registry, tree);
  };
}

export function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

// ---------------------------------------------------------------------------------------
// Bug traps. The core converts any exception inside a dissector into a malformed marker
// ("Dissector bug: ..."), and swallows exceptions of heuristic tests. Both hide real bugs
// (a TypeError, a RangeError from a raw DataView read, an endless recursion), so every
// module's dissect and every heuristic test are wrapped to record such exceptions with
// their stack. BoundsError is the one expected exception.

export interface BugRecord {
  readonly protocol: string;
  readonly where: 'dissect' | 'heuristic';
  readonly message: string;
  readonly stack: string;
}

let trapped: BugRecord[] = [];
let trapsInstalled = false;

export function installBugTraps(registry: Registry = defaultRegistry()): void {
  if (trapsInstalled) return;
  trapsInstalled = true;
  const record = (protocol: string, where: BugRecord['where'], err: unknown): void => {
    if (err instanceof BoundsError) return;
    const e = err instanceof Error ? err : new Error(String(err));
    trapped.push({ protocol, where, message: e.message, stack: (e.stack ?? '').split('\n').slice(0, 8).join('\n') });
  };
  for (const mod of registry.allProtocols()) {
    const inner = mod.dissect;
    const wrapped: Dissector = (c, ctx, tree) => {
      try {
        return inner(c, ctx, tree);
      } catch (err) {
        record(mod.abbrev, 'dissect', err);
        throw err;
      }
    };
    (mod as { dissect: Dissector }).dissect = wrapped;
  }
  // Heuristic tables are private to the registry; reach them the way a debugger would.
  const heuristics = (registry as unknown as { heuristics: Map<string, { proto: { abbrev: string }; test: HeuristicTest }[]> }).heuristics;
  for (const list of heuristics.values()) {
    for (const h of list) {
      const inner = h.test;
      const wrapped: HeuristicTest = (c, ctx) => {
        try {
          return inner(c, ctx);
        } catch (err) {
          record(h.proto.abbrev, 'heuristic', err);
          throw err;
        }
      };
      (h as { test: HeuristicTest }).test = wrapped;
    }
  }
}

/** Protocols registered as heuristic dissectors somewhere: they may rightly not recognise a cut payload. */
export function heuristicProtocols(registry: Registry = defaultRegistry()): Set<string> {
  const heuristics = (registry as unknown as { heuristics: Map<string, { proto: { abbrev: string } }[]> }).heuristics;
  const out = new Set<string>();
  for (const list of heuristics.values()) for (const h of list) out.add(h.proto.abbrev);
  return out;
}

/** Bug records since the last call. */
export function takeBugs(): BugRecord[] {
  const out = trapped;
  if (out.length) trapped = [];
  return out;
}

// ---------------------------------------------------------------------------------------
// What a dissection says about itself.

export interface Marks {
  /** d.malformed, a `_ws.malformed` layer or an expert item of the `malformed` group. */
  malformed: boolean;
  /** A `[Packet size limited during capture]` marker or a node flagged truncated. */
  truncated: boolean;
  /** An expert item of severity error (e.g. "total length exceeds the packet"), checksums aside. */
  error: boolean;
  /** The core caught a non-bounds exception ("Dissector bug"). */
  bug: boolean;
}

export function marks(d: Dissection): Marks {
  const m: Marks = { malformed: d.malformed || d.protocols.includes('_ws.malformed'), truncated: false, error: false, bug: false };
  for (const e of d.experts) {
    if (e.group === 'malformed') m.malformed = true;
    // A bad checksum is no verdict on the packet's length (a cut one cannot be verified at all).
    if (e.severity === 'error' && e.group !== 'checksum') m.error = true;
    if (e.message.startsWith('Dissector bug')) m.bug = true;
  }
  const visit = (nodes: readonly FieldNode[]): void => {
    for (const n of nodes) {
      if (n.def.abbrev === '_ws.short' || n.flags & NodeFlags.Truncated) m.truncated = true;
      if (n.children) visit(n.children);
    }
  };
  visit(d.tree);
  return m;
}

const intTypes = new Set<FieldType>(['bool', 'uint8', 'uint16', 'uint24', 'uint32', 'uint48', 'uint64', 'int8', 'int16', 'int32', 'int64', 'float', 'double', 'ipv4', 'framenum']);
const byteTypes = new Set<FieldType>(['ether', 'ipv6', 'bytes']);
/** Field types of a fixed width: a capture cut inside one must be noticed by whoever reads it. */
export const fixedWidthTypes = new Set<FieldType>([...intTypes, 'ether', 'ipv6']);

/**
 * Structural checks on a dissection; returns the problems found (empty when sound).
 * `render` also formats every node's tree text and field value, as the UI and CLI do.
 */
export function invariantProblems(d: Dissection, data: Uint8Array, render: boolean): string[] {
  const problems: string[] = [];
  if (!Array.isArray(d.tree) || d.tree.length === 0) return ['empty tree'];
  if (d.tree[0]!.def.abbrev !== 'frame') problems.push(`first node is ${d.tree[0]!.def.abbrev}, not frame`);
  if (d.sources[0]?.data !== data) problems.push('source 0 is not the frame');
  for (const k of ['source', 'destination', 'protocol', 'info'] as const) if (typeof d.columns[k] !== 'string') problems.push(`column ${k} is not a string`);
  let count = 0;
  const visit = (nodes: readonly FieldNode[], depth: number): void => {
    if (depth > 200) {
      problems.push('tree deeper than 200');
      return;
    }
    for (const n of nodes) {
      if (++count > 200_000) {
        if (count === 200_001) problems.push('more than 200000 nodes');
        return;
      }
      const src = d.sources[n.source];
      const where = `${n.def.abbrev}@${n.offset}+${n.length}`;
      if (!src) problems.push(`${where}: unknown source ${n.source}`);
      else if (!Number.isInteger(n.offset) || !Number.isInteger(n.length) || n.offset < 0 || n.length < 0 || n.offset + n.length > src.data.length) {
        problems.push(`${where}: range outside its data source (${src.data.length} bytes)`);
      }
      const v = n.value;
      const t = n.def.type;
      if (v !== null && !(n.flags & NodeFlags.Generated)) {
        const ok = intTypes.has(t) ? typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean'
          : byteTypes.has(t) ? v instanceof Uint8Array
          : t === 'string' ? typeof v === 'string'
          : true;
        if (!ok) problems.push(`${where}: value of type ${typeof v} for a ${t} field`);
        else if (typeof v === 'number' && !Number.isFinite(v) && t !== 'float' && t !== 'double') problems.push(`${where}: value ${v}`);
      }
      if (render) {
        try {
          const text = nodeLabel(n);
          if (typeof text !== 'string') problems.push(`${where}: label is not a string`);
          formatFieldValue(n.def, n.value);
        } catch (err) {
          problems.push(`${where}: rendering threw ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (n.children) visit(n.children, depth + 1);
    }
  };
  visit(d.tree, 0);
  return problems;
}

// ---------------------------------------------------------------------------------------
// Structure of a complete packet: which byte ranges are fixed by the packet's own length
// fields and which merely take "the rest of the frame".

interface FlatNode {
  key: string;
  abbrev: string;
  type: FieldType;
  offset: number;
  end: number;
}

/** Frame-source nodes with bytes, in pre-order, keyed abbrev@offset#occurrence. */
export function flatten(d: Dissection): FlatNode[] {
  const out: FlatNode[] = [];
  const seen = new Map<string, number>();
  const visit = (nodes: readonly FieldNode[]): void => {
    for (const n of nodes) {
      if (n.source === 0 && n.length > 0 && !(n.flags & NodeFlags.Generated) && n.def.abbrev !== 'frame' && !n.def.abbrev.startsWith('_ws.')) {
        const base = `${n.def.abbrev}@${n.offset}`;
        const k = seen.get(base) ?? 0;
        seen.set(base, k + 1);
        out.push({ key: `${base}#${k}`, abbrev: n.def.abbrev, type: n.def.type, offset: n.offset, end: n.offset + n.length });
      }
      if (n.children) visit(n.children);
    }
  };
  visit(d.tree);
  return out;
}

export interface PacketStructure {
  readonly full: Dissection;
  /**
   * A cut with origlen = the cut length ("reported-length cut", the packet itself is short)
   * must be marked malformed (or carry an error expert item) when it is shorter than this:
   * the end of the last node whose extent the packet's own headers fix.
   */
  readonly reportedNeed: number;
  /**
   * A snaplen cut (origlen unchanged) must carry a truncated or malformed marker when it is
   * shorter than this: the end of the last fixed-width field (integer, address) in such a node.
   */
  readonly capturedNeed: number;
  /** Ends of every protocol layer and field: the interesting cut points. */
  readonly boundaries: readonly number[];
  /** Nodes found "elastic": they grow when bytes are appended to the frame (payload, padding, trailer). */
  readonly elastic: ReadonlySet<string>;
  /**
   * Cut lengths at a clean boundary: one node ends and another starts there (or a few bytes of
   * alignment padding later), and no node whose extent the headers fix spans it. A packet that
   * ends there looks complete: a TLV list that runs to the end of the frame (NFLOG) cut between
   * two TLVs or in the padding after one, or a layer without a length field
   * (Linux cooked + LLC, IPv4 with total length 0 as TSO) cut just before its payload. tshark
   * 4.0 marks none of these, so a reported cut there need not be marked malformed.
   */
  readonly cleanCuts: ReadonlySet<number>;
  /** The node that sets reportedNeed (for messages). */
  readonly reportedBy: string;
  readonly capturedBy: string;
}

/** How many bytes the elasticity probe appends. */
const PROBE = 16;

/**
 * Decodes the packet as captured and again with PROBE zero bytes appended. A node whose
 * range grows with the appended bytes takes "the rest of the frame" (Ethernet padding and
 * trailer, payload of a layer without a length field, the Ethernet layer itself): cutting
 * it short is indistinguishable from a shorter packet and needs no marker. Every other
 * node's extent comes from the packet's own headers (IPv4 total length, UDP length, a TLV
 * length, a fixed header size), so a packet that ends inside or before it is broken.
 */
export function packetStructure(p: CorpusPacket, registry: Registry = defaultRegistry()): PacketStructure {
  const full = decodeWith(new Session(), p.data, p.linkType, p.origlen, 1, registry);
  const longer = new Uint8Array(p.data.length + PROBE);
  longer.set(p.data);
  const grown = decodeWith(new Session(), longer, p.linkType, Math.max(p.origlen, p.data.length) + PROBE, 1, registry);
  const grownEnds = new Map<string, number>();
  for (const n of flatten(grown)) grownEnds.set(n.key, n.end);
  const elastic = new Set<string>();
  let reportedNeed = 0;
  let capturedNeed = 0;
  let reportedBy = '';
  let capturedBy = '';
  const boundaries = new Set<number>();
  for (const n of flatten(full)) {
    boundaries.add(n.offset);
    boundaries.add(n.end);
    const g = grownEnds.get(n.key);
    // Padding up to a minimum frame size and trailers do not grow (what is appended becomes
    // a trailer of its own), but a frame cut inside them is not broken either.
    if (g === undefined || g !== n.end || /\.(padding|trailer)$/.test(n.abbrev)) {
      elastic.add(n.key);
      continue;
    }
    if (n.end > reportedNeed) {
      reportedNeed = n.end;
      reportedBy = n.key;
    }
    if (fixedWidthTypes.has(n.type) && n.end > capturedNeed) {
      capturedNeed = n.end;
      capturedBy = n.key;
    }
  }
  const flat = flatten(full);
  // spans[l] > 0: some node whose extent the headers fix has l strictly inside it.
  const spans = new Int32Array(p.data.length + 2);
  const startsAt = new Map<number, FlatNode[]>();
  for (const m of flat) {
    let list = startsAt.get(m.offset);
    if (!list) startsAt.set(m.offset, (list = []));
    list.push(m);
    if (elastic.has(m.key) || m.end - m.offset < 2 || m.offset >= p.data.length) continue;
    spans[m.offset + 1]!++;
    spans[Math.min(m.end, p.data.length + 1)]!--;
  }
  for (let l = 1; l < spans.length; l++) spans[l]! += spans[l - 1]!;
  const cleanCuts = new Set<number>();
  for (const n of flat) {
    if (n.end > p.data.length) continue;
    // A layer boundary: a protocol layer starts right where this node ends.
    if (!spans[n.end] && startsAt.get(n.end)?.some((m) => m.type === 'protocol')) cleanCuts.add(n.end);
    // The next record (a subtree node of the same name) starts at most 8 bytes (alignment padding) later.
    if (n.type !== 'none' && n.type !== 'bytes') continue;
    let next = n.end;
    while (next <= p.data.length && next - n.end <= 8 && !startsAt.get(next)?.some((m) => m.abbrev === n.abbrev)) next++;
    if (next > p.data.length || next - n.end > 8) continue;
    for (let l = n.end; l <= next; l++) if (!spans[l]) cleanCuts.add(l);
  }
  return { full, reportedNeed: Math.min(reportedNeed, p.data.length), capturedNeed: Math.min(capturedNeed, p.data.length), boundaries: [...boundaries].sort((a, b) => a - b), elastic, cleanCuts, reportedBy, capturedBy };
}

/**
 * The "shape" of a packet for de-duplication: link type, protocol stack, the offset and
 * length of every layer starting in the first 128 bytes, and the sequence of field names there
 * (which options, flags, records are present). Packets of one TCP stream, DNS queries for
 * different names, HTTP requests with the same header lines share a shape.
 */
export function shapeKey(p: CorpusPacket, d: Dissection): string {
  let s = `${p.linkType}|${d.protocols.join(':')}|`;
  const visit = (nodes: readonly FieldNode[]): void => {
    for (const n of nodes) {
      if (n.source === 0 && n.offset < 128 && !(n.flags & NodeFlags.Generated)) s += n.def.type === 'protocol' ? `${n.def.abbrev}@${n.offset}+${Math.min(n.length, 128)},` : `${n.def.abbrev},`;
      if (n.children) visit(n.children);
    }
  };
  visit(d.tree);
  return s;
}

// ---------------------------------------------------------------------------------------
// Mutators.

export interface FieldSpot {
  readonly abbrev: string;
  readonly offset: number;
  readonly length: number;
}

/** Integer fields (1, 2 or 4 bytes wide) of a decode: where length and count fields live. */
export function integerSpots(d: Dissection, dataLength: number): FieldSpot[] {
  const out: FieldSpot[] = [];
  const visit = (nodes: readonly FieldNode[]): void => {
    for (const n of nodes) {
      if (n.source === 0 && !(n.flags & NodeFlags.Generated) && !n.def.bitmask && (n.length === 1 || n.length === 2 || n.length === 4) && n.offset + n.length <= dataLength && /^u?int(8|16|24|32)$/.test(n.def.type)) {
        out.push({ abbrev: n.def.abbrev, offset: n.offset, length: n.length });
      }
      if (n.children) visit(n.children);
    }
  };
  visit(d.tree);
  return out;
}

export function isLengthField(abbrev: string): boolean {
  if (/window|urg|checksum|seq|ack/.test(abbrev)) return false;
  return /(^|[._])(len|length|plen|hdr_len|hlen|size|count|cnt|ihl)([._]|$)|len$|length$|count$|_oct$/i.test(abbrev);
}

export type MutatorName = 'bitflip' | 'byte-set' | 'insert' | 'delete' | 'int-extreme' | 'length-extreme' | 'splice' | 'truncate+flip' | 'repeat';

export interface Mutation {
  readonly name: MutatorName;
  readonly data: Uint8Array;
  /** Human description for failure messages. */
  readonly what: string;
  /** For int/length mutators: the field set and whether its new value points past the packet. */
  readonly field?: string;
  readonly beyond?: boolean;
}

function writeInt(b: Uint8Array, off: number, len: number, v: number, le: boolean): void {
  for (let i = 0; i < len; i++) {
    const byte = Math.floor(v / 2 ** (8 * i)) & 0xff;
    b[le ? off + i : off + len - 1 - i] = byte;
  }
}

/**
 * One mutation of `src`. `spots` are the integer fields of its complete decode (the
 * structure-aware mutators set them to 0, 1, max, max-1, a random value, or a length
 * that points just past the packet).
 */
export function mutate(rng: Rng, src: Uint8Array, spots: readonly FieldSpot[], other: Uint8Array): Mutation {
  const b = src.slice();
  const n = b.length;
  const roll = rng.int(100);
  if (n === 0) return { name: 'insert', data: Uint8Array.from({ length: rng.range(1, 64) }, () => rng.int(256)), what: 'random bytes into an empty packet' };
  if (roll < 20) {
    const k = rng.range(1, 8);
    const at: number[] = [];
    for (let i = 0; i < k; i++) {
      const bit = rng.int(n * 8);
      b[bit >> 3]! ^= 1 << (bit & 7);
      at.push(bit);
    }
    return { name: 'bitflip', data: b, what: `flipped bits ${at.join(',')}` };
  }
  if (roll < 38) {
    const k = rng.range(1, 4);
    const at: string[] = [];
    for (let i = 0; i < k; i++) {
      const o = rng.int(n);
      const v = rng.pick([0x00, 0xff, 0x7f, 0x80, rng.int(256)]);
      b[o] = v;
      at.push(`${o}=${v}`);
    }
    return { name: 'byte-set', data: b, what: `set bytes ${at.join(',')}` };
  }
  if (roll < 46) {
    const o = rng.int(n + 1);
    const k = rng.range(1, rng.chance(0.8) ? 8 : 64);
    const out = new Uint8Array(n + k);
    out.set(b.subarray(0, o));
    for (let i = 0; i < k; i++) out[o + i] = rng.chance(0.5) ? 0 : rng.int(256);
    out.set(b.subarray(o), o + k);
    return { name: 'insert', data: out, what: `inserted ${k} bytes at ${o}` };
  }
  if (roll < 54) {
    const o = rng.int(n);
    const k = Math.min(n - o, rng.range(1, rng.chance(0.8) ? 8 : 64));
    const out = new Uint8Array(n - k);
    out.set(b.subarray(0, o));
    out.set(b.subarray(o + k), o);
    return { name: 'delete', data: out, what: `deleted ${k} bytes at ${o}` };
  }
  const lengthSpots = spots.filter((s) => isLengthField(s.abbrev));
  if (roll < 76 && spots.length) {
    const useLength = roll < 66 && lengthSpots.length > 0;
    const s = rng.pick(useLength ? lengthSpots : spots);
    const max = 2 ** (8 * s.length) - 1;
    const le = rng.chance(0.1);
    const past = n - s.offset + rng.range(1, 16);
    const v = useLength ? rng.pick([0, 1, max, max - 1, Math.min(max, past), Math.min(max, past + rng.int(256)), rng.int(max + 1)]) : rng.pick([0, 1, max, max - 1, 0x80, rng.int(max + 1)]);
    writeInt(b, s.offset, s.length, v, le);
    return { name: useLength ? 'length-extreme' : 'int-extreme', data: b, what: `set ${s.abbrev}@${s.offset} to ${v}${le ? ' (LE)' : ''}`, field: s.abbrev, beyond: useLength && v > n - s.offset };
  }
  if (roll < 84) {
    // Splice: the head of this packet with the tail of another (a plausible header with foreign payload).
    const o = rng.int(n + 1);
    const t = rng.int(other.length + 1);
    const out = new Uint8Array(o + other.length - t);
    out.set(b.subarray(0, o));
    out.set(other.subarray(t), o);
    return { name: 'splice', data: out, what: `head ${o} + other's tail from ${t}` };
  }
  if (roll < 92) {
    // Repeat a chunk several times (nested headers, option lists, TLV chains).
    const o = rng.int(n);
    const k = Math.min(n - o, rng.range(1, 24));
    const times = rng.range(2, 40);
    const chunk = b.subarray(o, o + k);
    const out = new Uint8Array(n + k * (times - 1));
    out.set(b.subarray(0, o + k));
    let p = o + k;
    for (let i = 1; i < times; i++, p += k) out.set(chunk, p);
    out.set(b.subarray(o + k), p);
    return { name: 'repeat', data: out, what: `repeated ${k} bytes at ${o} ${times} times` };
  }
  const cut = rng.int(n + 1);
  const out = b.slice(0, cut);
  if (cut > 0) out[rng.int(cut)]! ^= 1 << rng.int(8);
  return { name: 'truncate+flip', data: out, what: `cut at ${cut} and flipped a bit` };
}

// ---------------------------------------------------------------------------------------
// Timing.

/** Decode times in µs: 1 µs bins up to 20 ms, exact max, and the slowest inputs for re-measuring. */
export class TimeStats {
  private readonly bins = new Uint32Array(20_001);
  count = 0;
  max = 0;
  /** Slowest decode at or under the threshold. */
  maxBelow = 0;
  /** Slow samples not kept for re-measuring. */
  dropped = 0;
  total = 0;
  readonly slow: { us: number; label: string; redo: () => void }[] = [];

  constructor(readonly slowThresholdUs: number) {}

  add(us: number, label: () => string, redo: () => void): void {
    this.count++;
    this.total += us;
    if (us > this.max) this.max = us;
    if (us <= this.slowThresholdUs && us > this.maxBelow) this.maxBelow = us;
    this.bins[Math.min(20_000, Math.floor(us))]!++;
    if (us > this.slowThresholdUs) {
      if (this.slow.length < 20_000) this.slow.push({ us, label: label(), redo });
      else this.dropped++;
    }
  }

  percentile(p: number): number {
    return percentileOf(this.bins, this.count, p, this.max);
  }

  /**
   * Runs each decode that was over the threshold again (best of `tries`): a garbage
   * collection or another process taking the core makes a decode slow once, a slow decoder
   * makes it slow every time. Returns the slowest decode and the p99.9 with each slow sample
   * replaced by its re-measured time.
   */
  remeasure(tries = 5): { max: number; p999: number; label: string; stillSlow: number } {
    let max = 0;
    let label = '';
    let stillSlow = 0;
    const bins = this.bins.slice();
    const deadline = performance.now() + 30_000; // re-running is bounded too
    for (const s of this.slow) {
      let best = Infinity;
      // A decode still very far over budget on its first re-run (100x) is slow, not unlucky: no
      // more tries. Between that and the noise factor it gets all its tries: on the shared
      // 2-core machine one re-run of a 0.1 ms decode was seen taking 13-32 ms (descheduled or a
      // GC pause) while ten more took under 1 ms, which failed the suite on noise.
      for (let i = 0; i < tries && best > this.slowThresholdUs / 2 && (i === 0 || best < this.slowThresholdUs * NOISE_FACTOR * 10) && performance.now() < deadline; i++) {
        const t0 = performance.now();
        s.redo();
        best = Math.min(best, (performance.now() - t0) * 1000);
      }
      if (best === Infinity) best = s.us; // past the re-run deadline: as measured
      bins[Math.min(20_000, Math.floor(s.us))]!--;
      bins[Math.min(20_000, Math.floor(best))]!++;
      if (best > this.slowThresholdUs) stillSlow++;
      if (best > max) {
        max = best;
        label = s.label;
      }
    }
    // Samples beyond the list's cap were not re-run: count them at their measured time.
    max = this.dropped > 0 ? this.max : Math.max(max, this.maxBelow);
    return { max, p999: percentileOf(bins, this.count, 0.999, max), label, stillSlow };
  }

  summary(name: string): string {
    return `${name}: ${this.count} decodes, mean ${(this.total / Math.max(1, this.count)).toFixed(1)} µs, p99 ${this.percentile(0.99)} µs, p99.9 ${this.percentile(0.999)} µs, max ${this.max.toFixed(0)} µs (${this.slow.length} over ${this.slowThresholdUs} µs)`;
  }
}

/** Upper edge (µs) of the 1 µs bin holding the p-quantile. */
function percentileOf(bins: Uint32Array, count: number, p: number, max: number): number {
  const want = Math.ceil(count * p);
  let seen = 0;
  for (let i = 0; i < bins.length; i++) {
    seen += bins[i]!;
    if (seen >= want) return Math.min(i + 1, Math.ceil(max));
  }
  return max;
}

/** Time of `fn` in µs. */
export function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, (performance.now() - t0) * 1000];
}

/** The per-decode budget of the issue (1 ms), and the factor the max may exceed it by on a noisy CI machine. */
export const BUDGET_US = 1000;
export const NOISE_FACTOR = Number(process.env.PKTSCOPE_ROBUSTNESS_TIME_FACTOR ?? 10);

/** Groups messages by a key and prints the first examples of each (for failure reports). */
export class Findings {
  private readonly groups = new Map<string, { count: number; examples: string[]; sources: Set<string> }>();

  /** Counts one finding; its example is kept if the kind has fewer than 3 and (when given) none from the same `source` (e.g. packet). */
  add(key: string, example: () => string, source?: string): void {
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { count: 0, examples: [], sources: new Set() }));
    g.count++;
    if (g.examples.length < 3 && (source === undefined || !g.sources.has(source))) {
      g.examples.push(example());
      if (source !== undefined) g.sources.add(source);
    }
  }

  get size(): number {
    return this.groups.size;
  }

  get total(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.count;
    return n;
  }

  report(limit = 40): string {
    const list = [...this.groups].sort((a, b) => b[1].count - a[1].count);
    const lines: string[] = [];
    for (const [k, g] of list.slice(0, limit)) {
      lines.push(`  ${k}: ${g.count}`);
      for (const e of g.examples) lines.push(`      e.g. ${e}`);
    }
    if (list.length > limit) lines.push(`  ... and ${list.length - limit} more kinds`);
    return lines.join('\n');
  }
}

/** The first packet of every shape, in corpus order (see shapeKey), with each packet's complete decode dropped. */
export function shapeRepresentatives(corpus: readonly CorpusPacket[], registry: Registry = defaultRegistry()): CorpusPacket[] {
  const reps: CorpusPacket[] = [];
  const seen = new Set<string>();
  for (const p of corpus) {
    const k = shapeKey(p, decodeWith(new Session(), p.data, p.linkType, p.origlen, 1, registry));
    if (!seen.has(k)) {
      seen.add(k);
      reps.push(p);
    }
  }
  return reps;
}
