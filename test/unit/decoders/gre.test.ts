import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes } from '../../support/decode.ts';

// GrePackets.pcap #1: enhanced GRE (PPTP) carrying PPP; #3: GRE with checksum carrying IPv4
// carrying a GRE keepalive.
const pptp = 
  '000ded7b48f400904b1fa4f708004500002c067c0000802fad97c0a80241c0a802fe3081880b000800060000002200000011ff0380fd0604' +
  '0004';
const nested = 
  '00010100000200010100000108004500003400010000402f7c987f0000017f0000018000080077ff000045000018b6fd0000402fc5b77f00' +
  '00017f00000100000000';

test('Enhanced GRE: key split into payload length and call id, sequence and ack', () => {
  const d = decode(pptp);
  assert.equal(cell(d, 'gre.flags_and_version'), '0x3081');
  assert.equal(cell(d, 'gre.flags.version'), '1');
  assert.equal(cell(d, 'gre.flags.ack'), '1');
  assert.equal(cell(d, 'gre.flags.reserved'), '0');
  assert.equal(cell(d, 'gre.proto'), '0x880b');
  assert.equal(cell(d, 'gre.key.payload_length'), '8');
  assert.equal(cell(d, 'gre.key.call_id'), '6');
  assert.equal(cell(d, 'gre.sequence_number'), '34');
  assert.equal(cell(d, 'gre.ack_number'), '17');
  assert.deepEqual(range(d, 'gre.ack_number'), [46, 4]);
  assert.equal(nodes(d, 'gre')[0]!.label, 'Generic Routing Encapsulation (PPP)');
  assert.ok(d.protocols.join(':').startsWith('eth:ethertype:ip:gre'));
});

test('GRE: checksum verified, payload through the ethertype table', () => {
  const d = decode(nested);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:gre:ip:gre');
  assert.equal(cell(d, 'gre.proto'), '0x0800,0x0000');
  assert.equal(cell(d, 'gre.checksum'), '0x77ff');
  assert.equal(cell(d, 'gre.checksum.status'), '1');
  assert.equal(cell(d, 'gre.offset'), '0');
  assert.equal(d.columns.protocol, 'GRE');
  assert.equal(d.columns.info, 'Encapsulated Possible GRE keepalive packet');
});

test('GRE: cut inside the optional fields is malformed', () => {
  const d = decode(pptp.slice(0, 2 * 40));
  assert.equal(cell(d, 'gre.proto'), '0x880b');
  assert.ok(d.malformed);
});
