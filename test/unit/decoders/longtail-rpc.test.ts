import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cell, range } from '../../support/decode.ts';
import { Session } from '../../../decoders/index.ts';
import { runPayload } from './longtail-support.ts';

// UDP payloads of ip-frag.pcap frames 1/2 (GETATTR) and 47/48 (ACCESS), 10.118.213.212:789 <-> .211:2049.
const getattrCall = 'f53828f70000000000000002000186a3000000030000000100000001000000200032f27e00000008726e63746573743200000234000001f400000001000001f40000000000000000000000140100000100080008020000000380340086711051';
const getattrReply = 'f53828f700000001000000000000000000000000000000000000000000000002000041ed0000001400000234000001f4000000000000100000000000000010000000000000000000000000000000080800000000003480034864e4c1000000004864e59b000000004864e59b00000000';
const accessCall = 'f83828f70000000000000002000186a3000000030000000400000001000000200032f29600000008726e63746573743200000234000001f400000001000001f400000000000000000000001401000001000800080200000010c016004d7986d90000001f';
const accessReply = 'f83828f70000000100000000000000000000000000000000000000000000000100000002000041fd0000000300000234000001f40000000000001000000000000000100000000000000000000000000000000808000000000016c0104864e2fa000000004864e1e7000000004864e1e7000000000000001f';
const client = { src: [10, 118, 213, 212] as [number, number, number, number], dst: [10, 118, 213, 211] as [number, number, number, number], srcPort: 789, dstPort: 2049 };
const server = { src: client.dst, dst: client.src, srcPort: 2049, dstPort: 789 };

test('RPC call header and NFS GETATTR call: fields, ranges, file handle hash', () => {
  const d = runPayload('rpc', getattrCall, { ...client, below: ['udp'], at: 42 });
  assert.equal(d.protocols.join(':'), 'udp:rpc:nfs');
  assert.equal(cell(d, 'rpc.xid'), '0xf53828f7');
  assert.equal(cell(d, 'rpc.msgtyp'), '0');
  assert.equal(cell(d, 'rpc.program'), '100003');
  assert.equal(cell(d, 'rpc.programversion'), '3');
  assert.equal(cell(d, 'rpc.procedure'), '1');
  assert.equal(cell(d, 'rpc.auth.machinename'), 'rnctest2');
  assert.equal(cell(d, 'rpc.auth.uid'), '564');
  assert.deepEqual(range(d, 'rpc.xid'), [42, 4]);
  assert.deepEqual(range(d, 'rpc.program'), [54, 4]);
  assert.equal(cell(d, 'nfs.fh.hash'), '0xc678dae4');
  assert.equal(cell(d, 'nfs.fhandle'), '0100000100080008020000000380340086711051');
  assert.deepEqual(range(d, 'nfs.fhandle'), [42 + 76, 20]);
  assert.equal(d.columns.protocol, 'NFS');
  assert.equal(d.columns.info, 'V3 GETATTR Call, FH: 0xc678dae4');
});

test('RPC reply finds its call (frame, procedure) and NFS decodes the attributes', () => {
  const session = new Session();
  runPayload('rpc', getattrCall, { ...client, session, number: 1 });
  const d = runPayload('rpc', getattrReply, { ...server, session, number: 2 });
  assert.equal(cell(d, 'rpc.msgtyp'), '1');
  assert.equal(cell(d, 'rpc.reqframe'), '1');
  assert.equal(cell(d, 'rpc.procedure'), '1');
  assert.equal(cell(d, 'nfs.status3'), '0');
  assert.equal(cell(d, 'nfs.fattr3.type'), '2');
  assert.equal(cell(d, 'nfs.fattr3.uid'), '564');
  assert.equal(cell(d, 'nfs.fattr3.fileid'), '3440643');
  assert.equal(d.columns.info, 'V3 GETATTR Reply (Call In 1)  Directory mode: 0755 uid: 564 gid: 500');
  // Re-dissection gives the same answer.
  const again = runPayload('rpc', getattrReply, { ...server, session, number: 2 });
  assert.equal(again.columns.info, d.columns.info);
});

test('NFS ACCESS call/reply: check bits carried from the call to the reply', () => {
  const session = new Session();
  const call = runPayload('rpc', accessCall, { ...client, session, number: 47 });
  assert.equal(call.columns.info, 'V3 ACCESS Call, FH: 0x51042359, [Check: RD LU MD XT DL]');
  assert.equal(cell(call, 'nfs.access_check'), '0x1f');
  const reply = runPayload('rpc', accessReply, { ...server, session, number: 48 });
  assert.equal(reply.columns.info, 'V3 ACCESS Reply (Call In 47), [Allowed: RD LU MD XT DL]');
  assert.equal(cell(reply, 'nfs.access_rights'), '0x1f');
});

test('RPC/NFS: a call cut inside the file handle keeps the header and is marked', () => {
  const d = runPayload('rpc', getattrCall.slice(0, 2 * 90), { ...client, reported: getattrCall.length / 2 });
  assert.equal(cell(d, 'rpc.xid'), '0xf53828f7');
  assert.equal(cell(d, 'nfs.fh.length'), '20');
  assert.ok(d.ctx.truncated || d.malformed);
  const bad = runPayload('rpc', 'f53828f700000000000000', client);
  assert.ok(bad.malformed);
});
