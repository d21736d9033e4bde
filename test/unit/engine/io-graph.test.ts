// I/O graph buckets against tshark 4.0's -z io,stat (fixtures/goldens/iograph, made by
// fixtures/make-iograph-goldens.sh): frames and bytes per interval for each filter column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { autoIntervalMs, ioGraph } from '../../../electron/engine/io-graph.ts';
import { corpusAvailable, corpusDir, repoRoot } from '../../support/corpus.ts';

const dir = join(repoRoot, 'fixtures/goldens/iograph');

interface Golden {
  name: string;
  capture: string;
  intervalMs: number;
  filters: string[];
  /** Per row: [frames, bytes] per column. */
  rows: [number, number][][];
}

function readGolden(name: string): Golden {
  const lines = readFileSync(join(dir, name), 'utf8').split('\n');
  const [capture, ms, ...filters] = lines[0]!.slice(2).split('\t');
  const rows: [number, number][][] = [];
  for (const l of lines) {
    if (!l.startsWith('|') || !l.includes('<>')) continue;
    const cells = l.split('|').slice(2, -1).map((c) => Number(c.trim()));
    const row: [number, number][] = [];
    for (let k = 0; k + 1 < cells.length; k += 2) row.push([cells[k]!, cells[k + 1]!]);
    rows.push(row);
  }
  return { name, capture: capture!, intervalMs: Number(ms), filters, rows };
}

test('io-graph buckets are identical to tshark -z io,stat', async (t) => {
  if (!corpusAvailable || !existsSync(dir)) return t.skip('corpus or goldens missing');
  let same = 0;
  let total = 0;
  const diffs: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const g = readGolden(name);
    const engine = CaptureEngine.open([join(corpusDir, g.capture)]);
    try {
      const packets = await ioGraph(engine, g.intervalMs, 'packets', g.filters);
      const bytes = await ioGraph(engine, g.intervalMs, 'bytes', g.filters);
      assert.equal(packets.buckets, g.rows.length, `${name}: interval count`);
      g.filters.forEach((f, col) => {
        total++;
        const s = packets.series[col]!;
        assert.ok(s.ok, `${name}: filter ${f} compiles`);
        const want = g.rows.map((r) => r[col]!);
        const got = s.values.map((v, b) => [v, bytes.series[col]!.values[b]!] as [number, number]);
        if (JSON.stringify(got) === JSON.stringify(want)) same++;
        else {
          const b = got.findIndex((x, k) => x[0] !== want[k]![0] || x[1] !== want[k]![1]);
          diffs.push(`${name} "${f}" interval ${b}: ours ${got[b]} tshark ${want[b]}`);
        }
        // The first packet of each interval lies in that interval and exists iff the count is non-zero.
        s.first.forEach((p, b) => {
          assert.equal(p > 0, s.values[b]! > 0, `${name} "${f}" interval ${b}: first packet`);
          if (p > 0) {
            const ix = engine.index;
            const rel = (ix.tsSec[p - 1]! - ix.tsSec[0]!) * 1e9 + (ix.tsNsec[p - 1]! - ix.tsNsec[0]!);
            assert.equal(Math.floor(rel / (g.intervalMs * 1e6)), b);
          }
        });
      });
    } finally {
      engine.close();
    }
  }
  console.log(`io-graph: ${same} of ${total} filter columns identical to tshark io,stat`);
  for (const d of diffs) console.log('  ' + d);
  assert.equal(same, total);
});

test('io-graph: bits per second, invalid filters and interval bounds', async (t) => {
  if (!corpusAvailable) return t.skip('corpus missing');
  const engine = CaptureEngine.open([join(corpusDir, 'three_http_streams.pcap')]);
  try {
    const bytes = await ioGraph(engine, 100, 'bytes', ['']);
    const bits = await ioGraph(engine, 100, 'bits', ['', 'tcp.port ==', 'nosuchproto']);
    assert.deepEqual(bits.series[0]!.values, bytes.series[0]!.values.map((v) => v * 8 * 10));
    assert.equal(bits.series[1]!.ok, false);
    assert.ok(bits.series[1]!.error!.message.length > 0);
    assert.equal(bits.series[2]!.ok, false);
    assert.ok(Math.abs(bits.duration - 0.204295) < 1e-6);
    // 0 = automatic: 1 ms for a 0.2 s capture.
    assert.equal((await ioGraph(engine, 0, 'packets', [''])).intervalMs, 1);
    await assert.rejects(ioGraph(engine, 0.5, 'packets', ['']), RangeError);
    await assert.rejects(ioGraph(engine, 600_001, 'packets', ['']), RangeError);
    await assert.rejects(ioGraph(engine, 100, 'packets', ['', '', '', '', '', '']), RangeError);
  } finally {
    engine.close();
  }
  assert.equal(autoIntervalMs(0.2), 1);
  assert.equal(autoIntervalMs(15.6), 100);
  assert.equal(autoIntervalMs(600), 10_000);
  assert.equal(autoIntervalMs(1e7), 600_000 * 67);
  // A capture spanning 341 million seconds (sample-http.pcap) still gets at most 250 intervals.
  assert.ok(341e6 * 1000 / autoIntervalMs(341e6) <= 250);
});
