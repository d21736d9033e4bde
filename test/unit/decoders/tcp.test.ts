import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes, fromHex } from '../../support/decode.ts';
import { defaultRegistry, dissectFrame, Session } from '../../../decoders/index.ts';
import type { Dissection } from '../../../decoders/core/types.ts';

// one_tcp_stream.pcap frames 1-3: the three-way handshake (10.0.0.1:61541 <-> 81.218.72.15:80).
const syn = 'c412f5ff72e86cf049b2de6e080045000034136d40008006436d0a00000151da480ff0650050442df17d000000008002200084c50000020405b40103030801010402';
const synAck = '6cf049b2de6ec412f5ff72e80800456000341ca54000760643d551da480f0a0000010050f0655421e190442df17e801220004f2a00000204058c0103030801010402';
const ack = 'c412f5ff72e86cf049b2de6e080045000028136f4000800643770a00000151da480ff0650050442df17e5421e19150100104aed10000000000000000';
// TcpPacketWithOptions3.pcap: a SYN with MSS, SACK_PERM, timestamps, NOP and window scale.
const synTs = '30469a23fbfa080027191c7808004500003c0614400040062 0f70a000006172cf27feb4100502d3904e000000000a002390813e00000020405b40402080a000302f40000000001030304';
// tcp-malformed.pcap: the header claims 28 bytes but IP carries only 20.
const shortSeg = '00005e0001026c277936301c0800450000280958400080063f3aac132a4a57f083f0c20761b65744505b4da490b970100891bbe7e00a000000000000';

/** Dissects frames in order with one session; `times` are seconds since the first frame. */
function run(frames: (string | Uint8Array)[], times: number[] = []): Dissection[] {
  const session = new Session();
  return frames.map((f, i) => {
    const data = typeof f === 'string' ? fromHex(f) : f;
    const t = times[i] ?? i * 0.01;
    const sec = Math.floor(t);
    return dissectFrame(defaultRegistry(), session, { number: i + 1, linkType: 1, tsSec: 1000 + sec, tsNsec: Math.round((t - sec) * 1e9), caplen: data.length, origlen: data.length, interfaceId: 0 }, data);
  });
}

test('TCP SYN: ports, sequence numbers, flags, options and Info as tshark', () => {
  const [d] = run([syn]);
  assert.ok(d);
  assert.equal(cell(d, 'tcp.srcport'), '61541');
  assert.equal(cell(d, 'tcp.dstport'), '80');
  assert.equal(cell(d, 'tcp.port'), '61541,80');
  assert.equal(cell(d, 'tcp.stream'), '0');
  assert.equal(cell(d, 'tcp.seq'), '0');
  assert.equal(cell(d, 'tcp.seq_raw'), '1143861629');
  assert.equal(cell(d, 'tcp.nxtseq'), '1');
  assert.equal(cell(d, 'tcp.ack'), '0');
  assert.equal(cell(d, 'tcp.hdr_len'), '32');
  assert.equal(cell(d, 'tcp.flags'), '0x0002');
  assert.equal(cell(d, 'tcp.flags.syn'), '1');
  assert.equal(cell(d, 'tcp.flags.ack'), '0');
  assert.equal(cell(d, 'tcp.flags.str'), '\u00b7'.repeat(10) + 'S\u00b7');
  assert.equal(cell(d, 'tcp.window_size_value'), '8192');
  assert.equal(cell(d, 'tcp.checksum'), '0x84c5');
  // Verified over the pseudo-header (tshark with tcp.check_checksum on: Good).
  assert.equal(cell(d, 'tcp.checksum.status'), '1');
  assert.equal(cell(d, 'tcp.len'), '0');
  assert.equal(cell(d, 'tcp.options.mss_val'), '1460');
  assert.equal(cell(d, 'tcp.options.wscale.shift'), '8');
  assert.equal(cell(d, 'tcp.options.wscale.multiplier'), '256');
  assert.equal(cell(d, 'tcp.option_kind'), '2,1,3,1,1,4');
  assert.equal(d.columns.protocol, 'TCP');
  assert.equal(d.columns.info, '61541 \u2192 80 [SYN] Seq=0 Win=8192 Len=0 MSS=1460 WS=256 SACK_PERM');
  assert.deepEqual(range(d, 'tcp.srcport'), [34, 2]);
  assert.deepEqual(range(d, 'tcp.seq_raw'), [38, 4]);
  assert.deepEqual(range(d, 'tcp.flags'), [46, 2]);
  assert.deepEqual(range(d, 'tcp.options'), [54, 12]);
  assert.deepEqual(range(d, 'tcp.options.mss_val'), [56, 2]);
});

test('TCP handshake: relative ack, window scaling from the SYNs, stream kept', () => {
  const [, d2, d3] = run([syn, synAck, ack]);
  assert.ok(d2 && d3);
  assert.equal(d2.columns.info, '80 \u2192 61541 [SYN, ACK] Seq=0 Ack=1 Win=8192 Len=0 MSS=1420 WS=256 SACK_PERM');
  assert.equal(cell(d2, 'tcp.ack'), '1');
  assert.equal(cell(d2, 'tcp.ack_raw'), '1143861630');
  assert.equal(cell(d2, 'tcp.analysis.acks_frame'), '1');
  assert.equal(cell(d3, 'tcp.stream'), '0');
  assert.equal(cell(d3, 'tcp.window_size_value'), '260');
  assert.equal(cell(d3, 'tcp.window_size'), '66560');
  assert.equal(cell(d3, 'tcp.window_size_scalefactor'), '256');
  assert.equal(d3.columns.info, '61541 \u2192 80 [ACK] Seq=1 Ack=1 Win=66560 Len=0');
});

test('TCP options: timestamps, SACK permitted, NOP and window scale in Info order', () => {
  const d = decode(synTs.replace(/\s/g, ''));
  assert.equal(d.columns.info, '60225 \u2192 80 [SYN] Seq=0 Win=14600 Len=0 MSS=1460 SACK_PERM TSval=197364 TSecr=0 WS=16');
  assert.equal(cell(d, 'tcp.options.timestamp.tsval'), '197364');
  assert.equal(cell(d, 'tcp.options.timestamp.tsecr'), '0');
  assert.deepEqual(range(d, 'tcp.options.timestamp.tsval'), [62, 4]);
  assert.equal(nodes(d, 'tcp.options.sack_perm').length, 1);
  assert.equal(nodes(d, 'tcp.options.nop').length, 1);
  assert.equal(cell(d, 'tcp.options.wscale.multiplier'), '16');
});

test('TCP options: Fast Open cookie request inside an experiment option (magic 0xf989) shows TFO=R', () => {
  const b = fromHex(ack);
  const out = new Uint8Array(b.length + 4);
  out.set(b.subarray(0, 54), 0);
  out.set([0xfe, 0x04, 0xf9, 0x89], 54);
  const v = new DataView(out.buffer);
  v.setUint16(16, 44);
  out[46] = 0x60; // 24-byte header
  const d = decode(out);
  assert.match(d.columns.info, / Len=0 TFO=R$/);
  assert.equal(cell(d, 'tcp.option_kind'), '254');
});

test('TCP: a header longer than the IP payload is a short segment and malformed, seq stays raw', () => {
  const d = decode(shortSeg);
  assert.equal(cell(d, 'tcp.srcport'), '49671');
  assert.equal(cell(d, 'tcp.seq'), '1464094811');
  assert.equal(cell(d, 'tcp.len'), '');
  assert.ok(d.malformed);
  assert.ok(d.columns.info.startsWith('49671 \u2192 25014 [ACK] Seq=1464094811 Ack=1302630585 Win=2193'));
});

test('TCP: a frame cut inside the header keeps the ports and is marked, not thrown', () => {
  const cut = fromHex(syn).subarray(0, 14 + 20 + 6);
  const d = decode(cut, 1, new Session(), 1, 66);
  assert.equal(cell(d, 'tcp.srcport'), '61541');
  assert.equal(cell(d, 'tcp.dstport'), '80');
  assert.equal(cell(d, 'tcp.seq_raw'), '');
});

// --- synthetic segments built on the handshake's real headers --------------------------------

const ipA = fromHex(syn).subarray(0, 34); // eth + IPv4 10.0.0.1 -> 81.218.72.15
const ipB = fromHex(synAck).subarray(0, 34);

/** eth+IPv4 from a real frame, then a 20-byte TCP header and `payload`. */
function segment(fromClient: boolean, seq: number, ackNo: number, flags: number, payload: Uint8Array | number = 0, win = 260, port = 4999): Uint8Array {
  const body = typeof payload === 'number' ? new Uint8Array(payload).fill(0x61) : payload;
  const out = new Uint8Array(34 + 20 + body.length);
  out.set(fromClient ? ipA : ipB, 0);
  const v = new DataView(out.buffer);
  v.setUint16(16, 20 + 20 + body.length);
  v.setUint16(34, fromClient ? 61541 : port);
  v.setUint16(36, fromClient ? port : 61541);
  v.setUint32(38, seq >>> 0);
  v.setUint32(42, ackNo >>> 0);
  v.setUint16(46, (5 << 12) | flags);
  v.setUint16(48, win);
  out.set(body, 54);
  return out;
}

const C = 0x442df17e; // client's next sequence number after its SYN
const S = 0x5421e191; // server's next sequence number after its SYN-ACK

test('TCP analysis: previous segment not captured, ACKed unseen, retransmission, duplicate ACK', () => {
  const frames = [
    segment(true, C - 1, 0, 0x02), // 1-3: handshake without options (no window scaling)
    segment(false, S - 1, C, 0x12),
    segment(true, C, S, 0x10),
    segment(true, C, S, 0x18, 100), // 4: data
    segment(true, C + 200, S, 0x18, 100), // 5: 100 bytes missing before it
    segment(false, S, C + 100, 0x10), // 6: acks frame 4
    segment(true, C + 200, S, 0x18, 100), // 7: frame 5 again, much later
    segment(false, S, C + 100, 0x10), // 8: same ack, same window: duplicate
    segment(false, S, C + 300, 0x10), // 9: acks bytes 101-200 we never saw
  ];
  const d = run(frames, [0, 0.01, 0.02, 0.03, 0.04, 0.05, 1.5, 1.6, 1.7]);
  assert.equal(d[3]!.columns.info, '61541 \u2192 4999 [PSH, ACK] Seq=1 Ack=1 Win=260 Len=100');
  assert.equal(d[4]!.columns.info, '[TCP Previous segment not captured] 61541 \u2192 4999 [PSH, ACK] Seq=201 Ack=1 Win=260 Len=100');
  assert.equal(nodes(d[4]!, 'tcp.analysis.lost_segment').length, 1);
  assert.equal(cell(d[5]!, 'tcp.analysis.acks_frame'), '4');
  assert.equal(d[6]!.columns.info, '[TCP Retransmission] 61541 \u2192 4999 [PSH, ACK] Seq=201 Ack=1 Win=260 Len=100');
  assert.equal(nodes(d[6]!, 'tcp.analysis.retransmission').length, 1);
  assert.equal(d[7]!.columns.info, '[TCP Dup ACK 6#1] 4999 \u2192 61541 [ACK] Seq=1 Ack=101 Win=260 Len=0');
  assert.equal(cell(d[7]!, 'tcp.analysis.duplicate_ack_frame'), '6');
  assert.equal(d[8]!.columns.info, '[TCP ACKed unseen segment] 4999 \u2192 61541 [ACK] Seq=1 Ack=301 Win=260 Len=0');
});

test('TCP stream numbers: a new SYN with another ISN after FIN starts a new stream (port reuse)', () => {
  const frames = [segment(true, C - 1, 0, 0x02), segment(false, S - 1, C, 0x12), segment(true, C, S, 0x10), segment(true, C, S, 0x11), segment(false, S, C + 1, 0x11), segment(true, 0x10000000, 0, 0x02)];
  const d = run(frames);
  assert.equal(cell(d[4]!, 'tcp.stream'), '0');
  assert.equal(cell(d[5]!, 'tcp.stream'), '1');
  assert.equal(cell(d[5]!, 'tcp.seq'), '0');
  assert.match(d[5]!.columns.info, /^\[TCP Port numbers reused\] 61541 → 4999 \[SYN\]/);
});

test('TCP: re-dissecting a frame gives the same tree values', () => {
  const session = new Session();
  const frames = [syn, synAck, ack].map(fromHex);
  const first = frames.map((data, i) => dissectFrame(defaultRegistry(), session, { number: i + 1, linkType: 1, tsSec: 1000, tsNsec: i * 1000, caplen: data.length, origlen: data.length, interfaceId: 0 }, data));
  const again = dissectFrame(defaultRegistry(), session, { number: 2, linkType: 1, tsSec: 1000, tsNsec: 1000, caplen: frames[1]!.length, origlen: frames[1]!.length, interfaceId: 0 }, frames[1]!);
  assert.equal(again.columns.info, first[1]!.columns.info);
  assert.equal(cell(again, 'tcp.ack'), '1');
  assert.equal(cell(again, 'tcp.stream'), '0');
});

test('TCP: a header length under 20 bytes stops the dissection with an expert item, as tshark', () => {
  const b = fromHex(ack);
  b[46] = 0x20; // data offset 2 words = 8 bytes
  const d = decode(b);
  assert.equal(cell(d, 'tcp.hdr_len'), '8');
  assert.equal(d.columns.info, '61541 \u2192 80 [ACK] Seq=1 Ack=1 Win=260, bogus TCP header length (8, must be at least 20)');
  assert.ok(d.experts.some((e) => e.message === 'Bogus TCP header length (8, must be at least 20)'));
});
