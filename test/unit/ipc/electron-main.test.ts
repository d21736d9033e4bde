// Electron IPC wiring driven without Electron: a fake ipcMain and WebContents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { wireIpc, type IpcMainLike } from '../../../electron/ipc/electron-main.ts';
import { EVENT_CHANNEL, METHODS, channel } from '../../../electron/ipc/contract.ts';

const sample = join(import.meta.dirname, '../../../fixtures/captures/sample-http.pcap');
const URL_OK = 'file:///app/out/renderer/index.html';

test('one handler per contract method; sender frame checked; arguments validated', async () => {
  const handlers = new Map<string, (e: IpcMainInvokeEvent, arg: unknown) => unknown>();
  const ipc: IpcMainLike = { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) };
  const sent: { channel: string; msg: unknown }[] = [];
  const mainFrame = { url: URL_OK };
  const contents = Object.assign(new EventEmitter(), {
    mainFrame,
    isDestroyed: () => false,
    send: (c: string, msg: unknown) => void sent.push({ channel: c, msg }),
  }) as unknown as WebContents;
  const session = wireIpc(ipc, contents, (u) => u === URL_OK);
  assert.deepEqual([...handlers.keys()].sort(), METHODS.map(channel).sort());

  const ev = (frame: unknown, sender: unknown = contents) => ({ sender, senderFrame: frame }) as unknown as IpcMainInvokeEvent;
  const call = (m: string, arg: unknown, e = ev(mainFrame)) => handlers.get(channel(m as never))!(e, arg);

  const info = (await call('open', { paths: [sample] })) as { files: string[] };
  assert.equal(info.files.length, 1);
  await session.setFilter('');
  const rows = (await call('rows', { start: 0, count: 2 })) as { rows: { number: number }[] };
  assert.deepEqual(rows.rows.map((r) => r.number), [1, 2]);
  await assert.rejects(async () => call('rows', { start: 0, count: 2 }, ev({ url: 'https://evil.example/' })), /unexpected frame/);
  await assert.rejects(async () => call('rows', { start: 0, count: 2 }, ev(mainFrame, {})), /unexpected frame/);
  await assert.rejects(async () => call('packet', { number: -1 }), /packet: number/);
  assert.ok(sent.some((s) => s.channel === EVENT_CHANNEL), 'progress events reach the window');
  (contents as unknown as EventEmitter).emit('destroyed');
  assert.equal(handlers.size, 0, 'handlers removed with the window');
});
