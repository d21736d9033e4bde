// The index pass's fast paths (chunks parsed straight into the index, idle TCP conversations
// packed away and unpacked when they come back) must give exactly the columns of the plain
// record-by-record pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PacketIndex } from '../../../electron/engine/packet-index.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { MergedReader } from '../../../electron/engine/merge.ts';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { writeBenchCapture } from '../../../electron/bench/generate-capture.ts';
import { readdirSync } from 'node:fs';
import { corpusAvailable, corpusDir } from '../../support/corpus.ts';

const COLUMNS = ['fileOffset', 'tsSec', 'tsNsec', 'caplen', 'iface', 'l3', 'l4', 'scanFlags', 'src', 'dst', 'srcPort', 'dstPort', 'tcpFlags', 'stream', 'analysis', 'prevInStream'] as const;

function same(a: PacketIndex, b: PacketIndex, what: string): void {
  assert.equal(b.count, a.count, `${what}: packet count`);
  assert.equal(b.tcpStreams, a.tcpStreams, `${what}: TCP streams`);
  assert.equal(b.udpStreams, a.udpStreams, `${what}: UDP streams`);
  for (const c of COLUMNS) {
    for (let i = 0; i < a.count; i++) if (a[c][i] !== b[c][i]) assert.fail(`${what}: ${c} of packet ${i + 1}: ${b[c][i]} instead of ${a[c][i]}`);
  }
  for (let i = 0; i < a.count; i++) if (a.origlenOf(i) !== b.origlenOf(i)) assert.fail(`${what}: origlen of packet ${i + 1}: ${b.origlenOf(i)} instead of ${a.origlenOf(i)}`);
  for (let s = 0; s < a.tcpStreams; s += 97) assert.deepEqual(b.tcpStreamPackets(s), a.tcpStreamPackets(s), `${what}: packets of tcp.stream ${s}`);
}

test('chunked, compacting and engine index passes equal the plain pass', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pktscope-index-'));
  try {
    const path = join(dir, 'mixed.pcap');
    writeBenchCapture(path, 12_000);
    const plain = new PacketIndex();
    plain.compactEvery = Number.MAX_SAFE_INTEGER;
    const reader = new CaptureFileReader(path);
    for (let rec = reader.next(); rec; rec = reader.next()) plain.add(rec);
    assert.ok(plain.tcpStreams > 500 && plain.analysis.some((a) => a !== 0), 'the capture has many TCP streams and analysis flags');

    // Conversations idle for 2 packets are packed: interleaved ones come back all the time.
    const packed = new PacketIndex();
    packed.compactEvery = 2;
    const merged = new MergedReader([path]);
    while (merged.drainChunk((rec, iface) => packed.add(rec, 0, iface)));
    packed.trim();
    same(plain, packed, 'chunked + compacted');

    const engine = CaptureEngine.open([path]);
    await engine.indexed;
    same(plain, engine.index, 'engine');
    engine.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('packing idle TCP conversations changes nothing on the corpus', (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  for (const name of readdirSync(corpusDir).sort()) {
    const path = join(corpusDir, name);
    const plain = new PacketIndex();
    plain.compactEvery = Number.MAX_SAFE_INTEGER;
    const packed = new PacketIndex();
    packed.compactEvery = 2;
    for (const [idx, r] of [[plain, new CaptureFileReader(path)], [packed, new CaptureFileReader(path)]] as const) {
      for (let rec = r.next(); rec; rec = r.next()) idx.add(rec);
      r.close();
    }
    same(plain, packed, name);
  }
});
