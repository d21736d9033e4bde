#!/usr/bin/env node
// `npm start [-- FILE...]`: builds what is missing, then runs the Electron app when the
// Electron binary is installed; otherwise says so and starts browser mode (`pktscope serve`)
// on the given files, or on the bundled sample capture.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const files = process.argv.slice(2).filter((a) => !a.startsWith('-')).map((a) => resolve(a));
const sample = join(root, 'fixtures', 'captures', 'sample-http.pcap');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
function stale(output, ...sources) {
  return !existsSync(output) || statSync(output).mtimeMs < Math.max(...sources.map((s) => newest(join(root, s))));
}
function run(script) {
  const r = spawnSync(process.execPath, [join(root, script)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (stale(join(root, 'out/renderer/index.html'), 'renderer', 'decoders', 'electron/ipc')) run('electron/build/build-renderer.mjs');

/** The Electron executable, or why there is none. */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { error: 'the electron package is not installed' };
  }
  const pathTxt = join(pkgDir, 'path.txt');
  if (!existsSync(pathTxt)) return { error: `node_modules/electron has no binary (its download is disabled or failed; run \`node ${join('node_modules', 'electron', 'install.js')}\` where the internet is reachable)` };
  const bin = join(pkgDir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? { bin } : { error: `${bin} is missing` };
}

const electron = electronBinary();
if (electron.bin) {
  if (stale(join(root, 'out/electron/main.cjs'), 'electron/main.ts', 'electron/preload.ts', 'electron/ipc', 'electron/engine', 'decoders')) run('electron/build/build-electron.mjs');
  const child = spawn(electron.bin, [join(root, 'out/electron/main.cjs'), ...files], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`pktscope: Electron is not available: ${electron.error}.`);
  console.log('pktscope: starting browser mode instead; open the URL below in a browser (Ctrl+C stops it).');
  const open = files.length ? files : [sample];
  const child = spawn(process.execPath, [join(root, 'electron/bin/pktscope.mjs'), 'serve', ...open], { cwd: root, stdio: 'inherit' });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
