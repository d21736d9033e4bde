// The engine thread: one analysis Session (engine, filters, capture control) answering the
// contract's requests that WorkerSession posts, and posting its events back. Indexing a 1 GB
// capture or filtering a million packets happens here, so the thread serving the UI (the
// WebSocket server, Electron's main process) never waits for it.

import { parentPort } from 'node:worker_threads';
import { Session } from './handlers.ts';
import { dispatch, type RequestMessage } from './contract.ts';

export type ToWorker = RequestMessage | { close: true };

const port = parentPort;
if (!port) throw new Error('session-worker-entry runs in a worker thread');
const session = new Session((event, data) => port.postMessage({ event, data }));
port.on('message', (m: ToWorker) => {
  if ('close' in m) {
    session.close();
    port.close();
    return;
  }
  void dispatch(session.handlers, m).then((r) => port.postMessage(r));
});
