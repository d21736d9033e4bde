// `pktscope -r F` on both cores: summary lines dissected in worker threads, each owning whole
// conversations, merged back in frame order. The output is the sequential one, byte for byte
// (test/unit/cli/summary-parallel.test.ts compares them over the corpus).
//
// Every worker reads the whole file and picks its own packets with flowOwner(): a hash of the
// outermost IPv4/IPv6 address pair (either direction), so every packet whose dissection reads
// or writes per-conversation state (TCP analysis and reassembly, UDP streams, HTTP/DNS request
// matching, IP fragments, ICMP echo pairs) lands in the same worker as the rest of its
// conversation. ICMP errors go with the conversation they quote (its TCP/UDP state is looked up),
// tunnels with their outer pair (their inner conversations run between the same endpoints), and
// everything without an IP pair (ARP, LLDP, ...) to worker 0.

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import type { Dissection } from '../decoders/core/types.ts';
import { defaultRegistry, dissectFrame, Session } from '../decoders/index.ts';
import { frameInfoOf, MergedReader } from './engine/merge.ts';
import { registryWithDecodeAs } from './engine/decode-as.ts';
import { NameResolver } from './engine/names.ts';
import { summaryLine, relativeTimeParts } from '../decoders/summary.ts';
import type { NameResolution } from './engine/names.ts';
import type { DecodeAsRule } from './ipc/contract.ts';

/** Decimal places of the relative time column: the file's timestamp precision. */
export function timeDigits(reader: MergedReader): number {
  let digits = 6;
  for (const r of reader.readers) for (const i of r.parser.interfaces) if (i.unitsPerSecond > 1e6) digits = 9;
  return digits;
}

/**
 * The same bytes as a plain Uint8Array: the reader hands out Node Buffers, whose subarray()
 * (every cursor byte range) costs several times a typed array's.
 */
export function plainBytes(b: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The summary line of a dissection, as `pktscope -r` prints it (shared by both paths). */
export function summaryText(d: Dissection, names: NameResolver, firstSec: number, firstNsec: number, digits: number): string {
  const columns = names.active ? names.columns(d.columns, d.protocols) : d.columns;
  return summaryLine(columns === d.columns ? d : { ...d, columns }, { time: relativeTimeParts(d.frame.tsSec - firstSec, d.frame.tsNsec - firstNsec, digits) });
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/** FNV-1a over bytes [o, o+n). */
function fnv(b: Uint8Array, o: number, n: number): number {
  let h = 0x811c9dc5;
  for (let i = o; i < o + n; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

/** Hash of the address pair [a, a+n) / [b, b+n), the same both ways. */
function pairHash(d: Uint8Array, a: number, b: number, n: number): number {
  const x = fnv(d, a, n);
  const y = fnv(d, b, n);
  // The same both ways: the smaller hash first, then an avalanche (every bit matters for `% workers`).
  return fmix(x < y ? Math.imul(x, 0x9e3779b1) ^ y : Math.imul(y, 0x9e3779b1) ^ x);
}

/** murmur3's finalizer. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** ICMP/ICMPv6 types that quote the offending packet. */
const ICMP4_ERRORS = new Set([3, 4, 5, 11, 12]);

/** Hash of the flow a packet belongs to, or -1 when it has no IP address pair. */
export function flowHash(d: Uint8Array, linkType: number): number {
  let off: number;
  let type: number;
  switch (linkType) {
    case 1: // Ethernet
      if (d.length < 14) return -1;
      type = u16(d, 12);
      off = 14;
      break;
    case 113: // Linux cooked
      if (d.length < 16) return -1;
      type = u16(d, 14);
      off = 16;
      break;
    case 276: // Linux cooked v2
      if (d.length < 20) return -1;
      type = u16(d, 0);
      off = 20;
      break;
    case 0: // BSD loopback: host-order family
    case 108: {
      if (d.length < 4) return -1;
      const fam = d[0] === 0 ? d[3]! : d[0]!;
      type = fam === 2 ? 0x0800 : fam === 24 || fam === 28 || fam === 30 ? 0x86dd : 0;
      off = 4;
      break;
    }
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      type = 0; // the version nibble decides
      off = 0;
      break;
    default:
      return -1;
  }
  return l3Hash(d, type, off, 0);
}

/**
 * Hash of the innermost address pair from the network header at `off` (ethertype `type`, 0:
 * by its version nibble). Tunnels (IP in IP, 6in4, GRE, VXLAN) are followed, so a tunnelled
 * conversation whose two directions take different outer paths stays in one thread.
 */
function l3Hash(d: Uint8Array, type: number, off: number, depth: number): number {
  // VLAN tags (802.1Q, QinQ).
  for (let k = 0; k < 4 && (type === 0x8100 || type === 0x88a8 || type === 0x9100); k++) {
    if (d.length < off + 4) return -1;
    type = u16(d, off + 2);
    off += 4;
  }
  if (type === 0 && d.length > off) type = d[off]! >> 4 === 4 ? 0x0800 : d[off]! >> 4 === 6 ? 0x86dd : -1;
  if (type === 0x0800) {
    if (d.length < off + 20 || d[off]! >> 4 !== 4) return -1;
    const ihl = (d[off]! & 15) * 4;
    const outer = pairHash(d, off + 12, off + 16, 4);
    // Fragments: by the datagram's own pair (its later fragments carry no inner headers).
    if ((u16(d, off + 6) & 0x3fff) !== 0 || ihl < 20) return outer;
    const inner = transportHash(d, d[off + 9]!, off + ihl, depth, false);
    return inner < 0 ? outer : inner;
  }
  if (type === 0x86dd) {
    if (d.length < off + 40 || d[off]! >> 4 !== 6) return -1;
    const outer = pairHash(d, off + 8, off + 24, 16);
    const inner = transportHash(d, d[off + 6]!, off + 40, depth, true);
    return inner < 0 ? outer : inner;
  }
  return -1;
}

/** The pair inside a tunnel or quoted by an ICMP error at `off` (IP protocol `proto`), or -1 to use the outer pair. */
function transportHash(d: Uint8Array, proto: number, off: number, depth: number, v6: boolean): number {
  if (depth >= 4) return -1;
  switch (proto) {
    case 4: // IP in IP
      return l3Hash(d, 0x0800, off, depth + 1);
    case 41: // IPv6 in IP (6in4, 6to4)
      return l3Hash(d, 0x86dd, off, depth + 1);
    case 1: // ICMP: an error goes with the packet it quotes
      if (!v6 && d.length >= off + 8 && ICMP4_ERRORS.has(d[off]!)) return l3Hash(d, 0x0800, off + 8, depth + 1);
      return -1;
    case 58: // ICMPv6 errors
      if (v6 && d.length >= off + 8 && d[off]! < 128) return l3Hash(d, 0x86dd, off + 8, depth + 1);
      return -1;
    case 47: {
      // GRE version 0: checksum, key and sequence words are optional.
      if (d.length < off + 4 || (d[off + 1]! & 7) !== 0) return -1;
      const flags = d[off]!;
      const inner = off + 4 + (flags & 0x80 ? 4 : 0) + (flags & 0x20 ? 4 : 0) + (flags & 0x10 ? 4 : 0);
      const t = u16(d, off + 2);
      if (t === 0x6558) return d.length >= inner + 14 ? l3Hash(d, u16(d, inner + 12), inner + 14, depth + 1) : -1;
      return t === 0x0800 || t === 0x86dd ? l3Hash(d, t, inner, depth + 1) : -1;
    }
    case 17: // VXLAN (UDP port 4789): Ethernet inside
      if (d.length >= off + 8 + 8 + 14 && u16(d, off + 2) === 4789) return l3Hash(d, u16(d, off + 16 + 12), off + 16 + 14, depth + 1);
      return -1;
    default:
      return -1;
  }
}

/** Which of `workers` owns the packet. */
export function flowOwner(d: Uint8Array, linkType: number, workers: number): number {
  const h = flowHash(d, linkType);
  return h < 0 ? 0 : h % workers;
}

/** What a summary worker is told (workerData). */
export interface SummaryWorkerData {
  entry?: string;
  files: string[];
  count: number;
  decodeAs: DecodeAsRule[];
  names: NameResolution;
  index: number;
  workers: number;
  chunk: number;
}

/** What a summary worker posts: each chunk's lines of its own frames; worker 0 adds the owner of every frame. */
export type SummaryWorkerMessage =
  | { chunk: number; lines: string[]; owners?: Uint8Array }
  | { done: true; errors: { path: string; message: string; headerRead: boolean }[] }
  | { failed: string };

/**
 * One worker's share: reads the whole capture, dissects the frames flowOwner() gives worker
 * `w.index` in one session, and yields their summary lines per chunk of `w.chunk` frames
 * (worker 0 adds the owner of every frame), then the readers' errors.
 */
export function* summaryShare(w: SummaryWorkerData): Generator<SummaryWorkerMessage> {
  const registry = w.decodeAs.length ? registryWithDecodeAs(defaultRegistry(), w.decodeAs) : defaultRegistry();
  const names = new NameResolver(w.names);
  const session = new Session();
  session.singlePass = true; // every frame once, in order
  const reader = new MergedReader(w.files);
  const count = w.count < 0 ? Infinity : w.count;
  let n = 0;
  let digits = 6;
  let firstSec = 0;
  let firstNsec = 0;
  let lines: string[] = [];
  let owners = w.index === 0 ? new Uint8Array(w.chunk) : null;
  let inChunk = 0;
  let chunk = 0;
  try {
    for (let m = reader.next(); m && n < count; m = reader.next()) {
      const rec = m.rec;
      n++;
      if (n === 1) {
        // As the sequential loop: precision and time origin from the first frame.
        digits = timeDigits(reader);
        firstSec = rec.tsSec;
        firstNsec = rec.tsNsec;
      }
      const owner = flowOwner(rec.data, rec.linkType, w.workers);
      if (owners) owners[inChunk] = owner;
      inChunk++;
      if (owner === w.index) {
        const d = dissectFrame(registry, session, frameInfoOf(m, n), plainBytes(rec.data), SUMMARY_ONLY);
        lines.push(summaryText(d, names, firstSec, firstNsec, digits));
      }
      if (inChunk === w.chunk) {
        yield owners ? { chunk, lines, owners } : { chunk, lines };
        chunk++;
        lines = [];
        inChunk = 0;
        if (owners) owners = new Uint8Array(w.chunk);
      }
    }
  } finally {
    reader.close();
  }
  if (inChunk > 0) yield owners ? { chunk, lines, owners: owners.slice(0, inChunk) } : { chunk, lines };
  yield { done: true, errors: reader.readers.filter((r) => r.error).map((r) => ({ path: r.path, message: r.error!.message, headerRead: r.headerRead })) };
}

/** The lines of one chunk in frame order, from every worker's part of it (parts[0] has the owners). */
export function mergeChunk(parts: readonly { lines: string[]; owners?: Uint8Array }[]): string[] {
  const owners = parts[0]!.owners!;
  const at = new Array<number>(parts.length).fill(0);
  const lines: string[] = new Array(owners.length);
  for (let j = 0; j < owners.length; j++) {
    const w = owners[j]!;
    lines[j] = parts[w]!.lines[at[w]!++]!;
  }
  return lines;
}

/** Frames per message. */
const CHUNK = 8192;
/** Below this file size the threads' start-up costs more than they save. */
const PARALLEL_MIN_BYTES = 4 << 20;

const SUMMARY_ONLY = { tree: false } as const;

/** Threads for a capture of these files: 0 = decode in this thread. PKTSCOPE_THREADS overrides (1 = never). */
export function summaryThreads(files: readonly string[]): number {
  const env = process.env.PKTSCOPE_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    return Number.isInteger(n) && n >= 2 ? Math.min(n, 16) : 0;
  }
  if (files.some((f) => f === '-')) return 0;
  // A bundle installed without its worker file decodes in this thread.
  if (!existsSync(workerSpec().file)) return 0;
  const cores = availableParallelism();
  if (cores < 2) return 0;
  let size = 0;
  for (const f of files) size += statSync(f).size;
  return size >= PARALLEL_MIN_BYTES ? Math.min(cores, 4) : 0;
}

declare const PKTSCOPE_SUMMARY_WORKER: string | undefined;

function workerSpec(): { file: URL; entry?: string } {
  // The bundled CLI has the worker beside it; from sources, the tsx boot file loads the .ts entry.
  if (typeof PKTSCOPE_SUMMARY_WORKER === 'string') return { file: new URL(PKTSCOPE_SUMMARY_WORKER, import.meta.url) };
  return { file: new URL('./ipc/session-worker-boot.mjs', import.meta.url), entry: new URL('./summary-worker.ts', import.meta.url).href };
}

export interface ParallelOutput {
  write(s: string): void;
  error(s: string): void;
}

/**
 * Prints the summary lines of `files` with `threads` workers. Resolves to the exit code, as the
 * sequential loop in cli.ts would return it.
 */
export function runSummaryParallel(files: string[], opts: { count: number; decodeAs: DecodeAsRule[]; names: NameResolution }, threads: number, out: ParallelOutput): Promise<number> {
  const spec = workerSpec();
  const workers: Worker[] = [];
  const chunks: Map<number, { lines: string[]; owners?: Uint8Array }>[] = [];
  let next = 0;
  let finished = 0;
  let errors: { path: string; message: string; headerRead: boolean }[] = [];
  return new Promise<number>((resolve, reject) => {
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(e);
    };
    /** Writes every chunk all workers have delivered, in order. */
    const drain = () => {
      for (;;) {
        const parts = chunks.map((m) => m.get(next));
        if (parts.some((p) => !p)) return;
        const lines = mergeChunk(parts as { lines: string[]; owners?: Uint8Array }[]);
        if (lines.length) out.write(lines.join('\n') + '\n');
        for (const m of chunks) m.delete(next);
        next++;
      }
    };
    for (let i = 0; i < threads; i++) {
      chunks.push(new Map());
      const data: SummaryWorkerData = { entry: spec.entry, files, count: Number.isFinite(opts.count) ? opts.count : -1, decodeAs: opts.decodeAs, names: opts.names, index: i, workers: threads, chunk: CHUNK };
      const w = new Worker(spec.file, { workerData: data });
      workers.push(w);
      w.on('message', (m: SummaryWorkerMessage) => {
        if ('failed' in m) return fail(new Error(`summary worker ${i}: ${m.failed}`));
        if ('done' in m) {
          if (i === 0) errors = m.errors;
          if (++finished === threads) {
            drain();
            for (const x of workers) void x.terminate();
            let code = 0;
            for (const e of errors) {
              out.error(`pktscope: "${e.path}": ${e.message}`);
              code = Math.max(code, e.headerRead ? 1 : 2);
            }
            resolve(code);
          }
          return;
        }
        chunks[i]!.set(m.chunk, m);
        drain();
      });
      w.on('error', fail);
    }
  });
}
