// `pktscope -q -z io,stat,...` against tshark 4.0, byte for byte (fixtures/goldens/iostat, made
// by fixtures/make-iostat-goldens.sh): plain filter columns, interval 0 / longer than the
// capture, fractional intervals, aggregates (COUNT/SUM/MIN/MAX/AVG over integer and
// relative-time fields) and a filter long enough to wrap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { ioStatText, IoStatUsageError, parseIoStat } from '../../../electron/cli-iostat.ts';
import { corpusAvailable, corpusDir, repoRoot } from '../../support/corpus.ts';

const dir = join(repoRoot, 'fixtures/goldens/iostat');

async function run(capture: string, arg: string): Promise<string> {
  const files = [join(corpusDir, capture)];
  const engine = CaptureEngine.open(files);
  try {
    return await ioStatText(engine, files, parseIoStat(arg));
  } finally {
    engine.close();
  }
}

/** Known differences, each with its reason (golden file name). */
const KNOWN: Record<string, string> = {
  '30-tls2.pcap.txt': 'one packet of tls2.pcap is TLS to pktscope and data to tshark, so the tls column counts one more',
};

test('io,stat output is identical to tshark -z io,stat', async (t) => {
  if (!corpusAvailable || !existsSync(dir)) return t.skip('corpus or goldens missing');
  let same = 0;
  let total = 0;
  let known = 0;
  const diffs: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    const nl = text.indexOf('\n');
    const [capture, arg] = text.slice(2, nl).split('\t') as [string, string];
    const want = text.slice(nl + 1);
    total++;
    const got = await run(capture, arg);
    if (got === want) {
      same++;
      continue;
    }
    if (KNOWN[name]) {
      known++;
      console.log(`  known: ${name}: ${KNOWN[name]}`);
      continue;
    }
    const g = got.split('\n');
    const w = want.split('\n');
    const k = g.findIndex((l, i) => l !== w[i]);
    diffs.push(`${name} (${arg}) line ${k + 1}:\n    ours   ${JSON.stringify(g[k])}\n    tshark ${JSON.stringify(w[k])}`);
  }
  console.log(`io,stat: ${same} of ${total} outputs identical to tshark, ${known} known differences`);
  for (const d of diffs) console.log('  ' + d);
  assert.equal(same + known, total);
});

test('io,stat argument errors', () => {
  assert.throws(() => parseIoStat('io,stat'), IoStatUsageError);
  assert.throws(() => parseIoStat('io,stat,1,'), IoStatUsageError);
  assert.throws(() => parseIoStat('io,stat,abc'), IoStatUsageError);
  assert.throws(() => parseIoStat('io,stat,1,tcp.port =='), /Couldn't register io,stat tap/);
  assert.throws(() => parseIoStat('io,stat,1,SUM(nosuch.field)tcp'), /There is no field named 'nosuch.field'/);
  assert.throws(() => parseIoStat('io,stat,1,SUM(ip.src)ip'), /doesn't have integral values/);
  assert.throws(() => parseIoStat('io,stat,1,SUM()ip'), /didn't specify a field name/);
  assert.throws(() => parseIoStat('io,stat,1,SUM(frame.len'), /Closing parenthesis/);
  const s = parseIoStat('io,stat,0.25, tcp ,,COUNT(ip.src)ip');
  assert.equal(s.intervalUs, 250_000);
  assert.equal(s.prec, 2);
  assert.deepEqual(s.columns.map((c) => [c.text, c.calc, c.filter]), [['tcp', 'FRAMES BYTES', 'tcp'], [null, 'FRAMES BYTES', ''], ['COUNT(ip.src)ip', 'COUNT', 'ip']]);
  assert.equal(parseIoStat('io,stat,0').intervalUs, Infinity);
  assert.equal(parseIoStat('io,stat,2.00,tcp').prec, 2);
});
