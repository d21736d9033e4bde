// TCP sequence graph and flow graph against tshark 4.0 (fixtures/goldens/tcpgraph, made by
// fixtures/make-tcpgraph-goldens.sh): per segment the frame, time, relative seq/ack, length,
// window and retransmission verdict must be tshark's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { tcpGraph, tcpStreamSegments } from '../../../electron/engine/tcp-graph.ts';
import { flowGraphOfPackets, flowGraphOfStream, tcpFlowLabel } from '../../../electron/engine/flow-graph.ts';
import { corpusAvailable, corpusDir, repoRoot } from '../../support/corpus.ts';
import { ContractError, validateArg } from '../../../electron/ipc/contract.ts';
import { Session } from '../../../electron/ipc/handlers.ts';

const goldens = join(repoRoot, 'fixtures/goldens/tcpgraph');
const sample = join(repoRoot, 'fixtures/captures/sample-http.pcap');

interface Golden {
  frame: number;
  time: string;
  stream: number;
  seq: number;
  len: number;
  ack: number;
  window: number;
  flags: number;
  retransmission: boolean;
}

function readGolden(name: string): Golden[] {
  return readFileSync(join(goldens, `${name}.txt`), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const f = l.split('|');
      return {
        frame: Number(f[0]),
        time: f[1]!,
        stream: Number(f[2]),
        seq: Number(f[3]),
        len: Number(f[4]),
        ack: Number(f[5]),
        window: Number(f[6]),
        flags: parseInt(f[7]!, 16),
        retransmission: f[8] !== '' || f[9] !== '' || f[10] !== '',
      };
    });
}

async function open(path: string): Promise<CaptureEngine> {
  const e = CaptureEngine.open([path]);
  await e.indexed;
  return e;
}

function pathOf(name: string): string {
  return name === 'sample-http.pcap' ? sample : join(corpusDir, name);
}

test('per-segment numbers equal tshark on every golden capture', async (t) => {
  const names = existsSync(goldens) ? readdirSync(goldens).map((f) => f.replace(/\.txt$/, '')).sort() : [];
  if (names.length === 0) return t.skip('no tcpgraph goldens');
  let checked = 0;
  const diffs: string[] = [];
  for (const name of names) {
    if (!existsSync(pathOf(name))) {
      console.log(`# ${name}: capture missing (corpus absent), skipped`);
      continue;
    }
    const gold = readGolden(name);
    const engine = await open(pathOf(name));
    const streams = [...new Set(gold.map((g) => g.stream))];
    for (const s of streams) {
      const got = new Map(tcpStreamSegments(engine, s).segments.map((g) => [g.frame, g]));
      for (const w of gold.filter((g) => g.stream === s)) {
        const g = got.get(w.frame);
        checked++;
        // Seconds travel as doubles: exact to well under a microsecond even 10^9 s after the first packet.
        const time = g && Math.abs(g.time - Number(w.time)) < 1e-6 ? w.time : g?.time.toFixed(9);
        const ours = g ? { time, seq: g.seq, len: g.len, ack: g.ack, window: g.window, flags: g.flags, retransmission: (g.analysis & 0x4401) !== 0 } : null;
        const want = { time: w.time, seq: w.seq, len: w.len, ack: w.ack, window: w.window, flags: w.flags, retransmission: w.retransmission };
        if (JSON.stringify(ours) !== JSON.stringify(want) && diffs.length < 20) diffs.push(`${name} frame ${w.frame}: ours ${JSON.stringify(ours)} tshark ${JSON.stringify(want)}`);
      }
    }
    engine.close();
  }
  console.log(`# tcp graph: ${checked} segments checked, ${diffs.length} differ`);
  for (const d of diffs) console.log('#   ' + d);
  assert.ok(checked > 300);
  assert.deepEqual(diffs, []);
});

test('tcpGraph: the data direction by default, ACK and window lines from the other side', async () => {
  const engine = await open(sample);
  const gold = readGolden('sample-http.pcap').filter((g) => g.stream === 0);
  const g = tcpGraph(engine, 0);
  // Stream 0: the client sends a 348-byte request, the server answers with about 12 kB.
  assert.deepEqual(g.endpoints, ['[2001:618:400::5199:cc70]:35995', '[2001:618:1:8000::5]:80']);
  assert.equal(g.direction, 1);
  assert.ok(g.bytes[1] > g.bytes[0]);
  const server = gold.filter((w) => w.frame === 2 || g.segments.some((s) => s.frame === w.frame));
  assert.equal(g.segments.length, server.length);
  assert.deepEqual(g.segments.slice(0, 2).map((s) => [s.frame, s.seq, s.len, s.flags]), [[2, 0, 0, 0x12], [5, 1, 1408, 0x10]]);
  // Every ACK of the client, with its calculated window.
  const client = gold.filter((w) => !g.segments.some((s) => s.frame === w.frame) && w.flags & 0x10);
  assert.deepEqual(g.acks.map((a) => [a.frame, a.ack, a.window]), client.map((w) => [w.frame, w.ack, w.window]));
  assert.equal(g.segments.length + g.acks.length + 1, gold.length, 'the SYN (no ACK flag) is neither');
  // The other direction on request.
  const up = tcpGraph(engine, 0, 0);
  assert.equal(up.direction, 0);
  assert.deepEqual(up.segments.map((s) => s.frame), gold.filter((w) => !g.segments.some((s) => s.frame === w.frame)).map((w) => w.frame));
  // No such stream: an empty graph.
  const none = tcpGraph(engine, 99);
  assert.equal(none.segments.length + none.acks.length, 0);
  engine.close();
});

test('tcpGraph marks tshark retransmissions', async (t) => {
  const path = join(corpusDir, 'one_tcp_stream.pcap');
  if (!corpusAvailable) return t.skip('corpus absent');
  const engine = await open(path);
  const gold = readGolden('one_tcp_stream.pcap');
  const g0 = tcpGraph(engine, 0, 0);
  const g1 = tcpGraph(engine, 0, 1);
  const marked = [...g0.segments, ...g1.segments].filter((s) => s.retransmission).map((s) => s.frame).sort((a, b) => a - b);
  assert.deepEqual(marked, gold.filter((w) => w.retransmission).map((w) => w.frame));
  assert.ok(marked.length > 0);
  engine.close();
});

test('flowGraphOfStream: two endpoint columns, compact TCP labels', async () => {
  const engine = await open(sample);
  const f = flowGraphOfStream(engine, 0);
  assert.deepEqual(f.nodes, ['[2001:618:400::5199:cc70]:35995', '[2001:618:1:8000::5]:80']);
  assert.equal(f.items.length, 28);
  assert.equal(f.truncated, false);
  assert.deepEqual(f.items.slice(0, 4).map((i) => [i.frame, i.from, i.to, i.label]), [
    [1, 0, 1, 'SYN Seq=0 Win=5680 Len=0'],
    [2, 1, 0, 'SYN, ACK Seq=0 Ack=1 Win=57344 Len=0'],
    [3, 0, 1, 'ACK Seq=1 Ack=1 Win=5680 Len=0'],
    [4, 0, 1, 'PSH, ACK Seq=1 Ack=1 Win=5680 Len=348'],
  ]);
  assert.equal(tcpFlowLabel({ flags: 0x11, seq: 5, ack: 9, window: 100, len: 0 }), 'FIN, ACK Seq=5 Ack=9 Win=100 Len=0');
  assert.equal(tcpFlowLabel({ flags: 0x04, seq: 1, ack: 0, window: 0, len: 0 }), 'RST Seq=1 Win=0 Len=0');
  const cut = flowGraphOfStream(engine, 0, 10);
  assert.equal(cut.items.length, 10);
  assert.equal(cut.truncated, true);
  engine.close();
});

test('flowGraphOfPackets: host columns in first-seen order, Info labels as the packet list', async () => {
  const engine = await open(sample);
  const all = Array.from({ length: engine.count }, (_, i) => i);
  const f = flowGraphOfPackets(engine, all, 40);
  assert.equal(f.items.length, 40);
  assert.equal(f.total, engine.count);
  assert.equal(f.truncated, true);
  for (const it of f.items) {
    const r = engine.row(it.frame - 1);
    assert.equal(it.label, r.info, `frame ${it.frame}`);
    assert.equal(f.nodes[it.from], r.source);
    assert.equal(f.nodes[it.to], r.destination);
  }
  assert.deepEqual(f.nodes.slice(0, 2), ['2001:618:400::5199:cc70', '2001:618:1:8000::5']);
  assert.equal(f.items[3]!.label, 'GET / HTTP/1.1 ');
  // A later slice of one stream (its earlier packets are decoded first, but not drawn).
  const late = flowGraphOfPackets(engine, [20, 21, 22], 10);
  assert.deepEqual(late.items.map((i) => i.label), [20, 21, 22].map((i) => engine.row(i).info));
  engine.close();
});

test('contract: tcpGraph and flowGraph arguments are validated strictly', () => {
  assert.deepEqual(validateArg('tcpGraph', { stream: 3 }), { stream: 3 });
  assert.deepEqual(validateArg('tcpGraph', { stream: 0, direction: 1 }), { stream: 0, direction: 1 });
  for (const bad of [null, {}, { stream: -1 }, { stream: 1.5 }, { stream: '1' }, { stream: 1, direction: 2 }, { stream: 1, direction: '0' }, { stream: 1, extra: true }, [1]]) {
    assert.throws(() => validateArg('tcpGraph', bad), ContractError, JSON.stringify(bad));
  }
  assert.deepEqual(validateArg('flowGraph', { stream: 2 }), { stream: 2 });
  assert.deepEqual(validateArg('flowGraph', { stream: 2, limit: 50 }), { stream: 2, limit: 50 });
  assert.deepEqual(validateArg('flowGraph', { displayed: true }), { displayed: true });
  assert.deepEqual(validateArg('flowGraph', { displayed: true, limit: 2000, around: 7 }), { displayed: true, limit: 2000, around: 7 });
  for (const bad of [null, {}, { displayed: false }, { displayed: 'yes' }, { stream: 1, displayed: true }, { displayed: true, limit: 0 }, { displayed: true, limit: 10_001 }, { displayed: true, around: 0 }, { stream: 1, around: 3 }, { stream: -2 }, { displayed: true, x: 1 }]) {
    assert.throws(() => validateArg('flowGraph', bad), ContractError, JSON.stringify(bad));
  }
});

test('handlers: flowGraph of the displayed packets follows the filter and centres on `around`', async () => {
  const session = new Session(() => {});
  session.open([sample]);
  await session.handlers.setSort({ column: null, descending: false }); // resolves once indexed
  const all = await session.handlers.flowGraph({ displayed: true, limit: 10, around: 50 });
  assert.equal(all.total, 100);
  assert.equal(all.truncated, true);
  assert.deepEqual(all.items.map((i) => i.frame), [45, 46, 47, 48, 49, 50, 51, 52, 53, 54]);
  const r = await session.setFilter('tcp.stream == 1');
  assert.ok(r.ok);
  const f = await session.handlers.flowGraph({ displayed: true });
  assert.equal(f.total, r.displayed);
  assert.equal(f.truncated, false);
  assert.deepEqual(f.nodes, ['2001:618:400::5199:cc70', '2001:618:1:8000::5']);
  const g = await session.handlers.tcpGraph({ stream: 1 });
  assert.equal(g.segments.length + g.acks.length + 1, r.displayed, 'every segment but the SYN is a point or an ACK');
  session.close();
});
