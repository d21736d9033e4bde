import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes, fromHex } from '../../support/decode.ts';
import { readDnsName } from '../../../decoders/protocols/dns-core.ts';
import { Cursor } from '../../../decoders/core/cursor.ts';
import { Session, dissectFrame, defaultRegistry } from '../../../decoders/index.ts';

// DnsPackets.pcap #19: a query for wpad.HOME (Ethernet/IPv4/UDP, DNS at offset 42).
const query = '30469a23fbfa6cf049b2de6e080045000037774a00008011aee10a0000010a00008ae3b4003500238a600b6101000001000000000000047770616404484f4d450000010001';
// DnsPackets.pcap #33: its NXDOMAIN answer with an SOA in the authority section.
const nxdomain = '6cf049b2de6e30469a23fbfa08004500008200004000401125e10a00008a0a0000010035d748006e6463fcc681830001000000010000047770616404484f4d450000010001000006000100001d4c004001610c726f6f742d73657276657273036e657400056e73746c640c766572697369676e2d67727303636f6d00780cbe6d000007080000038400093a8000015180';
// Dns.pcap #2: an mDNS probe over IPv6 ("QU" questions, authority records, OPT).
const mdns = '3333000000fb581faa4f3f9d86dd60000000007511fffe800000000000005a1faafffe4f3f9dff0200000000000000000000000000fb14e914e900753c260000000000020000000200010c5961656c732d6950686f6e65056c6f63616c0000ff8001c00c00ff8001c00c000100010000007800040a000002c00c001c0001000000780010fe800000000000005a1faafffe4f3f9d00002905a000001194000c0004000800df581faa4f3f9d';
// dns_over_tcp.pcapng #1: a response over TCP with its 2-byte length prefix.
const overTcp = '8cec4bca165acc40d0c2f26286dd64000000004c063a20010558feed00000000000000000001260106474b021d20b1d3e782aec825110035ddb053b9572aed778b595018001030d6000000360038818000010001000000000667697468756203636f6d00000100010667697468756203636f6d0000010001000000200004c01eff71';

test('DNS query: header, flags and question with exact ranges; Info as tshark', () => {
  const d = decode(query);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:udp:dns');
  assert.equal(cell(d, 'dns.id'), '0x0b61');
  assert.equal(cell(d, 'dns.flags'), '0x0100');
  assert.equal(cell(d, 'dns.flags.response'), '0');
  assert.equal(cell(d, 'dns.flags.recdesired'), '1');
  assert.equal(cell(d, 'dns.flags.rcode'), '', 'no reply code in a query');
  assert.equal(cell(d, 'dns.count.queries'), '1');
  assert.equal(cell(d, 'dns.qry.name'), 'wpad.HOME');
  assert.equal(cell(d, 'dns.qry.name.len'), '9');
  assert.equal(cell(d, 'dns.count.labels'), '2');
  assert.equal(cell(d, 'dns.qry.type'), '1');
  assert.equal(cell(d, 'dns.qry.class'), '0x0001');
  assert.deepEqual(range(d, 'dns.id'), [42, 2]);
  assert.deepEqual(range(d, 'dns.qry.name'), [54, 11]);
  assert.deepEqual(range(d, 'dns.qry.type'), [65, 2]);
  assert.equal(d.columns.protocol, 'DNS');
  assert.equal(d.columns.info, 'Standard query 0x0b61 A wpad.HOME');
});

test('DNS response: NXDOMAIN with a compressed SOA record', () => {
  const d = decode(nxdomain);
  assert.equal(cell(d, 'dns.flags.rcode'), '3');
  assert.equal(cell(d, 'dns.count.auth_rr'), '1');
  assert.equal(cell(d, 'dns.resp.name'), '<Root>');
  assert.equal(cell(d, 'dns.resp.type'), '6');
  assert.equal(cell(d, 'dns.resp.ttl'), '7500');
  assert.equal(cell(d, 'dns.soa.mname'), 'a.root-servers.net');
  assert.equal(cell(d, 'dns.soa.rname'), 'nstld.verisign-grs.com');
  assert.equal(cell(d, 'dns.soa.serial_number'), '2014101101');
  assert.equal(d.columns.info, 'Standard query response 0xfcc6 No such name A wpad.HOME SOA a.root-servers.net');
  const soa = nodes(d, 'dns.soa.mname')[0]!;
  assert.equal(soa.length, 20, 'mname occupies its labels in place');
});

test('mDNS: QU questions, cache-flush bits, OPT record; Info as tshark', () => {
  const d = decode(mdns);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ipv6:udp:mdns');
  assert.equal(d.columns.protocol, 'MDNS');
  assert.equal(cell(d, 'dns.qry.name'), 'Yaels-iPhone.local,Yaels-iPhone.local');
  assert.equal(cell(d, 'dns.qry.qu'), '1,1');
  assert.equal(cell(d, 'dns.qry.class'), '0x0001,0x0001');
  assert.equal(cell(d, 'dns.resp.cache_flush'), '0,0,0');
  assert.equal(cell(d, 'dns.a'), '10.0.0.2');
  assert.equal(cell(d, 'dns.aaaa'), 'fe80::5a1f:aaff:fe4f:3f9d');
  assert.equal(cell(d, 'dns.rr.udp_payload_size'), '0x05a0', 'mDNS prints it in hex, as tshark');
  assert.equal(cell(d, 'dns.resp.z'), '0x1194');
  assert.equal(cell(d, 'dns.opt.code'), '4');
  assert.equal(d.columns.info, 'Standard query 0x0000 ANY Yaels-iPhone.local, "QU" question ANY Yaels-iPhone.local, "QU" question A 10.0.0.2 AAAA fe80::5a1f:aaff:fe4f:3f9d OPT');
});

test('DNS over TCP: the length prefix, then the message', () => {
  const d = decode(overTcp);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ipv6:tcp:dns');
  assert.equal(cell(d, 'dns.length'), '54');
  assert.equal(cell(d, 'dns.id'), '0x0038');
  assert.equal(cell(d, 'dns.a'), '192.30.255.113');
  assert.deepEqual(range(d, 'dns.length'), [74, 2]);
  assert.deepEqual(range(d, 'dns.id'), [76, 2]);
  assert.equal(d.columns.info, 'Standard query response 0x0038 A github.com A 192.30.255.113');
});

test('DNS: a frame cut inside the answer keeps the header and is marked', () => {
  const full = fromHex(nxdomain);
  const d = decode(full.subarray(0, 100), 1, undefined, 1, full.length);
  assert.equal(cell(d, 'dns.qry.name'), 'wpad.HOME');
  assert.ok(d.columns.info.startsWith('Standard query response 0xfcc6 No such name A wpad.HOME'));
  assert.ok(d.columns.info.endsWith('[Packet size limited during capture]'));
});

test('DNS: hostile names — reserved label types are malformed, pointer loops are bounded', () => {
  // dns_stack_overflow.pcap #1 (first 100 of 1110 bytes): the question starts with a 0x80 label byte.
  const hostile = 'ffffffffffff000000000000080045000448000100004011e793080808087f0000010035346f0434da5000008100000100280000000080414141414141414141414141414141414141414141414141414141414141414141414141414141414141414141';
  const d = decode(fromHex(hostile), 1, undefined, 1, 1110);
  assert.ok(d.malformed);
  assert.equal(d.columns.info, 'Standard query response 0x0000[Malformed Packet]');
  // A name that points at itself: the walk stops after the message's byte budget.
  const msg = fromHex('000001000001000000000000c00c00010001');
  const n = readDnsName(Cursor.of(msg), 0, 12);
  assert.equal(n.text, '<Name contains a pointer that loops>');
  assert.equal(n.length, 2);
});

// DnsPackets.pcap #1 and #2: a query and its answer, 17.5 ms apart.
const matchQuery =
  '30469a23fbfa6cf049b2de6e08004500003c76d100008011af550a0000010a00008adcc800350028fde88185010000010000000000000377777706676f6f676c6503636f6d0000010001';
// 
const matchAnswer =
  '6cf049b2de6e30469a23fbfa08004500008c00004000401125d70a00008a0a0000010035dcc80078250c8185818000010005000000000377777706676f6f676c6503636f6d0000010001c00c00010001' +
  '000000700004adc27013c00c00010001000000700004adc27012c00c00010001000000700004adc27011c00c00010001000000700004adc27010c00c00010001000000700004adc27014';

test('DNS: a response is matched to its query (request in, time); the query learns its response', () => {
  const session = new Session();
  const at = (hex: string, n: number, ns: number) =>
    dissectFrame(defaultRegistry(), session, { number: n, linkType: 1, tsSec: 1413054930, tsNsec: ns, caplen: hex.length / 2, origlen: hex.length / 2, interfaceId: 0 }, fromHex(hex));
  const q = at(matchQuery, 1, 198203000);
  assert.equal(cell(q, 'dns.response_in'), '', 'not known yet on the first pass');
  const r = at(matchAnswer, 2, 215703000);
  assert.equal(cell(r, 'dns.response_to'), '1');
  assert.equal(cell(r, 'dns.time'), '0.017500000');
  const again = at(matchQuery, 1, 198203000);
  assert.equal(cell(again, 'dns.response_in'), '2');
  const lone = decode(matchAnswer);
  assert.equal(cell(lone, 'dns.unsolicited'), '1');
});
