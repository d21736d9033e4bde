import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry, dissectFrame, Session } from '../../../decoders/index.ts';
import { field, protocol } from '../../../decoders/core/registry.ts';
import { DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN } from '../../../decoders/core/context.ts';
import { findFields } from '../../../decoders/core/fields.ts';
import { formatFieldValue } from '../../../decoders/core/format.ts';
import { fromHex } from '../../support/decode.ts';
import type { Dissection } from '../../../decoders/core/types.ts';

// A tiny length-prefixed protocol on TCP port 7777, used only here: 2-byte length, then that
// many bytes. It asks TCP for more data exactly as HTTP/TLS/DNS do, through ctx.desegment*.
const lp = {
  len: field('lp.len', 'Length', 'uint16'),
  body: field('lp.body', 'Body', 'bytes'),
};
const lenProto = protocol({
  abbrev: 'lp',
  name: 'Length-prefixed test protocol',
  short: 'LP',
  fields: lp,
  register(r) {
    r.table('tcp.port', 7777);
  },
  dissect(c, ctx, tree) {
    let o = c.start;
    let first = true;
    while (o < c.end) {
      if (c.end - o >= 2 && c.u16(o) === 0xfffe) {
        // "Ends at the first 0xff byte": asks for one more segment until it sees it.
        const stop = c.find(o + 2, 0xff);
        if (stop < 0 && ctx.canDesegment) {
          ctx.desegmentOffset = o;
          ctx.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
          return 0;
        }
        ctx.setInfo(`LP until 0xff ${(stop < 0 ? c.end : stop) - o - 2}`);
        return c.end - c.start;
      }
      if (c.end - o >= 2 && c.u16(o) === 0xffff) {
        // "Everything until the connection closes".
        if (ctx.canDesegment) {
          ctx.desegmentOffset = o;
          ctx.desegmentLen = DESEGMENT_UNTIL_FIN;
          return 0;
        }
        tree.add(lp.body, c, o + 2, c.end - o - 2);
        ctx.setInfo(`LP until FIN ${c.end - o - 2}`);
        return c.end - c.start;
      }
      if (c.end - o < 2 || c.end - o < 2 + c.u16(o)) {
        if (ctx.canDesegment) {
          ctx.desegmentOffset = o;
          ctx.desegmentLen = c.end - o < 2 ? DESEGMENT_ONE_MORE_SEGMENT : 2 + c.u16(o) - (c.end - o);
          return o - c.start;
        }
        break;
      }
      const n = c.u16(o);
      tree.add(lp.len, c, o, 2);
      tree.add(lp.body, c, o + 2, n);
      if (first) ctx.setInfo(`LP ${n}`);
      else ctx.appendInfo(`LP ${n}`, ', ');
      first = false;
      o += 2 + n;
    }
    return o - c.start;
  },
});
const registry = createRegistry();
registry.registerProtocol(lenProto);

// eth + IPv4 of a real frame (one_tcp_stream.pcap frame 1, 10.0.0.1 -> 81.218.72.15).
const ipHdr = fromHex('c412f5ff72e86cf049b2de6e080045000034136d40008006436d0a00000151da480f');
const ISN = 1000;

function seg(seq: number, payload: number[], flags = 0x18): Uint8Array {
  const out = new Uint8Array(34 + 20 + payload.length);
  out.set(ipHdr, 0);
  const v = new DataView(out.buffer);
  v.setUint16(16, 40 + payload.length);
  v.setUint16(34, 50000);
  v.setUint16(36, 7777);
  v.setUint32(38, ISN + seq);
  v.setUint32(42, 1);
  v.setUint16(46, (5 << 12) | flags);
  v.setUint16(48, 1000);
  out.set(payload, 54);
  return out;
}

/** A PDU: 2-byte length and `n` bytes of `fill`. */
function pdu(n: number, fill: number): number[] {
  return [n >> 8, n & 255, ...new Array<number>(n).fill(fill)];
}

function run(frames: Uint8Array[], session = new Session()): Dissection[] {
  return frames.map((data, i) => dissectFrame(registry, session, { number: i + 1, linkType: 1, tsSec: 1000 + Math.floor(i / 10), tsNsec: (i % 10) * 100_000_000, caplen: data.length, origlen: data.length, interfaceId: 0 }, data));
}

const cell = (d: Dissection, f: string): string => findFields(d.tree, f).map((x) => formatFieldValue(x.def, x.value)).join(',');

test('desegmentation: a PDU over three segments is dissected in the last one from "Reassembled TCP"', () => {
  const whole = pdu(30, 0x41); // 32 bytes
  const d = run([seg(1, whole.slice(0, 10)), seg(11, whole.slice(10, 20)), seg(21, whole.slice(20))]);
  for (const early of [d[0]!, d[1]!]) {
    assert.match(early.columns.info, /Len=10 \[TCP segment of a reassembled PDU\]$/);
    assert.equal(early.columns.protocol, 'TCP');
    assert.equal(early.protocols.includes('lp'), false);
    assert.equal(cell(early, 'lp.len'), '');
    assert.equal(cell(early, 'tcp.segment_data').length, 20);
  }
  const last = d[2]!;
  assert.equal(last.columns.info, 'LP 30');
  assert.equal(last.columns.protocol, 'LP');
  assert.ok(last.protocols.includes('lp'));
  assert.equal(cell(last, 'lp.len'), '30');
  assert.equal(last.sources[1]!.name, 'Reassembled TCP');
  assert.equal(last.sources[1]!.data.length, 32);
  const len = findFields(last.tree, 'lp.len')[0]!;
  assert.equal(len.source, 1);
  assert.equal(len.offset, 0);
  assert.equal(cell(last, 'tcp.segment'), '1,2,3');
  assert.equal(cell(last, 'tcp.reassembled.length'), '32');
});

test('desegmentation: two PDUs in one segment, then one that continues into the next', () => {
  const a = pdu(3, 1);
  const b = pdu(4, 2);
  const c = pdu(10, 3);
  const d = run([seg(1, [...a, ...b, ...c.slice(0, 5)]), seg(1 + a.length + b.length + 5, c.slice(5))]);
  assert.equal(d[0]!.columns.info, 'LP 3, LP 4');
  assert.equal(cell(d[0]!, 'lp.len'), '3,4');
  assert.equal(d[1]!.columns.info, 'LP 10');
  assert.equal(cell(d[1]!, 'lp.len'), '10');
});

test('desegmentation: a completed PDU followed by the start of the next one in the same segment', () => {
  const a = pdu(8, 1);
  const b = pdu(8, 2);
  const d = run([seg(1, a.slice(0, 4)), seg(5, [...a.slice(4), ...b.slice(0, 3)]), seg(5 + 6 + 3, b.slice(3))]);
  assert.match(d[0]!.columns.info, /\[TCP segment of a reassembled PDU\]$/);
  assert.equal(d[1]!.columns.info, 'LP 8');
  assert.equal(d[2]!.columns.info, 'LP 8');
  assert.equal(d[2]!.sources[1]!.data.length, 10);
});

test('desegmentation: "one more segment" when even the length is split', () => {
  const a = pdu(6, 7);
  const d = run([seg(1, a.slice(0, 1)), seg(2, a.slice(1))]);
  assert.match(d[0]!.columns.info, /\[TCP segment of a reassembled PDU\]$/);
  assert.equal(d[1]!.columns.info, 'LP 6');
});

test('desegmentation: re-dissecting frames replays the same result without new state', () => {
  const whole = pdu(20, 0x42);
  const session = new Session();
  const frames = [seg(1, whole.slice(0, 12)), seg(13, whole.slice(12))];
  const first = run(frames, session);
  const again = run(frames, session);
  assert.equal(again[0]!.columns.info, first[0]!.columns.info);
  assert.equal(again[1]!.columns.info, 'LP 20');
  assert.equal(cell(again[1]!, 'lp.len'), '20');
  // On the second pass we know where the first segment's PDU was completed.
  assert.equal(cell(again[0]!, 'tcp.reassembled_in'), '2');
});

test('desegmentation: a retransmitted segment is not handed to the protocol again', () => {
  const whole = pdu(20, 0x43);
  const d = run([seg(1, whole.slice(0, 12)), seg(13, whole.slice(12)), seg(1, whole.slice(0, 12))]);
  assert.equal(d[1]!.columns.info, 'LP 20');
  assert.equal(d[2]!.protocols.includes('lp'), false);
  assert.match(d[2]!.columns.info, /^\[TCP (Spurious )?Retransmission\]/);
});

test('desegmentation: a keep-alive byte that contradicts a reassembled PDU is a reassembly error', () => {
  const whole = pdu(20, 0x44);
  const d = run([seg(1, whole.slice(0, 12)), seg(13, whole.slice(12)), seg(22, [0])]);
  assert.equal(d[1]!.columns.info, 'LP 20');
  assert.ok(d[2]!.malformed);
  assert.match(d[2]!.columns.info, /Len=1\[Reassembly error, protocol TCP: New fragment overlaps old data \(retransmission\?\)\]$/);
});

test('desegmentation: a segment cut short by the snap length is not reassembled', () => {
  const whole = pdu(20, 0x45);
  const data = seg(1, whole.slice(0, 12));
  const cut = data.subarray(0, data.length - 4);
  const d = dissectFrame(registry, new Session(), { number: 1, linkType: 1, tsSec: 0, tsNsec: 0, caplen: cut.length, origlen: data.length, interfaceId: 0 }, cut);
  assert.equal(d.columns.info.includes('reassembled'), false);
  assert.equal(cell(d, 'tcp.len'), '12');
});

test('desegmentation: "until FIN" collects every segment and dissects at the FIN', () => {
  const d = run([seg(1, [0xff, 0xff, 1, 2, 3]), seg(6, [4, 5, 6, 7]), seg(10, [], 0x11)]);
  assert.match(d[0]!.columns.info, /\[TCP segment of a reassembled PDU\]$/);
  assert.match(d[1]!.columns.info, /\[TCP segment of a reassembled PDU\]$/);
  assert.equal(d[2]!.columns.info, 'LP until FIN 7');
  assert.equal(d[2]!.sources[1]!.data.length, 9);
  assert.equal(cell(d[2]!, 'tcp.segment'), '1,2');
});

test('desegmentation: a long PDU asking for one more segment each time stays fast', () => {
  const frames: Uint8Array[] = [seg(1, [0xff, 0xfe, ...new Array<number>(998).fill(1)])];
  for (let i = 1; i < 600; i++) frames.push(seg(1 + i * 1000, new Array<number>(1000).fill(i === 599 ? 0xff : 2)));
  const t = performance.now();
  const d = run(frames);
  assert.ok(performance.now() - t < 15000);
  assert.match(d[598]!.columns.info, /\[TCP segment of a reassembled PDU\]$/);
  assert.equal(d[599]!.columns.info, 'LP until 0xff 598998');
  assert.equal(d[599]!.sources[1]!.data.length, 600000);
});
