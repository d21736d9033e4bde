// The engine thread: one analysis Session (engine, filters, capture control) answering the
// contract's requests that WorkerSession posts, and posting its events back. Indexing a 1 GB
// capture or filtering a million packets happens here, so the thread serving the UI (the
// WebSocket server, Electron's main process) never waits for it.

import { parentPort, workerData } from 'node:worker_threads';
import { Session } from './handlers.ts';
import { dispatch, type RequestMessage } from './contract.ts';
import { BUILD_ID } from './session-worker.ts';

export type ToWorker = RequestMessage | { close: true };

const port = parentPort;
if (!port) throw new Error('session-worker-entry runs in a worker thread');
// A running `pktscope serve` starts this thread from the bundle on disk for every connection: when
// a rebuild replaced it since, its methods differ from those the server accepts (a method unknown
// here failed as "h is not a function"). Refuse every request with the reason instead.
const starter = (workerData as { build?: string | null } | null)?.build ?? null;
if (starter !== null && BUILD_ID !== null && starter !== BUILD_ID) {
  const error = 'the engine thread was rebuilt while pktscope was running (a newer build is on disk): restart pktscope';
  port.on('message', (m: ToWorker) => {
    if ('close' in m) port.close();
    else port.postMessage({ id: m.id, error });
  });
} else serve(port);

function serve(port: NonNullable<typeof parentPort>): void {
  const session = new Session((event, data) => port.postMessage({ event, data }));
  port.on('message', (m: ToWorker) => {
    if ('close' in m) {
      session.close();
      port.close();
      return;
    }
    void dispatch(session.handlers, m).then((r) => port.postMessage(r));
  });
}
