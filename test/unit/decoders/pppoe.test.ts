import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range } from '../../support/decode.ts';

// PPPoEDiscovery.pcap #2 (PADS with Host-Uniq, AC-Name, AC-Cookie) and PPPoESession.pcap #1 (LCP Configure-Ack, padded).
const pads = 'cc050e880000ca010e88000688631165001100280101000001030004641385180102000442524153010400103d0f0587062484f2df32b9ddfd77bd5b';
const lcpAck = 'ca010e880006cc050e8800008864110000110014c02102020012010405dc0304c023050601fccbfb0000000000000000000000000000000000000000';

test('PPPoE discovery: header, tags, Info with the AC-Name', () => {
  const d = decode(pads);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:pppoed');
  assert.equal(cell(d, 'pppoe.version'), '1');
  assert.equal(cell(d, 'pppoe.type'), '1');
  assert.equal(cell(d, 'pppoe.code'), '0x65');
  assert.equal(cell(d, 'pppoe.session_id'), '0x0011');
  assert.equal(cell(d, 'pppoe.payload_length'), '40');
  assert.equal(cell(d, 'pppoed.tags.host_uniq'), '64138518');
  assert.equal(cell(d, 'pppoed.tags.ac_name'), 'BRAS');
  assert.equal(cell(d, 'pppoed.tags.ac_cookie'), '3d0f0587062484f2df32b9ddfd77bd5b');
  assert.equal(cell(d, 'pppoed.tags.service_name'), '');
  assert.deepEqual(range(d, 'pppoed.tags.ac_name'), [36, 4]);
  assert.equal(d.columns.protocol, 'PPPoED');
  assert.equal(d.columns.info, "Active Discovery Session-confirmation (PADS) AC-Name='BRAS'");
});

test('PPPoE session: PPP and LCP inside the payload length, the rest is Ethernet padding', () => {
  const d = decode(lcpAck);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:pppoes:ppp:lcp');
  assert.equal(cell(d, 'pppoe.payload_length'), '20');
  assert.equal(cell(d, 'ppp.protocol'), '0xc021');
  assert.equal(cell(d, 'ppp.code'), '2');
  assert.equal(cell(d, 'ppp.identifier'), '2');
  assert.equal(cell(d, 'ppp.length'), '18');
  assert.equal(cell(d, 'lcp.opt.mru'), '1500');
  assert.equal(cell(d, 'lcp.opt.auth_protocol'), '0xc023');
  assert.equal(cell(d, 'lcp.opt.magic_number'), '0x01fccbfb');
  assert.equal(cell(d, 'lcp.opt.type'), '1,3,5');
  assert.deepEqual(range(d, 'lcp.opt.mru'), [28, 2]);
  assert.equal(d.columns.protocol, 'PPP LCP');
  assert.equal(d.columns.info, 'Configuration Ack');
  assert.equal(cell(d, 'eth.padding'), '00'.repeat(20));
});

test('PPPoE session: IPv4 over PPP goes through the Ethernet type table without a dispatcher step', () => {
  const ip = '45000020000100004011f97c0a0000010a00000204d200350008000000000000';
  const d = decode('ca010e880006cc050e8800008864' + '110000110022' + '0021' + ip);
  assert.equal(d.protocols.slice(0, 5).join(':'), 'eth:ethertype:pppoes:ppp:ip');
});

test('PPPoE: a discovery header cut short is malformed', () => {
  const d = decode(pads.slice(0, 34));
  assert.equal(cell(d, 'pppoe.code'), '0x65');
  assert.ok(d.malformed);
});
