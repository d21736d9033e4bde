import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, nodes, range } from '../../support/decode.ts';

// ArpRequestWithVlan.pcap #1: two 802.1Q tags (666 with PRI 5 DEI 1, then 200), then ARP.
const doubleTag = 'ffffffffffffca030db4001c8100b29a810040c808060001080006040001ca030db4001cc0a802c8000000000000c0a802fe';
const arp = '0001080006040001ca030db4001cc0a802c8000000000000c0a802fe';
// QinQ_802.1_AD.pcapng #1, first 40 bytes: S-tag 0x88a8 ID 30, C-tag 0x8100 ID 100, IPv4.
const qinq = '00109400000c00109400001488a8001e810000640800450005c254b00000fffdddbfc0550116c055010e';

test('802.1Q: priority, DEI, ID and type of each stacked tag, with byte ranges', () => {
  const d = decode(doubleTag);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:vlan:ethertype:vlan:ethertype:arp');
  assert.equal(cell(d, 'vlan.id'), '666,200');
  assert.equal(cell(d, 'vlan.priority'), '5,2');
  assert.equal(cell(d, 'vlan.dei'), '1,0');
  assert.equal(cell(d, 'vlan.etype'), '0x8100,0x0806');
  assert.deepEqual(range(d, 'vlan.id'), [14, 2]);
  assert.deepEqual(nodes(d, 'vlan.etype').map((n) => n.offset), [16, 20]);
  const heading = nodes(d, 'vlan')[0]!.label;
  assert.equal(heading, '802.1Q Virtual LAN, PRI: 5, DEI: 1, ID: 666');
});

test('802.1ad S-tag is its own protocol, then 802.1Q', () => {
  const d = decode(qinq, 1, undefined, 1, 1500);
  assert.equal(d.protocols.slice(0, 6).join(':'), 'eth:ethertype:ieee8021ad:ethertype:vlan:ethertype');
  assert.equal(cell(d, 'ieee8021ad.id'), '30');
  assert.equal(cell(d, 'ieee8021ah.etype'), '0x8100');
  assert.equal(cell(d, 'vlan.id'), '100');
});

test('VLAN trailer: padding up to 60 bytes is eth.padding, beyond it vlan.trailer', () => {
  const at60 = decode('ffffffffffffca030db4001c8100b29a0806' + arp + '00'.repeat(14));
  assert.equal(cell(at60, 'eth.padding'), '00'.repeat(14));
  assert.equal(cell(at60, 'vlan.trailer'), '');
  const at62 = decode('ffffffffffffca030db4001c8100b29a0806' + arp + '00'.repeat(15) + '01');
  assert.equal(cell(at62, 'eth.padding'), '00'.repeat(14));
  assert.equal(cell(at62, 'vlan.trailer'), '0001');
  const short = decode('ffffffffffffca030db4001c8100b29a0806' + arp + '00'.repeat(12));
  assert.equal(cell(short, 'vlan.trailer'), '00'.repeat(12));
});

test('802.3 inside a tag: vlan.len, then LLC, then the trailer', () => {
  const d = decode('ffffffffffffca030db4001c8100b29a0006' + '424203000000' + '0000' + '0102030405');
  assert.equal(cell(d, 'vlan.len'), '6');
  assert.equal(cell(d, 'vlan.etype'), '');
  assert.equal(d.protocols.slice(0, 4).join(':'), 'eth:ethertype:vlan:llc');
  assert.equal(cell(d, 'vlan.trailer'), '00000102030405');
  assert.deepEqual(range(d, 'vlan.trailer'), [24, 7]);
});

test('VLAN: a tag cut after the TCI keeps the ID and is malformed', () => {
  const d = decode('ffffffffffffca030db4001c8100b29a81');
  assert.equal(cell(d, 'vlan.id'), '666');
  assert.ok(d.malformed);
});
