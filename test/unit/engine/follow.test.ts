// Follow TCP stream against tshark 4.0 (fixtures/goldens/follow, made by
// fixtures/make-follow-goldens.sh): the same bytes, order, gaps and layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { followTcpStream } from '../../../electron/engine/follow.ts';
import { formatFollow, type FollowMode } from '../../../electron/engine/follow-format.ts';
import { corpusAvailable, corpusDir, repoRoot } from '../../support/corpus.ts';

test('follow,tcp ascii and hex output is identical to tshark over the corpus', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const dir = join(repoRoot, 'fixtures/goldens/follow');
  const goldens = readdirSync(dir).sort();
  const byFile = new Map<string, string[]>();
  for (const g of goldens) {
    const m = /^(.*)\.(\d+)\.(ascii|hex)$/.exec(g)!;
    byFile.set(m[1]!, [...(byFile.get(m[1]!) ?? []), g]);
  }
  let same = 0;
  let skipped = 0;
  const diffs: string[] = [];
  for (const [file, list] of byFile) {
    const engine = CaptureEngine.open([join(corpusDir, file)]);
    await engine.indexed;
    for (const g of list) {
      const [, stream, mode] = /\.(\d+)\.(ascii|hex)$/.exec(g)!;
      const want = readFileSync(join(dir, g), 'latin1');
      if (want.trim() === '') {
        skipped++;
        continue;
      } // tshark printed nothing (no such stream for it either)
      let got: string;
      try {
        got = formatFollow(followTcpStream(engine, Number(stream)), mode as FollowMode);
      } catch (e) {
        got = String(e);
      }
      if (got === want) same++;
      else {
        const a = got.split('\n');
        const b = want.split('\n');
        const k = a.findIndex((l, i) => l !== b[i]);
        diffs.push(`${g} line ${k + 1}: ours ${JSON.stringify(a[k]?.slice(0, 90))} tshark ${JSON.stringify(b[k]?.slice(0, 90))}`);
      }
    }
    engine.close();
  }
  const total = goldens.length - skipped;
  console.log(`follow: ${same} of ${total} tshark outputs identical`);
  for (const d of diffs.slice(0, 30)) console.log('  ' + d);
  assert.equal(same, total, `only ${same} of ${total} identical`);
});
