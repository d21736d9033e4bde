// A CaptureSession over a capture child process (the native helper or the `cap` child), both
// of which speak the same JSON lines on stdout: started / file / deleted / stats / warning /
// stopped / error. The child owns the file; this side only relays events and counters.
//
// The child's stdin is a pipe it watches: when this process dies, the pipe closes and the
// child stops cleanly (flushes, closes the file), so nothing already captured is lost.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CaptureError, type CaptureBackend, type CaptureEvent, type CaptureOptions, type CaptureSession, type CaptureStats } from './types.ts';
import { captureError } from './errors.ts';

interface Line {
  type?: string;
  file?: string;
  linkType?: number;
  tsresol?: number;
  snaplen?: number;
  reason?: string;
  code?: string;
  message?: string;
  packets?: number;
  bytes?: number;
  fileBytes?: number;
  received?: number;
  dropped?: number;
  ifDropped?: number;
  dropsKnown?: boolean;
}

const STOP_REASONS = new Set(['user', 'packets', 'duration', 'filesize', 'error']);

export class ChildSession implements CaptureSession {
  readonly done: Promise<CaptureStats>;
  /** The child's pid (for tests and diagnostics). */
  readonly pid: number | undefined;
  /** File being written now. */
  currentFile = '';
  private readonly listeners = new Set<(e: CaptureEvent) => void>();
  private readonly stats: CaptureStats = { packets: 0, bytes: 0, dropped: 0, ifDropped: 0, files: [] };
  private started = false;
  private startedEvent: CaptureEvent | null = null;
  /** Events emitted before anyone listened (null once the first listener took them). */
  private backlog: CaptureEvent[] | null = [];
  private stoppedSeen = false;
  private exited = false;
  private warnings: string[] = [];
  private stderrTail = '';
  private resolveDone!: (s: CaptureStats) => void;
  private readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private rejectReady!: (e: Error) => void;
  private killTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly options: CaptureOptions,
    readonly backend: CaptureBackend,
    /** The binary whose privileges matter (for the privilege hint). */
    readonly binary: string,
    private readonly child: ChildProcess,
  ) {
    this.pid = child.pid;
    this.done = new Promise((r) => (this.resolveDone = r));
    this.ready = new Promise((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    // A rejected start is reported by start(); never an unhandled rejection.
    this.ready.catch(() => {});
    createInterface({ input: child.stdout! }).on('line', (l) => this.onLine(l));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      this.stderrTail = (this.stderrTail + d).slice(-2000);
    });
    child.stdin!.on('error', () => {}); // the child may be gone already
    child.on('error', (e) => this.onExit(null, null, e));
    child.on('close', (code, signal) => this.onExit(code, signal, null));
  }

  /** Spawns `command args` and resolves once it reports "started" (rejects with a CaptureError). */
  static async start(options: CaptureOptions, backend: CaptureBackend, binary: string, command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<ChildSession> {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    const s = new ChildSession(options, backend, binary, child);
    await s.ready;
    return s;
  }

  /**
   * Subscribes to the capture's events. startCapture() resolves after the 'started' event, and
   * more may come before the caller subscribes: the first listener gets every event so far
   * (synchronously, in order), a later one gets the 'started' event replayed, then the live ones.
   */
  on(listener: (e: CaptureEvent) => void): () => void {
    this.listeners.add(listener);
    const replay = this.backlog ?? (this.startedEvent ? [this.startedEvent] : []);
    this.backlog = null;
    for (const e of replay) {
      try {
        listener(e);
      } catch {
        // as in emit()
      }
    }
    return () => this.listeners.delete(listener);
  }

  stop(): Promise<CaptureStats> {
    if (!this.exited && !this.stoppedSeen) {
      try {
        this.child.kill('SIGTERM');
      } catch {
        // already gone
      }
      // A helper that does not stop within 5 s is killed; the file is valid up to its last flush.
      this.killTimer ??= setTimeout(() => {
        if (!this.exited) this.child.kill('SIGKILL');
      }, 5000);
      this.killTimer.unref();
    }
    return this.done;
  }

  private emit(e: CaptureEvent): void {
    if (this.backlog) {
      // Nobody listens yet: keep the events (stats only up to a bound; the last ones matter).
      if (e.type === 'stats' && this.backlog.length > 200) {
        const i = this.backlog.findIndex((x) => x.type === 'stats');
        if (i >= 0) this.backlog.splice(i, 1);
      }
      this.backlog.push(e);
      return;
    }
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // a listener's bug must not stop the capture's bookkeeping
      }
    }
  }

  private snapshot(): CaptureStats {
    return { ...this.stats, files: [...this.stats.files] };
  }

  private takeCounters(m: Line): void {
    if (typeof m.packets === 'number') this.stats.packets = m.packets;
    if (typeof m.bytes === 'number') this.stats.bytes = m.bytes;
    if (typeof m.dropped === 'number') this.stats.dropped = m.dropped;
    if (typeof m.ifDropped === 'number') this.stats.ifDropped = m.ifDropped;
    if (typeof m.received === 'number') this.stats.received = m.received;
    if (typeof m.fileBytes === 'number') this.stats.fileBytes = m.fileBytes;
    if (typeof m.dropsKnown === 'boolean') this.stats.dropsKnown = m.dropsKnown;
  }

  private onLine(line: string): void {
    let m: Line;
    try {
      m = JSON.parse(line) as Line;
    } catch {
      return; // not ours
    }
    switch (m.type) {
      case 'warning':
        if (m.message) this.warnings.push(m.message);
        break;
      case 'started':
        this.started = true;
        this.currentFile = m.file ?? '';
        this.stats.files = [this.currentFile];
        this.stats.dropsKnown = this.backend === 'native';
        this.startedEvent = {
          type: 'started',
          file: this.currentFile,
          linkType: m.linkType ?? 1,
          backend: this.backend,
          ...(m.tsresol ? { tsresol: m.tsresol } : {}),
          ...(m.snaplen ? { snaplen: m.snaplen } : {}),
          ...(this.warnings.length ? { warnings: [...this.warnings] } : {}),
        };
        this.resolveReady();
        this.emit(this.startedEvent);
        break;
      case 'file':
        if (m.file) {
          this.currentFile = m.file;
          this.stats.files.push(m.file);
          this.emit({ type: 'file', file: m.file });
        }
        break;
      case 'deleted':
        if (m.file) this.stats.files = this.stats.files.filter((f) => f !== m.file);
        break;
      case 'stats':
        this.takeCounters(m);
        this.emit({ type: 'stats', stats: this.snapshot() });
        break;
      case 'stopped': {
        this.takeCounters(m);
        this.stoppedSeen = true;
        const reason = STOP_REASONS.has(m.reason ?? '') ? (m.reason as 'user') : 'user';
        this.emit({ type: 'stopped', reason, stats: this.snapshot() });
        break;
      }
      case 'error': {
        const err = captureError({ code: m.code ?? 'other', message: m.message ?? '' }, { iface: this.options.iface, filter: this.options.filter, backend: this.backend, binary: this.binary });
        if (!this.started) this.rejectReady(err);
        else this.emit({ type: 'error', code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) });
        break;
      }
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, error: Error | null): void {
    if (this.exited) return;
    this.exited = true;
    if (this.killTimer) clearTimeout(this.killTimer);
    if (!this.started) {
      const why = error
        ? `The capture helper could not be started: ${error.message}`
        : `The capture helper ended before capturing (${signal ? `signal ${signal}` : `exit code ${code}`})` + (this.stderrTail.trim() ? `: ${this.stderrTail.trim()}` : '.');
      this.rejectReady(new CaptureError(error ? 'helper-missing' : 'other', why));
    } else if (!this.stoppedSeen) {
      const message = `The capture helper ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); the file is complete up to its last flush.`;
      this.emit({ type: 'error', code: 'other', message });
      this.emit({ type: 'stopped', reason: 'error', stats: this.snapshot() });
    }
    this.resolveDone(this.snapshot());
  }
}
