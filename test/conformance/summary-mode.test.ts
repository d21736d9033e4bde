// The Packet List and `pktscope -r` decode without a tree (Wireshark's NULL-tree fast path).
// That must never change what they show: over the whole corpus, columns, protocols, experts
// and the malformed verdict are the same with and without the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRegistry, dissectFrame, Session } from '../../decoders/index.ts';
import { CaptureFileReader } from '../../electron/engine/file-reader.ts';
import { corpusAvailable, corpusDir } from '../support/corpus.ts';

test('a tree-less decode gives the same columns as the full decode', (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const registry = defaultRegistry();
  let packets = 0;
  const diffs: string[] = [];
  for (const name of readdirSync(corpusDir).sort()) {
    const full = new Session();
    const lean = new Session();
    const reader = new CaptureFileReader(join(corpusDir, name));
    let n = 0;
    for (let rec = reader.next(); rec; rec = reader.next()) {
      n++;
      const frame = { number: n, linkType: rec.linkType, tsSec: rec.tsSec, tsNsec: rec.tsNsec, caplen: rec.caplen, origlen: rec.origlen, interfaceId: rec.interfaceId };
      const a = dissectFrame(registry, full, frame, rec.data);
      const b = dissectFrame(registry, lean, frame, rec.data, { tree: false });
      packets++;
      const x = JSON.stringify([a.columns, a.protocols, a.malformed, a.experts.map((e) => e.message)]);
      const y = JSON.stringify([b.columns, b.protocols, b.malformed, b.experts.map((e) => e.message)]);
      if (x !== y && diffs.length < 20) diffs.push(`${name}#${n}:\n    tree    ${x.slice(0, 300)}\n    no tree ${y.slice(0, 300)}`);
    }
  }
  console.log(`summary mode: ${packets} packets decoded both ways, ${diffs.length} differ`);
  for (const d of diffs) console.log('  ' + d);
  assert.deepEqual(diffs, []);
});
