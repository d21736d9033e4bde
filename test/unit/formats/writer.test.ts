// The pcap and pcapng writers: files that our reader and, when installed, tshark and capinfos
// read back with the same packets, timestamps, interfaces, filters and comments.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { PcapWriter, concatBytes } from '../../../decoders/formats/pcap-writer.ts';
import { PcapngWriter } from '../../../decoders/formats/pcapng-writer.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { frame } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'pktscope-writer-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const tsharkPresent = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
const capinfosPresent = spawnSync('capinfos', ['-h'], { encoding: 'utf8' }).status === 0;

function needTool(t: { skip: (m: string) => void }, present: boolean, tool: string): boolean {
  if (present) return true;
  const reason = `${tool} is not installed: the check against Wireshark's reader is skipped`;
  console.log(`# ${reason}`);
  t.skip(reason);
  return false;
}

function tsharkFields(path: string, fields: string[]): string[][] {
  const r = spawnSync('tshark', ['-n', '-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

function readBack(path: string): { recs: { ts: string; len: number; caplen: number; iface: number; comment: string | undefined }[]; reader: CaptureFileReader } {
  const reader = new CaptureFileReader(path);
  const recs = [];
  for (let r = reader.next(); r; r = reader.next()) recs.push({ ts: `${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`, len: r.origlen, caplen: r.caplen, iface: r.interfaceId, comment: r.comment });
  assert.equal(reader.error, null);
  return { recs, reader };
}

// An Ethernet/ARP frame (ArpRequestPacket.pcap) so tshark decodes something real.
const arp = Uint8Array.from(Buffer.from('ffffffffffff001e8cb2de6e08060001080006040001001e8cb2de6e0a000001000000000000' + '0a00008a' + '00'.repeat(18), 'hex'));

const pcapCases = [
  { name: 'us-le.pcap', nanosecond: false, bigEndian: false },
  { name: 'ns-le.pcap', nanosecond: true, bigEndian: false },
  { name: 'us-be.pcap', nanosecond: false, bigEndian: true },
  { name: 'ns-be.pcap', nanosecond: true, bigEndian: true },
];

for (const c of pcapCases) {
  test(`pcap writer (${c.name}): read back by our reader and by tshark`, (t) => {
    const bytes = PcapWriter.file({ linkType: 1, snaplen: 128, nanosecond: c.nanosecond, bigEndian: c.bigEndian }, [
      { tsSec: 1_700_000_000, tsNsec: 123_456_789, data: arp },
      { tsSec: 1_700_000_001, tsNsec: 1_000, data: frame(2, 300) },
    ]);
    const path = join(dir, c.name);
    writeFileSync(path, bytes);
    const frac1 = c.nanosecond ? '123456789' : '123456000';
    const { recs } = readBack(path);
    assert.deepEqual(recs.map((r) => [r.ts, r.len, r.caplen]), [[`1700000000.${frac1}`, 60, 60], ['1700000001.000001000', 300, 128]]);
    if (!needTool(t, tsharkPresent, 'tshark')) return;
    assert.deepEqual(tsharkFields(path, ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'eth.src', 'arp.dst.proto_ipv4']), [
      [`1700000000.${frac1}`, '60', '60', '00:1e:8c:b2:de:6e', '10.0.0.138'],
      ['1700000001.000001000', '300', '128', '2c:33:3a:41:48:4f', ''],
    ]);
  });
}

/** A live-capture style file: SHB, IDBs with if_name and if_filter, EPBs with comments, an ISB. */
function liveCapture(): Uint8Array {
  const w = new PcapngWriter({ userAppl: 'pktscope 0.1.0', os: 'Linux', comment: 'captured by a test' });
  return concatBytes([
    w.sectionHeader(),
    w.addInterface({ linkType: 1, name: 'eth0', filter: 'arp or tcp port 80', snaplen: 262144, tsresol: 9, description: 'Wired' }),
    w.addInterface({ linkType: 101, name: 'tun0', filter: '' }),
    w.packet({ interfaceId: 0, tsSec: 1_700_000_000, tsNsec: 123_456_789, data: arp, comment: 'first packet' }),
    w.packet({ interfaceId: 1, tsSec: 1_700_000_000, tsNsec: 500_000_000, data: Uint8Array.from(Buffer.from('450000140001000040017cd50a0000010a000002', 'hex')) }),
    w.packet({ interfaceId: 0, tsSec: 1_700_000_002, tsNsec: 7, data: arp, comment: ['two', 'comments'] }),
    w.interfaceStatistics({ interfaceId: 0, tsSec: 1_700_000_003, tsNsec: 0, received: 2, dropped: 0 }),
  ]);
}

test('pcapng writer: a live capture (SHB, IDB with if_name and if_filter, EPBs with comments) read back by us and by tshark', (t) => {
  const path = join(dir, 'live.pcapng');
  writeFileSync(path, liveCapture());
  const { recs, reader } = readBack(path);
  assert.deepEqual(recs.map((r) => [r.iface, r.ts, r.len, r.comment]), [
    [0, '1700000000.123456789', 60, 'first packet'],
    [1, '1700000000.500000000', 20, undefined],
    [0, '1700000002.000000007', 60, 'two'],
  ]);
  assert.deepEqual(reader.parser.interfaces.map((i) => [i.name, i.filter, i.linkType]), [['eth0', 'arp or tcp port 80', 1], ['tun0', '', 101]]);
  assert.deepEqual(reader.parser.sectionComments, ['captured by a test']);
  if (!needTool(t, tsharkPresent, 'tshark')) return;
  assert.deepEqual(tsharkFields(path, ['frame.interface_id', 'frame.interface_name', 'frame.time_epoch', 'frame.len', 'frame.comment', 'ip.dst']), [
    ['0', 'eth0', '1700000000.123456789', '60', 'first packet', ''],
    ['1', 'tun0', '1700000000.500000000', '20', '', '10.0.0.2'],
    ['0', 'eth0', '1700000002.000000007', '60', 'two,comments', ''],
  ]);
});

test('pcapng writer: capinfos sees the interfaces, filters, comment and packet count', (t) => {
  if (!needTool(t, capinfosPresent, 'capinfos')) return;
  const path = join(dir, 'live-capinfos.pcapng');
  writeFileSync(path, liveCapture());
  const r = spawnSync('capinfos', [path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /File type:\s+Wireshark\/\.\.\. - pcapng/);
  assert.match(out, /Number of packets:\s+3\n/);
  assert.match(out, /Capture comment:\s+captured by a test/);
  assert.match(out, /Capture application:\s+pktscope 0\.1\.0/);
  assert.match(out, /Number of interfaces in file: 2/);
  assert.match(out, /Name = eth0/);
  assert.match(out, /Description = Wired/);
  assert.match(out, /Filter string = arp or tcp port 80/);
  assert.match(out, /Time precision = nanoseconds \(9\)/);
  assert.match(out, /Name = tun0/);
  assert.match(out, /Encapsulation = Raw IP/);
});

test('pcapng writer: a big-endian section with a binary resolution and if_tsoffset, read by tshark as by us', (t) => {
  const w = new PcapngWriter({ bigEndian: true });
  const bytes = concatBytes([
    w.sectionHeader(),
    w.addInterface({ linkType: 1, tsresol: 0x80 | 10, tsOffset: 1_600_000_000, name: 'be0' }),
    w.packet({ interfaceId: 0, tsSec: 1_600_000_123, tsNsec: 500_000_000, data: arp }),
    w.packet({ interfaceId: 0, tsSec: 1_600_000_124, tsNsec: 250_000_000, data: arp, comment: 'be' }),
  ]);
  const path = join(dir, 'be.pcapng');
  writeFileSync(path, bytes);
  const { recs } = readBack(path);
  assert.deepEqual(recs.map((r) => [r.ts, r.comment]), [['1600000123.500000000', undefined], ['1600000124.250000000', 'be']]);
  if (!needTool(t, tsharkPresent, 'tshark')) return;
  assert.deepEqual(tsharkFields(path, ['frame.time_epoch', 'frame.interface_name', 'frame.comment']), [
    ['1600000123.500000000', 'be0', ''],
    ['1600000124.250000000', 'be0', 'be'],
  ]);
});
