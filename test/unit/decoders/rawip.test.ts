import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from '../../support/decode.ts';

// raw_ip.pcap #1: LINKTYPE_RAW, an IPv6 TCP SYN.
const rawV6 = '60000000002806402001061804000000000000005199cc70200106180001800000000000000000058c9b00506ae7073600000000a0021630299c00000204058c0402080a00dd1a390000000001030302';
const ipv4 = '45000020000100004011f97c0a0000010a00000204d20035000800000000000000';

test('RAW (101): version nibble picks IPv6 or IPv4, columns start as N/A', () => {
  const d6 = decode(rawV6, 101);
  assert.equal(d6.protocols.slice(0, 2).join(':'), 'raw:ipv6');
  const d4 = decode(ipv4, 101);
  assert.equal(d4.protocols.slice(0, 2).join(':'), 'raw:ip');
  for (const lt of [12, 14]) assert.equal(decode(ipv4, lt).protocols[0], 'raw');
});

test('RAW: ten zero bytes in front of IPv4, and PPP in HDLC framing', () => {
  assert.equal(decode('00000000000000000000' + ipv4, 101).protocols.slice(0, 2).join(':'), 'raw:ip');
  assert.equal(decode('ff030021' + ipv4, 101).protocols.slice(0, 3).join(':'), 'raw:ppp:ip');
});

test('RAW: unknown nibble is data with Info "Raw packet data"', () => {
  const d = decode('7a0000000000000000000000', 101);
  assert.equal(d.protocols.join(':'), 'raw:data');
  assert.equal(d.columns.info, 'Raw packet data');
  assert.equal(d.columns.protocol, 'N/A');
});

test('RAW: shorter than 8 bytes is malformed, as in Wireshark', () => {
  assert.ok(decode('4500', 101).malformed);
  assert.ok(decode('7a000000000000', 101).malformed);
});

test('LINKTYPE_IPV4/IPV6 (228/229): no link layer in frame.protocols', () => {
  assert.equal(decode(ipv4, 228).protocols[0], 'ip');
  assert.equal(decode(rawV6, 229).protocols[0], 'ipv6');
});
