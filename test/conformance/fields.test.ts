// Conformance with tshark 4.0: every capture of ../shared/corpus decoded by us and compared
// cell by cell with the committed goldens (fixtures/goldens/fields, made by
// fixtures/make-goldens.sh). Prints the agreement rate; differences we accept on purpose are
// in fixtures/conformance-allowlist.json with their reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFields } from '../../decoders/core/fields.ts';
import { formatFieldValue } from '../../decoders/core/format.ts';
import { corpusAvailable, corpusDir, decodeFile, goldenFiles, repoRoot } from '../support/corpus.ts';

interface AllowEntry {
  file?: string;
  field: string;
  frames?: number[];
  reason: string;
}
const allow: AllowEntry[] = JSON.parse(readFileSync(join(repoRoot, 'fixtures/conformance-allowlist.json'), 'utf8'));

function allowed(file: string, field: string, frame: number): AllowEntry | undefined {
  return allow.find((a) => a.field === field && (!a.file || a.file === file) && (!a.frames || a.frames.includes(frame)));
}

test('tshark conformance over the corpus (-T fields, cell by cell)', (t) => {
  if (!corpusAvailable) {
    t.skip(`corpus not found at ${corpusDir}`);
    return;
  }
  const goldens = goldenFiles('fields');
  assert.ok(goldens.length >= 172, `expected goldens for the 172 corpus captures, found ${goldens.length}`);
  let compared = 0;
  let identical = 0;
  let allowedCount = 0;
  let extra = 0;
  const byField = new Map<string, number>();
  const samples: string[] = [];
  const falseMalformed: string[] = [];
  for (const { name, lines } of goldens) {
    const header = lines[0]!.split('\t');
    const fields = header.filter((h) => h !== '_ws.malformed');
    const malCol = header.indexOf('_ws.malformed');
    const rows: string[][] = [];
    const malformed: boolean[] = [];
    decodeFile(join(corpusDir, name), (d) => {
      rows.push(fields.map((f) => findFields(d.tree, f).map((x) => formatFieldValue(x.def, x.value)).join(',')));
      malformed.push(d.malformed);
    });
    for (let i = 1; i < lines.length; i++) {
      const theirs = lines[i]!.split('\t');
      const mine = rows[i - 1] ?? [];
      const frame = i;
      const tsharkMalformed = malCol >= 0 && (theirs[malCol] ?? '') !== '';
      if (malformed[i - 1] && !tsharkMalformed) falseMalformed.push(`${name}#${frame}`);
      fields.forEach((f, col) => {
        const want = theirs[header.indexOf(f)] ?? '';
        const got = mine[col] ?? '';
        if (want === '') {
          if (got !== '') extra++;
          return;
        }
        compared++;
        if (want === got) {
          identical++;
          return;
        }
        if (allowed(name, f, frame)) {
          allowedCount++;
          return;
        }
        byField.set(f, (byField.get(f) ?? 0) + 1);
        if (samples.length < 40) samples.push(`${name}#${frame} ${f}: tshark=${JSON.stringify(want.slice(0, 120))} ours=${JSON.stringify(got.slice(0, 120))}`);
      });
    }
  }
  const rate = (100 * identical) / compared;
  const explained = (100 * (identical + allowedCount)) / compared;
  const report = [
    `conformance: ${identical} of ${compared} non-empty tshark cells identical (${rate.toFixed(3)}%)`,
    `conformance: ${allowedCount} differ on purpose (allow-list), ${compared - identical - allowedCount} unexplained; identical + allowed = ${explained.toFixed(3)}%`,
    `conformance: ${extra} cells where tshark is empty and we print something`,
    `conformance: packets we mark malformed that tshark decodes cleanly: ${falseMalformed.length}`,
    ...[...byField.entries()].sort((a, b) => b[1] - a[1]).map(([f, n]) => `  unexplained ${f}: ${n}`),
    ...samples.map((s) => '  e.g. ' + s),
    ...falseMalformed.slice(0, 20).map((s) => '  falsely malformed: ' + s),
  ].join('\n');
  console.log(report);
  assert.ok(rate >= 99, `agreement ${rate.toFixed(3)}% is below the 99% target`);
  assert.deepEqual(falseMalformed, [], 'packets tshark decodes without error must not be marked malformed');
});
