// The engine side of live capture: starts the capture helper (electron/capture) on an
// interface into a temporary pcapng file that THIS side chooses (never the renderer), opens
// that file in the analysis session as it grows (engine live tail), pushes `captureState`
// events (state, counters, drops, file, errors), and tracks whether the capture was saved.
//
// Ring buffer (dumpcap -b): like Wireshark, the packet list shows the current file only.
// When the helper moves to the next file, the previous file's engine is finished and closed,
// and the new file is opened live (numbering starts again at 1; the display filter stays).
// Save As then saves the current file; the ring's other files are in `files`.
//
// Temporary files live in os.tmpdir()/pktscope-capture-XXXXXX/. They are removed when the
// session moves on (a new capture, a restart, opening another file: the UI asks first when
// unsaved) or when the user chooses not to save on closing; they are KEPT when the session
// just goes away (UI crash, connection lost), so a crash loses nothing.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureEvent, CaptureOptions, CaptureSession, CaptureStats, InterfaceInfo } from '../capture/types.ts';
import * as capture from '../capture/index.ts';
import { readAllCounters } from '../capture/iface-counters.ts';
import type { CaptureProblem, CaptureProblemCode, CaptureFilterCheck, CaptureState, InterfacesResult, StartCaptureRequest, WireInterface } from './contract.ts';

/** The capture API (electron/capture/index.ts), injectable for tests. */
export interface CaptureBackend {
  listInterfaces(): Promise<InterfaceInfo[]>;
  /** null when libpcap compiles the filter (for link type `linkType`, default Ethernet), else libpcap's message. */
  checkCaptureFilter(filter: string, linkType?: number): Promise<string | null>;
  startCapture(options: CaptureOptions): Promise<CaptureSession>;
}

/** What the capture needs from the analysis session (handlers.ts Session). */
export interface CaptureHost {
  /** Opens `path` (being written) in a live engine, keeping the display filter; tells the UI. */
  openLive(path: string): void;
  /** The current live engine's writer is done: index to the end. */
  finishLive(): Promise<void>;
  /** Paths of the capture open now. */
  openPaths(): readonly string[];
}

type Emit = (state: CaptureState) => void;

/** What a shell gives the analysis session for capture and saving. */
export interface SessionCaptureOptions {
  /** The capture API (default: electron/capture, loaded on first use). */
  backend?: () => Promise<CaptureBackend>;
  /** Asks the user where to save (Electron's save dialog); null when cancelled. Browser mode has none: the UI sends a path. */
  choosePath?: (kind: 'save' | 'export', format: 'pcap' | 'pcapng') => Promise<string | null>;
}

/** captureState events while packets flow: at most this often. */
const EMIT_MS = 250;
/** How long startCapture waits for the helper to say it started. */
const START_TIMEOUT_MS = 10_000;

function problem(e: unknown): CaptureProblem {
  const x = e as { code?: unknown; message?: unknown; hint?: unknown };
  const codes: CaptureProblemCode[] = ['privilege', 'filter', 'no-such-device', 'helper-missing', 'io', 'other', 'busy', 'unsaved'];
  const code = typeof x?.code === 'string' && (codes as string[]).includes(x.code) ? (x.code as CaptureProblemCode) : 'other';
  const message = typeof x?.message === 'string' ? x.message : String(e);
  return typeof x?.hint === 'string' && x.hint ? { code, message, hint: x.hint } : { code, message };
}

function idleState(): CaptureState {
  return { state: 'idle', iface: '', filter: '', packets: 0, bytes: 0, dropped: 0, ifDropped: 0, file: null, files: [], error: null, unsaved: false };
}

/** The real capture API (electron/capture: the native helper, or `cap` in a child process). */
export const defaultBackend: CaptureBackend = {
  listInterfaces: () => capture.listInterfaces(),
  checkCaptureFilter: async (filter, linkType) => {
    const r = capture.checkCaptureFilter(filter, linkType);
    return r.ok ? null : r.message;
  },
  startCapture: (o) => capture.startCapture(o),
};

export function loadDefaultBackend(): Promise<CaptureBackend> {
  return Promise.resolve(defaultBackend);
}

export class LiveCapture {
  private st: CaptureState = idleState();
  private session: CaptureSession | null = null;
  private off: (() => void) | null = null;
  private last: StartCaptureRequest | null = null;
  /** Temporary directory of the capture shown now (removed when the session moves on). */
  private tmp: string | null = null;
  private lastEmit = 0;
  private emitTimer: ReturnType<typeof setTimeout> | null = null;
  private ifaces: WireInterface[] | null = null;
  private closed = false;
  /** Serializes start/stop/restart. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly host: CaptureHost,
    private readonly emit: Emit,
    private readonly backend: () => Promise<CaptureBackend> = loadDefaultBackend,
  ) {}

  get state(): CaptureState {
    return { ...this.st, files: [...this.st.files], error: this.st.error ? { ...this.st.error } : null };
  }

  get running(): boolean {
    return this.st.state === 'starting' || this.st.state === 'running' || this.st.state === 'stopping';
  }

  /** A capture in a temporary file nobody saved (the close prompt asks). */
  get unsaved(): boolean {
    return this.st.unsaved;
  }

  /** The capture was saved elsewhere (Save As): nothing is lost by discarding the temporary file. */
  markSaved(): void {
    if (!this.st.unsaved) return;
    this.st.unsaved = false;
    this.push(true);
  }

  /** The session opened another file: the capture shown before is let go (its temporary files removed). */
  released(): void {
    if (this.running) return;
    this.discardFiles();
    this.st = idleState();
    this.push(true);
  }

  private push(now = false): void {
    if (this.closed) return;
    const t = Date.now();
    if (now || t - this.lastEmit >= EMIT_MS) {
      if (this.emitTimer) clearTimeout(this.emitTimer);
      this.emitTimer = null;
      this.lastEmit = t;
      this.emit(this.state);
      return;
    }
    this.emitTimer ??= setTimeout(() => {
      this.emitTimer = null;
      this.lastEmit = Date.now();
      if (!this.closed) this.emit(this.state);
    }, EMIT_MS - (t - this.lastEmit));
  }

  async interfaces(refresh: boolean): Promise<InterfacesResult> {
    let error: CaptureProblem | undefined;
    if (refresh || !this.ifaces) {
      try {
        const list = await (await this.backend()).listInterfaces();
        this.ifaces = list.map((i) => ({
          name: i.name,
          description: i.description,
          addresses: i.addresses.map((a) => ({ family: a.family, addr: a.addr, ...(a.netmask ? { netmask: a.netmask } : {}) })),
          up: i.up,
          running: i.running,
          loopback: i.loopback,
          ...(i.linkType !== undefined ? { linkType: i.linkType } : {}),
        }));
      } catch (e) {
        error = problem(e);
        this.ifaces = null;
      }
    }
    const list = this.ifaces ?? [];
    return { interfaces: list, counters: readAllCounters(list.map((i) => i.name)), time: Date.now(), ...(error ? { error } : {}) };
  }

  async checkFilter(filter: string, iface?: string): Promise<CaptureFilterCheck> {
    if (filter.trim() === '') return { ok: true };
    try {
      // libpcap compiles for the interface's link type (Ethernet when not known).
      if (iface !== undefined && !this.ifaces) await this.interfaces(true);
      const linkType = this.ifaces?.find((i) => i.name === iface)?.linkType;
      const err = await (await this.backend()).checkCaptureFilter(filter, linkType);
      return err === null ? { ok: true } : { ok: false, error: err };
    } catch (e) {
      return { ok: false, error: problem(e).message };
    }
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const p = this.queue.then(f, f);
    this.queue = p.catch(() => {});
    return p;
  }

  start(req: StartCaptureRequest): Promise<CaptureState> {
    return this.serial(() => this.doStart(req));
  }

  stop(): Promise<CaptureState> {
    return this.serial(() => this.doStop());
  }

  restart(): Promise<CaptureState> {
    return this.serial(async () => {
      const req = this.last;
      if (!req) throw new Error('no capture to restart');
      await this.doStop();
      return this.doStart(req);
    });
  }

  private async doStart(req: StartCaptureRequest): Promise<CaptureState> {
    if (this.closed) throw new Error('session closed');
    if (this.running) return { ...this.state, error: { code: 'busy', message: 'a capture is already running' } };
    this.last = req;
    const previousTmp = this.tmp;
    const dir = mkdtempSync(join(tmpdir(), 'pktscope-capture-'));
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    const output = join(dir, `pktscope_${req.iface.replace(/[^\w.-]/g, '_')}_${stamp}.pcapng`);
    this.st = { ...idleState(), state: 'starting', iface: req.iface, filter: req.filter };
    this.push(true);
    let session: CaptureSession;
    try {
      const backend = await this.backend();
      session = await backend.startCapture({
        iface: req.iface,
        ...(req.filter ? { filter: req.filter } : {}),
        ...(req.snaplen !== undefined ? { snaplen: req.snaplen } : {}),
        ...(req.promisc !== undefined ? { promisc: req.promisc } : {}),
        ...(req.ring ? { ring: req.ring } : {}),
        ...(req.stop ? { stop: req.stop } : {}),
        output,
      });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      this.st = { ...this.st, state: 'idle', error: problem(e) };
      this.push(true);
      return this.state;
    }
    this.session = session;
    let started!: () => void;
    const startedP = new Promise<void>((r) => (started = r));
    const openFile = (file: string) => {
      try {
        this.host.openLive(file);
      } catch (err) {
        this.st.error = { code: 'io', message: problem(err).message };
      }
      if (previousTmp && this.tmp !== previousTmp) rmSync(previousTmp, { recursive: true, force: true });
    };
    this.tmp = dir;
    this.off = session.on((e: CaptureEvent) => this.onEvent(session, e, openFile, started));
    // electron/capture resolves once the helper said "started" (the event went by already).
    const current = (session as { currentFile?: unknown }).currentFile;
    if (typeof current === 'string' && current !== '' && this.st.state === 'starting') {
      this.onEvent(session, { type: 'started', file: current, linkType: 1 }, openFile, started);
    }
    void session.done
      .then(
        (stats) => this.ended(session, stats),
        (e: unknown) => this.ended(session, null, problem(e)),
      )
      .catch(() => {});
    const timeout = new Promise<void>((r) => setTimeout(r, START_TIMEOUT_MS).unref?.());
    await Promise.race([startedP, timeout]);
    return this.state;
  }

  private onEvent(session: CaptureSession, e: CaptureEvent, openFile: (f: string) => void, started: () => void): void {
    if (session !== this.session) return;
    switch (e.type) {
      case 'started':
        this.st.state = 'running';
        this.st.file = e.file;
        if (!this.st.files.includes(e.file)) this.st.files.push(e.file);
        openFile(e.file);
        started();
        this.push(true);
        break;
      case 'file': {
        // Ring buffer: show the current file (Wireshark's behaviour); the previous one is complete.
        const prev = this.st.file;
        this.st.file = e.file;
        if (!this.st.files.includes(e.file)) this.st.files.push(e.file);
        void this.host
          .finishLive()
          .then(() => {
            if (this.session === session && this.st.file === e.file && prev !== e.file) this.host.openLive(e.file);
          })
          .catch((err: unknown) => {
            // The ring may have deleted the file already when switching fast: the next one follows.
            if (this.session === session && this.st.file === e.file) {
              this.st.error = { code: 'io', message: problem(err).message };
              this.push(true);
            }
          });
        this.push(true);
        break;
      }
      case 'stats':
        this.counters(e.stats);
        this.push();
        break;
      case 'stopped':
        this.counters(e.stats);
        this.st.reason = e.reason;
        started();
        break;
      case 'error':
        this.st.error = { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
        started();
        this.push(true);
        break;
    }
  }

  private counters(s: CaptureStats): void {
    this.st.packets = s.packets;
    this.st.bytes = s.bytes;
    this.st.dropped = s.dropped;
    this.st.ifDropped = s.ifDropped;
    // The ring's files still on disk (deleted ones drop out); the current one stays listed.
    if (s.files.length) this.st.files = [...s.files];
  }

  /** The capture ended (stopped by the user, a stop condition, or an error). */
  private async ended(session: CaptureSession, stats: CaptureStats | null, err?: CaptureProblem): Promise<void> {
    if (session !== this.session) return;
    if (stats) this.counters(stats);
    if (err && !this.st.error) this.st.error = err;
    this.off?.();
    this.off = null;
    this.session = null;
    const hadFile = this.st.file !== null;
    if (hadFile) await this.host.finishLive();
    this.st.state = hadFile ? 'stopped' : 'idle';
    this.st.reason ??= err ? 'error' : 'user';
    this.st.unsaved = hadFile && this.st.packets > 0;
    if (!hadFile && this.tmp) {
      rmSync(this.tmp, { recursive: true, force: true });
      this.tmp = null;
    }
    this.push(true);
    this.stopWaiters.splice(0).forEach((f) => f());
  }

  private readonly stopWaiters: (() => void)[] = [];

  private async doStop(): Promise<CaptureState> {
    const s = this.session;
    if (!s) return this.state;
    this.st.state = 'stopping';
    this.push(true);
    const done = new Promise<void>((r) => this.stopWaiters.push(r));
    try {
      await s.stop();
    } catch (e) {
      this.st.error = problem(e);
    }
    await done;
    return this.state;
  }

  /** Removes the temporary files of the capture shown (the user chose not to keep it). */
  discardFiles(): void {
    if (this.running || !this.tmp) return;
    rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = null;
    this.st.unsaved = false;
  }

  /** The session goes away: a running capture is stopped (its file is kept). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.emitTimer) clearTimeout(this.emitTimer);
    const s = this.session;
    if (s) {
      try {
        await s.stop();
      } catch {
        // the helper is gone already
      }
    }
  }
}
