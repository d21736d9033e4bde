// `pktscope -r F` on several threads (electron/summary-parallel.ts) must print exactly what the
// sequential loop prints: the split by conversation may never change a line (tcp.analysis,
// reassembly, request/response matching, fragments, ICMP errors, tunnels).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { run } from '../../../electron/cli.ts';
import { flowOwner, mergeChunk, summaryShare, type SummaryWorkerMessage } from '../../../electron/summary-parallel.ts';
import { TSHARK_DEFAULT } from '../../../electron/engine/names.ts';
import { writeBenchCapture } from '../../../electron/bench/generate-capture.ts';
import { corpusAvailable, corpusDir } from '../../support/corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'pktscope-par-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** The sequential output (one thread forced) and exit code. */
function sequential(file: string): { text: string; code: number } {
  const saved = process.env.PKTSCOPE_THREADS;
  process.env.PKTSCOPE_THREADS = '1';
  try {
    let text = '';
    const code = run(['-r', file], { write: (s) => (text += s), error: () => {} });
    assert.equal(typeof code, 'number');
    return { text, code: code as number };
  } finally {
    if (saved === undefined) delete process.env.PKTSCOPE_THREADS;
    else process.env.PKTSCOPE_THREADS = saved;
  }
}

/** The threads' shares computed one after the other in this thread, merged as the CLI merges them. */
function split(file: string, workers: number, chunk = 97): string {
  const shares = Array.from({ length: workers }, (_, index) => [...summaryShare({ files: [file], count: -1, decodeAs: [], names: TSHARK_DEFAULT, index, workers, chunk })]);
  let text = '';
  for (let k = 0; ; k++) {
    const parts = shares.map((s) => s[k]);
    if (parts.some((p) => !p || 'done' in p)) {
      assert.ok(parts.every((p) => p && 'done' in p), 'every share ends after the same chunk');
      break;
    }
    const lines = mergeChunk(parts as Extract<SummaryWorkerMessage, { lines: string[] }>[]);
    if (lines.length) text += lines.join('\n') + '\n';
  }
  return text;
}

test('the corpus split by conversation over 2 and 3 threads gives the sequential lines', (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const differ: string[] = [];
  let files = 0;
  for (const name of readdirSync(corpusDir).sort()) {
    const file = join(corpusDir, name);
    const want = sequential(file).text;
    for (const workers of [2, 3]) {
      const got = split(file, workers);
      if (got !== want) {
        const a = want.split('\n');
        const b = got.split('\n');
        const i = a.findIndex((l, j) => l !== b[j]);
        differ.push(`${name} (${workers} threads) line ${i + 1}:\n  sequential ${a[i]}\n  split      ${b[i]}`);
      }
    }
    files++;
  }
  console.log(`summary-parallel: ${files} corpus files, ${differ.length} differ`);
  assert.deepEqual(differ, []);
});

test('the generated benchmark capture: split and real threads give the sequential lines', async () => {
  const file = join(dir, 'bench.pcap');
  writeBenchCapture(file, 30000);
  const want = sequential(file);
  assert.equal(want.code, 0);
  assert.equal(want.text.split('\n').length, 30001);
  assert.equal(split(file, 2, 1000), want.text);
  // The real thing: worker threads started by run(), merged in frame order.
  const saved = process.env.PKTSCOPE_THREADS;
  process.env.PKTSCOPE_THREADS = '2';
  try {
    let text = '';
    const code = await run(['-r', file], { write: (s) => (text += s), error: () => {} });
    assert.equal(code, 0);
    assert.equal(text, want.text);
    let first = '';
    assert.equal(await run(['-r', file, '-c', '10'], { write: (s) => (first += s), error: () => {} }), 0);
    assert.equal(first, want.text.split('\n').slice(0, 10).join('\n') + '\n');
  } finally {
    if (saved === undefined) delete process.env.PKTSCOPE_THREADS;
    else process.env.PKTSCOPE_THREADS = saved;
  }
});

test('a flow has one owner both ways; ICMP errors go with the packet they quote; non-IP to thread 0', () => {
  const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)));
  const eth = '000102030405' + '060708090a0b';
  const ip = (src: string, dst: string, proto: string, rest: string) => '4500' + '0028' + '0000' + '0000' + '40' + proto + '0000' + src + dst + rest;
  const a = 'c0a80001';
  const b = '0a000002';
  const tcp = '0050d431' + '00000000'.repeat(4);
  for (const workers of [2, 3, 4]) {
    const ab = flowOwner(hex(eth + '0800' + ip(a, b, '06', tcp)), 1, workers);
    const ba = flowOwner(hex(eth + '0800' + ip(b, a, '06', tcp)), 1, workers);
    assert.equal(ab, ba);
    // Behind a VLAN tag, and as raw IP: the same owner.
    assert.equal(flowOwner(hex(eth + '8100' + '0064' + '0800' + ip(a, b, '06', tcp)), 1, workers), ab);
    assert.equal(flowOwner(hex(ip(b, a, '06', tcp)), 101, workers), ab);
    // A router's port unreachable quoting a -> b.
    const icmp = '0303' + '0000' + '00000000' + ip(a, b, '06', tcp);
    assert.equal(flowOwner(hex(eth + '0800' + ip('0a0000fe', a, '01', icmp)), 1, workers), ab);
    // ARP has no address pair.
    assert.equal(flowOwner(hex(eth + '0806' + '0001080006040001'), 1, workers), 0);
  }
  // Pairs spread over the threads.
  const seen = new Set<number>();
  for (let i = 0; i < 64; i++) seen.add(flowOwner(hex(ip(a, (0x0a000000 + i).toString(16).padStart(8, '0'), '06', tcp)), 101, 2));
  assert.deepEqual([...seen].sort(), [0, 1]);
});
