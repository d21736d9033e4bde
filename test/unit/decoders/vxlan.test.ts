import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes, fromHex } from '../../support/decode.ts';
import { Session } from '../../../decoders/index.ts';

// Vxlan1.pcap frame 1: VXLAN-GBP (flags 0x8848, policy 100, VNI 3000001) carrying an ICMP echo.
const vxlan = '00163e0871cf36dc851eb340080045000086d2c2400040115150c0a8cb01c0a8ca01b05d12b50072e9a9884800642dc6c10000308801000200163e37f604080045000054000040004001234fc0a8cb03c0a8cb05080005ed050c0002fde297510000000096fd020000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637';

test('VXLAN: flags, group policy, VNI and the inner Ethernet frame', () => {
  const d = decode(vxlan);
  assert.equal(cell(d, 'udp.dstport'), '4789');
  assert.equal(cell(d, 'vxlan.flags'), '0x8848');
  assert.equal(cell(d, 'vxlan.flag_g'), '1');
  assert.equal(cell(d, 'vxlan.flag_i'), '1');
  assert.equal(cell(d, 'vxlan.flag_d'), '1');
  assert.equal(cell(d, 'vxlan.flag_a'), '1');
  assert.equal(cell(d, 'vxlan.flags_reserved'), '0x0000');
  assert.equal(cell(d, 'vxlan.gbp'), '100');
  assert.equal(cell(d, 'vxlan.vni'), '3000001');
  assert.equal(cell(d, 'vxlan.reserved8'), '0');
  assert.deepEqual(range(d, 'vxlan.flags'), [42, 2]);
  assert.deepEqual(range(d, 'vxlan.vni'), [46, 3]);
  assert.equal(cell(d, 'eth.src'), '36:dc:85:1e:b3:40,00:16:3e:37:f6:04');
  assert.equal(nodes(d, 'eth').length, 2);
  assert.deepEqual(range(d, 'eth.dst'), [0, 6]);
  assert.equal(nodes(d, 'eth.dst')[1]!.offset, 50);
  assert.ok(d.protocols.join(':').startsWith('eth:ethertype:ip:udp:vxlan:eth'));
});

test('VXLAN: also on the Linux/flannel port 8472', () => {
  const b = fromHex(vxlan);
  b[36] = 0x21; // 8472 = 0x2118
  b[37] = 0x18;
  const d = decode(b);
  assert.equal(cell(d, 'vxlan.vni'), '3000001');
});

test('VXLAN: a header cut short is marked, not thrown', () => {
  const cut = fromHex(vxlan).subarray(0, 42 + 5);
  const d = decode(cut, 1, new Session(), 1, 148);
  assert.equal(cell(d, 'vxlan.flags'), '0x8848');
  assert.equal(cell(d, 'vxlan.vni'), '');
});

test('VXLAN-GPE on 4790: next protocol IPv4 straight after the header', () => {
  // The Vxlan1 frame with the inner Ethernet header removed and a GPE header (P bit, next protocol 1).
  const b = fromHex(vxlan);
  const gpe = new Uint8Array(b.length - 14);
  gpe.set(b.subarray(0, 42), 0);
  gpe.set(fromHex('0c000001 2dc6c1 00'), 42);
  gpe.set(b.subarray(64), 50);
  const v = new DataView(gpe.buffer);
  v.setUint16(16, gpe.length - 14);
  v.setUint16(36, 4790);
  v.setUint16(38, gpe.length - 34);
  const d = decode(gpe);
  assert.equal(cell(d, 'vxlan.p_bit'), '1');
  assert.equal(cell(d, 'vxlan.i_bit'), '1');
  assert.equal(cell(d, 'vxlan.next_proto'), '1');
  assert.equal(cell(d, 'vxlan.vni'), '3000001');
  assert.equal(cell(d, 'ip.src'), '192.168.203.1,192.168.203.3');
});
