// Live capture tailing: the engine indexes a pcapng file while it is being written (as the
// capture helper does: SHB + IDB, then EPBs appended and flushed), a block cut across two
// writes is awaited without an error, a display filter set during the capture covers the new
// packets, and once the writer is done the state equals opening the finished file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { followTcpStream } from '../../../electron/engine/follow.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { PcapngWriter } from '../../../decoders/formats/pcapng-writer.ts';
import { concatBytes } from '../../../decoders/formats/pcap-writer.ts';
import type { PacketRecord } from '../../../decoders/formats/capture-parser.ts';
import { repoRoot } from '../../support/corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'pktscope-live-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** The packets of the sample HTTP capture (raw IPv6, one TCP stream) and its link type. */
function sample(): { link: number; recs: PacketRecord[] } {
  const r = new CaptureFileReader(join(repoRoot, 'fixtures/captures/sample-http.pcap'));
  const recs: PacketRecord[] = [];
  for (let x = r.next(); x; x = r.next()) recs.push({ ...x, data: x.data.slice() });
  const link = r.parser.interfaces[0]!.linkType;
  r.close();
  return { link, recs };
}

const { link, recs } = sample();

function blocks(): { head: Uint8Array; packets: Uint8Array[] } {
  const w = new PcapngWriter({ userAppl: 'pktscope live test' });
  const head = concatBytes([w.sectionHeader(), w.addInterface({ linkType: link, name: 'lo', filter: 'tcp', snaplen: 262144 })]);
  const packets = recs.map((p) => w.packet({ interfaceId: 0, tsSec: p.tsSec, tsNsec: p.tsNsec, data: p.data, origlen: p.origlen }));
  return { head, packets };
}

/** Resolves once `cond()` holds; fails after `ms`. Returns the time it took. */
async function waitFor(cond: () => boolean, ms: number, what: string): Promise<number> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return performance.now() - t0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('live tail: counts grow as blocks are written, a split block is awaited, the end equals opening the file', async () => {
  const { head, packets } = blocks();
  const path = join(dir, 'growing.pcapng');
  writeFileSync(path, new Uint8Array(0));
  const progress: number[] = [];
  const live = CaptureEngine.openLive(path, (p) => progress.push(p.packets));
  assert.equal(live.live, true);

  // Nothing written yet: no packets, no error, not done.
  await sleep(100);
  assert.equal(live.count, 0);
  assert.deepEqual(live.errors, []);

  // Section header and interface, then the header cut in the middle: still nothing, no error.
  appendFileSync(path, head.subarray(0, 10));
  await sleep(60);
  appendFileSync(path, head.subarray(10));
  await sleep(60);
  assert.equal(live.count, 0);

  // Three packets in one write: visible within 250 ms.
  appendFileSync(path, concatBytes(packets.slice(0, 3)));
  const ms = await waitFor(() => live.count === 3, 250, '3 packets');
  assert.ok(ms < 250, `indexed ${ms} ms after the write`);
  assert.deepEqual(live.rows(0, 3).map((r) => r.number), [1, 2, 3]);

  // One block split across two writes: the first half is "not yet written".
  const p4 = packets[3]!;
  appendFileSync(path, p4.subarray(0, 37));
  await sleep(120);
  assert.equal(live.count, 3);
  assert.deepEqual(live.errors, []);
  appendFileSync(path, p4.subarray(37));
  await waitFor(() => live.count === 4, 250, 'the split packet');
  assert.equal(live.row(3).info, 'GET / HTTP/1.1 ');

  // A display filter set during the capture also covers the packets written after it.
  const run = live.setFilter('tcp.len > 0');
  await waitFor(() => run.checked === 4, 250, 'the filter to catch up');
  assert.deepEqual(Array.from(run.matches), [3]);
  // Packets one by one, several per write, with blocks cut at odd places.
  const rest = concatBytes(packets.slice(4, 60));
  for (let at = 0, k = 0; at < rest.length; k++) {
    const n = [1, 999, 77, 4000, 13][k % 5]!;
    appendFileSync(path, rest.subarray(at, Math.min(rest.length, at + n)));
    at += n;
    if (k % 3 === 0) await sleep(5);
  }
  await waitFor(() => live.count === 60 && run.checked === 60, 500, '60 packets filtered');
  assert.equal(live.live, true);
  assert.deepEqual(live.errors, []);

  // The writer is done: the rest is read and the engine ends like an opened file.
  appendFileSync(path, concatBytes(packets.slice(60)));
  const end = await live.finishLive();
  assert.equal(live.live, false);
  assert.equal(end.done, true);
  assert.equal(live.count, recs.length);
  assert.deepEqual(end.errors, []);
  const fr = await run.done;
  assert.equal(fr.cancelled, false);
  assert.ok(progress.length >= 3 && progress.at(-1) === recs.length, 'progress reported packets as they came');

  const opened = CaptureEngine.open([path]);
  const endOpened = await opened.indexed;
  try {
    assert.equal(opened.count, live.count);
    assert.equal(endOpened.bytes, end.bytes);
    assert.deepEqual(live.rows(0, live.count), opened.rows(0, opened.count));
    assert.deepEqual(Array.from(live.index.stream.subarray(0, live.count)), Array.from(opened.index.stream.subarray(0, opened.count)));
    assert.deepEqual(Array.from(live.index.analysis.subarray(0, live.count)), Array.from(opened.index.analysis.subarray(0, opened.count)));
    const f2 = opened.setFilter('tcp.len > 0');
    await f2.done;
    assert.deepEqual(Array.from(run.matches), Array.from(f2.matches));
    for (const expr of ['http', 'tcp.analysis.flags || tcp.flags.syn == 1', 'frame.len > 1000']) {
      const a = live.setFilter(expr);
      const b = opened.setFilter(expr);
      await Promise.all([a.done, b.done]);
      assert.deepEqual(Array.from(a.matches), Array.from(b.matches), expr);
    }
    assert.deepEqual(followTcpStream(live, 0), followTcpStream(opened, 0));
    assert.deepEqual(live.packet(4), opened.packet(4));
  } finally {
    live.close();
    opened.close();
  }
});

test('live tail: a half-written block left when the writer stops is reported as opening the file reports it', async () => {
  const { head, packets } = blocks();
  const path = join(dir, 'cut.pcapng');
  writeFileSync(path, concatBytes([head, ...packets.slice(0, 5)]));
  const live = CaptureEngine.openLive(path);
  await waitFor(() => live.count === 5, 250, '5 packets');
  appendFileSync(path, packets[5]!.subarray(0, 20));
  await sleep(100);
  assert.deepEqual(live.errors, [], 'no error while live');
  const end = await live.finishLive();
  const opened = CaptureEngine.open([path]);
  const endOpened = await opened.indexed;
  assert.equal(live.count, 5);
  assert.equal(end.errors.length, 1);
  assert.match(end.errors[0]!, /cut short: 20 bytes of an incomplete block after packet 5/);
  assert.deepEqual(end.errors, endOpened.errors);
  assert.deepEqual(live.rows(0, 5), opened.rows(0, 5));
  live.close();
  opened.close();
});

test('live tail: closing the engine while following ends it (no timer keeps the process alive)', async () => {
  const { head } = blocks();
  const path = join(dir, 'closed.pcapng');
  writeFileSync(path, head);
  const live = CaptureEngine.openLive(path);
  await sleep(50);
  live.close();
  const p = await live.indexed;
  assert.equal(p.packets, 0);
  assert.equal(live.live, false);
});

test('live tail: rows of a file written slowly arrive within 250 ms of each flush', async () => {
  const { head, packets } = blocks();
  const path = join(dir, 'latency.pcapng');
  writeFileSync(path, head);
  const live = CaptureEngine.openLive(path);
  const lat: number[] = [];
  for (let k = 0; k < 10; k++) {
    appendFileSync(path, packets[k]!);
    lat.push(await waitFor(() => live.count === k + 1, 250, `packet ${k + 1}`));
    await sleep(k * 7);
  }
  assert.ok(Math.max(...lat) < 250, `latencies ${lat.map((x) => x.toFixed(0)).join(', ')} ms`);
  await live.finishLive();
  live.close();
});
