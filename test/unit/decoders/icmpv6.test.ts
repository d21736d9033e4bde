import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes } from '../../support/decode.ts';
import { Session } from '../../../decoders/index.ts';

// IcmpV6_NeighAdvSoli.pcap #1/#2, IcmpV6_EchoMessages.pcap #1/#2, IcmpV6_Generic.pcap #1.
const solicit = 
  '3333fff50000c20054f5000086dd6e00000000183aff00000000000000000000000000000000ff0200000000000000000001fff500008700' +
  '673c00000000fe80000000000000c00054fffef50000';
const advert = 
  '333300000001c20054f5000086dd6e00000000203afffe80000000000000c00054fffef50000ff0200000000000000000000000000018800' +
  '9abba0000000fe80000000000000c00054fffef500000201c20054f50000';
const request = 
  '00155d70fc2e00155da5c4c586dd600d2ce300403a40fe8000000000000002155dfffea5c4c5fe80000000000000dd05dae074bc73418000' +
  '7a4c00180014bdcecb6200000000f3a1090000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031' +
  '323334353637';
const reply = 
  '00155da5c4c500155d70fc2e86dd6000000000403a80fe80000000000000dd05dae074bc7341fe8000000000000002155dfffea5c4c58100' +
  '794c00180014bdcecb6200000000f3a1090000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031' +
  '323334353637';
const mldv2 = 
  '333300000016080027d410bb86dd6000000000380001fe800000000000000a0027fffed410bbff0200000000000000000000000000163a00' +
  '0502000001008f002b5a0000000204000000ff05000000000000000000000001000304000000ff020000000000000000000000010002';

test('ICMPv6: neighbor solicitation and advertisement with a link-layer option', () => {
  const s = decode(solicit);
  assert.equal(s.columns.info, 'Neighbor Solicitation for fe80::c000:54ff:fef5:0');
  assert.equal(cell(s, 'icmpv6.checksum.status'), '1');
  assert.equal(cell(s, 'icmpv6.nd.ns.target_address'), 'fe80::c000:54ff:fef5:0');
  const a = decode(advert);
  assert.equal(a.columns.info, 'Neighbor Advertisement fe80::c000:54ff:fef5:0 (rtr, ovr) is at c2:00:54:f5:00:00');
  assert.equal(cell(a, 'icmpv6.type'), '136');
  assert.equal(cell(a, 'icmpv6.nd.na.flag'), '0xa0000000');
  assert.equal(cell(a, 'icmpv6.nd.na.flag.s'), '0');
  assert.equal(cell(a, 'icmpv6.opt.type'), '2');
  assert.equal(cell(a, 'icmpv6.opt.linkaddr'), 'c2:00:54:f5:00:00');
  assert.equal(cell(a, 'icmpv6.opt.target_linkaddr'), 'c2:00:54:f5:00:00');
  assert.deepEqual(range(a, 'icmpv6.opt.linkaddr'), [80, 6]);
  assert.equal(nodes(a, 'icmpv6.opt')[0]!.label, 'ICMPv6 Option (Target link-layer address : c2:00:54:f5:00:00)');
  assert.equal(a.columns.protocol, 'ICMPv6');
});

test('ICMPv6: echo request and reply matched, hop limit in Info', () => {
  const s = new Session();
  const q = decode(request, 1, s, 1);
  assert.equal(q.columns.info, 'Echo (ping) request id=0x0018, seq=20, hop limit=64');
  assert.equal(cell(q, 'icmpv6.echo.identifier'), '0x0018');
  assert.deepEqual(range(q, 'icmpv6.echo.sequence_number'), [60, 2]);
  const r = decode(reply, 1, s, 2);
  assert.equal(r.columns.info, 'Echo (ping) reply id=0x0018, seq=20, hop limit=128 (request in 1)');
  assert.equal(cell(r, 'icmpv6.resp_to'), '1');
});

test('ICMPv6: MLDv2 report records', () => {
  const d = decode(mldv2);
  assert.equal(d.columns.info, 'Multicast Listener Report Message v2');
  assert.equal(cell(d, 'icmpv6.mldr.nb_mcast_records'), '2');
  assert.equal(cell(d, 'icmpv6.mldr.mar.record_type'), '4,4');
  assert.equal(cell(d, 'icmpv6.mldr.mar.multicast_address'), 'ff05::1:3,ff02::1:2');
  assert.equal(nodes(d, 'icmpv6.mldr.mar')[0]!.label, 'Multicast Address Record Changed to exclude: ff05::1:3');
  assert.ok(d.protocols.join(':').endsWith('ipv6.hopopts:icmpv6'));
});

test('ICMPv6: an option running past the message is malformed', () => {
  const d = decode(advert.slice(0, 2 * 82));
  assert.equal(cell(d, 'icmpv6.nd.na.target_address'), 'fe80::c000:54ff:fef5:0');
  assert.ok(d.malformed);
});
