// "Copy as tcpdump line" for one packet of an open capture (tcpdumpLineOf: TCP numbers relative
// as tcpdump reading the file from the start), the tcpdumpLine request, the outer addresses of
// tunnelled packets in the index and rows, and cut-short packets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { formatTcpdumpLine, tcpdumpLineOf } from '../../../electron/engine/tcpdump-line.ts';
import { Session } from '../../../electron/ipc/handlers.ts';
import { ContractError, validateArg } from '../../../electron/ipc/contract.ts';
import { corpusAvailable, corpusDir, repoRoot } from '../../support/corpus.ts';

const golden = (file: string) => readFileSync(join(repoRoot, 'fixtures/goldens/tcpdump', `${file}.txt`), 'utf8').split('\n').filter((l) => /^\d\d:/.test(l));

test('one packet alone gives the line tcpdump prints for it reading the whole file', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  for (const file of ['one_tcp_stream.pcap', 'three_http_streams.pcap', 'raw_ip.pcap', 'SllPacket.pcap', 'ArpRequestPacket.pcap', 'Dns.pcap']) {
    const e = CaptureEngine.open([join(corpusDir, file)]);
    await e.indexed;
    const want = golden(file);
    // Packets in reverse order: no state carried from one call to the next.
    for (let i = Math.min(e.count, want.length, 60) - 1; i >= 0; i--) assert.equal(tcpdumpLineOf(e, i), want[i], `${file} packet ${i + 1}`);
    e.close();
  }
  // Relative numbers: the third packet of the handshake acknowledges 1.
  const e = CaptureEngine.open([join(corpusDir, 'one_tcp_stream.pcap')]);
  await e.indexed;
  assert.match(tcpdumpLineOf(e, 2), /Flags \[\.\], ack 1, win 260, length 0$/);
  assert.match(tcpdumpLineOf(e, 0), /Flags \[S\], seq 1143861629, win 8192, options \[mss 1460,nop,wscale 8,nop,nop,sackOK\], length 0$/);
  e.close();
});

test('tcpdumpLine request and outer addresses of tunnelled rows', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const s = new Session(() => {});
  s.open([join(corpusDir, 'Vxlan1.pcap')]);
  const h = s.handlers;
  const { rows } = await h.rows({ start: 0, count: 1 });
  // Source/Destination stay the innermost addresses; the outer ones come with the row.
  assert.equal(rows[0]!.source, '192.168.203.3');
  assert.equal(rows[0]!.outerSource, '192.168.203.1');
  assert.equal(rows[0]!.outerDestination, '192.168.202.1');
  const { line } = await h.tcpdumpLine({ number: 1 });
  assert.equal(line, golden('Vxlan1.pcap').join('\n'));
  assert.ok(line.startsWith('20:21:45.838156 36:dc:85:1e:b3:40 > 00:16:3e:08:71:cf, ethertype IPv4 (0x0800), length 148: 192.168.203.1.45149 > 192.168.202.1.4789: VXLAN, flags [I] (0x88), vni 3000001\n'));
  assert.throws(() => validateArg('tcpdumpLine', { number: 0 }), ContractError);
  assert.throws(() => validateArg('tcpdumpLine', { number: '1' }), ContractError);
  assert.deepEqual(validateArg('tcpdumpLine', { number: 3, extra: 1 }), { number: 3 });
  await assert.rejects(async () => h.tcpdumpLine({ number: 99 }), /no packet 99/);
  // Not tunnelled: no outer addresses.
  s.open([join(corpusDir, 'one_tcp_stream.pcap')]);
  const r2 = await s.handlers.rows({ start: 0, count: 1 });
  assert.equal(r2.rows[0]!.outerSource, undefined);
  // IPv6 in IPv4 and nested GRE: the outermost IPv4 pair.
  s.open([join(corpusDir, 'IPv4-encapsulated-IPv6.pcap')]);
  const r3 = await s.handlers.rows({ start: 0, count: 1 });
  assert.deepEqual([r3.rows[0]!.outerSource, r3.rows[0]!.outerDestination, r3.rows[0]!.source], ['139.18.25.33', '81.131.67.131', '2001:638:902:1:201:2ff:fee2:7596']);
  s.close();
});

test('cut-short and hostile frames end with tcpdump\'s [|proto] marker, never throw', () => {
  const hex = (h: string) => Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
  // Ethernet + IPv4 + the first 10 bytes of a TCP header (frame 3 of one_tcp_stream.pcap, cut).
  const full = hex('c412f5ff72e86cf049b2de6e08004500002813b740008006000000000a000001' + '51da480ff06500501a43c37e');
  const line = formatTcpdumpLine({ bytes: full.subarray(0, 44), linkType: 1, tsSec: 0, tsNsec: 0, origlen: 60 });
  assert.match(line, /^00:00:00\.000000 6c:f0:49:b2:de:6e > c4:12:f5:ff:72:e8, ethertype IPv4 \(0x0800\), length 60: .* \[\|tcp\]$/);
  assert.equal(formatTcpdumpLine({ bytes: new Uint8Array(5), linkType: 1, tsSec: 0, tsNsec: 0, origlen: 5 }), '00:00:00.000000  [|ether]');
  // Random bytes on every link type: a string comes back.
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
  for (const link of [0, 1, 12, 101, 104, 108, 113, 228, 229, 239, 276, 999]) {
    for (let k = 0; k < 200; k++) {
      const b = Uint8Array.from({ length: 20 + (k % 90) }, rnd);
      assert.equal(typeof formatTcpdumpLine({ bytes: b, linkType: link, tsSec: k, tsNsec: 0, origlen: b.length }), 'string');
    }
  }
});
