import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range } from '../../support/decode.ts';

// NullLoopback.pcap #2: AF_INET in little-endian host order, IPv4/UDP.
const nullIpv4 = '020000004500002cc169000040115dc3ac100175ac1001ffd84921a4001817ae424a4e42020100000000000000000000';
const ipv6Payload = '6000000000083a40fe800000000000000000000000000001fe8000000000000000000000000000028000000000000000';

test('NULL: host-order AF_INET goes to IPv4 without an ethertype step', () => {
  const d = decode(nullIpv4, 0);
  assert.equal(cell(d, 'null.family'), '2');
  assert.deepEqual(range(d, 'null.family'), [0, 4]);
  assert.equal(d.protocols.slice(0, 2).join(':'), 'null:ip');
});

test('NULL: network-order family and the three BSD AF_INET6 values', () => {
  assert.equal(cell(decode('00000002' + nullIpv4.slice(8), 0), 'null.family'), '2');
  for (const fam of ['18000000', '1c000000', '1e000000']) {
    const d = decode(fam + ipv6Payload, 0);
    assert.equal(d.protocols.slice(0, 2).join(':'), 'null:ipv6', fam);
  }
});

test('NULL: a value above 1500 is an Ethernet type (null.type)', () => {
  const d = decode('dd860000' + ipv6Payload, 0);
  assert.equal(cell(d, 'null.type'), '0x86dd');
  assert.equal(cell(d, 'null.family'), '');
  assert.equal(d.protocols.slice(0, 2).join(':'), 'null:ipv6');
});

test('NULL: unknown family is data; columns as tshark shows them', () => {
  const d = decode('0a000000' + ipv6Payload, 0);
  assert.equal(cell(d, 'null.family'), '10');
  assert.equal(d.protocols.join(':'), 'null:data');
  assert.equal(d.columns.protocol, 'N/A');
  assert.equal(d.columns.source, 'N/A');
  assert.equal(d.columns.info, 'Null/Loopback');
});

test('LOOP: always network byte order, no byte swapping', () => {
  assert.equal(cell(decode('00000018' + ipv6Payload, 108), 'null.family'), '24');
  const swapped = decode('02000000' + ipv6Payload, 108);
  assert.equal(cell(swapped, 'null.family'), '33554432');
  assert.equal(swapped.protocols.join(':'), 'null:data');
});

test('NULL: fewer than four bytes is malformed', () => {
  const d = decode('0a00', 0);
  assert.ok(d.malformed);
});
