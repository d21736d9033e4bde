import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range } from '../../support/decode.ts';

// An ARP request from the corpus (ArpRequestPacket.pcap), padded to 60 bytes.
const arpFrame = 'ffffffffffff 001e8cb2de6e 0806 0001080006040001001e8cb2de6e0a000001000000000000 0a00008a' + '00'.repeat(18);

test('Ethernet II: addresses, type and padding with exact byte ranges', () => {
  const d = decode(arpFrame);
  assert.equal(cell(d, 'eth.dst'), 'ff:ff:ff:ff:ff:ff');
  assert.equal(cell(d, 'eth.src'), '00:1e:8c:b2:de:6e');
  assert.equal(cell(d, 'eth.type'), '0x0806');
  assert.equal(cell(d, 'eth.dst.ig'), '1');
  assert.equal(cell(d, 'eth.src.ig'), '0');
  assert.equal(cell(d, 'eth.addr'), 'ff:ff:ff:ff:ff:ff,00:1e:8c:b2:de:6e');
  assert.deepEqual(range(d, 'eth.dst'), [0, 6]);
  assert.deepEqual(range(d, 'eth.src'), [6, 6]);
  assert.deepEqual(range(d, 'eth.type'), [12, 2]);
});

test('Ethernet: a frame cut inside the header is marked, not thrown', () => {
  const d = decode('ffffffffffff001e8c');
  assert.equal(cell(d, 'eth.dst'), 'ff:ff:ff:ff:ff:ff');
  assert.ok(d.malformed);
});
