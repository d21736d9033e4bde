// Cut packets found by the robustness suite (test/robustness/truncation.test.ts), from real
// corpus bytes: a capture cut (snaplen; origlen unchanged) is a truncation, never malformed;
// a packet that is itself shorter than its headers say is malformed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, nodes } from '../../support/decode.ts';
import { NodeFlags, type Dissection, type FieldNode } from '../../../decoders/core/types.ts';

/** As marks() in test/support/fuzz.ts: malformed, else truncated (capture cut), else clean. */
function verdict(d: Dissection): string {
  if (d.malformed || d.protocols.includes('_ws.malformed') || d.experts.some((e) => e.group === 'malformed')) return 'malformed';
  const cut = (ns: readonly FieldNode[]): boolean => ns.some((n) => n.def.abbrev === '_ws.short' || (n.flags & NodeFlags.Truncated) !== 0 || (!!n.children && cut(n.children)));
  return cut(d.tree) ? 'truncated' : 'clean';
}

// ip-frag.pcap #1 (NFS V3 GETATTR Call over UDP), first 115 of 138 bytes.
const nfsCall = '000bdb941470000bdb94148008004500007cd5d540004011a4070a76d5d40a76d5d3031508010068c10df53828f70000000000000002000186a3000000030000000100000001000000200032f27e00000008726e63746573743200000234000001f400000001000001f4000000000000000000';

test('rpc/nfs: a capture cut inside the NFS body is truncated, a short packet malformed', () => {
  const snap = decode(nfsCall, 1, undefined, 1, 138);
  assert.deepEqual(snap.protocols.slice(-2), ['rpc', 'nfs']);
  assert.equal(verdict(snap), 'truncated');
  assert.equal(verdict(decode(nfsCall)), 'malformed');
});

test('sip: a header line cut by the capture end is truncated, not "no colon"', () => {
  // sdp.pcap #1 (SIP/2.0 200 OK), first 59 of 943 bytes: the Via line is cut after "V".
  const hex = '00908f0a7ccc00908f0a393a080045a003a10c8700004011491b0a2106640a21066513c413c4038db3595349502f322e3020323030204f4b0d0a56';
  const d = decode(hex, 1, undefined, 1, 943);
  assert.equal(verdict(d), 'truncated');
  assert.ok(!d.experts.some((e) => /colon/.test(e.message)));
});

test('gtpv2: a piggybacked message cut by the capture is truncated', () => {
  // gtpv2.pcap #2, first 56 of 79 bytes.
  const hex = '08b4b11a46ad105badb0f507080045000041000100004011f62ec0a80164c0a801c8084b084b002d92d3500100090030390003000100114c';
  assert.equal(verdict(decode(hex, 1, undefined, 1, 79)), 'truncated');
});

test('eth 802.3: a length past the end of the packet is an error (as Wireshark)', () => {
  // EthDot3.pcap #1 (STP), only the first 17 of 60 bytes, length field 0x26.
  const d = decode('0180c20000000013f7115edb0026424203');
  assert.equal(verdict(d), 'malformed');
  const e = d.experts.find((x) => x.message === 'Length field value goes past the end of the payload');
  assert.ok(e);
  assert.equal(e.severity, 'error');
});

test('cdp: a TLV running past the packet is malformed', () => {
  // VlanPackets.pcap #23, first 60 of 375 bytes, as a 60-byte packet (802.3 length fixed up to fit).
  const hex = '01000ccccccc000f345f168d002eaaaa0300000c200002b401a5000100065332000500c2436973636f20494f5320536f6674776172652c2043333535';
  const d = decode(hex);
  assert.deepEqual(d.protocols.slice(-1), ['cdp']);
  assert.equal(verdict(d), 'malformed');
  // The original bytes (802.3 length 0x169) cut by the capture: truncated.
  assert.equal(verdict(decode(hex.replace('8d002eaaaa', '8d0169aaaa'), 1, undefined, 1, 375)), 'truncated');
});

test('lcp: a length past the packet is malformed', () => {
  // PPPoESession.pcap #1 (Configuration Ack, length 18), first 26 bytes as the whole packet.
  const d = decode('ca010e880006cc050e8800008864110000110014c02102020012');
  assert.equal(verdict(d), 'malformed');
});

test('pwethcw: a packet shorter than the control word is malformed', () => {
  // MplsPackets.pcap #2, first 23 bytes.
  assert.equal(verdict(decode('cc0404dc0010cc0304dc00108847000120fe000101ff00')), 'malformed');
});

test('nflog and netlink: a header without any TLV / message is malformed', () => {
  // nflogPacket.pcap #1 and microsecs_big_endian.pcap #1, cut after their fixed headers.
  assert.equal(verdict(decode('0200002a', 239)), 'malformed');
  assert.equal(verdict(decode('00040338000000000000000000000000', 253)), 'malformed');
  assert.equal(verdict(decode('0200002a', 239, undefined, 1, 112)), 'truncated');
});

test('lisp: a mapping record never runs past the data', () => {
  // ipv6.pcapng #1 (Map-Register), first 122 of 138 bytes.
  const hex = '30b5c2eb4cb0080027aff83f86dd60000000005411ff2607f2c0f00fb00100000000faceb00c200104f80003000d000000000000006110f610f600548f5f38000101000000000000000000010014c43f24c6e706f9a5bcd09287f416b53e430d58b300000005011c10000000000199101f500164ff0000050002';
  const d = decode(hex, 1, undefined, 1, 138);
  assert.equal(verdict(d), 'truncated');
  for (const n of nodes(d, 'lisp.mapping')) assert.ok(n.offset + n.length <= 122, `lisp.mapping ends at ${n.offset + n.length}`);
});

test('nbns: a record never runs past the data', () => {
  // IgmpPackets.pcap #80 (NBNS) with 4 bytes deleted at 44 by the mutation suite: the answer's
  // data length points far past the packet.
  const hex = 'ffffffffffff00123f97920108004500004e139000008011d3cfa9feff42a9feffff00890089003a538b80980000000000002045424644454a46444546454d45474549455046444645434143414341434141410000200001';
  const d = decode(hex);
  assert.ok(d.protocols.includes('nbns'));
  assert.equal(verdict(d), 'malformed');
  for (const n of nodes(d, 'nbns.record')) assert.ok(n.offset + n.length <= 88, `nbns.record ends at ${n.offset + n.length}`);
});
