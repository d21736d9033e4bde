import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, fromHex, nodes } from '../../support/decode.ts';
import { Session } from '../../../decoders/index.ts';

// UdpPacket4Checksum.pcap frame 1: a DNS response 10.0.0.138:53 -> 10.0.0.6:21536.
const dnsResponse = '080027191c7830469a23fbfa08004500005e00004000401126000a00008a0a00000600355420004aee19392781800001000200000000056461697379067562756e747503636f6d0000010001c00c000100010000004400045bbd5f36c00c000100010000004400045bbd5f37';

test('UDP: ports, length, checksum verified, stream, payload handed on by port', () => {
  const d = decode(dnsResponse);
  assert.equal(cell(d, 'udp.srcport'), '53');
  assert.equal(cell(d, 'udp.dstport'), '21536');
  assert.equal(cell(d, 'udp.port'), '53,21536');
  assert.equal(cell(d, 'udp.length'), '74');
  assert.equal(cell(d, 'udp.checksum'), '0xee19');
  assert.equal(cell(d, 'udp.checksum.status'), '1');
  assert.equal(cell(d, 'udp.stream'), '0');
  assert.deepEqual(range(d, 'udp.srcport'), [34, 2]);
  assert.deepEqual(range(d, 'udp.length'), [38, 2]);
  assert.deepEqual(range(d, 'udp.checksum'), [40, 2]);
  assert.deepEqual(range(d, 'udp.payload'), [42, 66]);
  assert.ok(d.protocols.join(':').startsWith('eth:ethertype:ip:udp'));
});

test('UDP: payload nobody claims is data, Info as tshark', () => {
  // The same headers carrying 5 bytes between two unassigned ports.
  const b = fromHex(dnsResponse).slice(0, 42 + 5);
  const v = new DataView(b.buffer);
  v.setUint16(16, 20 + 8 + 5);
  v.setUint16(34, 40000);
  v.setUint16(36, 40001);
  v.setUint16(38, 8 + 5);
  const d = decode(b);
  assert.equal(d.columns.protocol, 'UDP');
  assert.equal(d.columns.info, '40000 \u2192 40001 Len=5');
  assert.deepEqual(d.protocols, ['eth', 'ethertype', 'ip', 'udp', 'data']);
});

test('UDP: a zero checksum over IPv4 is "not present"', () => {
  const b = fromHex(dnsResponse);
  b[40] = 0;
  b[41] = 0;
  const d = decode(b);
  assert.equal(cell(d, 'udp.checksum'), '0x0000');
  assert.equal(cell(d, 'udp.checksum.status'), '3');
});

test('UDP: a length beyond the IP payload is flagged and the payload kept', () => {
  const b = fromHex(dnsResponse);
  b[38] = 0x01; // 0x014a = 330 > 74
  const d = decode(b);
  assert.equal(cell(d, 'udp.length'), '330');
  assert.ok(d.experts.some((e) => e.message.startsWith('Bad length value 330')));
  assert.ok(d.malformed);
  // The DNS answer is still decoded from what the IP payload holds.
  assert.match(d.columns.info, /^Standard query response 0x3927/);
});

test('UDP: a frame cut inside the header is marked, not thrown', () => {
  const cut = fromHex(dnsResponse).subarray(0, 34 + 5);
  const d = decode(cut, 1, new Session(), 1, 108);
  assert.equal(cell(d, 'udp.srcport'), '53');
  assert.equal(cell(d, 'udp.length'), '');
});

test('checksums: a corrupted UDP checksum is Bad with the value it should have, a cut datagram Unverified', () => {
  assert.equal(cell(decode(dnsResponse), 'udp.checksum.status'), '1');
  const bytes = fromHex(dnsResponse);
  bytes[40] = bytes[40]! ^ 0xff; // the UDP checksum's first byte
  const bad = decode(bytes);
  assert.equal(cell(bad, 'udp.checksum.status'), '0');
  assert.match(nodes(bad, 'udp.checksum')[0]!.label!, /incorrect, should be 0xee19/);
  assert.equal(bad.malformed, false, 'a bad checksum is not a malformed packet');
  const cut = decode(bytes.subarray(0, bytes.length - 4), 1, undefined, 1, bytes.length);
  assert.equal(cell(cut, 'udp.checksum.status'), '2');
});
