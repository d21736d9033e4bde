import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes, fromHex } from '../../support/decode.ts';
import { Session } from '../../../decoders/index.ts';

// The outer headers and inner Ethernet frame of Vxlan1.pcap frame 1, with the VXLAN header
// replaced by a GENEVE header (RFC 8926 3.4) carrying one 8-byte option, sent to port 6081.
const outer = fromHex('00163e0871cf36dc851eb340080045000086d2c2400040115150c0a8cb01c0a8ca01b05d17c10072e9a9');
const inner = fromHex('00308801000200163e37f604080045000054000040004001234fc0a8cb03c0a8cb05080005ed050c0002fde297510000000096fd020000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637');
// ver 0, opt len 2 words; O=0 C=1; protocol 0x6558; VNI 0x123456; option class 0x0103 type 0x80 len 1 word.
const geneveHdr = fromHex('024065581234560001038001deadbeef');

function frame(): Uint8Array {
  const out = new Uint8Array(outer.length + geneveHdr.length + inner.length);
  out.set(outer, 0);
  out.set(geneveHdr, outer.length);
  out.set(inner, outer.length + geneveHdr.length);
  const v = new DataView(out.buffer);
  v.setUint16(16, out.length - 14);
  v.setUint16(38, out.length - 34);
  return out;
}

test('GENEVE: header, options and the inner Ethernet frame by protocol type', () => {
  const d = decode(frame());
  assert.equal(cell(d, 'udp.dstport'), '6081');
  assert.equal(cell(d, 'geneve.version'), '0');
  assert.equal(cell(d, 'geneve.flags.critical'), '1');
  assert.equal(cell(d, 'geneve.flags.oam'), '0');
  assert.equal(cell(d, 'geneve.proto_type'), '0x6558');
  assert.equal(cell(d, 'geneve.vni'), '0x123456');
  assert.equal(cell(d, 'geneve.option.class'), '0x0103');
  assert.equal(cell(d, 'geneve.option.type'), '0x80');
  assert.equal(cell(d, 'geneve.option.type.critical'), '1');
  assert.equal(cell(d, 'geneve.option.length'), '8,8'); // the options length, then the option's (as tshark)
  assert.equal(cell(d, 'geneve.option.unknown.data'), 'deadbeef');
  assert.deepEqual(range(d, 'geneve.vni'), [46, 3]);
  assert.deepEqual(range(d, 'geneve.option'), [50, 8]);
  assert.equal(nodes(d, 'eth').length, 2);
  assert.equal(nodes(d, 'eth.dst')[1]!.offset, 58);
  assert.equal(cell(d, 'eth.src'), '36:dc:85:1e:b3:40,00:16:3e:37:f6:04');
  assert.equal(d.columns.protocol, 'ICMP');
});

test('GENEVE: an option running past the options area is flagged, not thrown', () => {
  const b = frame();
  b[42 + 11] = 0x1f; // option length 31 words
  const d = decode(b);
  assert.ok(d.experts.some((e) => e.message.startsWith('Invalid length for option')));
  assert.equal(cell(d, 'geneve.vni'), '0x123456');
});

test('GENEVE: a header cut short is marked, not thrown', () => {
  const b = frame().subarray(0, 42 + 6);
  const d = decode(b, 1, new Session(), 1, 200);
  assert.equal(cell(d, 'geneve.proto_type'), '0x6558');
  assert.equal(cell(d, 'geneve.vni'), '');
});
