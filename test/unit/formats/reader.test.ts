// The file reader (chunked, damage-tolerant) and the merge of several files by timestamp,
// e.g. the files of a tcpdump -C/-W ring, made here by splitting a capture with our writer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync, rmSync, appendFileSync } from 'node:fs';
import { PcapWriter, concatBytes, type PacketToWrite } from '../../../decoders/formats/pcap-writer.ts';
import { PcapngWriter } from '../../../decoders/formats/pcapng-writer.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { MergedReader } from '../../../electron/engine/merge.ts';
import { frame } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'pktscope-reader-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** 120 packets, 10 ms apart, sizes varying from 60 to 1500 bytes; the payload's first byte is the packet index. */
const capture: PacketToWrite[] = Array.from({ length: 120 }, (_, i) => {
  const data = frame(i, 60 + ((i * 97) % 1441));
  data[0] = i;
  return { tsSec: 1_700_000_000 + Math.floor(i / 100), tsNsec: (i % 100) * 10_000_000, data };
});

function readAll(r: { next(): { data: Uint8Array } | null }): number[] {
  const ids: number[] = [];
  for (let x = r.next(); x; x = r.next()) ids.push(x.data[0]!);
  return ids;
}

test('reader: tiny chunks grow the buffer for large records and give the same packets', () => {
  const w = new PcapngWriter();
  const bytes = concatBytes([w.sectionHeader(), w.addInterface({ linkType: 1 }), ...capture.map((p) => w.packet({ interfaceId: 0, ...p }))]);
  const path = file('chunks.pcapng', bytes);
  for (const chunk of [64, 1000, 4096, 1 << 22]) {
    const r = new CaptureFileReader(path, chunk);
    const recs = [];
    for (let x = r.next(); x; x = r.next()) recs.push(x);
    assert.equal(r.error, null);
    assert.equal(recs.length, 120, `chunk ${chunk}`);
    recs.forEach((x, i) => {
      assert.equal(x.data[0], i);
      assert.equal(x.caplen, capture[i]!.data.length);
      assert.deepEqual(bytes.subarray(x.offset, x.offset + x.caplen), capture[i]!.data);
    });
  }
});

test('reader: a cut-short file gives every packet before the cut, then an error with the byte offset', () => {
  const bytes = PcapWriter.file({ linkType: 1 }, capture.slice(0, 5));
  const ends: number[] = [];
  let o = 24;
  for (const p of capture.slice(0, 5)) ends.push((o += 16 + p.data.length));
  const cut = ends[2]! + 10; // 10 bytes into the 4th record's header
  const r = new CaptureFileReader(file('cut.pcap', bytes.subarray(0, cut)), 128);
  assert.deepEqual(readAll(r), [0, 1, 2]);
  assert.ok(r.error);
  assert.equal(r.error.offset, ends[2]);
  assert.equal(r.error.message, `The file was cut short: 10 bytes of an incomplete packet record after packet 3 at byte offset ${ends[2]}`);
  assert.equal(r.headerRead, true);
  assert.equal(r.next(), null); // stays at the end
});

test('reader: empty, tiny, header-only, cut header and non-capture files', () => {
  const cases: [string, Uint8Array, string | null, boolean][] = [
    ['empty', new Uint8Array(0), 'The file is empty at byte offset 0', false],
    ['tiny', Uint8Array.of(1, 2, 3), 'The file is too short (3 bytes) to be a capture file at byte offset 0', false],
    ['header-only', PcapWriter.file({ linkType: 1 }, []), null, true],
    ['cut-header', PcapWriter.file({ linkType: 1 }, []).subarray(0, 10), 'The file was cut short inside its pcap file header at byte offset 0', false],
    ['cut-shb', new PcapngWriter().sectionHeader().subarray(0, 20), 'The file was cut short inside its pcapng section header at byte offset 0', false],
    ['text', new TextEncoder().encode('hello world, not a capture'), 'Not a pcap or pcapng capture file (unknown magic number 0x68656c6c) at byte offset 0', false],
  ];
  for (const [name, bytes, message, headerRead] of cases) {
    const r = new CaptureFileReader(file(name, bytes));
    assert.equal(r.next(), null, name);
    assert.equal(r.error?.message ?? null, message, name);
    assert.equal(r.headerRead, headerRead, name);
  }
});

test('reader: an absurd length deep in a file is reported without buffering the rest of the file', () => {
  const w = new PcapngWriter();
  const good = concatBytes([w.sectionHeader(), w.addInterface({ linkType: 1 }), ...capture.slice(0, 3).map((p) => w.packet({ interfaceId: 0, ...p }))]);
  const bad = w.packet({ interfaceId: 0, ...capture[3]! });
  new DataView(bad.buffer).setUint32(4, 0x40000000, true); // 1 GiB block
  const path = file('absurd.pcapng', concatBytes([good, bad, new Uint8Array(8 << 20)]));
  const r = new CaptureFileReader(path, 4096);
  assert.deepEqual(readAll(r), [0, 1, 2]);
  assert.equal(r.error?.offset, good.length + 4);
  assert.match(r.error!.message, /implausible length 1073741824/);
  assert.ok((r as unknown as { buf: Buffer }).buf.length <= 8192, 'the reader kept its small buffer');
});

test('merge: the files of a tcpdump -C ring (split with our writer) read back as the original capture', () => {
  // tcpdump -C: consecutive pieces, each a complete pcap file. Given in any order, merged by time.
  const paths: string[] = [];
  for (let i = 0; i < 4; i++) paths.push(file(`ring${i}.pcap`, PcapWriter.file({ linkType: 1 }, capture.slice(i * 30, i * 30 + 30))));
  const m = new MergedReader([paths[2]!, paths[0]!, paths[3]!, paths[1]!]);
  const got = [];
  for (let x = m.next(); x; x = m.next()) got.push(x);
  m.close();
  assert.deepEqual(got.map((x) => x.rec.data[0]), capture.map((_, i) => i));
  assert.deepEqual(got.slice(0, 31).map((x) => x.file), [...Array(30).fill(1), 3]);
  // The four files describe the same interface: one merged interface, id 0.
  assert.equal(m.interfaces.length, 1);
  assert.ok(got.every((x) => x.interfaceId === 0 && x.iface?.linkType === 1));
});

test('merge: interleaved captures (per-host), ties keep the order of the files, different interfaces stay apart', () => {
  const a = new PcapngWriter();
  const b = new PcapngWriter();
  const fa = [a.sectionHeader(), a.addInterface({ linkType: 1, name: 'eth0' })];
  const fb = [b.sectionHeader(), b.addInterface({ linkType: 1, name: 'eth1' }), b.addInterface({ linkType: 1, name: 'eth0' })];
  capture.forEach((p, i) => {
    if (i % 3 === 0) fa.push(a.packet({ interfaceId: 0, ...p }));
    else fb.push(b.packet({ interfaceId: i % 3 === 1 ? 0 : 1, ...p }));
  });
  // A tie: the same timestamp in both files; file order decides.
  const tie = { tsSec: 1_800_000_000, tsNsec: 0 };
  const ta = frame(0);
  ta[0] = 200;
  const tb = frame(0);
  tb[0] = 201;
  fa.push(a.packet({ interfaceId: 0, ...tie, data: ta }));
  fb.push(b.packet({ interfaceId: 1, ...tie, data: tb }));
  const pa = file('host-a.pcapng', concatBytes(fa));
  const pb = file('host-b.pcapng', concatBytes(fb));
  const m = new MergedReader([pa, pb]);
  const got = [];
  for (let x = m.next(); x; x = m.next()) got.push(x);
  assert.deepEqual(got.map((x) => x.rec.data[0]), [...capture.map((_, i) => i), 200, 201]);
  // Interfaces: a's eth0 (0), b's eth1 (1); b's eth0 is identical to a's eth0 and shares id 0.
  assert.deepEqual(m.interfaces.map((i) => i.name), ['eth0', 'eth1']);
  assert.deepEqual(got.slice(0, 3).map((x) => [x.file, x.interfaceId]), [[0, 0], [1, 1], [1, 0]]);
  const single = new MergedReader([pb]);
  const first = [single.next()!, single.next()!];
  assert.deepEqual(first.map((x) => x.interfaceId), [0, 1]); // one file keeps its own numbering
  assert.deepEqual(got.slice(0, 3).map((x) => x.frameInterfaceId), [0, 1, 0]); // several files: the merged ids
  single.close();
});

test('merge: a broken file stops contributing, the others go on', () => {
  const good = file('good.pcap', PcapWriter.file({ linkType: 1 }, capture.slice(0, 10)));
  const whole = PcapWriter.file({ linkType: 1 }, capture.slice(10, 20));
  const broken = file('broken.pcap', whole.subarray(0, whole.length - 5));
  const m = new MergedReader([broken, good]);
  let n = 0;
  while (m.next()) n++;
  assert.equal(n, 19);
  assert.equal(m.readers[0]!.error?.message.startsWith('The file was cut short'), true);
  assert.equal(m.readers[1]!.error, null);
});

test('merge: a missing file is an error when opening, and nothing stays open', () => {
  assert.throws(() => new MergedReader([file('ok.pcap', PcapWriter.file({ linkType: 1 }, [])), join(dir, 'missing.pcap')]), /ENOENT/);
});

test('reader follow mode: a file still being written (live capture) is read as it grows', () => {
  const w = new PcapngWriter({ userAppl: 'live' });
  const blocks = [w.sectionHeader(), w.addInterface({ linkType: 1, name: 'eth0', filter: 'tcp' }), ...capture.slice(0, 40).map((p) => w.packet({ interfaceId: 0, ...p, comment: 'c' }))];
  const all = concatBytes(blocks);
  const path = file('live.pcapng', new Uint8Array(0));
  const r = new CaptureFileReader(path, 4096);
  r.follow = true;
  const seen: number[] = [];
  const drain = () => {
    for (let x = r.next(); x; x = r.next()) seen.push(x.data[0]!);
  };
  drain(); // empty so far: nothing, and no error
  assert.equal(r.error, null);
  // Append in uneven pieces, cutting blocks anywhere; every complete packet shows up.
  let at = 0;
  for (const piece of [5, 30, 700, 1, 2500, 9000, 333, 20000]) {
    const next = Math.min(all.length, at + piece);
    appendFileSync(path, all.subarray(at, next));
    at = next;
    drain();
    assert.equal(r.error, null);
  }
  appendFileSync(path, all.subarray(at));
  drain();
  assert.deepEqual(seen, capture.slice(0, 40).map((_, i) => i));
  // A half-written block at the end is awaited, then reported once following stops.
  const extra = w.packet({ interfaceId: 0, ...capture[40]! });
  appendFileSync(path, extra.subarray(0, 50));
  drain();
  assert.equal(r.error, null);
  r.follow = false;
  drain();
  assert.equal(seen.length, 40);
  const err = r.error as { offset: number; message: string } | null; // (assert.equal above narrowed r.error to null)
  assert.equal(err?.offset, all.length);
  assert.match(err!.message, /cut short: 50 bytes of an incomplete block after packet 40/);
});

test('merge follow mode: a growing file is polled again on each call', () => {
  const w = new PcapWriter({ linkType: 1 });
  const path = file('growing.pcap', w.header());
  const m = new MergedReader([path]);
  m.follow = true;
  assert.equal(m.next(), null);
  appendFileSync(path, concatBytes(capture.slice(0, 3).map((p) => w.packet(p))));
  assert.deepEqual(readAll({ next: () => { const x = m.next(); return x && x.rec; } }), [0, 1, 2]);
  appendFileSync(path, w.packet(capture[3]!));
  m.follow = false;
  assert.equal(m.next()?.rec.data[0], 3);
  assert.equal(m.next(), null);
  assert.equal(m.readers[0]!.ended, true);
  assert.equal(m.readers[0]!.error, null);
});
