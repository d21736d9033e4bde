import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, fromHex } from '../../support/decode.ts';

// Dhcp1.pcap #1: a relayed DHCP Offer (BOOTP at offset 42).
const offer =
  '00e0b149390200137225facd0800450001944f920000801177ccac16b2ea0a0a08f0004300430180720e020106017771cf85000a0000000000000a0a08ebac16b2ea0a0a08f0000e8611c07500000000' +
  '0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' +
  '0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' +
  '0000000000000000000000000000000000000000000000000000000000000000000000000000638253633501020104ffffff003604ac16b2ea33040000a8c003040a0a08fe06088fd104018fd1050142' +
  '0e3137322e32322e3137382e323334780501ac16b2ea3d10006e617468616e31636c69656e7469645a1f010100c878c45256402081313233348fe0cce2ee8596abb25817c480b2fd305216011420504f' +
  '4e20312f312f30372f30313a312e302e31ff';
// Dhcp2.pcap #1: a Discover whose sname and file fields hold options (option 52 = 3).
const discover =
  'ffffffffffff00006c82dc4e08004500013653d24000201105e600000000ffffffff0044004301228e6701010600ac2effff000000000000000000000000000000000000000000006c82dc4e00000000' +
  '0000000000003814736e616d65206669656c64206f7665726c6f6164ff0000000000000000000000000000000000000000000000000000000000000000000000000000000000381866696c65206e616d' +
  '65206669656c64206f7665726c6f6164ff000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' +
  '0000000000000000000000000000000000000000000000000000000000000000000000000000638253633501013902024e3704011c032b330400000e10340103380750616464696e67003d070100006c' +
  '82dc4eff';

test('DHCP Offer: BOOTP header, cookie and options with exact ranges; Info as tshark', () => {
  const d = decode(offer);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:udp:dhcp');
  assert.equal(cell(d, 'dhcp.type'), '2');
  assert.equal(cell(d, 'dhcp.hw.type'), '0x01');
  assert.equal(cell(d, 'dhcp.hops'), '1');
  assert.equal(cell(d, 'dhcp.id'), '0x7771cf85');
  assert.equal(cell(d, 'dhcp.secs'), '10');
  assert.equal(cell(d, 'dhcp.flags.bc'), '0');
  assert.equal(cell(d, 'dhcp.ip.your'), '10.10.8.235');
  assert.equal(cell(d, 'dhcp.ip.server'), '172.22.178.234');
  assert.equal(cell(d, 'dhcp.ip.relay'), '10.10.8.240');
  assert.equal(cell(d, 'dhcp.hw.mac_addr'), '00:0e:86:11:c0:75');
  assert.equal(cell(d, 'dhcp.cookie'), '99.130.83.99');
  assert.equal(cell(d, 'dhcp.option.dhcp'), '2');
  assert.equal(cell(d, 'dhcp.option.subnet_mask'), '255.255.255.0');
  assert.equal(cell(d, 'dhcp.option.dhcp_server_id'), '172.22.178.234');
  assert.equal(cell(d, 'dhcp.option.ip_address_lease_time'), '43200');
  assert.equal(cell(d, 'dhcp.option.router'), '10.10.8.254');
  assert.equal(cell(d, 'dhcp.option.domain_name_server'), '143.209.4.1,143.209.5.1');
  assert.equal(cell(d, 'dhcp.option.type'), '53,1,54,51,3,6,66,120,61,90,82,0');
  assert.equal(cell(d, 'dhcp.option.agent_information_option.agent_circuit_id'), '20504f4e20312f312f30372f30313a312e302e31');
  assert.equal(cell(d, 'dhcp.option.dhcp_authentication.rdm_replay_detection'), '0xc878c45256402081');
  assert.equal(cell(d, 'dhcp.option.dhcp_authentication.secret_id'), '0x31323334');
  assert.deepEqual(range(d, 'dhcp.id'), [46, 4]);
  assert.deepEqual(range(d, 'dhcp.hw.mac_addr'), [70, 6]);
  assert.deepEqual(range(d, 'dhcp.cookie'), [278, 4]);
  assert.deepEqual(range(d, 'dhcp.option.dhcp'), [284, 1]);
  assert.equal(d.columns.protocol, 'DHCP');
  assert.equal(d.columns.info, 'DHCP Offer    - Transaction ID 0x7771cf85');
});

test('DHCP Discover: request list, client identifier and option overload into sname/file', () => {
  const d = decode(discover);
  assert.equal(cell(d, 'dhcp.option.request_list_item'), '1,28,3,43');
  assert.equal(cell(d, 'dhcp.option.dhcp_max_message_size'), '590');
  assert.equal(cell(d, 'dhcp.option.option_overload'), '3');
  assert.equal(cell(d, 'dhcp.option.message'), 'sname field overload,file name field overload,Padding');
  assert.equal(cell(d, 'dhcp.option.type'), '53,57,55,51,52,56,0,56,0,56,0,61,0');
  assert.equal(cell(d, 'dhcp.server'), '', 'an overloaded sname is options, not a name');
  assert.equal(cell(d, 'dhcp.hw.mac_addr'), '00:00:6c:82:dc:4e,00:00:6c:82:dc:4e');
  assert.equal(d.columns.info, 'DHCP Discover - Transaction ID 0xac2effff');
});

test('DHCP: a frame cut inside the options keeps the header and is marked short', () => {
  const full = fromHex(offer);
  const d = decode(full.subarray(0, 300), 1, undefined, 1, full.length);
  assert.equal(cell(d, 'dhcp.id'), '0x7771cf85');
  assert.equal(cell(d, 'dhcp.option.dhcp'), '2');
  assert.ok(d.columns.info.endsWith('[Packet size limited during capture]'));
});
