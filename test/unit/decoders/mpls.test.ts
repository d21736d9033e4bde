import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, nodes, range } from '../../support/decode.ts';

// MplsPackets.pcap #2: labels 18 and 16, then an Ethernet pseudowire with control word,
// carrying VLAN 1 / IPv4 / ICMP (first 98 bytes of the frame).
const pwStack = 'cc0404dc0010cc0304dc00108847000120fe000101ff00000000cc070d080000cc000a6400008100000108004500006400070000ff01383ec0a80102c0a801010000bb2a00010002000000000004cb18abcdabcdabcdabcdabcdabcdabcdabcdabcdabcd';
// MplsPackets.pcap #1 (first 50 bytes): two VLAN tags, one label (16000), then IPv4.
const vlanMpls = '28c2ceba97e8508189f9d57b810000d78100000b884703e8017e4500014f7ac500007e06a0bf020304060c0d0e0f509c0050469662087fffffff';
const ipv4 = '45000020000100004011f97c0a0000010a00000204d200350008000000000000';

test('MPLS: a two-label stack, fields of both shims, bottom-of-stack', () => {
  const d = decode(pwStack, 1, undefined, 2, 144);
  assert.equal(cell(d, 'mpls.label'), '18,16');
  assert.equal(cell(d, 'mpls.exp'), '0,0');
  assert.equal(cell(d, 'mpls.bottom'), '0,1');
  assert.equal(cell(d, 'mpls.ttl'), '254,255');
  assert.deepEqual(nodes(d, 'mpls.label').map((n) => [n.offset, n.length]), [[14, 4], [18, 4]]);
  assert.equal(nodes(d, 'mpls')[0]!.label, 'MultiProtocol Label Switching Header, Label: 18, Exp: 0, S: 0, TTL: 254');
});

test('MPLS: first nibble 0 is an Ethernet pseudowire with a control word', () => {
  const d = decode(pwStack, 1, undefined, 2, 144);
  assert.equal(d.protocols.slice(0, 8).join(':'), 'eth:ethertype:mpls:pwethheuristic:pwethcw:eth:ethertype:vlan');
  assert.equal(cell(d, 'pweth.cw.sequence_number'), '0');
  assert.deepEqual(range(d, 'pweth.cw.sequence_number'), [24, 2]);
  assert.equal(cell(d, 'eth.src'), 'cc:03:04:dc:00:10,cc:00:0a:64:00:00');
  assert.equal(cell(d, 'vlan.id'), '1');
});

test('MPLS: first nibble 4 is IPv4 (after two VLAN tags)', () => {
  const d = decode(vlanMpls, 1, undefined, 1, 361);
  assert.equal(cell(d, 'mpls.label'), '16000');
  assert.equal(cell(d, 'mpls.ttl'), '126');
  assert.deepEqual(range(d, 'mpls.label'), [22, 4]);
  assert.equal(d.protocols.slice(0, 8).join(':'), 'eth:ethertype:vlan:ethertype:vlan:ethertype:mpls:ip');
});

test('MPLS: explicit-null label name, PW-ACH and unknown payload', () => {
  const eth = '00112233445500aabbccddee8847';
  const explicitNull = decode(eth + '0000013f' + ipv4);
  assert.equal(nodes(explicitNull, 'mpls')[0]!.label, 'MultiProtocol Label Switching Header, Label: 0 (IPv4 Explicit-Null), Exp: 0, S: 1, TTL: 63');
  assert.equal(explicitNull.protocols.slice(0, 4).join(':'), 'eth:ethertype:mpls:ip');
  const ach = decode(eth + '0001013f' + '10000021' + ipv4);
  assert.equal(ach.protocols.slice(0, 5).join(':'), 'eth:ethertype:mpls:pwach:ip');
  assert.equal(cell(ach, 'pwach.channel_type'), '0x0021');
  const other = decode(eth + '0001013f' + '5500000000000000');
  assert.equal(other.protocols.join(':'), 'eth:ethertype:mpls:data');
  assert.equal(other.columns.info, 'MPLS Label Switched Packet');
});

test('MPLS: a stack without bottom-of-stack running off the frame is malformed', () => {
  const d = decode('00112233445500aabbccddee8847' + '000120fe' + '0001');
  assert.equal(cell(d, 'mpls.label'), '18');
  assert.ok(d.malformed);
});
