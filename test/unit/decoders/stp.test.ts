import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, nodes, range } from '../../support/decode.ts';

// Stp.pcap #1 (configuration BPDU), #2 (RSTP with TC) and #4 (TCN).
const conf = '0180c2000000001c0e878504002642420300000000008064001c0e877800000000048064001c0e87850080040100140002000f000000000000000000';
const rst = '0180c20000000001010000010027424203000002023d6001000d65adf6000000000a8001000bfd860f0080010100140002000f0000';
const tcn = '0180c2000000aabbcc000200000742420300000080000000000000000000000000000000000000000000000000000000000000000000000000000000';

test('STP configuration BPDU: identifiers, cost, port, timers; Info as tshark', () => {
  const d = decode(conf);
  assert.equal(cell(d, 'stp.protocol'), '0x0000');
  assert.equal(cell(d, 'stp.version'), '0');
  assert.equal(cell(d, 'stp.type'), '0x00');
  assert.equal(cell(d, 'stp.flags'), '0x00');
  assert.equal(cell(d, 'stp.root.prio'), '32768');
  assert.equal(cell(d, 'stp.root.ext'), '100');
  assert.equal(cell(d, 'stp.root.hw'), '00:1c:0e:87:78:00');
  assert.equal(cell(d, 'stp.root.cost'), '4');
  assert.equal(cell(d, 'stp.bridge.hw'), '00:1c:0e:87:85:00');
  assert.equal(cell(d, 'stp.port'), '0x8004');
  assert.equal(cell(d, 'stp.msg_age'), '1');
  assert.equal(cell(d, 'stp.max_age'), '20');
  assert.equal(cell(d, 'stp.forward'), '15');
  assert.deepEqual(range(d, 'stp.root.hw'), [24, 6]);
  assert.deepEqual(range(d, 'stp.port'), [42, 2]);
  assert.equal(d.columns.protocol, 'STP');
  assert.equal(d.columns.info, 'Conf. Root = 32768/100/00:1c:0e:87:78:00  Cost = 4  Port = 0x8004');
  // 35 bytes of BPDU inside the 38 the 802.3 length allows; the rest is Ethernet padding.
  assert.equal(nodes(d, 'stp')[0]!.length, 35);
});

test('RSTP: flags summary and Info with TC', () => {
  const d = decode(rst);
  assert.equal(cell(d, 'stp.flags'), '0x3d');
  assert.equal(cell(d, 'stp.flags.port_role'), '3');
  assert.equal(cell(d, 'stp.flags.tc'), '1');
  assert.equal(cell(d, 'stp.version_1_length'), '0');
  assert.equal(nodes(d, 'stp.flags')[0]!.label, 'BPDU flags: 0x3d, Forwarding, Learning, Port Role: Designated, Topology Change');
  assert.equal(d.columns.info, 'RST. TC + Root = 24576/1/00:0d:65:ad:f6:00  Cost = 10  Port = 0x8001');
});

test('STP TCN: four bytes and its Info', () => {
  const d = decode(tcn);
  assert.equal(cell(d, 'stp.type'), '0x80');
  assert.equal(d.columns.info, 'Topology Change Notification');
  assert.equal(cell(d, 'stp.root.hw'), '');
});

test('MSTP: a Version 3 Length that counts records beyond the packet is malformed after the first record', () => {
  // StpEdit.pcap #5: Version 3 Length 15 (< 64) is read as 15 MSTI records; one is present.
  const hex =
    '0180c2000000001aa197d1850079424203000003027c8000000c305dd100000000008000000c305dd1008005000014000200' +
    '0f0000000f035465737420537472696e67000000000000000000000000000000000000000000001155bf4e8a44b25d442868' +
    '549c1bf7720f00033d797000003bb79180d1117c8005000c305dd10000030d40808013';
  const d = decode(hex);
  assert.equal(cell(d, 'mstp.version_3_length'), '15');
  assert.equal(cell(d, 'mstp.config_name'), 'Test String');
  assert.equal(cell(d, 'mstp.msti.msti_id'), '5');
  assert.ok(d.malformed);
});
