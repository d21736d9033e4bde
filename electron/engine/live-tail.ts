// Tailing a capture file that is still being written (live capture, Wireshark's "update list
// of packets in real time"). The capture helper appends pcapng blocks and flushes at least
// every 250 ms; the engine indexes them through the same path as opening a file, with its
// reader in follow mode (file-reader.ts): complete blocks are indexed as they appear, a
// partial block at the end is "not yet written" (no error while live). When the writer is
// done (`finish()`), the reader reads to the end like any file, so the final state (index,
// rows, filters, follow) is exactly that of opening the finished file; a half-written block
// left at the end is then reported as damage, as opening would.
//
// The engine's indexing loop asks `wait()` whenever it has caught up with the file: that
// resolves after a short poll interval, or at once when the file changed (fs.watch, when the
// platform has it) or when `finish()` is called. Polling is what guarantees the latency bound
// (a read that finds nothing costs one pread), the watcher only shortens it.
//
// Ring buffers (dumpcap -b): each file of the ring is a separate capture; the session opens
// the current file in a new engine when the helper switches files, as Wireshark shows the
// current file only (see electron/ipc/capture-session.ts).

import { watch, type FSWatcher } from 'node:fs';

/** Default poll interval: new packets are indexed at most this long after they were flushed. */
export const LIVE_POLL_MS = 40;

export class LiveTail {
  private finished = false;
  private wake: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private watcher: FSWatcher | null = null;
  private changed = false;

  constructor(
    readonly path: string,
    readonly pollMs = LIVE_POLL_MS,
  ) {
    try {
      this.watcher = watch(path, { persistent: false }, () => {
        this.changed = true;
        this.release();
      });
      this.watcher.on('error', () => this.unwatch());
    } catch {
      this.watcher = null; // polling alone
    }
  }

  /** True while the writer may still append. */
  get following(): boolean {
    return !this.finished;
  }

  /** Resolves when the file may have grown: after the poll interval, on a change, or on finish(). */
  wait(): Promise<void> {
    if (this.finished || this.changed) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => this.release(), this.pollMs);
    });
  }

  /** The writer is done (capture stopped and flushed): read to the end and end as a closed file would. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.unwatch();
    this.release();
  }

  /** Stops waiting without finishing (the engine is being closed). */
  close(): void {
    this.finish();
  }

  private release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const w = this.wake;
    this.wake = null;
    if (w) {
      this.changed = false;
      w();
    }
  }

  private unwatch(): void {
    try {
      this.watcher?.close();
    } catch {
      // already closed
    }
    this.watcher = null;
  }
}
