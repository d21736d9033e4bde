// The Statistics view's engine data: Ethernet conversations/endpoints against tshark goldens
// (fixtures/goldens/stats/*.conv,eth.txt), the wire rows, the protocol hierarchy rows, and the
// contract's validation of the statistics requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { conversations, endpoints } from '../../../electron/engine/conversations.ts';
import { formatConversations, formatEndpoints } from '../../../electron/engine/stats-format.ts';
import { conversationRows, endpointRows, protocolHierarchyRows } from '../../../electron/engine/statistics.ts';
import { ContractError, validateArg } from '../../../electron/ipc/contract.ts';
import { parseStat } from '../../../electron/cli-stats.ts';
import { corpusAvailable, corpusDir, repoRoot } from '../../support/corpus.ts';

const dir = join(repoRoot, 'fixtures/goldens/stats');

test('conv,eth and endpoints,eth are identical to tshark over the corpus', async (t) => {
  if (!corpusAvailable || !existsSync(dir)) return t.skip('corpus or goldens missing');
  let same = 0;
  let total = 0;
  const diffs: string[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.conv,eth.txt')).sort()) {
    const name = f.slice(0, -'.conv,eth.txt'.length);
    const engine = CaptureEngine.open([join(corpusDir, name)]);
    await engine.indexed;
    const convs = conversations(engine, 'eth');
    for (const [stat, got] of [['conv,eth', formatConversations('eth', convs)], ['endpoints,eth', formatEndpoints('eth', endpoints(convs, false))]] as const) {
      total++;
      if (got === readFileSync(join(dir, `${name}.${stat}.txt`), 'utf8')) same++;
      else diffs.push(`${name} ${stat}`);
    }
    engine.close();
  }
  console.log(`stats: Ethernet conversations/endpoints identical to tshark in ${same} of ${total} outputs`);
  for (const d of diffs) console.log('  differs: ' + d);
  // Known: tcp-reassembly.pcap carries sFlow samples (not decoded), whose headers tshark's eth tap sees.
  assert.ok(same >= total - 2, `only ${same} of ${total} identical`);
});

test('wire rows: conversations, endpoints and the protocol hierarchy of a capture', async (t) => {
  if (!corpusAvailable) return t.skip('corpus missing');
  const engine = CaptureEngine.open([join(corpusDir, 'three_http_streams.pcap')]);
  try {
    await engine.indexed;
    const tcp = conversationRows(engine, 'tcp');
    assert.equal(tcp.length, 3);
    assert.deepEqual(tcp.map((c) => c.stream), [0, 1, 2]);
    const c0 = tcp[0]!;
    assert.ok(c0.aPort > 0 && c0.bPort > 0 && c0.duration >= 0);
    const ip = conversationRows(engine, 'ipv4');
    assert.ok(ip.every((c) => c.aPort === 0 && c.stream === -1));
    const eps = endpointRows(engine, 'eth');
    assert.ok(eps.length >= 2);
    const phs = await protocolHierarchyRows(engine);
    assert.equal(phs.frames, engine.count);
    assert.deepEqual(phs.rows[0], { proto: 'frame', name: phs.rows[0]!.name, depth: 0, frames: engine.count, bytes: phs.bytes });
    const eth = phs.rows.find((r) => r.proto === 'eth');
    assert.equal(eth?.depth, 1);
    assert.match(eth!.name, /Ethernet/);
    assert.ok(phs.rows.some((r) => r.proto === 'http' && r.depth > 3));
    // Cached per engine.
    assert.equal(await protocolHierarchyRows(engine), phs);
  } finally {
    engine.close();
  }
});

test('contract: statistics requests are validated strictly', () => {
  assert.deepEqual(validateArg('conversations', { type: 'eth', extra: 1 }), { type: 'eth' });
  assert.deepEqual(validateArg('endpoints', { type: 'ipv6' }), { type: 'ipv6' });
  assert.throws(() => validateArg('conversations', { type: 'ip' }), ContractError);
  assert.throws(() => validateArg('endpoints', null), ContractError);
  assert.equal(validateArg('protocolHierarchy', null), null);
  assert.throws(() => validateArg('protocolHierarchy', { x: 1 }), ContractError);
  assert.deepEqual(validateArg('ioGraph', { intervalMs: 100, metric: 'bits', filters: ['', 'tcp'] }), { intervalMs: 100, metric: 'bits', filters: ['', 'tcp'] });
  assert.deepEqual(validateArg('ioGraph', { intervalMs: 0, metric: 'packets', filters: [''] }).intervalMs, 0);
  for (const bad of [
    { intervalMs: 600_001, metric: 'packets', filters: [''] },
    { intervalMs: -1, metric: 'packets', filters: [''] },
    { intervalMs: 1.5, metric: 'packets', filters: [''] },
    { intervalMs: 100, metric: 'frames', filters: [''] },
    { intervalMs: 100, metric: 'bytes', filters: [] },
    { intervalMs: 100, metric: 'bytes', filters: ['', '', '', '', '', ''] },
    { intervalMs: 100, metric: 'bytes', filters: [1] },
    { intervalMs: 100, metric: 'bytes', filters: ['x'.repeat(4097)] },
    { intervalMs: 100, metric: 'bytes' },
    'ioGraph',
  ]) assert.throws(() => validateArg('ioGraph', bad), ContractError, JSON.stringify(bad).slice(0, 80));
});

test('CLI: -z conv,eth and endpoints,eth are accepted', () => {
  assert.deepEqual(parseStat('conv,eth'), { kind: 'conv', type: 'eth' });
  assert.deepEqual(parseStat('endpoints,eth'), { kind: 'endpoints', type: 'eth' });
  assert.throws(() => parseStat('conv,wlan'), /conv,eth\|ip/);
});
