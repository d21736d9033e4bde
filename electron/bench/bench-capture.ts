// `npm run bench:capture`: live capture under load. A sender in namespace A blasts UDP at
// RATE packets/s for SECONDS to namespace B over a veth pair; pktscope captures on B's end
// (through the CLI, as users do) while tcpdump captures the same packets on the same veth at
// the same time. For each backend (native helper, cap) it reports packets sent / written /
// seen by tcpdump, libpcap's drop counters, and the timestamp error against tcpdump: for
// consecutive packets seen by both, |our delta - tcpdump delta| (median, p99, max).
// Needs root, iproute2, tcpdump and the traffic generator (out/pktscope-traffic).
// Usage: npm run bench:capture [-- --rate 100000 --seconds 5 --size 18 --backend native|cap]

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaptureFileReader } from '../engine/file-reader.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
};
const RATE = Number(arg('rate', '100000'));
const SECONDS = Number(arg('seconds', '5'));
const SIZE = Number(arg('size', '18'));
const BACKENDS = arg('backend', 'native,cap').split(',') as ('native' | 'cap')[];
const PORT = 7777;

function need(ok: boolean, why: string): void {
  if (!ok) {
    console.error(`bench:capture: ${why}`);
    process.exit(2);
  }
}
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
need(process.getuid?.() === 0, 'needs root (network namespaces and capture)');
need(run('tcpdump', ['--version']).status === 0, 'needs tcpdump (the timestamp reference)');
spawnSync(process.execPath, [join(root, 'electron/build/build-cli.mjs')], { stdio: 'inherit' });
spawnSync(process.execPath, [join(root, 'electron/build/build-capture-helper.mjs'), '--quiet'], { stdio: 'inherit' });
const traffic = join(root, 'out/pktscope-traffic');
need(existsSync(traffic), 'the traffic generator out/pktscope-traffic could not be built (needs cc)');

const id = process.pid % 100000;
const nsA = `pkbench-${id}-a`;
const nsB = `pkbench-${id}-b`;
const ifA = `pkb${id}a`;
const ifB = `pkb${id}b`;
const ipA = '10.239.0.1';
const ipB = '10.239.0.2';

function cleanup(): void {
  run('ip', ['netns', 'del', nsA]);
  run('ip', ['netns', 'del', nsB]);
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

function must(args: string[]): void {
  const r = run('ip', args);
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}
must(['netns', 'add', nsA]);
must(['netns', 'add', nsB]);
must(['link', 'add', ifA, 'netns', nsA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB]);
for (const [ns, dev, ip] of [[nsA, ifA, ipA], [nsB, ifB, ipB]] as const) {
  run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
  must(['-n', ns, 'addr', 'add', `${ip}/24`, 'dev', dev]);
  must(['-n', ns, 'link', 'set', dev, 'up']);
}
const mac = (ns: string, dev: string) => /link\/ether ([0-9a-f:]+)/.exec(run('ip', ['-n', ns, 'link', 'show', dev]).stdout)?.[1] ?? '';
must(['-n', nsA, 'neigh', 'replace', ipB, 'lladdr', mac(nsB, ifB), 'dev', ifA, 'nud', 'permanent']);

/** Sequence number (first 8 payload bytes) -> timestamp in ns, for every packet of the file. */
function stamps(file: string): Map<number, bigint> {
  const m = new Map<number, bigint>();
  const r = new CaptureFileReader(file);
  for (let rec = r.next(); rec; rec = r.next()) {
    if (rec.data.length < 42 + 8) continue;
    const v = new DataView(rec.data.buffer, rec.data.byteOffset, rec.data.byteLength);
    const seq = Number(v.getBigUint64(42, true));
    m.set(seq, BigInt(rec.tsSec) * 1_000_000_000n + BigInt(rec.tsNsec));
  }
  r.close();
  return m;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

function waitFor(child: ReturnType<typeof spawn>, stream: 'stdout' | 'stderr', text: string, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${text}": ${seen}`)), ms);
    child[stream]!.setEncoding('utf8');
    child[stream]!.on('data', (d: string) => {
      seen += d;
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

interface Result {
  backend: string;
  sent: number;
  written: number;
  tcpdump: number;
  drops: string;
  tcpdumpDrops: string;
  matched: number;
  medianUs: number;
  p99Us: number;
  maxUs: number;
}

async function measure(backend: 'native' | 'cap'): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'pktscope-bench-capture-'));
  try {
    const ours = join(dir, 'ours.pcapng');
    const ref = join(dir, 'tcpdump.pcap');
    const filter = `udp dst port ${PORT}`;
    const cap = spawn('ip', ['netns', 'exec', nsB, process.execPath, join(root, 'out/cli.mjs'), '-i', ifB, '-f', filter, '-q', '-w', ours], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PKTSCOPE_CAPTURE_BACKEND: backend },
    });
    let capErr = '';
    const capReady = waitFor(cap, 'stderr', 'Capturing on');
    cap.stderr!.on('data', (d: string) => (capErr += d));
    const capDone = new Promise<void>((r) => cap.on('close', () => r()));
    const td = spawn('ip', ['netns', 'exec', nsB, 'tcpdump', '-i', ifB, '-n', '-B', '16384', '--time-stamp-precision=nano', '-w', ref, filter], { stdio: ['ignore', 'ignore', 'pipe'] });
    let tdErr = '';
    const tdReady = waitFor(td, 'stderr', 'listening on');
    td.stderr!.on('data', (d: string) => (tdErr += d));
    const tdDone = new Promise<void>((r) => td.on('close', () => r()));
    await Promise.all([capReady, tdReady]);
    await new Promise((r) => setTimeout(r, 300));
    const s = run('ip', ['netns', 'exec', nsA, traffic, 'udp', ipB, String(PORT), String(RATE), String(SECONDS), String(SIZE)]);
    const sent = (JSON.parse(s.stdout) as { sent: number }).sent;
    await new Promise((r) => setTimeout(r, 1000));
    cap.kill('SIGINT');
    td.kill('SIGINT');
    await Promise.all([capDone, tdDone]);
    const a = stamps(ours);
    const b = stamps(ref);
    const errs: number[] = [];
    let prev: [bigint, bigint] | null = null;
    for (let seq = 0; seq < sent; seq++) {
      const x = a.get(seq);
      const y = b.get(seq);
      if (x === undefined || y === undefined) {
        prev = null;
        continue;
      }
      if (prev) errs.push(Math.abs(Number((x - prev[0]) - (y - prev[1]))) / 1000);
      prev = [x, y];
    }
    errs.sort((p, q) => p - q);
    const dropLine = /^(\d+) packets? dropped from \S+ \(ps_drop (\d+), ps_ifdrop (\d+)\)$/m.exec(capErr);
    const drops = dropLine ? `ps_drop ${dropLine[2]}, ps_ifdrop ${dropLine[3]}` : /Packets dropped: unknown/.test(capErr) ? 'unknown (cap gives none)' : '?';
    const tdDrop = /(\d+) packets dropped by kernel/.exec(tdErr)?.[1] ?? '?';
    const tdIf = /(\d+) packets dropped by interface/.exec(tdErr)?.[1] ?? '0';
    return { backend, sent, written: a.size, tcpdump: b.size, drops, tcpdumpDrops: `kernel ${tdDrop}, interface ${tdIf}`, matched: errs.length, medianUs: pct(errs, 0.5), p99Us: pct(errs, 0.99), maxUs: errs.at(-1) ?? NaN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`bench:capture: ${RATE} UDP packets/s (${SIZE}-byte payload, ${SIZE + 42}-byte frames) for ${SECONDS} s on a veth, pktscope and tcpdump capturing at the same time`);
const results: Result[] = [];
for (const b of BACKENDS) {
  if (b === 'native' && !existsSync(join(root, 'out/pktscope-capture'))) {
    console.log('native: skipped (the helper is not built)');
    continue;
  }
  results.push(await measure(b));
  const r = results.at(-1)!;
  console.log(`${r.backend}: sent ${r.sent}, written ${r.written}, tcpdump ${r.tcpdump}; drops: ${r.drops} (tcpdump: ${r.tcpdumpDrops}); timestamp error vs tcpdump over ${r.matched} deltas: median ${r.medianUs.toFixed(2)} µs, p99 ${r.p99Us.toFixed(2)} µs, max ${r.maxUs.toFixed(1)} µs`);
}
console.log('\n| backend | sent | written | tcpdump | drops (ours) | median error | p99 error |');
console.log('|---|---|---|---|---|---|---|');
for (const r of results) console.log(`| ${r.backend} | ${r.sent} | ${r.written} | ${r.tcpdump} | ${r.drops} | ${r.medianUs.toFixed(2)} µs | ${r.p99Us.toFixed(2)} µs |`);
