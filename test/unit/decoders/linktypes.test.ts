import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, nodes, range } from '../../support/decode.ts';

// CiscoHDLC.pcap #3 (SLARP keepalive) and #1 (IPv4, first 40 bytes).
const slarp = '8f008035000000020000000500000002ffff0078f0a20000';
const chdlcIp = '0f0008004500006400000000ff01a7960a0000010a0000020800320b000000000000000000034c3c';
// nflogPacket.pcap #1: NFLOG TLVs, then the logged IPv4/UDP/DNS packet.
const nflog = '0200002a080001000000030005000a0000000000080005000000000208000b000000000008000e0000000000410009004500003d021040004011208f0a00020f0a000203a542003500294156c04e0100000100000000000003777777076578616d706c65036e657400000100012f0a31';
// microsecs_big_endian.pcap #3: netlink cooked header + one rtnetlink message (big-endian host).
const netlink = '0004033800000000000000000000000000000044001d00000000000000000000070000000000000500020000000a0002f46d048facd2000000080009000000040014000300000000000026ef0000181000000000';

test('Cisco HDLC: address, control, protocol; SLARP keepalive Info and N/A columns', () => {
  const d = decode(slarp, 104);
  assert.equal(d.protocols.join(':'), 'chdlc:slarp');
  assert.equal(cell(d, 'chdlc.address'), '0x8f');
  assert.equal(cell(d, 'chdlc.protocol'), '0x8035');
  assert.equal(cell(d, 'slarp.ptype'), '2');
  assert.equal(cell(d, 'slarp.mysequence'), '5');
  assert.equal(cell(d, 'slarp.yoursequence'), '2');
  assert.equal(cell(d, 'slarp.reliability'), '0xffff');
  assert.deepEqual(range(d, 'slarp.reliability'), [16, 2]);
  assert.equal(d.columns.info, 'Line keepalive, outgoing sequence 5, returned sequence 2');
  assert.equal(d.columns.source, 'N/A');
  assert.equal(d.columns.protocol, 'SLARP');
  assert.equal(decode(chdlcIp, 104, undefined, 1, 104).protocols.slice(0, 2).join(':'), 'chdlc:ip');
});

test('NFLOG: header, TLVs in host order, payload by family', () => {
  const d = decode(nflog, 239);
  assert.equal(d.protocols.slice(0, 2).join(':'), 'nflog:ip');
  assert.equal(cell(d, 'nflog.family'), '2');
  assert.equal(cell(d, 'nflog.res_id'), '42');
  assert.equal(cell(d, 'nflog.hook'), '3');
  assert.equal(cell(d, 'nflog.ifindex_outdev'), '2');
  assert.equal(cell(d, 'nflog.tlv_length'), '8,5,8,8,8,65');
  assert.deepEqual(range(d, 'nflog.ifindex_outdev'), [24, 4]);
});

test('Netlink: cooked header, byte order from the address type, rtnetlink message header', () => {
  const d = decode(netlink, 253);
  assert.equal(d.protocols.join(':'), 'netlink:netlink-route');
  assert.equal(cell(d, 'netlink.hatype'), '824');
  assert.equal(cell(d, 'netlink.family'), '0x0000');
  assert.equal(cell(d, 'netlink.hdr_len'), '68');
  assert.equal(cell(d, 'netlink-route.nltype'), '29');
  assert.equal(cell(d, 'netlink.hdr_flags'), '0x0000');
  assert.equal(d.columns.protocol, 'Netlink route');
  assert.equal(nodes(d, 'netlink-route.header')[0]!.label, 'Netlink message header (type: Delete neighbour table entry)');
});

test('PPP in HDLC framing over NULL; truncated headers are malformed', () => {
  const ip = '45000020000100004011f97c0a0000010a00000204d200350008000000000000';
  const d = decode('ff030021' + ip, 0);
  assert.equal(d.protocols.slice(0, 3).join(':'), 'null:ppp:ip');
  assert.equal(cell(d, 'ppp.address'), '0xff');
  assert.equal(cell(d, 'ppp.control'), '0x03');
  assert.equal(cell(d, 'ppp.protocol'), '0x0021');
  assert.ok(decode('8f0080', 104).malformed);
  assert.ok(decode('0200002a0800', 239).protocols[0] === 'nflog');
  assert.ok(decode('000403380000', 253).malformed);
});
