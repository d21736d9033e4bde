// The engine side of the contract: one analysis session (one open capture, one display
// filter) driven by requests, pushing progress events. Shared by the Electron main process
// and `pktscope serve`; has no Electron or network code so unit tests drive it directly.

import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { CaptureEngine, type OpenProgress } from '../engine/engine.ts';
import { followTcpStream } from '../engine/follow.ts';
import { captureConnections } from '../engine/connections.ts';
import { checkRule, decodeAsChoices, DECODE_AS_TABLES, normalizeRules } from '../engine/decode-as.ts';
import { PreferencesStore } from '../preferences.ts';
import { defaultRegistry } from '../../decoders/index.ts';
import type { DecodeAsRule, DecodeAsState } from './contract.ts';
import { tcpdumpLineOf } from '../engine/tcpdump-line.ts';
import { expertSummaryOf } from '../engine/expert-summary.ts';
import { tcpGraph } from '../engine/tcp-graph.ts';
import { conversationRows, endpointRows, protocolHierarchyRows } from '../engine/statistics.ts';
import { ioGraph } from '../engine/io-graph.ts';
import { flowGraphOfPackets, flowGraphOfStream, DEFAULT_FLOW_LIMIT, type FlowGraph } from '../engine/flow-graph.ts';
import { compileFilter, FilterError, checkFilter } from '../../decoders/filter/index.ts';
import { L4 } from '../../decoders/fast/scan.ts';
import {
  toBase64, type SortRequest, type CaptureInfo, type Events, type EventName, type FilterResult, type Handlers, type WireNode, type WireRow,
} from './contract.ts';
import type { JsonNode } from '../engine/tree-json.ts';
import type { FilterRun } from '../engine/filter-run.ts';
import { checkSaveTarget, saveCapture, SaveTargetError } from '../engine/save-capture.ts';
import { LiveCapture, loadDefaultBackend, type CaptureHost, type SessionCaptureOptions } from './capture-session.ts';
import type { SaveRequest, SaveResult } from './contract.ts';

export type Emit = <E extends EventName>(event: E, data: Events[E]) => void;

/** Waits until a filter run over a live capture has checked every packet indexed so far (or ended). */
async function liveCatchUp(run: FilterRun, e: CaptureEngine): Promise<{ cancelled: boolean }> {
  let finished: { cancelled: boolean } | null = null;
  void run.done.then((r) => (finished = r));
  while (!finished && !run.isCancelled && !(run.checked >= e.count && e.live)) await new Promise((r) => setTimeout(r, 10));
  return finished ?? { cancelled: run.isCancelled };
}

export class Session {
  private engine: CaptureEngine | null = null;
  /** Packet indexes passing the filter, null for no filter (during a live capture, the run's growing matches). */
  private get matches(): ArrayLike<number> | null {
    return this.liveRun && !this.liveRun.isCancelled ? this.liveRun.matches : this.staticMatches;
  }
  private set matches(m: ArrayLike<number> | null) {
    this.staticMatches = m;
    this.liveRun = null;
  }
  private staticMatches: ArrayLike<number> | null = null;
  /** The display filter run over a live capture: its matches grow with the capture. */
  private liveRun: FilterRun | null = null;
  /** Displayed order when sorted (packet indexes), null for capture order. */
  private order: Int32Array | null = null;
  private sort: SortRequest = { column: null, descending: false };
  private filterExpr = '';
  /** Bumped by every setFilter/open: a running filter pass stops when it sees a newer one. */
  private generation = 0;
  /** Generation at the latest open: progress of an older engine is dropped. */
  private openGeneration = -1;
  private captureOpts: SessionCaptureOptions = {};
  /** Live capture into a temporary file shown as it grows (capture-session.ts). */
  readonly capture = new LiveCapture(this.captureHost(), (s) => this.emit('captureState', s), () => (this.captureOpts.backend ?? loadDefaultBackend)());

  /** The shell's capture options: the capture backend (tests), the save dialog (Electron). */
  configureCapture(o: SessionCaptureOptions): void {
    this.captureOpts = o;
  }

  private captureHost(): CaptureHost {
    return {
      openLive: (path) => {
        // A new capture (or a ring buffer's next file) keeps the display filter.
        const expr = this.filterExpr;
        const info = this.open([path], true);
        this.emit('opened', expr ? { ...info, filter: expr } : info);
        if (expr) void this.setFilter(expr).catch(() => {});
      },
      finishLive: async () => {
        const e = this.engine;
        if (e?.live) await e.finishLive();
      },
      openPaths: () => this.engine?.paths ?? [],
    };
  }

  /** Save As / Export Displayed: the packets of the open capture, all or the displayed ones, in capture order. */
  private async save(req: SaveRequest, displayed: boolean): Promise<SaveResult> {
    const e = this.need();
    if (this.capture.running || e.live) throw new Error('stop the capture before saving it');
    await e.indexed;
    let path = req.path;
    let overwrite = req.overwrite ?? false;
    if (path === undefined) {
      const choose = this.captureOpts.choosePath;
      if (!choose) throw new Error('a file path is needed');
      const chosen = await choose(displayed ? 'export' : 'save', req.format);
      if (!chosen) return { path: null, packets: 0 };
      path = chosen;
      overwrite = true; // the dialog asked
    }
    let abs: string;
    try {
      abs = checkSaveTarget(path, e.paths, overwrite);
    } catch (err) {
      if (err instanceof SaveTargetError && err.code === 'exists') return { path: null, packets: 0, exists: resolve(path) };
      throw err;
    }
    const packets = saveCapture(e, abs, req.format, displayed ? this.matches : null);
    if (!displayed) this.capture.markSaved();
    return { path: abs, packets };
  }

  constructor(
    private readonly emit: Emit,
    /** Decode As rules and name resolution, persisted (electron/preferences.ts). */
    readonly prefs: PreferencesStore = new PreferencesStore(),
  ) {}

  private info(): CaptureInfo {
    const e = this.engine;
    return { files: e ? [...e.paths] : [], count: e ? e.count : 0, done: this.done };
  }
  private done = false;

  private need(): CaptureEngine {
    if (!this.engine) throw new Error('no capture is open');
    return this.engine;
  }

  private wireRow(i: number): WireRow {
    const e = this.need();
    const r = e.row(i);
    const tcp = e.index.l4[i] === L4.TCP;
    const outer = e.index.outerAddresses(i);
    return { ...r, tcpStream: tcp ? e.index.stream[i]! : -1, tcpFlags: tcp ? e.index.tcpFlags[i]! : 0, ...(outer ? { outerSource: outer[0], outerDestination: outer[1] } : {}) };
  }

  /** Opens files by path on this side (browser mode analyses files where the server runs). */
  open(paths: string[], live = false): CaptureInfo {
    if (!live && this.capture.running) throw new Error('stop the capture before opening a file');
    const abs = paths.map((p) => resolve(p));
    for (const p of abs) {
      if (!existsSync(p) || !statSync(p).isFile()) throw new Error(`cannot open ${p}: no such file`);
    }
    this.engine?.close();
    this.generation++;
    this.matches = null;
    this.order = null;
    this.sort = { column: null, descending: false };
    this.filterExpr = '';
    this.done = false;
    const gen = this.generation;
    const onProgress = (p: OpenProgress) => {
      if (this.generation !== gen && this.openGeneration !== gen) return;
      if (p.done) this.done = true;
      this.emit('progress', { ...p, errors: [...p.errors] });
    };
    // Live: the capture's file, indexed as it grows (engine/live-tail.ts). Another file lets the capture go.
    if (!live) this.capture.released();
    const engine = live ? CaptureEngine.openLive(abs[0]!, onProgress) : CaptureEngine.open(abs, onProgress);
    this.engine = engine;
    this.applyPrefs(engine);
    this.openGeneration = gen;
    engine.indexed.then(() => {
      if (this.engine === engine) this.done = true;
    }, () => {});
    return this.info();
  }

  readonly handlers: Handlers = {
    getDecodeAs: () => this.decodeAsState(),
    setDecodeAs: ({ rules }) => this.setDecodeAs(rules),
    getNameResolution: () => this.prefs.load().nameResolution,
    setNameResolution: (flags) => {
      const saved = this.prefs.update({ nameResolution: flags }).nameResolution;
      this.engine?.setNameResolution(saved);
      return saved;
    },
    open: ({ paths }) => this.open(paths),
    info: () => this.info(),
    rows: ({ start, count }) => {
      const e = this.need();
      const total = e.count;
      const m = this.order ?? this.matches;
      const displayed = m ? m.length : total;
      const rows: WireRow[] = [];
      const end = Math.min(displayed, start + count);
      for (let k = start; k < end; k++) rows.push(this.wireRow(m ? m[k]! : k));
      return { rows, displayed, total };
    },
    tcpdumpLine: ({ number }) => {
      const e = this.need();
      if (number > e.count) throw new Error(`no packet ${number} (${e.count} packets)`);
      return { line: tcpdumpLineOf(e, number - 1) };
    },
    packet: ({ number }) => {
      const e = this.need();
      if (number > e.count) throw new Error(`no packet ${number} (${e.count} packets)`);
      const p = e.packet(number);
      const i = number - 1;
      return {
        frame: p.frame,
        protocols: p.protocols,
        malformed: p.malformed,
        sources: p.sources,
        tree: p.tree as WireNode[] satisfies JsonNode[],
        bytes: p.bytes.map(toBase64),
        tcpStream: e.index.l4[i] === L4.TCP ? e.index.stream[i]! : -1,
      };
    },
    validateFilter: ({ expr }) => {
      const err = checkFilter(expr);
      return err ? { ok: false, error: { message: err.message, start: err.start, end: err.end } } : { ok: true };
    },
    setFilter: ({ expr }) => this.setFilter(expr),
    expertSummary: () => {
      const e = this.need();
      return expertSummaryOf(e, () => this.engine === e);
    },
    interfaces: ({ refresh }) => this.capture.interfaces(refresh),
    checkCaptureFilter: ({ filter, iface }) => this.capture.checkFilter(filter, iface),
    startCapture: (req) => this.capture.start(req),
    stopCapture: () => this.capture.stop(),
    restartCapture: () => this.capture.restart(),
    captureState: () => this.capture.state,
    saveAs: (req) => this.save(req, false),
    exportDisplayed: (req) => this.save(req, true),
    setSort: async (req) => {
      const e = this.need();
      if (e.live) throw new Error('sorting is available once the capture stops');
      await e.indexed;
      this.sort = req;
      this.applySort();
      return { displayed: this.order?.length ?? this.matches?.length ?? e.count, total: e.count };
    },
    protocolHierarchy: () => {
      const e = this.need();
      if ((e as { live?: boolean }).live === true) throw new Error('the protocol hierarchy is available once the capture stops');
      return protocolHierarchyRows(e);
    },
    conversations: ({ type }) => ({ type, rows: conversationRows(this.need(), type) }),
    endpoints: ({ type }) => ({ type, rows: endpointRows(this.need(), type) }),
    ioGraph: ({ intervalMs, metric, filters }) => {
      const e = this.need();
      if ((e as { live?: boolean }).live === true) throw new Error('the I/O graph is available once the capture stops');
      return ioGraph(e, intervalMs, metric, filters);
    },
    connections: async () => ({ rows: await captureConnections(this.need()) }),
    follow: ({ stream }) => {
      const f = followTcpStream(this.need(), stream);
      return {
        stream: f.stream,
        nodes: f.nodes,
        bytes: f.bytes,
        chunks: f.chunks.map((c) => ({ side: c.side, frame: c.frame, data: toBase64(c.data), ...(c.missing ? { missingBytes: c.missingBytes ?? 0 } : {}) })),
      };
    },
    tcpGraph: ({ stream, direction }) => tcpGraph(this.need(), stream, direction),
    flowGraph: (req) => {
      const limit = req.limit ?? DEFAULT_FLOW_LIMIT;
      if ('stream' in req) return flowGraphOfStream(this.need(), req.stream, limit);
      return this.displayedFlow(limit, req.around);
    },
  };

  /** Flow graph of `limit` displayed packets in capture order: the first ones, or those around packet `around`. */
  private displayedFlow(limit: number, around?: number): FlowGraph {
    const e = this.need();
    const m = this.matches;
    const displayed = m ? m.length : e.count;
    const at = (k: number): number => (m ? m[k]! : k);
    let start = 0;
    if (around !== undefined) {
      // Displayed packets ascend: the first at or after `around`.
      let lo = 0;
      let hi = displayed;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (at(mid) < around - 1) lo = mid + 1;
        else hi = mid;
      }
      start = Math.max(0, Math.min(lo - (limit >> 1), displayed - limit));
    }
    const set: number[] = [];
    for (let k = start; k < Math.min(displayed, start + limit); k++) set.push(at(k));
    const g = flowGraphOfPackets(e, set, limit);
    return { ...g, total: displayed, truncated: displayed > set.length };
  }

  /** The saved Decode As rules (those still valid) and name resolution, applied to a new engine. */
  private applyPrefs(engine: CaptureEngine): void {
    const p = this.prefs.load();
    const reg = defaultRegistry();
    engine.setDecodeAs(p.decodeAs.filter((r) => {
      try {
        checkRule(reg, r);
        return true;
      } catch {
        return false;
      }
    }));
    engine.setNameResolution(p.nameResolution);
  }

  private decodeAsState(): DecodeAsState {
    const reg = defaultRegistry();
    const tables = DECODE_AS_TABLES.filter((t) => decodeAsChoices(reg, t).length > 1).map((table) => ({
      table,
      protocols: decodeAsChoices(reg, table).map((m) => ({ abbrev: m.abbrev, name: m.name })),
    }));
    return { rules: this.engine ? [...this.engine.decodeAs] : this.prefs.load().decodeAs, tables };
  }

  /**
   * Replaces the Decode As rules (an invalid rule rejects the whole request with tshark's
   * message), saves them, and applies them to the open capture: rows and trees are recomputed
   * on demand, the display filter and sort order are applied again.
   */
  private async setDecodeAs(rules: DecodeAsRule[]): Promise<DecodeAsState> {
    const reg = defaultRegistry();
    for (const r of rules) checkRule(reg, r);
    const norm = normalizeRules(rules);
    this.prefs.update({ decodeAs: norm });
    const e = this.engine;
    if (e) {
      e.setDecodeAs(norm);
      if (this.filterExpr) await this.setFilter(this.filterExpr);
      else if (this.sort.column !== null) {
        await e.indexed;
        this.applySort();
      }
    }
    return this.decodeAsState();
  }

  /** Applies a display filter over the whole capture; resolves when every packet is checked. */
  async setFilter(expr: string): Promise<FilterResult> {
    const e = this.need();
    const gen = ++this.generation;
    const text = expr.trim();
    if (text === '') {
      e.filter?.cancel();
      this.matches = null;
      this.filterExpr = '';
      if (this.sort.column !== null) {
        await e.indexed;
        this.applySort();
      }
      this.emit('filterProgress', { expr: '', scanned: e.count, total: e.count, matched: e.count, done: true });
      return { expr: '', ok: true, displayed: e.count, total: e.count };
    }
    try {
      compileFilter(text);
    } catch (err) {
      if (err instanceof FilterError) return { expr: text, ok: false, error: { message: err.message, start: err.start, end: err.end }, displayed: this.matches?.length ?? e.count, total: e.count };
      throw err;
    }
    // The engine's filter run: index-column fast path, full decode where needed, follows indexing.
    // Live capture: the run follows the capture; the request answers once it has caught up
    // (no more progress events then: new packets arrive with the capture's own events).
    let caughtUp = false;
    const run = e.setFilter(text, (p) => {
      if (gen === this.generation && !caughtUp) this.emit('filterProgress', { expr: text, scanned: p.checked, total: p.total, matched: p.matched, done: p.done });
    });
    const res = e.live ? await liveCatchUp(run, e) : await run.done;
    caughtUp = true;
    if (gen !== this.generation || res.cancelled) return { expr: text, ok: false, error: { message: 'superseded by a newer filter', start: 0, end: 0 }, displayed: run.count, total: e.count };
    const matches = run.matches;
    this.matches = matches;
    if (e.live) this.liveRun = run;
    this.filterExpr = text;
    if (this.sort.column !== null) this.applySort();
    return { expr: text, ok: true, displayed: matches.length, total: e.count };
  }

  /** Recomputes the displayed order from the filter's matches and the sort column. */
  private applySort(): void {
    const e = this.need();
    const { column, descending } = this.sort;
    if (column === null) {
      this.order = null;
      return;
    }
    const base = this.matches ? Int32Array.from(this.matches) : Int32Array.from({ length: e.count }, (_, k) => k);
    const idx = e.index;
    let cmp: (a: number, b: number) => number;
    if (column === 'number') cmp = (a, b) => a - b;
    else if (column === 'time') cmp = (a, b) => idx.tsSec[a]! - idx.tsSec[b]! || idx.tsNsec[a]! - idx.tsNsec[b]! || a - b;
    else if (column === 'length') cmp = (a, b) => idx.origlenOf(a) - idx.origlenOf(b) || a - b;
    else {
      const keys = new Map<number, string>();
      for (const i of base) keys.set(i, e.row(i)[column]);
      cmp = (a, b) => {
        const x = keys.get(a)!;
        const y = keys.get(b)!;
        return x < y ? -1 : x > y ? 1 : a - b;
      };
    }
    base.sort(descending ? (a, b) => cmp(b, a) : cmp);
    this.order = base;
  }

  get filter(): string {
    return this.filterExpr;
  }

  close(): void {
    void this.capture.close();
    this.generation++;
    this.engine?.close();
    this.engine = null;
  }
}
