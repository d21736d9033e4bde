// pcapng: SHB in both byte orders and several sections, IDB (link type, snaplen, if_tsresol
// including non-default resolutions, if_tsoffset), EPB, SPB, the obsolete PB, NRB, comments,
// unknown blocks, several interfaces with different link types, and damage.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { CaptureFormatError, MAX_BLOCK } from '../../../decoders/formats/capture-parser.ts';
import { PcapngWriter } from '../../../decoders/formats/pcapng-writer.ts';
import { concatBytes } from '../../../decoders/formats/pcap-writer.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { corpusAvailable, corpusDir } from '../../support/corpus.ts';
import { parseChunks, frame, epochs, capturePath } from './support.ts';

const ts = (r: { tsSec: number; tsNsec: number }): string => `${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`;

/** An obsolete Packet Block (type 2): 16-bit interface id, 16-bit drops count, then as an EPB. */
function obsoletePacket(w: PcapngWriter, le: boolean, iface: number, hi: number, lo: number, data: Uint8Array, origlen = data.length): Uint8Array {
  const body = new Uint8Array(20 + ((data.length + 3) & ~3));
  const v = new DataView(body.buffer);
  v.setUint16(0, iface, le);
  v.setUint16(2, 7, le); // drops
  v.setUint32(4, hi, le);
  v.setUint32(8, lo, le);
  v.setUint32(12, data.length, le);
  v.setUint32(16, origlen, le);
  body.set(data, 20);
  return w.rawBlock(2, body);
}

/** Two sections (little-endian, then big-endian) exercising every block kind. */
function richFile(): Uint8Array {
  const w = new PcapngWriter();
  const parts: Uint8Array[] = [];
  parts.push(w.sectionHeader({ comment: ['first section', 'second comment'], hardware: 'x86_64', os: 'Linux 6.1', userAppl: 'pktscope test' }));
  parts.push(w.addInterface({ linkType: 1, snaplen: 65535, name: 'eth0', description: 'wired', filter: 'tcp port 80', os: 'Linux 6.1' })); // 0: us
  parts.push(w.addInterface({ linkType: 101, name: 'tun0', tsresol: 9 })); // 1: raw IP, ns
  parts.push(w.addInterface({ linkType: 113, tsresol: 3, tsOffset: 1_000_000_000 })); // 2: SLL, ms, offset
  parts.push(w.addInterface({ linkType: 1, tsresol: 0x80 | 20 })); // 3: 2^-20 s
  parts.push(w.rawBlock(0x00000bad, new Uint8Array(9))); // custom block (skipped)
  parts.push(w.rawBlock(0x12345678, new Uint8Array(16))); // unknown block (skipped)
  parts.push(w.packet({ interfaceId: 0, tsSec: 1_700_000_000, tsNsec: 123_456_789, data: frame(1), comment: 'hello' }));
  parts.push(w.packet({ interfaceId: 1, tsSec: 1_700_000_001, tsNsec: 1, data: frame(2, 41), comment: ['one', 'two'], flags: 0x00000001 }));
  parts.push(w.packet({ interfaceId: 2, tsSec: 1_700_000_002, tsNsec: 5_000_000, data: frame(3, 70), origlen: 1500 }));
  parts.push(w.packet({ interfaceId: 3, tsSec: 1_700_000_003, tsNsec: 500_000_000, data: frame(4) }));
  parts.push(w.nameResolution([
    { address: Uint8Array.of(192, 168, 1, 1), names: ['router.lan'] },
    { address: Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), names: ['v6host', 'alias'] },
  ]));
  parts.push(w.simplePacket(frame(5, 30)));
  parts.push(obsoletePacket(w, true, 1, 0, 0x3b9aca07, frame(6, 20))); // 1.000000007 s in ns
  parts.push(w.interfaceStatistics({ interfaceId: 0, tsSec: 1_700_000_010, tsNsec: 0, received: 10n, dropped: 0n }));
  // Second section, big-endian: interfaces are numbered again from 0.
  parts.push(w.sectionHeader({ bigEndian: true, comment: 'second section' }));
  parts.push(w.addInterface({ linkType: 228, snaplen: 100, name: 'ipv4only' })); // global 4
  parts.push(w.packet({ interfaceId: 0, tsSec: 1_700_000_020, tsNsec: 999_999_000, data: frame(7, 150), comment: 'big' }));
  return concatBytes(parts);
}

test('pcapng: sections, interfaces and packets of every block kind, both byte orders', () => {
  const bytes = richFile();
  const { parser, recs, error, left } = parseChunks(bytes);
  assert.equal(error, undefined);
  assert.equal(left, 0);
  assert.equal(parser.format, 'pcapng');
  assert.deepEqual(parser.sections.map((s) => [s.littleEndian, s.version, s.comments]), [[true, '1.0', ['first section', 'second comment']], [false, '1.0', ['second section']]]);
  assert.equal(parser.sections[0]!.hardware, 'x86_64');
  assert.equal(parser.sections[0]!.os, 'Linux 6.1');
  assert.equal(parser.sections[0]!.userAppl, 'pktscope test');
  assert.deepEqual(parser.sectionComments, ['first section', 'second comment', 'second section']);

  const ifs = parser.interfaces;
  assert.deepEqual(ifs.map((i) => [i.linkType, i.snaplen, i.tsresol, i.section]), [[1, 65535, 6, 0], [101, 262144, 9, 0], [113, 262144, 3, 0], [1, 262144, 0x94, 0], [228, 100, 6, 1]]);
  assert.equal(ifs[0]!.name, 'eth0');
  assert.equal(ifs[0]!.description, 'wired');
  assert.equal(ifs[0]!.filter, 'tcp port 80');
  assert.equal(ifs[0]!.os, 'Linux 6.1');
  assert.equal(ifs[2]!.tsOffset, 1_000_000_000);
  assert.deepEqual(ifs.map((i) => i.localId), [0, 1, 2, 3, 0]); // numbering restarts in each section
  assert.equal(parser.unitsPerSecond(3), 1048576n);

  assert.deepEqual(recs.map((r) => [r.interfaceId, r.linkType, r.section, ts(r), r.caplen, r.origlen]), [
    [0, 1, 0, '1700000000.123456000', 60, 60], // microseconds
    [1, 101, 0, '1700000001.000000001', 41, 41], // nanoseconds
    [2, 113, 0, '1700000002.005000000', 70, 1500], // milliseconds + if_tsoffset
    [3, 1, 0, '1700000003.500000000', 60, 60], // binary 2^-20
    [0, 1, 0, '0.000000000', 30, 30], // SPB: first interface, no time
    [1, 101, 0, '1.000000007', 20, 20], // obsolete PB
    [4, 228, 1, '1700000020.999999000', 100, 150], // second section, cut to its snaplen
  ]);
  assert.deepEqual(recs.map((r) => [r.comment, r.comments]), [['hello', undefined], ['one', ['one', 'two']], [undefined, undefined], [undefined, undefined], [undefined, undefined], [undefined, undefined], ['big', undefined]]);
  assert.equal(recs[1]!.flags, 1);
  assert.deepEqual(recs[0]!.data, frame(1));
  assert.deepEqual(recs[4]!.data, frame(5, 30));
  assert.deepEqual(recs[6]!.data, frame(7, 150).subarray(0, 100));
  // Data offsets point at the packet bytes in the file.
  for (const r of recs) assert.deepEqual(bytes.subarray(r.offset, r.offset + r.caplen), r.data);
  assert.equal(parser.names.get('192.168.1.1'), 'router.lan');
  assert.equal(parser.names.get('2001:db8::1'), 'alias');
});

test('pcapng: every chunking gives the same records', () => {
  const bytes = richFile();
  const whole = parseChunks(bytes).recs;
  for (const chunk of [1, 5, 12, 13, 64, 333]) {
    const got = parseChunks(bytes, chunk);
    assert.equal(got.error, undefined, `chunk ${chunk}`);
    assert.deepEqual(got.recs, whole, `chunk ${chunk}`);
  }
});

test('pcapng: a file cut at every length yields every packet before the cut, nothing thrown', () => {
  const bytes = richFile();
  const full = parseChunks(bytes).recs;
  let last = -1;
  for (let cut = 0; cut <= bytes.length; cut++) {
    const got = parseChunks(bytes.subarray(0, cut), 50);
    assert.equal(got.error, undefined, `cut ${cut}`);
    assert.ok(got.recs.length >= last);
    last = got.recs.length;
    assert.deepEqual(got.recs, full.slice(0, got.recs.length));
    assert.equal(got.leftAt + got.left, cut);
  }
  assert.equal(last, full.length);
});

test('pcapng: timestamps of 64-bit unit counts stay exact, tsresol 0 (seconds) and 10^-12 too', () => {
  const w = new PcapngWriter();
  const bytes = concatBytes([
    w.sectionHeader(),
    w.addInterface({ linkType: 1, tsresol: 9 }),
    w.addInterface({ linkType: 1, tsresol: 0 }),
    w.addInterface({ linkType: 1, tsresol: 12 }),
    w.addInterface({ linkType: 1 }),
    w.packet({ interfaceId: 0, tsSec: 4_000_000_000, tsNsec: 999_999_999, data: frame(1) }), // > 2^53 ns
    w.packet({ interfaceId: 1, tsSec: 1_234_567_890, tsNsec: 0, data: frame(2) }),
    w.packet({ interfaceId: 2, tsSec: 1_000_000, tsNsec: 123_456_789, data: frame(3) }),
    // 2^64-1 microseconds, as in pcapng-example.pcapng's second interface.
    w.rawBlock(6, (() => {
      const b = new Uint8Array(20 + 60);
      const v = new DataView(b.buffer);
      v.setUint32(0, 3, true);
      v.setUint32(4, 0xffffffff, true);
      v.setUint32(8, 0xffffffff, true);
      v.setUint32(12, 60, true);
      v.setUint32(16, 60, true);
      return b;
    })()),
  ]);
  const { recs, error } = parseChunks(bytes);
  assert.equal(error, undefined);
  assert.deepEqual(recs.map(ts), ['4000000000.999999999', '1234567890.000000000', '1000000.123456789', '18446744073709.551615000']);
});

test('pcapng: option strings end at a NUL (comment with trailing garbage, as in pcapng-example.pcapng)', () => {
  const w = new PcapngWriter();
  const raw = new TextDecoder('latin1').decode(Uint8Array.of(...new TextEncoder().encode('Packet #1'), 0, 0x78, 0x4d, 0x39, 0x87, 0x0c));
  const bytes = concatBytes([w.sectionHeader(), w.addInterface({ linkType: 1, name: 'lo\0\0' }), w.packet({ interfaceId: 0, tsSec: 1, tsNsec: 0, data: frame(1), comment: raw })]);
  const { parser, recs } = parseChunks(bytes);
  assert.equal(parser.interfaces[0]!.name, 'lo');
  assert.equal(recs[0]!.comment, 'Packet #1');
});

test('pcapng: options running past their block are ignored, the packet is kept', () => {
  const w = new PcapngWriter();
  const head = concatBytes([w.sectionHeader(), w.addInterface({ linkType: 1 })]);
  const pkt = w.packet({ interfaceId: 0, tsSec: 1, tsNsec: 0, data: frame(1), comment: 'x' });
  const v = new DataView(pkt.buffer);
  v.setUint16(28 + 60 + 2, 500, true); // comment length beyond the block
  const bytes = concatBytes([head, pkt]);
  const got = parseChunks(bytes);
  assert.equal(got.error, undefined);
  assert.equal(got.recs.length, 1);
  assert.equal(got.recs[0]!.comment, undefined);
});

/** A valid file of two packets, the second of which the test damages. */
function twoPackets(): { bytes: Uint8Array; second: number } {
  const w = new PcapngWriter();
  const head = concatBytes([w.sectionHeader(), w.addInterface({ linkType: 1 }), w.packet({ interfaceId: 0, tsSec: 1, tsNsec: 0, data: frame(1) })]);
  const bytes = concatBytes([head, w.packet({ interfaceId: 0, tsSec: 2, tsNsec: 0, data: frame(2) })]);
  return { bytes, second: head.length };
}

function damaged(change: (v: DataView, at: number) => void, chunk?: number): { recs: number; error: CaptureFormatError } {
  const { bytes, second } = twoPackets();
  change(new DataView(bytes.buffer), second);
  const got = parseChunks(bytes, chunk);
  assert.ok(got.error, 'an error is expected');
  return { recs: got.recs.length, error: got.error };
}

test('pcapng damage: each corruption is an error at its byte offset, after the good packets', () => {
  const { second } = twoPackets();
  const cases: [string, (v: DataView, at: number) => void, number, RegExp][] = [
    ['length not a multiple of 4', (v, at) => v.setUint32(at + 4, 93, true), second + 4, /enhanced packet block has an invalid length 93/],
    ['length below the minimum', (v, at) => v.setUint32(at + 4, 16, true), second + 4, /invalid length 16/],
    ['trailing length differs', (v, at) => v.setUint32(at + 92 - 4, 96, true), second + 88, /trailing length 96 does not match the leading length 92/],
    ['undescribed interface', (v, at) => v.setUint32(at + 8, 3, true), second + 8, /refers to interface 3, which its section does not describe/],
    ['caplen beyond the block', (v, at) => v.setUint32(at + 20, 61, true), second + 20, /captured length 61 does not fit its block of 92 bytes/],
    ['absurd caplen', (v, at) => v.setUint32(at + 20, 0xfffffff0, true), second + 20, /captured length 4294967280 is larger than the maximum of 262144/],
    ['absurd block length', (v, at) => v.setUint32(at + 4, 0x7ffffffc, true), second + 4, /implausible length 2147483644/],
    ['absurd unknown block', (v, at) => { v.setUint32(at, 0x999, true); v.setUint32(at + 4, MAX_BLOCK + 4, true); }, second + 4, /block of type 0x999 has an implausible length/],
  ];
  for (const [what, change, offset, message] of cases) {
    // Fed in 40-byte chunks: length errors must come before the block is buffered.
    const { recs, error } = damaged(change, 40);
    assert.equal(recs, 1, what);
    assert.equal(error.offset, offset, what);
    assert.match(error.message, message, what);
    assert.ok(error.message.endsWith(`at byte offset ${offset}`), what);
  }
});

test('pcapng damage: bad byte-order magic, wrong version, packet before any interface, SPB without interface', () => {
  const w = new PcapngWriter();
  const shb = w.sectionHeader();
  const bad = shb.slice();
  new DataView(bad.buffer).setUint32(8, 0x11223344, true);
  assert.match(parseChunks(bad).error!.message, /bad byte-order magic 0x44332211 at byte offset 8/);
  const v2 = shb.slice();
  new DataView(v2.buffer).setUint16(12, 2, true);
  assert.match(parseChunks(v2).error!.message, /Unsupported pcapng version 2\.0 at byte offset 12/);
  const w2 = new PcapngWriter();
  const s2 = w2.sectionHeader();
  w2.addInterface({ linkType: 1 });
  const epb = w2.packet({ interfaceId: 0, tsSec: 1, tsNsec: 0, data: frame(1) });
  const spb = w2.simplePacket(frame(1));
  assert.match(parseChunks(concatBytes([s2, epb])).error!.message, /Packet 1 refers to interface 0/);
  assert.match(parseChunks(concatBytes([s2, spb])).error!.message, /Simple packet block in a section without an interface description/);
  // A second section does not inherit the first one's interfaces.
  const w3 = new PcapngWriter();
  const file = concatBytes([w3.sectionHeader(), w3.addInterface({ linkType: 1 }), w3.packet({ interfaceId: 0, tsSec: 1, tsNsec: 0, data: frame(1) }), w3.sectionHeader(), epb]);
  const got = parseChunks(file);
  assert.equal(got.recs.length, 1);
  assert.match(got.error!.message, /Packet 2 refers to interface 0, which its section does not describe \(0 interfaces\)/);
});

test('pcapng writer: packets need a described interface, timestamps must fit', () => {
  const w = new PcapngWriter();
  w.sectionHeader();
  assert.throws(() => w.packet({ interfaceId: 0, tsSec: 1, tsNsec: 0, data: frame(1) }), RangeError);
  w.addInterface({ linkType: 1, tsOffset: 100 });
  assert.throws(() => w.packet({ interfaceId: 0, tsSec: 99, tsNsec: 0, data: frame(1) }), RangeError); // before the offset
  assert.throws(() => w.packet({ interfaceId: 0, tsSec: 200, tsNsec: 1e9, data: frame(1) }), RangeError);
  assert.equal(w.interfaceCount, 1);
});

// --- corpus files ---

function corpusFile(t: { skip: (m: string) => void }, name: string): string | null {
  const path = capturePath(name);
  if (!path) t.skip(`${name} is neither in fixtures/captures nor in the corpus (${corpusDir})`);
  return path;
}

test('corpus many_interfaces-1.pcapng: 11 interfaces with names, filters and link types; packets on two', (t) => {
  const path = corpusFile(t, 'many_interfaces-1.pcapng');
  if (!path) return;
  const r = new CaptureFileReader(path);
  const recs = [];
  for (let x = r.next(); x; x = r.next()) recs.push(x);
  assert.equal(r.error, null);
  assert.equal(recs.length, 64);
  const ifs = r.parser.interfaces;
  assert.equal(ifs.length, 11);
  assert.deepEqual(ifs.slice(0, 5).map((i) => [i.name, i.linkType, i.snaplen, i.filter]), [
    ['en0', 1, 262144, 'host 192.168.1.139'],
    ['awdl0', 1, 262144, 'host 192.168.1.139'],
    ['bridge0', 1, 262144, 'host 192.168.1.139'],
    ['vboxnet0', 1, 262144, 'host 192.168.1.139'],
    ['utun0', 0, 262144, 'host 192.168.1.139'],
  ]);
  assert.deepEqual(new Set(ifs.map((i) => i.linkType)), new Set([1, 0, 12]));
  assert.deepEqual(recs.slice(0, 3).map((x) => [x.interfaceId, x.linkType, ts(x)]), [
    [0, 1, '1439753725.701607000'],
    [0, 1, '1439753725.701855000'],
    [10, 0, '1439753725.701568000'],
  ]);
  assert.equal(recs.filter((x) => x.interfaceId === 10).length, 2);
});

test('corpus too_many_interfaces.pcapng: 95 interfaces, the one packet on interface 82', (t) => {
  const path = corpusFile(t, 'too_many_interfaces.pcapng');
  if (!path) return;
  const r = new CaptureFileReader(path);
  const x = r.next()!;
  assert.equal(r.next(), null);
  assert.equal(r.error, null);
  assert.equal(r.parser.interfaces.length, 95);
  assert.equal(r.parser.interfaces[0]!.name, '\\Device\\NPF_{CD09206F-6D09-4F4E-B6BE-CA2FD3B8647D}');
  assert.equal(r.parser.interfaces[3]!.tsresol, 9);
  assert.deepEqual([x.interfaceId, ts(x), x.caplen], [82, '1460283000.005015000', 78]);
  assert.equal(r.parser.sections[0]!.userAppl, 'Mergecap (Wireshark) 4.0.2 (v4.0.2-0-g415456d13370)');
});

test('corpus pcapng-example.pcapng: ns and us interfaces, section and packet comments, 64-bit timestamps', (t) => {
  const path = corpusFile(t, 'pcapng-example.pcapng');
  if (!path) return;
  const r = new CaptureFileReader(path);
  const recs = [];
  for (let x = r.next(); x; x = r.next()) recs.push(x);
  assert.equal(recs.length, 159);
  assert.equal(r.parser.sectionComments.length, 1);
  assert.match(r.parser.sectionComments[0]!, /^CLIENT_RANDOM E39B5BF4903C6868/);
  assert.deepEqual(r.parser.interfaces.map((i) => [i.name, i.linkType, i.snaplen, i.tsresol, i.filter]), [['lo', 1, 262144, 9, 'tcp port 3306'], [undefined, 113, 0, 6, undefined]]);
  assert.deepEqual([ts(recs[0]!), ts(recs[1]!), ts(recs[58]!)], ['1422527998.578402281', '2894531997.938836488', '1422528033.092194163']);
  // tshark: 18446744073204.126329000 (an unsigned 64-bit microsecond count) and comment "Packet #1".
  assert.deepEqual([ts(recs[59]!), recs[59]!.comment, recs[59]!.caplen, recs[59]!.origlen], ['18446744073204.126329000', 'Packet #1', 68, 68]);
  assert.deepEqual([recs[60]!.caplen, recs[60]!.origlen, recs[60]!.comment], [128, 1444, 'Packet #2']);
  assert.equal(recs.filter((x) => x.comment).length, 100);
});

test('corpus file_heuristics_pcapng-example.pcapng and ipv6.pcapng: counts and timestamps', (t) => {
  const a = corpusFile(t, 'file_heuristics_pcapng-example.pcapng');
  const b = corpusFile(t, 'ipv6.pcapng');
  if (!a || !b) return;
  const ea = epochs(a);
  assert.deepEqual(ea.times, ['1422527998.578402281']);
  assert.equal(ea.reader.parser.interfaces[0]!.name, 'lo');
  const eb = epochs(b);
  assert.equal(eb.times.length, 35);
  assert.deepEqual([eb.times[0], eb.times[1], eb.times[34]], ['1442544361.518581000', '1442544361.518619000', '1442544369.881075000']);
  assert.equal(eb.reader.error, null);
});

test('corpus: every pcapng and pcap timestamp equals tshark -T fields -e frame.time_epoch', (t) => {
  const names = ['microsecs.pcap', 'nanosecs.pcap', 'microsecs_big_endian.pcap', 'nanosecs_big_endian.pcap', 'many_interfaces-1.pcapng', 'too_many_interfaces.pcapng', 'pcapng-example.pcapng', 'file_heuristics_pcapng-example.pcapng', 'ipv6.pcapng', 'ldap.pcapng', 'dns_over_tcp.pcapng'];
  if (!corpusAvailable) {
    t.skip(`corpus not found at ${corpusDir}`);
    return;
  }
  const probe = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('# tshark not found: skipping the timestamp comparison against tshark');
    t.skip('tshark is not installed');
    return;
  }
  for (const name of names) {
    const path = join(corpusDir, name);
    if (!existsSync(path)) continue;
    const out = spawnSync('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'frame.time_epoch'], { encoding: 'utf8' });
    const want = out.stdout.split('\n').filter((l) => l.length > 0);
    assert.deepEqual(epochs(path).times, want, name);
  }
});
