// Robustness, part 4: every registered protocol called directly on hostile bytes.
//
// Whole-packet fuzzing only reaches a protocol through the layers below it, and only the
// protocols the corpus carries. Here each protocol of the registry gets its own inputs, the way
// "Decode As" or a heuristic would hand it any bytes: random bytes of 0..300, runs of 0x00 and
// 0xff, and its real payloads from the corpus (the bytes where its layer starts in a corpus
// decode) mutated. Calls go through PacketContext.callProtocol, as a parent layer's would, with
// both a snaplen-short and a reported-length view, and sometimes with desegmentation allowed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRegistry, Session } from '../../decoders/index.ts';
import { Cursor } from '../../decoders/core/cursor.ts';
import { PacketContext } from '../../decoders/core/context.ts';
import { Tree } from '../../decoders/core/tree.ts';
import type { FieldNode } from '../../decoders/core/types.ts';
import { corpusAvailable } from '../support/corpus.ts';
import {
  BUDGET_US, NOISE_FACTOR, Findings, Rng, TimeStats, decodeWith, frameInfo, hex, installBugTraps, loadCorpus, mutate,
  shapeRepresentatives, takeBugs, timed,
} from '../support/fuzz.ts';

const registry = defaultRegistry();
const PER_PROTOCOL = 1500;
/** A protocol that has shown this many bugs is not fuzzed further (a looping one costs a second a call). */
const MAX_BUGS = 5;

test('every protocol called directly on random and mutated bytes: no decoder bug, bounded time', { skip: !corpusAvailable }, () => {
  installBugTraps(registry);
  const corpus = loadCorpus();
  const reps = shapeRepresentatives(corpus, registry);
  takeBugs();
  // Real payloads of each protocol: the frame bytes from where its layer starts.
  const seeds = new Map<string, Uint8Array[]>();
  for (const p of reps) {
    const d = decodeWith(new Session(), p.data, p.linkType, p.origlen, 1, registry);
    const visit = (nodes: readonly FieldNode[]): void => {
      for (const n of nodes) {
        if (n.def.type === 'protocol' && n.source === 0 && n.def.abbrev !== 'frame' && !n.def.abbrev.startsWith('_ws')) {
          let list = seeds.get(n.def.abbrev);
          if (!list) seeds.set(n.def.abbrev, (list = []));
          if (list.length < 64) list.push(p.data.slice(n.offset));
        }
        if (n.children) visit(n.children);
      }
    };
    visit(d.tree);
  }
  takeBugs();

  const rng = new Rng(0xd1ec7);
  const bugs = new Findings();
  const escapes = new Findings();
  const times = new TimeStats(BUDGET_US);
  let calls = 0;
  const modules = registry.allProtocols().filter((m) => m.abbrev !== 'frame');
  let seeded = 0;
  const stopped: string[] = [];
  for (const mod of modules) {
    const own = seeds.get(mod.abbrev) ?? [];
    if (own.length) seeded++;
    let ownBugs = 0;
    for (let i = 0; i < PER_PROTOCOL && ownBugs < MAX_BUGS; i++) {
      let data: Uint8Array;
      const r = rng.int(10);
      if (own.length && r < 6) {
        const src = rng.pick(own);
        data = r === 0 ? src : mutate(rng, src, [], rng.pick(corpus).data).data;
      } else if (r < 8) {
        data = Uint8Array.from({ length: rng.int(301) }, () => rng.int(256));
      } else {
        data = new Uint8Array(rng.int(80)).fill(r === 8 ? 0 : 0xff);
      }
      const shortCapture = rng.chance(0.3);
      const reported = shortCapture ? data.length + rng.range(1, 2000) : data.length;
      const desegment = rng.chance(0.3);
      const call = (): void => {
        const ctx = new PacketContext(frameInfo(1, 1, data.length, reported), data, registry, new Session());
        ctx.canDesegment = desegment;
        const top: FieldNode[] = [];
        ctx.callProtocol(mod.abbrev, new Cursor(data, 0, 0, data.length, reported), new Tree(top, ctx));
      };
      calls++;
      let us = 0;
      try {
        [, us] = timed(call);
      } catch (err) {
        escapes.add(`${mod.abbrev}: ${err instanceof Error ? err.message : String(err)}`, () => `${hex(data).slice(0, 200)}\n${err instanceof Error ? err.stack : ''}`);
      }
      const found = takeBugs();
      ownBugs += found.length;
      if (ownBugs >= MAX_BUGS) stopped.push(mod.abbrev);
      for (const b of found) bugs.add(`${b.protocol} ${b.where}: ${b.message}`, () => `called as ${mod.abbrev} on ${data.length} bytes${shortCapture ? ` (capture short of ${reported})` : ''}: ${hex(data).slice(0, 200)}\n${b.stack}`);
      times.add(us, () => `${mod.abbrev} on ${hex(data).slice(0, 120)}`, call);
    }
  }
  const again = times.remeasure();
  console.log(`protocols: ${modules.length} protocols called directly ${PER_PROTOCOL} times each (${seeded} with corpus payloads as seeds): ${calls} calls`);
  console.log(`protocols: ${times.summary('call time as measured')}; after re-running the slow ones max ${again.max.toFixed(0)} µs, p99.9 ${again.p999} µs${again.label ? '; slowest: ' + again.label.slice(0, 160) : ''}`);
  console.log(`protocols: ${bugs.total} decoder bugs in ${bugs.size} kinds${stopped.length ? `; stopped early after ${MAX_BUGS} bugs: ${stopped.join(', ')}` : ''}`);
  assert.equal(escapes.total, 0, `exceptions escaped PacketContext.callProtocol:\n${escapes.report()}`);
  assert.equal(bugs.total, 0, `decoders threw non-bounds exceptions:\n${bugs.report()}`);
  assert.ok(again.max <= BUDGET_US * NOISE_FACTOR, `a call takes ${again.max.toFixed(0)} µs even when re-run: ${again.label}`);
});
