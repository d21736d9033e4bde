// The analysis engine behind every face (Electron IPC, browser mode, CLI): open files,
// index them progressively, serve rows and packet trees on demand.
//
// Opening streams the files through the fast index pass in slices, yielding to the event
// loop between slices so rows can be served while indexing goes on. A packet's tree is
// built only when asked for: its bytes are read back from the file, and its stream's
// earlier packets are replayed (up to a bound) so TCP relative numbers and reassembly match
// a sequential decode.

import { defaultRegistry, dissectFrame, Session } from '../../decoders/index.ts';
import type { Dissection, FrameInfo } from '../../decoders/core/types.ts';
import type { Registry } from '../../decoders/core/registry.ts';
import { decodeAsFast, normalizeRules, registryWithDecodeAs, type DecodeAsFast } from './decode-as.ts';
import { NameResolver, NONE as NO_NAMES, type NameResolution } from './names.ts';
import type { DecodeAsRule } from '../ipc/contract.ts';
import { MergedReader } from './merge.ts';
import type { PacketRecord } from '../../decoders/formats/capture-parser.ts';
import { PacketIndex } from './packet-index.ts';
import { PacketStore } from './packet-store.ts';
import { treeToJson, type JsonPacket } from './tree-json.ts';
import type { WireProgress, WireRow } from '../ipc/contract.ts';
import { relativeTime } from '../../decoders/summary.ts';
import { FilterRun, fixIndexStreamIds, type FilterProgress, type FilterRunOptions } from './filter-run.ts';
import { LiveTail } from './live-tail.ts';

/** Indexing progress: the contract's progress event (see electron/ipc/contract.ts). */
export type OpenProgress = WireProgress;

/** A Packet List row as the engine computes it; the contract's row adds stream and flags. */
export type PacketRow = Omit<WireRow, 'tcpStream' | 'tcpFlags'>;

export interface PacketDetail extends JsonPacket {
  /** The bytes of each data source (frame, reassembled ...), in source order. */
  bytes: Uint8Array[];
}

/** How many earlier packets of a stream are decoded before the one asked for. */
const REPLAY_LIMIT = 256;
/** Slice of the index pass between two yields to the event loop. */
const SLICE_MS = 30;

export class CaptureEngine {
  readonly index = new PacketIndex();
  /** The registry dissections use: the shared one, or this engine's Decode As view of it (setDecodeAs). */
  registry: Registry = defaultRegistry();
  private decodeAsRules: DecodeAsRule[] = [];
  /** What the Decode As rules change, for the filter fast path (null: no rules). */
  decodeAsFast: DecodeAsFast | null = null;
  /** Names in rows and trees (none until setNameResolution: the CLI and the UI set theirs). */
  private names = new NameResolver(NO_NAMES);
  private readonly reader: MergedReader;
  private readonly store: PacketStore;
  private readonly rowCache = new Map<number, PacketRow>();
  private closed = false;
  private totalBytes: number;
  private bytesRead = 0;
  private digits = 6;
  private readonly started = performance.now();
  readonly errors: string[] = [];
  /** Resolves when the whole input is indexed. */
  readonly indexed: Promise<OpenProgress>;

  /** Live capture: the file is still being written and is followed until `finishLive()` (live-tail.ts). */
  readonly tail: LiveTail | null;

  private constructor(
    readonly paths: readonly string[],
    private readonly onProgress?: (p: OpenProgress) => void,
    live = false,
  ) {
    this.reader = new MergedReader(paths, { follow: live });
    this.store = new PacketStore(paths);
    this.tail = live ? new LiveTail(paths[0]!) : null;
    this.totalBytes = this.reader.readers.reduce((n, r) => n + r.size, 0);
    this.indexed = this.run();
  }

  /**
   * Opens a capture file that is still being written (live capture) and indexes its packets as
   * they are appended, until `finishLive()`; `indexed` resolves only then. See live-tail.ts.
   */
  static openLive(path: string, onProgress?: (p: OpenProgress) => void): CaptureEngine {
    return new CaptureEngine([path], onProgress, true);
  }

  /** True while a live capture's file is followed. */
  get live(): boolean {
    return this.tail?.following ?? false;
  }

  /** The live capture's writer is done: index the rest and finish as opening the file would. */
  finishLive(): Promise<OpenProgress> {
    this.tail?.finish();
    return this.indexed;
  }

  /** Starts indexing `paths` and returns at once; rows are available as they are indexed. */
  static open(paths: readonly string[], onProgress?: (p: OpenProgress) => void): CaptureEngine {
    if (paths.length === 0) throw new Error('no capture file given');
    return new CaptureEngine(paths, onProgress);
  }

  get count(): number {
    return this.index.count;
  }

  progress(done = false): OpenProgress {
    const secs = (performance.now() - this.started) / 1000;
    return { packets: this.index.count, bytes: this.bytesRead, totalBytes: this.totalBytes, rate: secs > 0 ? Math.round(this.index.count / secs) : 0, done, errors: this.errors };
  }

  private async run(): Promise<OpenProgress> {
    const idx = this.index;
    let done = false;
    let reserved = false;
    if (this.reader.readers.length === 1) {
      // One file: whole chunks parsed straight into the index, no record copies.
      const each = (rec: PacketRecord, interfaceId: number): void => {
        idx.add(rec, 0, interfaceId);
      };
      let reported = -1;
      while (!done && !this.closed) {
        const until = performance.now() + SLICE_MS;
        while (!done && performance.now() < until) done = !this.reader.drainChunk(each);
        this.bytesRead = this.reader.readers[0]!.bytesParsed;
        if (done && this.tail && !this.reader.readers[0]!.ended) {
          // Live: caught up with the writer. Report new packets, wait for more (or the end).
          done = false;
          this.totalBytes = this.bytesRead;
          if (this.reader.interfaces.some((i) => i.unitsPerSecond > 1e6)) this.digits = 9;
          if (idx.count !== reported) {
            reported = idx.count;
            this.onProgress?.(this.progress());
          }
          if (!this.tail.following) this.reader.follow = false;
          else await this.tail.wait();
          continue;
        }
        // Size the columns once from the packets per byte seen so far (a few percent over).
        if (!reserved && !done && !this.tail && idx.count > 0 && this.bytesRead > 0) {
          reserved = true;
          idx.reserve((this.totalBytes / this.bytesRead) * idx.count * 1.03);
        }
        if (this.reader.interfaces.some((i) => i.unitsPerSecond > 1e6)) this.digits = 9;
        if (!done) {
          this.onProgress?.(this.progress());
          await new Promise((r) => setImmediate(r));
        }
      }
    }
    while (!done && !this.closed) {
      const until = performance.now() + SLICE_MS;
      // Check the clock every 1024 packets: reading it per packet would cost more than the packet.
      while (!done && performance.now() < until) {
        for (let k = 0; k < 1024; k++) {
          const m = this.reader.next();
          if (!m) {
            done = true;
            break;
          }
          idx.add(m.rec, m.file, m.interfaceId);
          this.bytesRead += m.rec.caplen + 16;
        }
      }
      if (this.reader.interfaces.some((i) => i.unitsPerSecond > 1e6)) this.digits = 9;
      if (!done) {
        this.onProgress?.(this.progress());
        await new Promise((r) => setImmediate(r));
      }
    }
    idx.trim();
    // A live file may still grow (a capture restarted into it); a finished one will not.
    if (!this.tail) idx.seal();
    for (const r of this.reader.readers) if (r.error) this.errors.push(`${r.path}: ${r.error.message}`);
    if (this.tail) this.totalBytes = this.reader.readers[0]!.bytesParsed;
    this.bytesRead = this.totalBytes;
    const p = this.progress(true);
    this.onProgress?.(p);
    return p;
  }

  private frameInfo(i: number): FrameInfo {
    const idx = this.index;
    return { number: i + 1, linkType: this.linkTypeOf(i), tsSec: idx.tsSec[i]!, tsNsec: idx.tsNsec[i]!, caplen: idx.caplen[i]!, origlen: idx.origlenOf(i), interfaceId: idx.iface[i]! };
  }

  /** Captured bytes of packet index `i`, read back from its file. */
  packetBytes(i: number): Uint8Array {
    const idx = this.index;
    return this.store.read(i, idx.file[i]!, idx.fileOffset[i]!, idx.caplen[i]!);
  }

  linkTypeOf(i: number): number {
    return this.reader.interfaces[this.index.iface[i]!]?.linkType ?? 1;
  }

  /**
   * Full dissection of packet index `i`. The packets of its stream that came before it are
   * decoded first in a private session (the first few and the last REPLAY_LIMIT), so
   * sequence numbers, analysis and reassembly are as in a sequential decode.
   */
  dissect(i: number, tree = true): Dissection {
    if (i < 0 || i >= this.index.count) throw new RangeError(`no packet ${i + 1} (the capture has ${this.index.count})`);
    const session = new Session();
    const chain: number[] = [];
    for (let p = this.index.prevInStream[i]!; p >= 0; p = this.index.prevInStream[p]!) chain.push(p);
    chain.reverse();
    const replay = chain.length > REPLAY_LIMIT ? [...chain.slice(0, 3), ...chain.slice(-REPLAY_LIMIT)] : chain;
    // frame.time_relative counts from the capture's first packet.
    if (i > 0 || replay.length) session.firstTime = this.index.timeNs(0);
    for (const p of replay) {
      const f = this.frameInfo(p);
      dissectFrame(this.registry, session, f, this.packetBytes(p), { tree: false });
    }
    if (i > 0) session.previousTime = this.index.timeNs(i - 1);
    const d = dissectFrame(this.registry, session, this.frameInfo(i), this.packetBytes(i), { tree });
    // The private session numbered the stream from 0: show the capture-wide tcp.stream / udp.stream.
    if (tree) fixIndexStreamIds(d, this.index, i);
    return d;
  }

  /** Rows `start .. start+count-1` (0-based packet indexes), computed lazily and cached. */
  rows(start: number, count: number): PacketRow[] {
    const out: PacketRow[] = [];
    const end = Math.min(this.index.count, start + count);
    for (let i = Math.max(0, start); i < end; i++) out.push(this.row(i));
    return out;
  }

  row(i: number): PacketRow {
    let r = this.rowCache.get(i);
    if (r) return r;
    const d = this.dissect(i, false);
    const cols = this.names.columns(d.columns, d.protocols);
    const idx = this.index;
    const t0 = idx.timeNs(0);
    const t = idx.timeNs(i);
    r = {
      number: i + 1,
      time: relativeTime(t - t0, this.digits),
      tsSec: idx.tsSec[i]!,
      tsNsec: idx.tsNsec[i]!,
      source: cols.source,
      destination: cols.destination,
      protocol: d.columns.protocol,
      length: idx.origlenOf(i),
      info: cols.info,
      malformed: d.malformed,
    };
    this.rowCache.set(i, r);
    if (this.rowCache.size > 20_000) this.rowCache.delete(this.rowCache.keys().next().value!);
    return r;
  }

  /** Packet `number` (1-based): its tree with byte ranges and its bytes. */
  packet(number: number): PacketDetail {
    const d = this.dissect(number - 1);
    return { ...this.names.packet(treeToJson(d), this.isEther), bytes: d.sources.map((s) => s.data) };
  }

  private filterRun: FilterRun | null = null;

  /**
   * Starts display filter `expr` over the packets (those indexed so far, then the rest as
   * they arrive); cancels the previous run. '' clears the filter (every packet passes).
   * Throws FilterError for an invalid filter. See filter-run.ts.
   */
  setFilter(expr: string, onProgress?: (p: FilterProgress) => void, opts?: FilterRunOptions): FilterRun {
    this.filterRun?.cancel();
    this.filterRun = new FilterRun(this, expr, onProgress, opts);
    return this.filterRun;
  }

  /** The current filter run, null when none was set. */
  /**
   * Decode As rules of this engine (later rules win; see decode-as.ts). Cached rows are
   * dropped: trees and the Protocol / Info columns follow the rules from now on. The index
   * (addresses, ports, tcp/udp stream ids, TCP analysis) comes from the headers alone and
   * stays as it is; the caller re-applies a display filter. Throws DecodeAsError.
   */
  setDecodeAs(rules: readonly DecodeAsRule[]): void {
    const norm = normalizeRules(rules);
    this.registry = registryWithDecodeAs(defaultRegistry(), norm);
    this.decodeAsRules = norm;
    this.decodeAsFast = decodeAsFast(norm);
    this.rowCache.clear();
  }

  get decodeAs(): readonly DecodeAsRule[] {
    return this.decodeAsRules;
  }

  /** Name resolution of rows and trees (MAC vendors, port names); cached rows are dropped. */
  setNameResolution(flags: NameResolution): void {
    this.names = new NameResolver(flags);
    this.rowCache.clear();
  }

  private readonly isEther = (field: string): boolean => this.registry.field(field)?.type === 'ether';

  get filter(): FilterRun | null {
    return this.filterRun;
  }

  close(): void {
    this.filterRun?.cancel();
    this.closed = true;
    this.tail?.close();
    this.reader.close();
    this.store.close();
    this.rowCache.clear();
  }
}
