// Robustness, part 2: 100,000 randomly mutated packets (seeded, so every run is the same).
//
// Sources are corpus packets: half drawn from the distinct shapes (so rare protocols get their
// share), half from the whole corpus. Mutators (test/support/fuzz.ts): bit flips, bytes set to
// 0x00/0xff/0x7f/0x80/random, insertions, deletions, integer fields of the packet's own decode
// set to 0/1/max/max-1/random, length and count fields set to extremes or just past the end,
// splices of two packets, repeated chunks (option lists, TLV chains, nested headers), and a cut
// plus a flipped bit. 80,000 are decoded alone with a fresh session; 20,000 inside runs of
// their own file decoded in order with one session (every other packet left intact so that TCP
// streams, reassembly and conversations build state around the damage).
//
// Asserted: no exception escapes, no decoder throws anything but a bounds error, every tree is
// sound and renders, each decode stays within the time budget. Whether a mutated packet "is"
// malformed is not known in general, so the counts of marked packets are printed per mutator;
// for length fields set past the end of the packet the unmarked ones are listed by field.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRegistry, Session, type Dissection } from '../../decoders/index.ts';
import { corpusAvailable } from '../support/corpus.ts';
import {
  BUDGET_US, NOISE_FACTOR, Findings, Rng, TimeStats, decodeWith, hex, installBugTraps, redoDecode, integerSpots, invariantProblems, loadCorpus, marks, mutate, summaryOf,
  shapeRepresentatives, takeBugs, timed, type CorpusPacket, type FieldSpot, type Mutation,
} from '../support/fuzz.ts';

const registry = defaultRegistry();
const scan = await import('../../decoders/fast/scan.ts').catch(() => null);

const TOTAL = 100_000;
const IN_STREAMS = 20_000;

test('mutation: 100,000 mutated corpus packets decode without escaping exceptions, with sound trees, within the time budget', { skip: !corpusAvailable }, () => {
  const t0 = performance.now();
  installBugTraps(registry);
  const corpus = loadCorpus();
  const reps = shapeRepresentatives(corpus, registry);
  takeBugs();
  const rng = new Rng(0x5eed);
  const spotsOf = new Map<CorpusPacket, FieldSpot[]>();
  const spots = (p: CorpusPacket): FieldSpot[] => {
    let s = spotsOf.get(p);
    if (!s) spotsOf.set(p, (s = integerSpots(decodeWith(new Session(), p.data, p.linkType, p.origlen, 1, registry), p.data.length)));
    return s;
  };

  const escapes = new Findings();
  const bugs = new Findings();
  const unsound = new Findings();
  const unmarkedBeyond = new Findings();
  const summaryDiffers = new Findings();
  const summaryTimes = new TimeStats(BUDGET_US);
  const times = new TimeStats(BUDGET_US);
  const perMutator = new Map<string, { n: number; malformed: number; truncated: number; error: number; clean: number }>();
  let beyond = 0;
  let beyondMarked = 0;
  let intact = 0;

  const run = (session: Session, number: number, p: CorpusPacket, m: Mutation | null, fresh: boolean): void => {
    const data = m ? m.data : p.data;
    const origlen = m ? data.length : p.origlen;
    const ex = (d: Dissection | null): string => `${p.file}#${p.index}${m ? ' ' + m.what : ' (intact)'} → ${d ? d.protocols.join(':') : 'threw'} ${hex(data).slice(0, 200)}`;
    let d: Dissection | null = null;
    let us = 0;
    try {
      [d, us] = timed(() => decodeWith(session, data, p.linkType, origlen, number, registry));
    } catch (err) {
      escapes.add(err instanceof Error ? err.message : String(err), () => `${ex(null)}\n${err instanceof Error ? err.stack : ''}`);
    }
    for (const b of takeBugs()) bugs.add(`${b.protocol} ${b.where}: ${b.message}`, () => `${ex(d)}\n${b.stack}`);
    if (scan) {
      try {
        scan.scanPacket(data, p.linkType, scan.newScanResult());
      } catch (err) {
        escapes.add(`fast scan: ${err instanceof Error ? err.message : String(err)}`, () => `${ex(null)}\n${err instanceof Error ? err.stack : ''}`);
      }
    }
    if (!d) return;
    times.add(us, () => ex(d), redoDecode(data, p.linkType, origlen, registry));
    if (fresh) {
      // The summary-only decode (no tree, the Packet List's path) must agree with the full one.
      let s: Dissection | null = null;
      let sus = 0;
      try {
        [s, sus] = timed(() => decodeWith(new Session(), data, p.linkType, origlen, number, registry, false));
      } catch (err) {
        escapes.add(`summary-only decode: ${err instanceof Error ? err.message : String(err)}`, () => `${ex(null)}\n${err instanceof Error ? err.stack : ''}`);
      }
      for (const b of takeBugs()) bugs.add(`summary-only decode: ${b.protocol} ${b.where}: ${b.message}`, () => `${ex(d)}\n${b.stack}`);
      if (s) {
        summaryTimes.add(sus, () => ex(d), redoDecode(data, p.linkType, origlen, registry, false));
        const a = summaryOf(d);
        const b = summaryOf(s);
        if (a !== b) summaryDiffers.add(`${d.protocols.filter((x) => x !== '_ws.malformed').slice(-1)[0]}`, () => `${ex(d)}\n        full:    ${a}\n        summary: ${b}`, `${p.file}#${p.index}`);
      }
    }
    for (const problem of invariantProblems(d, data, true)) unsound.add(problem.replace(/@\d+\+\d+/, '').replace(/\d+/g, 'N'), () => `${problem} — ${ex(d)}`);
    if (!m) return;
    const mk = marks(d);
    let c = perMutator.get(m.name);
    if (!c) perMutator.set(m.name, (c = { n: 0, malformed: 0, truncated: 0, error: 0, clean: 0 }));
    c.n++;
    if (mk.malformed) c.malformed++;
    else if (mk.truncated) c.truncated++;
    else if (mk.error) c.error++;
    else c.clean++;
    if (m.beyond) {
      beyond++;
      if (mk.malformed || mk.error || mk.truncated) beyondMarked++;
      else unmarkedBeyond.add(m.field!, () => ex(d), `${p.file}#${p.index}`);
    }
  };

  // Alone, with a fresh session each.
  for (let i = 0; i < TOTAL - IN_STREAMS; i++) {
    const p = rng.chance(0.5) ? rng.pick(reps) : rng.pick(corpus);
    run(new Session(), 1, p, mutate(rng, p.data, spots(p), rng.pick(corpus).data), true);
  }
  // Inside runs of their own file, one session per run.
  let mutated = 0;
  let runs = 0;
  while (mutated < IN_STREAMS) {
    const start = rng.int(corpus.length);
    const file = corpus[start]!.file;
    const session = new Session();
    runs++;
    for (let i = start, n = 1; i < corpus.length && corpus[i]!.file === file && n <= 200 && mutated < IN_STREAMS; i++, n++) {
      const p = corpus[i]!;
      if (rng.chance(0.5)) {
        mutated++;
        run(session, n, p, mutate(rng, p.data, spots(p), rng.pick(corpus).data), false);
      } else {
        intact++;
        run(session, n, p, null, false);
      }
    }
  }

  const again = times.remeasure();
  const seconds = (performance.now() - t0) / 1000;
  let marked = 0;
  console.log(`mutation: ${TOTAL} mutated packets from ${corpus.length} corpus packets (${reps.length} shapes): ${TOTAL - IN_STREAMS} alone, ${IN_STREAMS} inside ${runs} runs of their file with ${intact} intact packets around them; ${seconds.toFixed(1)} s`);
  for (const [name, c] of [...perMutator].sort()) {
    marked += c.malformed + c.truncated + c.error;
    console.log(`mutation: ${name.padEnd(14)} ${String(c.n).padStart(6)} packets: malformed ${c.malformed}, truncated only ${c.truncated}, error expert only ${c.error}, unmarked ${c.clean}`);
  }
  console.log(`mutation: ${marked} of ${TOTAL} mutated packets marked (malformed, truncated or error expert item)`);
  console.log(`mutation: length fields set past the end of the packet: ${beyond}, of them marked ${beyondMarked}${unmarkedBeyond.size ? '; unmarked by field:\n' + unmarkedBeyond.report(15) : ''}`);
  console.log(`mutation: ${times.summary('decode time as measured')}; heap in use ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
  console.log(`mutation: after re-running the ${times.slow.length} slow decodes (${again.stillSlow} still over ${BUDGET_US} µs): max ${again.max.toFixed(0)} µs, p99.9 ${again.p999} µs${again.label ? '; slowest: ' + again.label.slice(0, 200) : ''}`);

  console.log(`mutation: summary-only decodes (no tree) of the ${TOTAL - IN_STREAMS} packets decoded alone: ${summaryTimes.summary('time')}; ${summaryDiffers.total} differ from the full decode${summaryDiffers.size ? ':\n' + summaryDiffers.report(10) : ''}`);
  assert.equal(escapes.total, 0, `exceptions escaped:\n${escapes.report()}`);
  assert.equal(bugs.total, 0, `decoders threw non-bounds exceptions (the core turned them into "Dissector bug" markers):\n${bugs.report()}`);
  assert.equal(unsound.total, 0, `unsound trees:\n${unsound.report()}`);
  assert.equal(summaryDiffers.total, 0, `the summary-only decode differs from the full decode:\n${summaryDiffers.report()}`);
  assert.ok(again.max <= BUDGET_US * NOISE_FACTOR, `a decode takes ${again.max.toFixed(0)} µs even when re-run (budget ${BUDGET_US} µs x noise factor ${NOISE_FACTOR}): ${again.label}`);
});
