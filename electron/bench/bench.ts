// `npm run bench -- [--packets N] [--file F]`: pktscope against tshark on the same capture in
// the same run. Timings are wall-clock medians of a few runs; ratios are tshark / pktscope.
// Nothing here is a test: targets are printed next to the numbers, never asserted.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchCapture } from './generate-capture.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

const packets = Number(arg('packets', '1000000'));
const runs = Number(arg('runs', '3'));
const filter = arg('filter', 'tcp.analysis.retransmission || dns.flags.rcode != 0');
let file = arg('file', '');
if (!file) {
  const dir = join(root, 'out', 'bench');
  mkdirSync(dir, { recursive: true });
  file = join(dir, `mixed-${packets}.pcap`);
  if (!existsSync(file)) {
    process.stdout.write(`generating ${packets} packets into ${file} ... `);
    const t = performance.now();
    writeBenchCapture(file, packets);
    console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
}
const size = statSync(file).size;
const tshark = spawnSync('tshark', ['--version']).status === 0;
console.log(`capture: ${file} (${(size / 1e6).toFixed(0)} MB); tshark ${tshark ? 'present' : 'not installed: its columns stay empty'}`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall time of a command with its output thrown away, median of `runs`. */
function timeCommand(cmd: string, args: string[], n = runs): number {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    times.push(performance.now() - t);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  }
  return median(times);
}

/** A measurement of electron/bench/measure.ts in a fresh process, median over `runs`. */
function measure(what: string, extra: string[] = []): Record<string, number> {
  const results: Record<string, number>[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(root, 'electron/bench/measure.ts'), what, file, ...extra], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`measure ${what} failed: ${r.stderr}`);
    results.push(JSON.parse(r.stdout.trim().split('\n').pop()!));
  }
  const ms = median(results.map((x) => x.ms!));
  return { ...results.find((x) => x.ms === ms)! };
}

const cli = [join(root, 'electron/bin/pktscope.mjs')];
spawnSync(process.execPath, [join(root, 'electron/build/build-cli.mjs')], { stdio: 'inherit' });

interface Row {
  what: string;
  ours: number;
  theirs: number | null;
  target: string;
}
const rows: Row[] = [];

const open = measure('open');
rows.push({ what: 'full open (index + TCP analysis ready)', ours: open.ms!, theirs: tshark ? timeCommand('tshark', ['-n', '-r', file], 1) : null, target: '>= 10x faster than tshark -r F' });
const first = measure('rows');
rows.push({ what: 'first 50 rows', ours: first.ms!, theirs: null, target: '< 300 ms' });
const filtered = measure('filter', [filter]);
rows.push({ what: `display filter: ${filter} (open + engine.setFilter)`, ours: filtered.ms!, theirs: tshark ? timeCommand('tshark', ['-n', '-r', file, '-Y', filter], 1) : null, target: '>= 10x faster than tshark -Y' });
const follow = measure('follow', ['0']);
rows.push({ what: 'follow tcp stream 0 (after open)', ours: follow.ms!, theirs: tshark ? timeCommand('tshark', ['-n', '-r', file, '-q', '-z', 'follow,tcp,ascii,0'], 1) : null, target: 'tshark reads the whole file' });
rows.push({ what: 'CLI summary lines (pktscope -r F)', ours: timeCommand(process.execPath, [...cli, '-r', file], 1), theirs: tshark ? timeCommand('tshark', ['-n', '-r', file], 1) : null, target: '>= 5x faster than tshark -r F' });

const fmt = (ms: number | null) => (ms === null ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
console.log(`\n| ${packets.toLocaleString('en-US')} packets, ${(size / 1e6).toFixed(0)} MB | pktscope | tshark 4.0 | ratio | target |`);
console.log('|---|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.what} | ${fmt(r.ours)} | ${fmt(r.theirs)} | ${r.theirs === null ? '—' : `${(r.theirs / r.ours).toFixed(1)}x`} | ${r.target} |`);
console.log(`| memory above base per packet | ${open.bytesPerPacket!.toFixed(0)} B (index arrays ${open.indexBytesPerPacket!.toFixed(0)} B) | | | < 120 B |`);
