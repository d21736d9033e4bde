// Classic pcap: both byte orders, microsecond and nanosecond magic, snaplen, caplen < origlen,
// damage (cut short, absurd lengths) and the corpus files against tshark's frame.time_epoch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CaptureFormatError, MAX_PACKET, maxPacketForLink } from '../../../decoders/formats/capture-parser.ts';
import { PcapWriter, concatBytes, type PacketToWrite } from '../../../decoders/formats/pcap-writer.ts';
import { parseChunks, epochs, frame, capturePath } from './support.ts';
import { corpusDir } from '../../support/corpus.ts';

const packets: PacketToWrite[] = [
  { tsSec: 1_600_000_000, tsNsec: 123_456_789, data: frame(1) },
  { tsSec: 1_600_000_001, tsNsec: 999_999_999, data: frame(2, 1514) },
  { tsSec: 0xffffffff, tsNsec: 0, data: frame(3, 42), origlen: 9000 },
];

for (const bigEndian of [false, true]) {
  for (const nanosecond of [false, true]) {
    test(`pcap ${bigEndian ? 'big' : 'little'}-endian, ${nanosecond ? 'nano' : 'micro'}second magic: header, records, timestamps, lengths`, () => {
      const bytes = PcapWriter.file({ linkType: 1, nanosecond, bigEndian }, packets);
      // The magic as written by a host of that byte order.
      const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
      const want = nanosecond ? 'a1b23c4d' : 'a1b2c3d4';
      assert.equal(magic, bigEndian ? want : want.match(/../g)!.reverse().join(''));
      const { parser, recs, error, left } = parseChunks(bytes);
      assert.equal(error, undefined);
      assert.equal(left, 0);
      assert.equal(parser.format, 'pcap');
      assert.equal(parser.pcapVersion, '2.4');
      assert.deepEqual(parser.interfaces[0], { linkType: 1, snaplen: 262144, tsresol: nanosecond ? 9 : 6, unitsPerSecond: nanosecond ? 1e9 : 1e6, tsOffset: 0, section: 0, localId: 0 });
      assert.equal(recs.length, 3);
      assert.deepEqual(recs.map((r) => [r.tsSec, r.tsNsec]), [
        [1_600_000_000, nanosecond ? 123_456_789 : 123_456_000],
        [1_600_000_001, nanosecond ? 999_999_999 : 999_999_000],
        [0xffffffff, 0],
      ]);
      assert.deepEqual(recs.map((r) => [r.caplen, r.origlen, r.offset]), [[60, 60, 40], [1514, 1514, 40 + 76], [42, 9000, 40 + 76 + 1530]]);
      assert.deepEqual(recs[1]!.data, frame(2, 1514));
      assert.ok(recs.every((r) => r.linkType === 1 && r.interfaceId === 0 && r.comment === undefined));
    });
  }
}

test('pcap: the snaplen cuts what is written; caplen < origlen is read back as written', () => {
  const bytes = PcapWriter.file({ linkType: 1, snaplen: 64 }, [{ tsSec: 1, tsNsec: 0, data: frame(1, 200) }]);
  const { parser, recs } = parseChunks(bytes);
  assert.equal(parser.interfaces[0]!.snaplen, 64);
  assert.equal(recs[0]!.caplen, 64);
  assert.equal(recs[0]!.origlen, 200);
  assert.deepEqual(recs[0]!.data, frame(1, 200).subarray(0, 64));
});

test('pcap: every chunking gives the same records (records split across chunks)', () => {
  const bytes = PcapWriter.file({ linkType: 1 }, packets);
  const whole = parseChunks(bytes).recs;
  for (const chunk of [1, 3, 16, 17, 100, 1023]) {
    const got = parseChunks(bytes, chunk);
    assert.equal(got.error, undefined);
    assert.deepEqual(got.recs, whole, `chunk ${chunk}`);
  }
});

test('pcap: offsets stay exact beyond 4 GiB (64-bit safe)', () => {
  const base = 2 ** 40 + 12345;
  const bytes = PcapWriter.file({ linkType: 1 }, packets);
  const { recs } = parseChunks(bytes, 50, base);
  assert.deepEqual(recs.map((r) => r.offset - base), [40, 116, 1646]);
  // Damage offsets too.
  const bad = bytes.slice();
  new DataView(bad.buffer).setUint32(24 + 16 + 60 + 8, 0x7fffffff, true);
  const e = parseChunks(bad, bad.length, base).error!;
  assert.equal(e.offset, base + 24 + 16 + 60 + 8);
});

test('pcap: a file cut at every length yields every packet before the cut and stops at the cut', () => {
  const bytes = PcapWriter.file({ linkType: 1 }, packets);
  const ends = [24 + 76, 24 + 76 + 1530, bytes.length]; // end of each record
  for (let cut = 24; cut <= bytes.length; cut++) {
    const got = parseChunks(bytes.subarray(0, cut), 97);
    const complete = ends.filter((e) => e <= cut).length;
    assert.equal(got.error, undefined);
    assert.equal(got.recs.length, complete, `cut ${cut}`);
    const recordStart = complete === 0 ? 24 : ends[complete - 1]!;
    assert.equal(got.leftAt, recordStart, `cut ${cut}`);
    assert.equal(got.left, cut - recordStart);
  }
});

test('pcap: caplen above the link type maximum is an error at that record, the packets before are kept', () => {
  const bytes = PcapWriter.file({ linkType: 1, snaplen: 0xffffffff }, packets);
  const v = new DataView(bytes.buffer);
  v.setUint32(24 + 76 + 8, MAX_PACKET + 1, true); // second record's caplen
  // Fed in small chunks: the error comes as soon as the record header is in, not after buffering.
  const got = parseChunks(bytes, 64);
  assert.equal(got.recs.length, 1);
  assert.ok(got.error instanceof CaptureFormatError);
  assert.equal(got.error.offset, 24 + 76 + 8);
  assert.match(got.error.message, /Packet 2: captured length 262145 is larger than the maximum of 262144 .* at byte offset 108$/);
  // 0xffffffff too: never a length to allocate from.
  v.setUint32(24 + 76 + 8, 0xffffffff, true);
  assert.equal(parseChunks(bytes, 64).error?.offset, 108);
  assert.equal(maxPacketForLink(231), 128 * 1024 * 1024); // D-Bus messages may be larger
});

test('pcap: caplen above the header snaplen is accepted whole, as tshark and libpcap read it', () => {
  // Evidence: tshark 4.0 shows a 60-byte packet of a snaplen-40 file as 60 bytes captured;
  // tcpdump reads it too. Only lengths above the link maximum are corruption.
  const w = new PcapWriter({ linkType: 1, snaplen: 1000 });
  const bytes = concatBytes([w.header(), w.packet({ tsSec: 1, tsNsec: 0, data: frame(1) })]);
  new DataView(bytes.buffer).setUint32(16, 40, true);
  const { recs, error, parser } = parseChunks(bytes);
  assert.equal(error, undefined);
  assert.equal(parser.interfaces[0]!.snaplen, 40);
  assert.equal(recs[0]!.caplen, 60);
});

test('pcap: not a capture, an old version, a short header', () => {
  const text = new TextEncoder().encode('{"name": "pktscope"}');
  const e = parseChunks(text).error!;
  assert.equal(e.offset, 0);
  assert.match(e.message, /Not a pcap or pcapng capture file \(unknown magic number 0x7b226e61\)/);
  const old = PcapWriter.file({ linkType: 1 }, []);
  new DataView(old.buffer).setUint16(4, 1, true);
  assert.match(parseChunks(old).error!.message, /Unsupported pcap version 1\.4 at byte offset 4/);
  const short = parseChunks(PcapWriter.file({ linkType: 1 }, []).subarray(0, 20));
  assert.equal(short.error, undefined);
  assert.equal(short.left, 20); // waits for the rest of the header
});

test('pcap: link-type word with FCS bits keeps the link type in the low bits', () => {
  const bytes = PcapWriter.file({ linkType: 1 }, [packets[0]!]);
  new DataView(bytes.buffer).setUint32(20, 0x10000000 | (2 << 26) | 1, true);
  const { parser, recs } = parseChunks(bytes);
  assert.equal(parser.interfaces[0]!.linkType, 1);
  assert.equal(parser.interfaces[0]!.fcsLen, 4);
  assert.equal(recs[0]!.linkType, 1);
});

test('pcap writer: refuses values the format cannot hold', () => {
  const w = new PcapWriter({ linkType: 1 });
  assert.throws(() => w.packet({ tsSec: -1, tsNsec: 0, data: frame(1) }), RangeError);
  assert.throws(() => w.packet({ tsSec: 2 ** 32, tsNsec: 0, data: frame(1) }), RangeError);
  assert.throws(() => w.packet({ tsSec: 1, tsNsec: 1e9, data: frame(1) }), RangeError);
  assert.throws(() => new PcapWriter({ linkType: -1 }), RangeError);
});

// --- corpus files, timestamps against tshark -T fields -e frame.time_epoch ---

const tsharkEpochs: Record<string, string[]> = {
  'microsecs.pcap': ['1.000002000', '1.000001000'],
  'nanosecs.pcap': ['1.000002000', '1.000001234'],
  'microsecs_big_endian.pcap': '1474059824.864984000 1474059824.869887000 1474059824.869935000 1474059824.870032000 1474059824.870114000 1474059825.862418000 1474059826.864663000 1474059826.869966000 1474059826.875511000 1474059826.875658000 1474059826.875743000 1474059826.877724000 1474059828.874473000'.split(' '),
  'nanosecs_big_endian.pcap': '1766361926.167647291 1766361926.167658091 1766361926.167666291 1766361926.167712591 1766361926.167716191 1766361926.168382593 1766361926.168402394 1766361926.168424394 1766361926.168427394 1766361926.168451894'.split(' '),
};

for (const [name, want] of Object.entries(tsharkEpochs)) {
  test(`corpus ${name}: timestamps equal tshark's frame.time_epoch`, (t) => {
    const path = capturePath(name);
    if (!path) {
      t.skip(`${name} is neither in fixtures/captures nor in the corpus (${corpusDir})`);
      return;
    }
    const { times, reader } = epochs(path);
    assert.equal(reader.error, null);
    assert.deepEqual(times, want);
    const head = readFileSync(path).subarray(0, 4);
    const be = head[0] === 0xa1;
    assert.equal(be, name.includes('big_endian'));
  });
}

test('pcap: a fraction field of a second or more is carried into the seconds', () => {
  for (const nanosecond of [false, true]) {
    const bytes = PcapWriter.file({ linkType: 1, nanosecond }, [{ tsSec: 5, tsNsec: 0, data: frame(1) }]);
    new DataView(bytes.buffer).setUint32(24 + 4, nanosecond ? 3_000_000_001 : 5_108_134, true);
    const r = parseChunks(bytes).recs[0]!;
    assert.deepEqual([r.tsSec, r.tsNsec], nanosecond ? [8, 1] : [10, 108_134_000]);
  }
});

test('pcap: the modified libpcap format (magic 0xa1b2cd34, 24-byte record headers), as tshark reads it', () => {
  // tshark 4.0 on this file: "Modified tcpdump - pcap", epochs 100.000005000, 101.000005000, 102.000005000.
  const w = new PcapWriter({ linkType: 1, snaplen: 65535 });
  const head = w.header();
  new DataView(head.buffer).setUint32(0, 0xa1b2cd34, true);
  const parts = [head];
  for (let i = 0; i < 3; i++) {
    const rec = new Uint8Array(24 + 60);
    const v = new DataView(rec.buffer);
    v.setUint32(0, 100 + i, true);
    v.setUint32(4, 5, true);
    v.setUint32(8, 60, true);
    v.setUint32(12, 60, true);
    v.setUint32(16, 2, true); // ifindex
    v.setUint16(20, 0x0806, true); // protocol
    rec.set(frame(i), 24);
    parts.push(rec);
  }
  const { recs, error } = parseChunks(concatBytes(parts), 50);
  assert.equal(error, undefined);
  assert.deepEqual(recs.map((r) => [r.tsSec, r.tsNsec, r.caplen, r.offset]), [[100, 5000, 60, 48], [101, 5000, 60, 132], [102, 5000, 60, 216]]);
  assert.deepEqual(recs[2]!.data, frame(2));
});
