import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes } from '../../support/decode.ts';
import { Session } from '../../../decoders/index.ts';

// IcmpPackets.pcap #2: redirect quoting an echo request; #5: time exceeded with an RFC 4884
// MPLS extension; #9/#10: echo request and reply.
const redirect = 
  '002078e15a8000107b8143e3080045000038623d0000ff01d81e0a0263630a020a020501383e0a0263624500003c3a0000001f01fcb30a02' +
  '0a020a03470708001a5c02003100';
const ttlExceeded = 
  'c20966b00000c20d66d700000800450000a805fa0000fc01a1580a0002010a0001020b00ac2d000000004500001c00e50000021100d90a00' +
  '0102ac100002c01d82a500080607000000000000000000000000000000000000000000000000000000000000000000000000000000000000' +
  '0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' +
  '000020007df40008010100016101';
const request = 
  '021a11f0c83b60334b13c55808004500005426ef0000400157f9c0a82b09080808080800bbb3d73b000051a7d67d000451e408090a0b0c0d' +
  '0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637';
const reply = 
  '60334b13c558021a11f0c83b08004500005400000000280196e808080808c0a82b090000c3b3d73b000051a7d67d000451e408090a0b0c0d' +
  '0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637';
// IPv4-TSO.pcap #1: an echo request whose checksum is wrong.
const badChecksum = 
  '30469a23fbfa6cf049b2de6e0800450000001a570000800114650a0000040101010108004d5a000100016162636465666768696a6b6c6d6e' +
  '6f70717273747576776162636465666768';

test('ICMP: error message quotes an IP datagram decoded through the tables; columns stay outer', () => {
  const d = decode(redirect);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:icmp:ip:icmp');
  assert.equal(cell(d, 'icmp.type'), '5,8');
  assert.equal(cell(d, 'icmp.code'), '1,0');
  assert.equal(cell(d, 'icmp.checksum'), '0x383e,0x1a5c');
  assert.equal(cell(d, 'icmp.checksum.status'), '1,2');
  assert.equal(cell(d, 'icmp.redir_gw'), '10.2.99.98');
  assert.deepEqual(range(d, 'icmp.redir_gw'), [38, 4]);
  assert.equal(cell(d, 'ip.src'), '10.2.99.99,10.2.10.2');
  assert.equal(cell(d, 'ip.len'), '56,60');
  assert.equal(cell(d, 'icmp.ident'), '512');
  assert.equal(cell(d, 'icmp.ident_le'), '2');
  assert.equal(d.columns.protocol, 'ICMP');
  assert.equal(d.columns.info, 'Redirect             (Redirect for host)');
  assert.equal(d.columns.source, '10.2.99.99');
  assert.equal(d.columns.destination, '10.2.10.2');
  assert.equal(nodes(d, 'icmp.checksum')[1]!.label, 'Checksum: 0x1a5c [unverified] [in ICMP error packet]');
  assert.ok(!d.malformed);
});

test('ICMP: time exceeded with a 128-byte quote and an MPLS label stack extension', () => {
  const d = decode(ttlExceeded);
  assert.equal(d.columns.info, 'Time-to-live exceeded (Time to live exceeded in transit)');
  assert.equal(cell(d, 'icmp.unused'), '00000000');
  assert.equal(cell(d, 'icmp.ext.checksum.status'), '1');
  assert.equal(cell(d, 'icmp.ext.class'), '1');
  assert.equal(cell(d, 'icmp.mpls.label'), '22');
  assert.equal(cell(d, 'icmp.mpls.ttl'), '1');
  assert.deepEqual(range(d, 'icmp.mpls.ttl'), [181, 1]);
});

test('ICMP: echo request and reply are matched; BE and LE identifiers', () => {
  const s = new Session();
  const q = decode(request, 1, s, 9);
  assert.equal(q.columns.info, 'Echo (ping) request  id=0xd73b, seq=0/0, ttl=64');
  assert.equal(cell(q, 'icmp.ident'), '55099');
  assert.equal(cell(q, 'icmp.ident_le'), '15319');
  assert.equal(cell(q, 'icmp.seq'), '0');
  assert.deepEqual(range(q, 'icmp.seq_le'), [40, 2]);
  const r = decode(reply, 1, s, 10);
  assert.equal(r.columns.info, 'Echo (ping) reply    id=0xd73b, seq=0/0, ttl=40 (request in 9)');
  assert.equal(cell(r, 'icmp.resp_to'), '9');
  // Looking at the request again (as the UI does) shows where its reply is.
  const q2 = decode(request, 1, s, 9);
  assert.equal(q2.columns.info, 'Echo (ping) request  id=0xd73b, seq=0/0, ttl=64 (reply in 10)');
  assert.equal(cell(q2, 'icmp.resp_in'), '10');
});

test('ICMP: a wrong checksum says what it should be', () => {
  const d = decode(badChecksum);
  assert.equal(cell(d, 'icmp.checksum.status'), '0');
  assert.equal(nodes(d, 'icmp.checksum')[0]!.label, 'Checksum: 0x4d5a incorrect, should be 0x4dc3');
  assert.ok(d.experts.some((e) => e.message === 'Bad checksum [should be 0x4dc3]'));
});

test('ICMP: a message cut inside the header is malformed, the type is kept', () => {
  const d = decode(request.slice(0, 2 * 37));
  assert.equal(cell(d, 'icmp.type'), '8');
  assert.ok(d.malformed);
});
