// The contract wiring without Electron: handlers driven directly, message parsing and
// validation, and the `serve` WebSocket with its token and Origin checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { dispatch, fromBase64, parseRequest, toBase64, validateArg, ContractError, type EventName } from '../../../electron/ipc/contract.ts';
import { Session } from '../../../electron/ipc/handlers.ts';
import { serve } from '../../../electron/server.ts';

const sample = join(import.meta.dirname, '../../../fixtures/captures/sample-http.pcap');

test('base64 round trip', () => {
  for (let n = 0; n < 10; n++) {
    const b = Uint8Array.from({ length: n * 7 + (n % 3) }, (_, i) => (i * 37 + n) & 255);
    assert.deepEqual(fromBase64(toBase64(b)), b);
    assert.equal(toBase64(b), Buffer.from(b).toString('base64'));
  }
});

test('arguments from the untrusted side are validated', () => {
  assert.throws(() => validateArg('rows', { start: -1, count: 5 }), ContractError);
  assert.throws(() => validateArg('rows', { start: 0, count: 1e6 }), ContractError);
  assert.throws(() => validateArg('packet', { number: 0 }), ContractError);
  assert.throws(() => validateArg('open', { paths: [] }), ContractError);
  assert.throws(() => validateArg('open', { paths: ['a\0b'] }), ContractError);
  assert.throws(() => validateArg('setFilter', { expr: 5 }), ContractError);
  assert.deepEqual(validateArg('rows', { start: 3, count: 2, extra: 1 }), { start: 3, count: 2 });
  assert.throws(() => parseRequest('{"id":1,"method":"exec","arg":null}'), /unknown method/);
  assert.throws(() => parseRequest('nope'), /not JSON/);
});

test('handlers: open, rows, packet, filter, follow', async () => {
  const events: { event: EventName; data: unknown }[] = [];
  const s = new Session((event, data) => events.push({ event, data }));
  const info = s.open([sample]);
  assert.equal(info.files.length, 1);
  const h = s.handlers;
  const run = (method: Parameters<typeof dispatch>[1]['method'], arg: unknown) => dispatch(h, { id: 1, method, arg });
  // wait for indexing through the filter path
  const all = await h.setFilter({ expr: '' });
  assert.equal(all.ok, true);
  const rows = await h.rows({ start: 0, count: 5 });
  assert.equal(rows.rows.length, 5);
  assert.equal(rows.rows[0]!.number, 1);
  assert.ok(rows.total >= 100 || rows.total > 0);
  const p = await h.packet({ number: 4 });
  assert.equal(p.frame, 4);
  assert.ok(p.tree.some((n) => n.field === 'http'));
  assert.equal(fromBase64(p.bytes[0]!).length, p.sources[0]!.length);
  assert.equal(p.tcpStream, 0);
  const bad = await h.validateFilter({ expr: 'ip.src ==' });
  assert.equal(bad.ok, false);
  assert.ok(bad.error!.message.length > 0);
  assert.deepEqual(await h.validateFilter({ expr: 'dns' }), { ok: true });
  const f = await h.setFilter({ expr: 'dns' });
  assert.equal(f.ok, true);
  assert.equal(f.displayed, 6);
  const fr = await h.rows({ start: 0, count: 100 });
  assert.equal(fr.displayed, 6);
  assert.ok(fr.rows.every((r) => r.protocol === 'DNS'));
  assert.ok(events.some((e) => e.event === 'filterProgress' && (e.data as { done: boolean }).done));
  assert.ok(events.some((e) => e.event === 'progress'));
  const sorted = await h.setSort({ column: 'length', descending: true });
  assert.equal(sorted.displayed, 6, 'sorting keeps the filter');
  const lens = (await h.rows({ start: 0, count: 6 })).rows.map((r) => r.length);
  assert.deepEqual(lens, [...lens].sort((a, b) => b - a));
  await h.setFilter({ expr: '' });
  const byProto = (await h.rows({ start: 0, count: 100 })).rows;
  assert.equal(byProto.length, 100);
  await h.setSort({ column: 'protocol', descending: false });
  const protos = (await h.rows({ start: 0, count: 100 })).rows.map((r) => r.protocol);
  assert.deepEqual(protos, [...protos].sort());
  await h.setSort({ column: null, descending: false });
  assert.equal((await h.rows({ start: 0, count: 1 })).rows[0]!.number, 1);
  assert.throws(() => validateArg('setSort', { column: 'evil', descending: false }), ContractError);
  const fo = await h.follow({ stream: 0 });
  const text = fo.chunks.map((c) => new TextDecoder().decode(fromBase64(c.data))).join('');
  assert.match(text, /GET \/ HTTP\/1\.1/);
  assert.ok(fo.chunks.some((c) => c.side === 1));
  const r = await run('packet', { number: 100000 });
  assert.ok('error' in r);
  const v = await run('rows', { start: 'x' });
  assert.ok('error' in v && /rows:/.test(v.error));
  s.close();
});

function wsOpen(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((res, rej) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => res(ws));
    ws.once('error', rej);
    ws.once('unexpected-response', (_req, resp) => rej(new Error(`HTTP ${resp.statusCode}`)));
  });
}

test('serve: token and origin checks, requests over the WebSocket', async () => {
  const s = await serve({ files: [sample], port: 0 });
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/);
    const base = `http://127.0.0.1:${s.port}`;
    assert.equal((await fetch(`${base}/`)).status, 403);
    assert.equal((await fetch(`${base}/?token=wrong`)).status, 403);
    const ok = await fetch(s.url);
    assert.notEqual(ok.status, 403);
    const wsUrl = `ws://127.0.0.1:${s.port}/ws?token=${s.token}`;
    await assert.rejects(wsOpen(`ws://127.0.0.1:${s.port}/ws`), /403/);
    await assert.rejects(wsOpen(wsUrl, 'http://evil.example'), /403/);
    const ws = await wsOpen(wsUrl, base);
    const reply = new Promise<{ id: number; result: { rows: unknown[] } }>((res) => {
      ws.on('message', (m) => {
        const j = JSON.parse(m.toString());
        if (j.id === 7) res(j);
      });
    });
    ws.send(JSON.stringify({ id: 7, method: 'rows', arg: { start: 0, count: 3 } }));
    assert.equal((await reply).result.rows.length, 3);
    ws.close();
  } finally {
    await s.close();
  }
});
