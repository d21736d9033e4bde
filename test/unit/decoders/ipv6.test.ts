import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes } from '../../support/decode.ts';

// ipv6_options.pcap #1: hop-by-hop (router alert, PadN), destination options, a type 0 routing
// header with one segment left, then AH + OSPF.
const chain = 
  '333300000005c20168b3000186dd6e00000000680001fe800000000000000000000000000002ff0200000000000000000000000000053c00' +
  '0502000001002b000b010901010033020001000000002200000000000210000200000000000459040000000001000000002035482148b243' +
  '5a23dcdd5536030100280202020200000001f17300000000000501000013000a0028020202020101010101010101';
// IcmpV6_EchoMessages.pcap #1: a plain echo request.
const echo = 
  '00155d70fc2e00155da5c4c586dd600d2ce300403a40fe8000000000000002155dfffea5c4c5fe80000000000000dd05dae074bc73418000' +
  '7a4c00180014bdcecb6200000000f3a1090000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031' +
  '323334353637';

test('IPv6: fixed header fields with byte ranges', () => {
  const d = decode(echo);
  assert.equal(cell(d, 'ipv6.version'), '6');
  assert.equal(cell(d, 'ip.version'), '6');
  assert.equal(cell(d, 'ipv6.tclass'), '0x00000000');
  assert.equal(cell(d, 'ipv6.flow'), '0x0d2ce3');
  assert.equal(cell(d, 'ipv6.plen'), '64');
  assert.equal(cell(d, 'ipv6.nxt'), '58');
  assert.equal(cell(d, 'ipv6.hlim'), '64');
  assert.equal(cell(d, 'ipv6.src'), 'fe80::215:5dff:fea5:c4c5');
  assert.equal(cell(d, 'ipv6.dst'), 'fe80::dd05:dae0:74bc:7341');
  assert.equal(cell(d, 'ipv6.addr'), 'fe80::215:5dff:fea5:c4c5,fe80::dd05:dae0:74bc:7341');
  assert.equal(cell(d, 'ipv6.src_host'), 'fe80::215:5dff:fea5:c4c5');
  assert.deepEqual(range(d, 'ipv6.plen'), [18, 2]);
  assert.deepEqual(range(d, 'ipv6.src'), [22, 16]);
  assert.deepEqual(range(d, 'ipv6.dst'), [38, 16]);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ipv6:icmpv6:data');
  assert.equal(d.columns.source, 'fe80::215:5dff:fea5:c4c5');
  assert.equal(nodes(d, 'ipv6')[0]!.label, 'Internet Protocol Version 6, Src: fe80::215:5dff:fea5:c4c5, Dst: fe80::dd05:dae0:74bc:7341');
});

test('IPv6: extension header chain, each header its own layer', () => {
  const d = decode(chain);
  assert.ok(d.protocols.join(':').startsWith('eth:ethertype:ipv6:ipv6.hopopts:ipv6.dstopts:ipv6.routing:'));
  assert.equal(cell(d, 'ipv6.hopopts.nxt'), '60');
  assert.equal(cell(d, 'ipv6.hopopts.len_oct'), '8');
  assert.equal(cell(d, 'ipv6.opt.type'), '0x05,0x01,0x0b,0x01');
  assert.equal(cell(d, 'ipv6.opt.router_alert'), '0');
  assert.deepEqual(range(d, 'ipv6.opt.router_alert'), [58, 2]);
  assert.equal(cell(d, 'ipv6.dstopts.nxt'), '43');
  assert.equal(cell(d, 'ipv6.routing.type'), '0');
  assert.equal(cell(d, 'ipv6.routing.segleft'), '1');
  assert.equal(cell(d, 'ipv6.routing.src.addr'), '2200::210:2:0:0:4');
  assert.deepEqual(range(d, 'ipv6.routing.src.addr'), [78, 16]);
  assert.equal(nodes(d, 'ipv6.routing')[0]!.label, 'Routing Header for IPv6 (Source Route)');
  // The header's destination stays ipv6.dst; the column shows the final destination.
  assert.equal(cell(d, 'ipv6.dst'), 'ff02::5');
  assert.equal(d.columns.destination, '2200::210:2:0:0:4');
});

test('IPv6: cut short inside the addresses (snaplen) is truncated, not malformed', () => {
  const d = decode(echo.slice(0, 2 * 30), 1, undefined, 1, 118);
  assert.equal(cell(d, 'ipv6.hlim'), '64');
  assert.equal(cell(d, 'ipv6.src'), '');
  assert.ok(!d.malformed);
});

test('IPv6: an extension header running past the payload is malformed', () => {
  const d = decode(chain.slice(0, 2 * 60));
  assert.equal(cell(d, 'ipv6.hopopts.nxt'), '60');
  assert.ok(d.malformed);
});

// IPv4-encapsulated-IPv6.pcap #1: 6in4 (IPv4 protocol 41) carrying TCP; the inner addresses win the columns.
const sixInFour =
  '0100010000001a432000010008004500006e2e0100001029432d8b12192151834383600440e80032063f2001063809020001020102fffee2' +
  '75962002518343830000000000005183438300150402e537a964626bf4b35018816099d30000323030204e4f4f5020636f6d6d616e6420737563' +
  '6365737366756c2e0d0a';

test('IPv6 over IPv4 (protocol 41): both layers, inner addresses in the columns', () => {
  const d = decode(sixInFour);
  assert.ok(d.protocols.join(':').startsWith('eth:ethertype:ip:ipv6:tcp'));
  assert.equal(cell(d, 'ip.proto'), '41');
  assert.equal(cell(d, 'ipv6.src'), '2001:638:902:1:201:2ff:fee2:7596');
  assert.equal(cell(d, 'ipv6.dst'), '2002:5183:4383::5183:4383');
  assert.equal(cell(d, 'ipv6.src_slaac_mac'), '00:01:02:e2:75:96');
  assert.deepEqual(range(d, 'ipv6.src'), [42, 16]);
  assert.equal(d.columns.source, '2001:638:902:1:201:2ff:fee2:7596');
  assert.equal(d.columns.destination, '2002:5183:4383::5183:4383');
});
