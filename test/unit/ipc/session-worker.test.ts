// The analysis Session in a worker thread answers exactly as the in-thread one does and
// forwards its events; a request to a stopped thread fails with a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Session } from '../../../electron/ipc/handlers.ts';
import { WorkerSession } from '../../../electron/ipc/session-worker.ts';
import type { EventName } from '../../../electron/ipc/contract.ts';
import { repoRoot } from '../../support/corpus.ts';

const sample = join(repoRoot, 'fixtures/captures/three_http_streams.pcap');

test('a worker-thread session gives the same rows, filter, packet and follow as the in-thread one', async () => {
  const events: EventName[] = [];
  const worker = new WorkerSession((e) => events.push(e));
  const local = new Session(() => {});
  try {
    const info = await worker.open([sample]);
    assert.deepEqual(info.files, [sample]);
    local.open([sample]);
    // setSort answers once indexing is done (both sides).
    await worker.handlers.setSort({ column: null, descending: false });
    await local.handlers.setSort({ column: null, descending: false });
    assert.deepEqual(await worker.handlers.rows({ start: 0, count: 50 }), await local.handlers.rows({ start: 0, count: 50 }));
    assert.deepEqual(await worker.handlers.setFilter({ expr: 'http.request' }), await local.handlers.setFilter({ expr: 'http.request' }));
    assert.deepEqual(await worker.handlers.rows({ start: 0, count: 10 }), await local.handlers.rows({ start: 0, count: 10 }));
    assert.deepEqual(await worker.handlers.packet({ number: 4 }), await local.handlers.packet({ number: 4 }));
    assert.deepEqual(await worker.handlers.follow({ stream: 1 }), await local.handlers.follow({ stream: 1 }));
    assert.ok(events.includes('progress'), 'progress events cross the thread');
    await assert.rejects(worker.call('packet', { number: 1_000_000 }), /./, 'engine errors come back as rejections');
  } finally {
    worker.close();
    local.close();
  }
  await new Promise((r) => setTimeout(r, 100));
  await assert.rejects(worker.call('info', null), /engine thread stopped/);
});
