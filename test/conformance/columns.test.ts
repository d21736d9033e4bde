// The Packet List columns (Source, Destination, Protocol, Info) against tshark's own
// (`-T fields -e _ws.col.*`, fixtures/goldens/columns). Prints the agreement per column.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpusAvailable, corpusDir, decodeFile, goldenFiles } from '../support/corpus.ts';

const columns = ['source', 'destination', 'protocol', 'info'] as const;
/** Floors under the measured rates, so a regression fails; raise them as decoders improve. */
const floors: Record<(typeof columns)[number], number> = { source: 99.9, destination: 99.9, protocol: 99.8, info: 99.7 };

test('Packet List columns agree with tshark over the corpus', (t) => {
  if (!corpusAvailable) {
    t.skip(`corpus not found at ${corpusDir}`);
    return;
  }
  const same = { source: 0, destination: 0, protocol: 0, info: 0 };
  const samples: Record<string, string[]> = { source: [], destination: [], protocol: [], info: [] };
  let total = 0;
  for (const { name, lines } of goldenFiles('columns')) {
    const ours: string[][] = [];
    decodeFile(join(corpusDir, name), (d) => ours.push([d.columns.source, d.columns.destination, d.columns.protocol, d.columns.info]));
    for (const line of lines) {
      const [no, ...theirs] = line.split('\t');
      const mine = ours[Number(no) - 1] ?? [];
      total++;
      columns.forEach((c, i) => {
        const want = (theirs[i] ?? '').trim();
        const got = (mine[i] ?? '').trim();
        if (want === got) same[c]++;
        else if (samples[c]!.length < 15) samples[c]!.push(`${name}#${no}: tshark=${JSON.stringify(want.slice(0, 140))} ours=${JSON.stringify(got.slice(0, 140))}`);
      });
    }
  }
  for (const c of columns) {
    const rate = (100 * same[c]) / total;
    console.log(`columns: ${c} identical in ${same[c]} of ${total} packets (${rate.toFixed(2)}%)`);
    for (const s of samples[c]!) console.log(`  e.g. ${s}`);
    assert.ok(rate >= floors[c], `${c} agreement ${rate.toFixed(2)}% fell below ${floors[c]}%`);
  }
});
