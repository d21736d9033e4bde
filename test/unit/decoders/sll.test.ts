import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range } from '../../support/decode.ts';

// SllPacket.pcap #1 (LINKTYPE_LINUX_SLL, IPv6/TCP), first 40 bytes after the SLL header.
const sllV1 = '0000000100060012441e7400f67f86dd' + '6000000004d80637240468008004000000000000000000682404013840024000023048fffedd0053';
// Sll2Packet.pcap #1 (LINKTYPE_LINUX_SLL2, IPv4/TCP, 60 bytes).
const sllV2 = '080000000000001400010406d2cfc25015ea0000450000288b2240004006599707f99772743f426cdfcc01bba7ab9fbfaaceb5e95010042256310000';
// Sll2PacketLLC.pcap #1: SLL2 with protocol 0x0004 (802.2 LLC) carrying an RSTP BPDU.
const sllV2Llc = '000400000000000300010206e01cfcd3b1e10000424203000002023e80004c5e0c3ec6dd00004e388000e01cfcd3b1df80020300140002000f000020202020202020';

test('SLL v1: header fields, source column, hand-off through the ethertype dispatcher', () => {
  const d = decode(sllV1, 113);
  assert.equal(cell(d, 'sll.pkttype'), '0');
  assert.equal(cell(d, 'sll.hatype'), '1');
  assert.equal(cell(d, 'sll.halen'), '6');
  assert.equal(cell(d, 'sll.src.eth'), '00:12:44:1e:74:00');
  assert.equal(cell(d, 'sll.unused'), 'f67f');
  assert.equal(cell(d, 'sll.etype'), '0x86dd');
  assert.deepEqual(range(d, 'sll.src.eth'), [6, 6]);
  assert.deepEqual(range(d, 'sll.unused'), [12, 2]);
  assert.deepEqual(range(d, 'sll.etype'), [14, 2]);
  assert.equal(d.protocols.slice(0, 2).join(':'), 'sll:ethertype');
});

test('SLL v2: field order and offsets as Wireshark 4.0 shows them', () => {
  const d = decode(sllV2, 276);
  assert.equal(cell(d, 'sll.etype'), '0x0800');
  assert.equal(cell(d, 'sll.ifindex'), '20');
  assert.equal(cell(d, 'sll.hatype'), '1');
  assert.equal(cell(d, 'sll.pkttype'), '4');
  assert.equal(cell(d, 'sll.halen'), '6');
  assert.equal(cell(d, 'sll.src.eth'), 'd2:cf:c2:50:15:ea');
  assert.deepEqual(range(d, 'sll.etype'), [0, 2]);
  assert.deepEqual(range(d, 'sll.ifindex'), [4, 4]);
  assert.deepEqual(range(d, 'sll.pkttype'), [10, 1]);
  assert.deepEqual(range(d, 'sll.halen'), [11, 1]);
  assert.deepEqual(range(d, 'sll.unused'), [18, 2]);
  assert.equal(d.protocols.slice(0, 2).join(':'), 'sll:ethertype');
});

test('SLL v2 with a Linux protocol type: 802.2 LLC, then STP', () => {
  const d = decode(sllV2Llc, 276);
  assert.equal(d.protocols.join(':'), 'sll:llc:stp');
  assert.equal(cell(d, 'sll.ltype'), '0x0004');
  assert.equal(cell(d, 'sll.etype'), '');
  assert.equal(d.columns.source, 'e0:1c:fc:d3:b1:e1');
  assert.equal(d.columns.destination, '');
});

test('SLL: a trailer after the payload is sll.trailer, even when zero', () => {
  const ip = '45000020000100004011f97c0a0000010a00000204d200350008000000000000';
  const d = decode('0000' + '0001' + '0006' + '001122334455' + '0000' + '0800' + ip + '000000', 113);
  assert.equal(cell(d, 'sll.trailer'), '000000');
});

test('SLL: a header cut short is marked malformed and keeps what was read', () => {
  const d = decode(sllV1.slice(0, 20), 113);
  assert.equal(cell(d, 'sll.pkttype'), '0');
  assert.equal(cell(d, 'sll.hatype'), '1');
  assert.ok(d.malformed);
});
