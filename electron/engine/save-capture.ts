// Save As / Export Displayed over an open capture: the packets are read again from the
// capture's own files in engine order (so comments, flags and interfaces come along) and
// written through decoders/formats/save.ts. The output goes to a temporary name next to the
// target and is renamed into place once complete, so a failed save never leaves half a file
// and never damages the file being read.

import { closeSync, existsSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CaptureSaver, type SaveFormat } from '../../decoders/formats/save.ts';
import { MergedReader } from './merge.ts';
import type { CaptureEngine } from './engine.ts';

export class SaveTargetError extends Error {
  constructor(
    readonly code: 'exists' | 'same-file' | 'no-dir' | 'is-dir',
    message: string,
  ) {
    super(message);
  }
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** Checks where a save may go; returns the absolute path. Throws SaveTargetError. */
export function checkSaveTarget(path: string, inputs: readonly string[], overwrite: boolean): string {
  const abs = resolve(path);
  const dir = dirname(abs);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SaveTargetError('no-dir', `cannot save to ${abs}: no directory ${dir}`);
  if (existsSync(abs)) {
    if (statSync(abs).isDirectory()) throw new SaveTargetError('is-dir', `cannot save to ${abs}: it is a directory`);
    const r = real(abs);
    if (inputs.some((p) => real(p) === r)) throw new SaveTargetError('same-file', `cannot save to ${abs}: it is the capture being read`);
    if (!overwrite) throw new SaveTargetError('exists', `${abs} exists`);
  }
  return abs;
}

/**
 * Writes packets of `engine` to `path` as `format`: all of them, or those whose 0-based
 * indexes are listed in `only` (ascending, capture order). Returns the number written.
 * The engine must be fully indexed (not a capture still running).
 */
export function saveCapture(engine: CaptureEngine, path: string, format: SaveFormat, only: ArrayLike<number> | null): number {
  const idx = engine.index;
  const total = idx.count;
  const want = only ?? null;
  const used = new Set<number>();
  const n = want ? want.length : total;
  for (let k = 0; k < n; k++) used.add(idx.iface[want ? want[k]! : k]!);
  // The interfaces the packets refer to: a pcapng file may describe some after its first
  // packets, so read ahead (a separate pass) until every interface used is known.
  const maxUsed = Math.max(-1, ...used);
  const interfaces = (() => {
    const pre = new MergedReader(engine.paths);
    try {
      while (pre.interfaces.length <= maxUsed && pre.next());
      return [...pre.interfaces];
    } finally {
      pre.close();
    }
  })();
  const reader = new MergedReader(engine.paths);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.part`);
  let fd = -1;
  let written = 0;
  try {
    const saver = new CaptureSaver(format, interfaces, { userAppl: 'pktscope' }, used);
    fd = openSync(tmp, 'wx', 0o644);
    // Written in blocks of about 1 MiB, not one system call per packet.
    let parts: Uint8Array[] = [];
    let pending = 0;
    const flush = () => {
      const b = Buffer.concat(parts, pending);
      let o = 0;
      while (o < b.length) o += writeSync(fd, b, o, b.length - o);
      parts = [];
      pending = 0;
    };
    const out = (b: Uint8Array) => {
      parts.push(b);
      pending += b.length;
      if (pending >= 1 << 20) flush();
    };
    out(saver.header());
    let k = 0;
    for (let i = 0; i < total; i++) {
      const m = reader.next();
      if (!m) break;
      if (want) {
        if (k >= want.length) break;
        if (want[k] !== i) continue;
        k++;
      }
      const r = m.rec;
      out(saver.packet({ interfaceId: m.interfaceId, tsSec: r.tsSec, tsNsec: r.tsNsec, data: r.data, origlen: r.origlen, comment: r.comment, comments: r.comments, flags: r.flags }));
      written++;
    }
    flush();
    closeSync(fd);
    fd = -1;
    renameSync(tmp, path);
    return written;
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    reader.close();
  }
}
