// Shared e2e helpers: build the renderer when stale, run `pktscope serve`, launch Debian
// Chromium through playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';

export const root = join(import.meta.dirname, '..', '..');
export const results = join(root, 'test-results');
export const CHROMIUM = '/usr/bin/chromium';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds out/renderer unless it is newer than every renderer source. */
export function ensureRenderer(): void {
  const index = join(root, 'out/renderer/index.html');
  const fresh = () => existsSync(index) && statSync(index).mtimeMs >= Math.max(newest(join(root, 'renderer')), newest(join(root, 'decoders')));
  if (fresh()) return;
  // Test files run in parallel: one builds, the others wait for its lock to go.
  const lock = join(root, 'out/.renderer-build.lock');
  mkdirSync(join(root, 'out'), { recursive: true });
  // A lock left by a killed run (builds take seconds) is removed.
  if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
  try {
    mkdirSync(lock);
  } catch {
    const until = Date.now() + 120_000;
    while (existsSync(lock) && Date.now() < until) spawnSync('sleep', ['0.2']);
    if (!existsSync(index)) throw new Error('renderer build (by another test file) failed');
    return;
  }
  try {
    const r = spawnSync(process.execPath, [join(root, 'electron/build/build-renderer.mjs')], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('renderer build failed');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface Served {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `pktscope serve` on `files`. Preferences (Decode As rules, name resolution) live in a fresh
 * directory per server unless `configDir` is given: tests never see the user's or each other's.
 */
export function startServe(files: string[], configDir: string = mkdtempSync(join(tmpdir(), 'pktscope-e2e-config-'))): Promise<Served> {
  const env = { ...process.env, PKTSCOPE_CONFIG_DIR: configDir };
  const proc = spawn(process.execPath, [join(root, 'electron/bin/pktscope.mjs'), 'serve', ...files, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    const timer = setTimeout(() => reject(new Error('serve did not print its URL in 30 s')), 30_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      const m = /^pktscope: serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)$/.exec(line);
      if (!m) return reject(new Error(`unexpected first line: ${line}`));
      resolve({
        url: m[1]!,
        proc,
        stop: () =>
          new Promise<void>((r) => {
            if (proc.exitCode !== null) return r();
            proc.once('exit', () => r());
            proc.kill('SIGTERM');
          }),
      });
    });
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install chromium)`;
}

export function launchChromium(): Promise<Browser> {
  mkdirSync(results, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--lang=en-US'],
  });
}
