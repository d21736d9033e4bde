import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, nodes, range } from '../../support/decode.ts';
import { Session } from '../../../decoders/index.ts';

// ArpRequestPacket.pcap #1 and ArpResponsePacket.pcap #1 (the reply carries an 18-byte trailer).
const request = 'ffffffffffff6cf049b2de6e08060001080006040001' + '6cf049b2de6e0a000001' + '0000000000000a00008a';
const reply = '6cf049b2de6e30469a23fbfa0806000108000604000230469a23fbfa0a00008a6cf049b2de6e0a000001742066726f6d206272696467650037003d20';
const eth = 'ffffffffffffca030db4001c0806';

test('ARP request: every field, ranges, Info and columns as tshark -n', () => {
  const d = decode(request);
  assert.equal(cell(d, 'arp.hw.type'), '1');
  assert.equal(cell(d, 'arp.proto.type'), '0x0800');
  assert.equal(cell(d, 'arp.hw.size'), '6');
  assert.equal(cell(d, 'arp.proto.size'), '4');
  assert.equal(cell(d, 'arp.opcode'), '1');
  assert.equal(cell(d, 'arp.src.hw_mac'), '6c:f0:49:b2:de:6e');
  assert.equal(cell(d, 'arp.src.proto_ipv4'), '10.0.0.1');
  assert.equal(cell(d, 'arp.dst.hw_mac'), '00:00:00:00:00:00');
  assert.equal(cell(d, 'arp.dst.proto_ipv4'), '10.0.0.138');
  assert.deepEqual(range(d, 'arp.opcode'), [20, 2]);
  assert.deepEqual(range(d, 'arp.src.proto_ipv4'), [28, 4]);
  assert.deepEqual(range(d, 'arp.dst.proto_ipv4'), [38, 4]);
  assert.equal(d.columns.info, 'Who has 10.0.0.138? Tell 10.0.0.1');
  assert.equal(d.columns.protocol, 'ARP');
  assert.equal(d.columns.source, '6c:f0:49:b2:de:6e');
  assert.equal(d.columns.destination, 'ff:ff:ff:ff:ff:ff');
});

test('ARP reply: Info, and the bytes after it stay with Ethernet', () => {
  const d = decode(reply);
  assert.equal(cell(d, 'arp.opcode'), '2');
  assert.equal(d.columns.info, '10.0.0.138 is at 30:46:9a:23:fb:fa');
  assert.equal(d.protocols.join(':'), 'eth:ethertype:arp');
});

test('ARP: gratuitous, probe and announcement as Wireshark 4.0 names them', () => {
  const announce = decode(eth + '0001080006040001ca030db4001cc0a802c8000000000000c0a802c8');
  assert.equal(announce.columns.info, 'ARP Announcement for 192.168.2.200');
  assert.equal(cell(announce, 'arp.isgratuitous'), '1');
  assert.equal(cell(announce, 'arp.isannouncement'), '1');
  const grat = decode(eth + '0001080006040002ca030db4001cc0a802c8ffffffffffffc0a802c8');
  assert.equal(grat.columns.info, 'Gratuitous ARP for 192.168.2.200 (Reply)');
  const probe = decode(eth + '0001080006040001ca030db4001c00000000000000000000c0a802c8');
  assert.equal(probe.columns.info, 'Who has 192.168.2.200? (ARP Probe)');
  assert.equal(cell(probe, 'arp.isprobe'), '1');
});

test('RARP and Inverse ARP: protocol column and Info', () => {
  const rarp = decode(eth + '0001080006040003ca030db4001cc0a802c8000000000000c0a802fe');
  assert.equal(rarp.columns.protocol, 'RARP');
  assert.equal(rarp.columns.info, 'Who is 00:00:00:00:00:00? Tell ca:03:0d:b4:00:1c');
  const inarp = decode(eth + '0001080006040009ca030db4001cc0a802c8000000000000c0a802fe');
  assert.equal(inarp.columns.protocol, 'Inverse ARP');
  assert.equal(inarp.columns.info, 'ca:03:0d:b4:00:1c is at 192.168.2.200');
});

test('ARP: non-Ethernet sizes fall back to byte fields', () => {
  const d = decode(eth + '000f08000204' + '0001' + 'aabb' + 'c0a802c8' + 'ccdd' + 'c0a802fe');
  assert.equal(cell(d, 'arp.src.hw'), 'aabb');
  assert.equal(cell(d, 'arp.src.hw_mac'), '');
  assert.equal(cell(d, 'arp.src.proto_ipv4'), '192.168.2.200');
});

test('ARP: a packet cut inside the addresses is malformed', () => {
  const d = decode(eth + '00010800060400');
  assert.equal(cell(d, 'arp.hw.type'), '1');
  assert.ok(d.malformed);
});

test('ARP: duplicate address detection across frames, stable on re-dissection', () => {
  const s = new Session();
  const a = 'ffffffffffff001122334455080600010800060400020011223344550a00000100aabbccddee0a000002';
  const b = 'ffffffffffff001122334466080600010800060400020011223344660a00000100aabbccddee0a000002';
  const c = 'ffffffffffff001122334466080600010800060400010011223344660a0000010000000000000a000002';
  assert.equal(decode(a, 1, s, 1).columns.info, '10.0.0.1 is at 00:11:22:33:44:55');
  const d2 = decode(b, 1, s, 2);
  // As in Wireshark 4.0: the tree reports it, but the clean target check that follows hides the Info note.
  assert.equal(d2.columns.info, '10.0.0.1 is at 00:11:22:33:44:66');
  assert.equal(cell(d2, 'arp.duplicate-address-frame'), '1');
  assert.equal(nodes(d2, 'arp.duplicate-address')[0]!.label, '[Duplicate IP address detected for 10.0.0.1 (00:11:22:33:44:66) - also in use by 00:11:22:33:44:55 (frame 1)]');
  assert.equal(d2.experts[0]!.message, 'Duplicate IP address configured (10.0.0.1)');
  assert.equal(decode(c, 1, s, 3).columns.info, 'Who has 10.0.0.2? Tell 10.0.0.1 (duplicate use of 10.0.0.1 detected!)');
  const again = decode(b, 1, s, 2);
  assert.equal(cell(again, 'arp.duplicate-address-frame'), '1');
});
