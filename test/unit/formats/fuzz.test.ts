// Hostile bytes: randomly mutated pcap and pcapng files never make the parser throw anything
// but a CaptureFormatError, never deliver a record outside its chunk, and stay fast.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { CaptureParser, CaptureFormatError } from '../../../decoders/formats/capture-parser.ts';
import { PcapWriter, concatBytes } from '../../../decoders/formats/pcap-writer.ts';
import { PcapngWriter } from '../../../decoders/formats/pcapng-writer.ts';
import { corpusAvailable, corpusDir } from '../../support/corpus.ts';
import { frame } from './support.ts';
import { prng } from '../../../electron/bench/prng.ts';

/** Deterministic PRNG so a failure can be replayed. */
const rng = prng;

function samples(): { name: string; bytes: Uint8Array }[] {
  const w = new PcapngWriter();
  const ng = concatBytes([
    w.sectionHeader({ comment: 'c' }),
    w.addInterface({ linkType: 1, name: 'eth0', tsresol: 9, filter: 'tcp' }),
    w.addInterface({ linkType: 101, tsOffset: 5 }),
    ...Array.from({ length: 12 }, (_, i) => w.packet({ interfaceId: i % 2, tsSec: 1000 + i, tsNsec: i, data: frame(i, 40 + i * 9), comment: i % 3 ? undefined : `p${i}` })),
    w.nameResolution([{ address: Uint8Array.of(10, 0, 0, 1), names: ['a'] }]),
    w.simplePacket(frame(99, 33)),
    w.sectionHeader({ bigEndian: true }),
    w.addInterface({ linkType: 1 }),
    w.packet({ interfaceId: 0, tsSec: 5, tsNsec: 0, data: frame(1) }),
  ]);
  const pcap = PcapWriter.file({ linkType: 1 }, Array.from({ length: 12 }, (_, i) => ({ tsSec: i, tsNsec: i, data: frame(i, 40 + i * 9) })));
  const out = [{ name: 'pcapng', bytes: ng }, { name: 'pcap', bytes: pcap }];
  for (const name of ['pcapng-example.pcapng', 'many_interfaces-1.pcapng', 'nanosecs_big_endian.pcap']) {
    const p = join(corpusDir, name);
    if (corpusAvailable && existsSync(p)) out.push({ name, bytes: new Uint8Array(readFileSync(p)).subarray(0, 6000) });
  }
  return out;
}

test('fuzz: mutated captures parse to records or a CaptureFormatError, nothing else', () => {
  const rand = rng(0x5eed);
  const started = performance.now();
  let errors = 0;
  let records = 0;
  for (const { name, bytes } of samples()) {
    for (let iter = 0; iter < 400; iter++) {
      const m = bytes.slice();
      const v = new DataView(m.buffer);
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * (m.length - 4));
        const kind = rand();
        if (kind < 0.5) m[at] = Math.floor(rand() * 256);
        else if (kind < 0.8) v.setUint32(at & ~3, Math.floor(rand() * 4294967296));
        else v.setUint32(at & ~3, [0, 1, 3, 0xffffffff, 0x7fffffff, 12, 28, 32][Math.floor(rand() * 8)]!, rand() < 0.5);
      }
      const chunk = 1 + Math.floor(rand() * 700);
      const parser = new CaptureParser();
      let buf: Uint8Array = new Uint8Array(0);
      let pos = 0;
      try {
        while (pos < m.length) {
          buf = concatBytes([buf, m.subarray(pos, pos + chunk)]);
          pos = Math.min(pos + chunk, m.length);
          const used = parser.parse(buf, pos - buf.length, (r) => {
            records++;
            assert.ok(r.caplen === r.data.length, `${name}#${iter}: caplen matches the data`);
            assert.ok(r.data.byteOffset >= buf.byteOffset && r.data.byteOffset + r.caplen <= buf.byteOffset + buf.length);
            assert.ok(Number.isFinite(r.tsSec) && r.tsNsec >= 0 && r.tsNsec < 1e9, `${name}#${iter}: time ${r.tsSec}.${r.tsNsec}`);
          });
          assert.ok(used >= 0 && used <= buf.length);
          buf = buf.subarray(used);
        }
      } catch (e) {
        if (!(e instanceof CaptureFormatError)) throw new Error(`${name}#${iter} (chunk ${chunk}): ${(e as Error).stack}`, { cause: e });
        assert.ok(e.offset >= 0 && e.offset <= m.length, `${name}#${iter}: offset ${e.offset} inside the file`);
        errors++;
      }
    }
  }
  const ms = performance.now() - started;
  console.log(`# fuzz: ${records} records, ${errors} format errors in ${ms.toFixed(0)} ms`);
  assert.ok(errors > 0 && records > 0);
});
