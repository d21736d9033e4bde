// Display filters against tshark 4.0: for each case of fixtures/goldens/filters.json the frames
// pktscope's filter selects must be exactly the frames tshark shows, and a filter tshark rejects
// must be rejected with tshark's message. Regenerate with fixtures/make-filter-goldens.sh.
// A case whose fields are not in the registry yet (their protocol is not written) is skipped
// with the reason printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusAvailable, corpusDir, decodeFile, goldenFiles, repoRoot } from '../../support/corpus.ts';
import { defaultRegistry } from '../../../decoders/index.ts';
import { compileFilter, FilterError, tokenize } from '../../../decoders/filter/index.ts';
import type { Dissection } from '../../../decoders/core/types.ts';

interface GoldenCase {
  file: string;
  filter: string;
  frames?: number[];
  error?: string;
}

const cases: GoldenCase[] = JSON.parse(readFileSync(join(repoRoot, 'fixtures/goldens/filters.json'), 'utf8'));
const KEYWORDS = new Set(['and', 'or', 'not', 'xor', 'in', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'contains', 'matches', 'any', 'all', 'len', 'count']);

/** Field-looking words of a filter that the registry does not know yet. */
function missingFields(filter: string): string[] {
  const reg = defaultRegistry();
  const out = new Set<string>();
  let toks;
  try {
    toks = tokenize(filter);
  } catch {
    return [];
  }
  for (const t of toks) {
    if (t.kind !== 'word' || KEYWORDS.has(t.value)) continue;
    if (!/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/.test(t.value)) continue;
    if (!reg.field(t.value)) out.add(t.value);
  }
  return [...out];
}

/** tshark's frame.protocols for each frame of a capture, from the field goldens. */
function tsharkChains(file: string): string[] | null {
  const g = goldenFiles('fields').find((x) => x.name === file);
  if (!g) return null;
  const col = g.lines[0]!.split('\t').indexOf('frame.protocols');
  return col < 0 ? null : g.lines.slice(1).map((l) => l.split('\t')[col] ?? '');
}

/** The filter's protocols that our decode does not reach as often as tshark's in some frame. */
function unreached(file: string, filter: string, ds: Dissection[]): string | null {
  const chains = tsharkChains(file);
  if (!chains) return null;
  const protos = new Set<string>();
  for (const t of tokenize(filter)) if (t.kind === 'word' && /^[a-z][a-z0-9_]*(\.|$)/.test(t.value) && !KEYWORDS.has(t.value)) protos.add(t.value.split('.')[0]!);
  protos.delete('frame');
  const count = (list: readonly string[], p: string) => list.reduce((n, x) => n + (x === p ? 1 : 0), 0);
  for (let i = 0; i < ds.length && i < chains.length; i++) {
    const theirs = chains[i]!.split(':');
    for (const p of protos) {
      if (count(theirs, p) !== count(ds[i]!.protocols, p)) return `frame ${i + 1}: tshark decodes ${chains[i]}, we decode ${ds[i]!.protocols.join(':')} (${p} not reached yet)`;
    }
  }
  return null;
}

const decoded = new Map<string, Dissection[]>();
function packets(file: string): Dissection[] {
  let list = decoded.get(file);
  if (!list) {
    list = [];
    const l = list;
    decodeFile(join(corpusDir, file), (d) => l.push(d));
    decoded.set(file, list);
  }
  return list;
}

let compared = 0;
let skipped = 0;
for (const c of cases) {
  test(`filter golden: ${c.file}: ${c.filter}`, (t) => {
    const missing = missingFields(c.filter);
    if (c.error !== undefined) {
      // tshark's rejection: the message must be the same, whether or not the field exists here
      // (an unknown field must be rejected as unknown).
      const unknownFieldCase = /is neither a field nor a protocol name/.test(c.error);
      if (missing.length && !unknownFieldCase) {
        skipped++;
        t.skip(`needs ${missing.join(', ')} (protocol not in the registry yet)`);
        return;
      }
      assert.throws(() => compileFilter(c.filter), (e: unknown) => {
        assert.ok(e instanceof FilterError, String(e));
        assert.equal(e.message, c.error);
        return true;
      });
      compared++;
      return;
    }
    if (missing.length) {
      skipped++;
      t.skip(`needs ${missing.join(', ')} (protocol not in the registry yet)`);
      return;
    }
    if (!corpusAvailable) {
      skipped++;
      t.skip('corpus not available');
      return;
    }
    const why = unreached(c.file, c.filter, packets(c.file));
    if (why) {
      skipped++;
      t.skip(why);
      return;
    }
    const f = compileFilter(c.filter);
    const got = packets(c.file).filter((d) => f.match(d)).map((d) => d.frame.number);
    assert.deepEqual(got, c.frames);
    compared++;
  });
}

test('filter golden: summary', () => {
  console.log(`filter goldens: ${compared} compared, ${skipped} skipped of ${cases.length}`);
});
