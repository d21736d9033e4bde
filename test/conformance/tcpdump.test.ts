// "Copy as tcpdump line" against real `tcpdump -nn -e` (fixtures/goldens/tcpdump, made by
// fixtures/make-tcpdump-goldens.sh): every packet of the goldens formatted in order with one
// TCP state (as tcpdump reads a file), compared whole. Prints the % identical per protocol and
// the differing lines as known differences (all of them in test-results/tcpdump-differences.txt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureFileReader } from '../../electron/engine/file-reader.ts';
import { formatTcpdumpLine, TcpdumpTcpState } from '../../electron/engine/tcpdump-line.ts';
import { corpusAvailable, corpusDir, repoRoot } from '../support/corpus.ts';

const TIME = /^(\d\d:\d\d:\d\d\.\d{6}|\[Error converting time\]) /;

/** Golden text split into one record per packet (continuation lines stay with their packet). */
function records(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (TIME.test(line) || out.length === 0) out.push(line);
    else out[out.length - 1] += '\n' + line;
  }
  return out;
}

/** The protocol a tcpdump line is about (for the per-protocol figures). */
function category(line: string): string {
  if (/ > [^ ]+: Flags \[/.test(line) || /: Flags \[/.test(line)) {
    if (/, length \d+: [A-Z]+/.test(line)) return 'tcp+app';
    return 'tcp';
  }
  if (line.includes('VXLAN')) return 'vxlan';
  if (line.includes('ICMP6,')) return 'icmp6';
  if (/: ICMP /.test(line)) return 'icmp';
  if (/(who-has|is-at|who-is) /.test(line)) return 'arp';
  if (/: igmp /.test(line)) return 'igmp';
  if (/\.(53|5353) > |\.(53|5353): /.test(line)) return 'dns';
  if (/UDP, (bad )?length \d+$/.test(line)) return 'udp';
  if (/BOOTP\/DHCP|NTPv\d/.test(line)) return 'udp-app';
  if (/ frag \(/.test(line)) return 'ip6-frag';
  if (/ip-proto-\d+/.test(line)) return 'ip-other';
  return 'other';
}

test('tcpdump -nn -e lines: identical to tcpdump 4.99 over the corpus goldens', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const dir = join(repoRoot, 'fixtures/goldens/tcpdump');
  if (!existsSync(dir)) return t.skip('no goldens: run fixtures/make-tcpdump-goldens.sh');
  const stats = new Map<string, { same: number; all: number }>();
  const diffs: string[] = [];
  for (const g of readdirSync(dir).sort()) {
    const file = g.replace(/\.txt$/, '');
    const want = records(readFileSync(join(dir, g), 'utf8'));
    const reader = new CaptureFileReader(join(corpusDir, file));
    const state = new TcpdumpTcpState();
    let n = 0;
    for (let rec = reader.next(); rec && n < want.length; rec = reader.next()) {
      const w = want[n++]!;
      let got: string;
      try {
        got = formatTcpdumpLine({ bytes: rec.data, linkType: rec.linkType, tsSec: rec.tsSec, tsNsec: rec.tsNsec, origlen: rec.origlen }, state);
      } catch (e) {
        got = `THROWN ${String(e)}`;
      }
      const c = category(w);
      const s = stats.get(c) ?? { same: 0, all: 0 };
      s.all++;
      if (got === w) s.same++;
      else diffs.push(`[${c}] ${file}#${n}\n  tcpdump: ${w}\n  ours:    ${got}`);
      stats.set(c, s);
    }
  }
  let same = 0;
  let all = 0;
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : '-');
  for (const [c, s] of [...stats].sort((a, b) => b[1].all - a[1].all)) {
    console.log(`tcpdump conformance ${c.padEnd(9)} ${pct(s.same, s.all).padStart(5)}% identical (${s.same}/${s.all})`);
    same += s.same;
    all += s.all;
  }
  console.log(`tcpdump conformance: ${pct(same, all)}% of ${all} lines identical`);
  mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
  writeFileSync(join(repoRoot, 'test-results/tcpdump-differences.txt'), diffs.join('\n') + '\n');
  // Known differences, by protocol: a few examples each (the whole list is in the file above).
  const shown = new Map<string, number>();
  for (const d of diffs) {
    const c = /^\[([^\]]+)\]/.exec(d)![1]!;
    const k = shown.get(c) ?? 0;
    if (k < 4) console.log(`known difference ${d}`);
    shown.set(c, k + 1);
  }
  console.log(`known differences: ${diffs.length} lines, all in test-results/tcpdump-differences.txt`);
  // The core lines (link + IP + TCP/UDP/ICMP/ARP) must stay identical.
  for (const c of ['tcp', 'udp', 'icmp', 'arp']) {
    const s = stats.get(c);
    if (s) assert.ok(s.same / s.all >= 0.9, `${c}: only ${pct(s.same, s.all)}% identical`);
  }
});
