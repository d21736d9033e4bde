// Conformance with tshark 4.0: every capture of ../shared/corpus decoded by us and compared
// cell by cell with the committed goldens (fixtures/goldens/fields, made by
// fixtures/make-goldens.sh). Prints the agreement rate; differences we accept on purpose are
// in fixtures/conformance-allowlist.json with their reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRegistry, dissectFrame, Session } from '../../decoders/index.ts';
import { findFields } from '../../decoders/core/fields.ts';
import { formatFieldValue } from '../../decoders/core/format.ts';
import { CaptureFileReader } from '../../electron/engine/file-reader.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const goldenDir = join(root, 'fixtures/goldens/fields');
const corpus = process.env.PKTSCOPE_CORPUS ?? join(root, '../shared/corpus/pcapplusplus');

interface AllowEntry {
  file?: string;
  field: string;
  frames?: number[];
  reason: string;
}
const allow: AllowEntry[] = JSON.parse(readFileSync(join(root, 'fixtures/conformance-allowlist.json'), 'utf8'));

function allowed(file: string, field: string, frame: number): AllowEntry | undefined {
  return allow.find((a) => a.field === field && (!a.file || a.file === file) && (!a.frames || a.frames.includes(frame)));
}

/** Our cells for one capture, in the golden's column order. */
function ourRows(path: string, fields: string[]): { rows: string[][]; malformed: boolean[] } {
  const reader = new CaptureFileReader(path);
  const registry = defaultRegistry();
  const session = new Session();
  const rows: string[][] = [];
  const malformed: boolean[] = [];
  let n = 0;
  for (let rec = reader.next(); rec; rec = reader.next()) {
    n++;
    const iface = reader.parser.interfaces[rec.interfaceId];
    const d = dissectFrame(registry, session, { number: n, linkType: rec.linkType, tsSec: rec.tsSec, tsNsec: rec.tsNsec, caplen: rec.caplen, origlen: rec.origlen, interfaceId: rec.interfaceId }, rec.data, iface?.name ? { interfaceName: iface.name } : {});
    rows.push(fields.map((f) => findFields(d.tree, f).map((x) => formatFieldValue(x.def, x.value)).join(',')));
    malformed.push(d.malformed);
  }
  return { rows, malformed };
}

const goldens = existsSync(goldenDir) ? readdirSync(goldenDir).filter((f) => f.endsWith('.tsv')).sort() : [];

test('tshark conformance over the corpus (-T fields, cell by cell)', (t) => {
  if (!existsSync(corpus)) {
    t.skip(`corpus not found at ${corpus}`);
    return;
  }
  assert.ok(goldens.length >= 172, `expected goldens for the 172 corpus captures, found ${goldens.length}`);
  let compared = 0;
  let identical = 0;
  let allowedCount = 0;
  let extra = 0;
  const byField = new Map<string, number>();
  const samples: string[] = [];
  const falseMalformed: string[] = [];
  for (const g of goldens) {
    const name = g.replace(/\.tsv$/, '');
    const lines = readFileSync(join(goldenDir, g), 'utf8').split('\n').filter((l) => l.length > 0);
    const header = lines[0]!.split('\t');
    const fields = header.filter((h) => h !== '_ws.malformed');
    const malCol = header.indexOf('_ws.malformed');
    const ours = ourRows(join(corpus, name), fields);
    for (let i = 1; i < lines.length; i++) {
      const theirs = lines[i]!.split('\t');
      const mine = ours.rows[i - 1] ?? [];
      const frame = i;
      const tsharkMalformed = malCol >= 0 && (theirs[malCol] ?? '') !== '';
      if (ours.malformed[i - 1] && !tsharkMalformed) falseMalformed.push(`${name}#${frame}`);
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
  t.diagnostic(`agreement ${rate.toFixed(3)}%`);
  assert.ok(rate >= 99, `agreement ${rate.toFixed(3)}% is below the 99% target`);
  assert.deepEqual(falseMalformed, [], 'packets tshark decodes without error must not be marked malformed');
});
