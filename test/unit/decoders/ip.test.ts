import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes } from '../../support/decode.ts';

// Real frames from the corpus (tshark -x).
// ipv4-options.pcap #1: ICMP echo reply over loopback with a CIPSO option and EOL (header 44 bytes).
const cipso = 
  '00000000000000000000000008004b00006c783700004001752d7f0000017f000001861600000002021000020000000200040005000600ef' +
  '0000000029508c0a0001924dae45130e0c0008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d' +
  '2e2f3031323334353637';
// ipv4-options.pcap #6: ICMP echo request with NOP + strict source route (final destination 0.0.0.0).
const ssrr = 'c412f5ff72e8080027191c78080047000024334c0000400128710a0000060a00008a018907040000000008005d079af60002';
// ipv4-options.pcap #3: IGMPv3 query with Router Alert; Ethernet pads the 50-byte frame to 60.
const routerAlert = 
  '01005e000001c412f5ff72e8080046000024000040000102fa480a00008ae000000194040000110aec7800000000027d0000000000000000' +
  '00000000';
// ipv4-malformed.pcap #1 (total length 11 < header length) and #2 (version 5).
const bogusLength = 
  '446d574bed0b00804849116408004500000b4709400080062fccc0a80104c0a80103080d01bbad5bcbca192da064501827b41a6b00001603' +
  '01009e0100009a030150839cfafec110ae58d1edc2f2ffc51ec3c2e7ca65221bd4e672f432ecc87b1900004800ffc00ac014008800870039' +
  '0038c00fc00500840035c007c009c011c0130045004400330032c00cc00ec002c0040096004100040005002fc008c01200160013c00dc003' +
  'feff000a010000290000000f000d00000a6261776d61736862696a000a00080006001700180019000b0002010000230000';
const bogusVersion = 
  '00005e000102804e702c4b28080055040010a2b7400141070e87e4138ec18c406b16ea5901bb774b3a3db71a92c08b50247172c581240121' +
  'ad4831ea57daf71b2dee';
// IPv4-TSO.pcap #1: total length 0 (TCP segmentation offload).
const tso = 
  '30469a23fbfa6cf049b2de6e0800450000001a570000800114650a0000040101010108004d5a000100016162636465666768696a6b6c6d6e' +
  '6f70717273747576776162636465666768';

test('IPv4: header fields, values and byte ranges', () => {
  const d = decode(cipso);
  assert.equal(cell(d, 'ip.version'), '4');
  assert.equal(cell(d, 'ip.hdr_len'), '44');
  assert.equal(cell(d, 'ip.dsfield'), '0x00');
  assert.equal(cell(d, 'ip.dsfield.dscp'), '0');
  assert.equal(cell(d, 'ip.len'), '108');
  assert.equal(cell(d, 'ip.id'), '0x7837');
  assert.equal(cell(d, 'ip.flags'), '0x00');
  assert.equal(cell(d, 'ip.flags.df'), '0');
  assert.equal(cell(d, 'ip.frag_offset'), '0');
  assert.equal(cell(d, 'ip.ttl'), '64');
  assert.equal(cell(d, 'ip.proto'), '1');
  assert.equal(cell(d, 'ip.checksum'), '0x752d');
  // Verified (tshark with ip.check_checksum on gives the same Good).
  assert.equal(cell(d, 'ip.checksum.status'), '1');
  assert.equal(cell(d, 'ip.src'), '127.0.0.1');
  assert.equal(cell(d, 'ip.addr'), '127.0.0.1,127.0.0.1');
  assert.equal(cell(d, 'ip.src_host'), '127.0.0.1');
  assert.deepEqual(range(d, 'ip.version'), [14, 1]);
  assert.deepEqual(range(d, 'ip.len'), [16, 2]);
  assert.deepEqual(range(d, 'ip.frag_offset'), [20, 2]);
  assert.deepEqual(range(d, 'ip.src'), [26, 4]);
  assert.deepEqual(range(d, 'ip.dst'), [30, 4]);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:icmp:data');
  assert.equal(d.columns.source, '127.0.0.1');
  assert.equal(d.columns.destination, '127.0.0.1');
  const ip = nodes(d, 'ip')[0]!;
  assert.equal(ip.label, 'Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1');
  const ds = nodes(d, 'ip.dsfield')[0]!;
  assert.equal(ds.label, 'Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)');
});

test('IPv4 options: CIPSO categories, then EOL', () => {
  const d = decode(cipso);
  assert.equal(nodes(d, 'ip.options')[0]!.label, 'Options: (24 bytes), Commercial Security');
  assert.equal(cell(d, 'ip.opt.type'), '134,0');
  assert.equal(cell(d, 'ip.opt.type.copy'), '1,0');
  assert.equal(cell(d, 'ip.opt.type.number'), '6,0');
  assert.equal(cell(d, 'ip.opt.len'), '22');
  assert.equal(cell(d, 'ip.cipso.doi'), '2');
  assert.equal(cell(d, 'ip.cipso.tag_type'), '2');
  assert.equal(cell(d, 'ip.cipso.categories'), '0,2,4,5,6,239');
  assert.deepEqual(range(d, 'ip.options.cipso'), [34, 22]);
});

test('IPv4 options: a strict source route names the final destination', () => {
  const d = decode(ssrr);
  assert.equal(cell(d, 'ip.dst'), '0.0.0.0');
  assert.deepEqual(range(d, 'ip.dst'), [38, 4]);
  assert.equal(cell(d, 'ip.cur_rt'), '10.0.0.138');
  assert.equal(cell(d, 'ip.addr'), '10.0.0.6,0.0.0.0');
  assert.equal(cell(d, 'ip.opt.ptr'), '4');
  assert.equal(d.columns.destination, '0.0.0.0');
});

test('IPv4: payload limited to the total length; the rest is Ethernet padding', () => {
  const d = decode(routerAlert);
  assert.equal(cell(d, 'ip.len'), '36');
  assert.equal(cell(d, 'ip.opt.ra'), '0');
  assert.equal(cell(d, 'eth.padding'), '00000000000000000000');
  assert.deepEqual(range(d, 'eth.padding'), [50, 10]);
  assert.equal(nodes(d, 'ip.options.routeralert')[0]!.label, 'IP Option - Router Alert (4 bytes): Router shall examine packet (0)');
});

test('IPv4: bogus length and bogus version stop with tshark\'s Info', () => {
  const a = decode(bogusLength);
  assert.equal(cell(a, 'ip.len'), '11');
  assert.equal(a.columns.info, 'Bogus IP length (11, less than header length 20)');
  assert.equal(cell(a, 'ip.src'), '');
  const b = decode(bogusVersion);
  assert.equal(cell(b, 'ip.version'), '5');
  assert.equal(b.columns.info, 'Bogus IPv4 version (5, must be 4)');
  assert.ok(!a.malformed && !b.malformed);
});

test('IPv4: a zero total length is TSO and uses the frame length', () => {
  const d = decode(tso);
  assert.equal(cell(d, 'ip.len'), '59');
  assert.equal(d.protocols.slice(0, 4).join(':'), 'eth:ethertype:ip:icmp');
});

test('IPv4: cut short inside the header (snaplen) keeps what was read', () => {
  const bytes = cipso.slice(0, 2 * 28);
  const d = decode(bytes, 1, undefined, 1, 122);
  assert.equal(cell(d, 'ip.ttl'), '64');
  assert.equal(cell(d, 'ip.proto'), '1');
  assert.equal(cell(d, 'ip.src'), '');
  assert.ok(!d.malformed);
});

test('IPv4: a header running past the end of the frame is malformed', () => {
  const d = decode(cipso.slice(0, 2 * 40));
  assert.equal(cell(d, 'ip.src'), '127.0.0.1');
  assert.ok(d.malformed);
});
