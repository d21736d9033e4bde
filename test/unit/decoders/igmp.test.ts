import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes } from '../../support/decode.ts';

// igmpv3_report2.pcap #1, igmpv3_query2.pcap #1, igmp.pcapng #1 (v2 query) and #3 (v1 query).
const report = 
  '01005e0000160001010000020800450000740f65000001024b0c7f000001e00000162200bf140000000503000004010101010c22384e584d' +
  '42372c21160bffffffff04000002010305070d1839441f2a4b5601000001e0000009c0a814de0200000304030201010203040b16212c6fde' +
  '212c05000002020406080d1839441f2a4b56';
const query3 = 
  '01005e0000090001010000010800450000348f9800000102cb257f000001e000000911016d1ae000000b0f0000050a141e28c0a814de64c8' +
  'ffff010203040b16212c';
const query2 = 
  '01005e0000010001636fc800080045c0001cf77000000102d6b50a3c00bde00000011164ee9b000000000000000000000000000000000000' +
  '00000000';
const query1 = 
  '01005e0000015cd998f91c18080046000020000200000102723d0a00c897e0000001940400001100eeff0000000000000000000000000000' +
  '00000000';

test('IGMPv3 report: group records in the tree and in Info', () => {
  const d = decode(report);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:igmp:igmp');
  assert.equal(d.columns.protocol, 'IGMPv3');
  assert.equal(cell(d, 'igmp.version'), '3');
  assert.equal(cell(d, 'igmp.type'), '0x22');
  assert.equal(cell(d, 'igmp.checksum.status'), '1');
  assert.equal(cell(d, 'igmp.num_grp_recs'), '5');
  assert.equal(cell(d, 'igmp.record_type'), '3,4,1,2,5');
  assert.equal(nodes(d, 'igmp.group_record')[0]!.label, 'Group Record : 1.1.1.1  Change To Include Mode');
  assert.equal(d.columns.info, 'Membership Report / Join group 1.1.1.1 for sources in {12.34.56.78, 88.77.66.55, 44.33.22.11, 255.255.255.255} / Join group 1.3.5.7, for sources not in {13.24.57.68, 31.42.75.86} / Join group 224.0.0.9 for source {192.168.20.222} / Join group 4.3.2.1, for sources not in {1.2.3.4, 11.22.33.44, 111.222.33.44} / Group 2.4.6.8, new sources {13.24.57.68, 31.42.75.86}');
});

test('IGMP: v3, v2 and v1 queries told apart', () => {
  const q3 = decode(query3);
  assert.equal(q3.columns.info, 'Membership Query, specific for group 224.0.0.11, sources {10.20.30.40, 192.168.20.222, 100.200.255.255, 1.2.3.4, 11.22.33.44}');
  assert.equal(cell(q3, 'igmp.num_src'), '5');
  assert.equal(cell(q3, 'igmp.s'), '1');
  assert.equal(cell(q3, 'igmp.qrv'), '7');
  const q2 = decode(query2);
  assert.equal(q2.columns.protocol, 'IGMPv2');
  assert.equal(q2.columns.info, 'Membership Query, general');
  assert.equal(cell(q2, 'igmp.max_resp'), '100');
  assert.equal(nodes(q2, 'igmp.max_resp')[0]!.label, 'Max Resp Time: 10.0 sec (0x64)');
  assert.deepEqual(range(q2, 'igmp.maddr'), [38, 4]);
  const q1 = decode(query1);
  assert.equal(q1.columns.protocol, 'IGMPv1');
  assert.equal(q1.columns.info, 'Membership Query');
  assert.equal(cell(q1, 'igmp.reserved'), '00');
});

test('IGMP: a record running past the message is malformed', () => {
  const d = decode(report.slice(0, 2 * 70));
  assert.equal(cell(d, 'igmp.num_grp_recs'), '5');
  assert.ok(d.malformed);
});
