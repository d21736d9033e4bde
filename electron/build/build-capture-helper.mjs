// Builds the native capture helper (electron/capture/native/pktscope-capture.c -> out/pktscope-capture)
// and the live tests' traffic generator (pktscope-traffic.c -> out/pktscope-traffic) with the
// system C compiler and libpcap. Runs on `npm ci` (prepare) and `npm run build:capture`.
// It never fails the install: without cc or libpcap-dev it says why, and live capture then uses
// the `cap` backend (electron/capture/cap-child.mjs).
//
// Privilege: to capture as a normal user, give the helper the two capabilities once:
//   sudo setcap cap_net_raw,cap_net_admin=eip out/pktscope-capture
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'electron/capture/native');
const outDir = join(root, 'out');
const force = process.argv.includes('--force');
const quiet = process.argv.includes('--quiet');

function say(s) {
  console.log(`build-capture-helper: ${s}`);
}

if (process.platform === 'win32') {
  say('skipped on Windows (live capture uses the cap module with Npcap there).');
  process.exit(0);
}
const cc = process.env.CC || 'cc';
const probe = spawnSync(cc, ['--version'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  say(`no C compiler ("${cc}" not found): the native capture helper is not built; live capture will use the cap module (no libpcap timestamps, no drop counters). Install a C compiler and libpcap-dev, then run npm run build:capture.`);
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });

const targets = [
  { name: 'pktscope-capture', libs: ['-lpcap'] },
  { name: 'pktscope-traffic', libs: [] },
];
let failed = false;
for (const t of targets) {
  const c = join(src, `${t.name}.c`);
  const bin = join(outDir, t.name);
  if (!existsSync(c)) continue;
  if (!force && existsSync(bin) && statSync(bin).mtimeMs >= statSync(c).mtimeMs) {
    if (!quiet) say(`${t.name} is up to date`);
    continue;
  }
  const r = spawnSync(cc, ['-O2', '-Wall', '-o', bin, c, ...t.libs], { encoding: 'utf8' });
  if (r.status !== 0) {
    failed = true;
    const err = (r.stderr || '').trim();
    if (t.libs.includes('-lpcap') && /pcap\.h|lpcap/.test(err)) {
      say(`libpcap's headers or library are missing (install libpcap-dev / libpcap-devel): ${t.name} is not built; live capture will use the cap module.`);
    } else {
      say(`${t.name} did not compile:\n${err}`);
    }
    continue;
  }
  if (!quiet) say(`built out/${t.name}`);
}
process.exit(failed && process.argv.includes('--strict') ? 1 : 0);
