// One thread of `pktscope -r F` on several cores: posts summaryShare()'s chunks of summary
// lines (see summary-parallel.ts) to the thread that merges and prints them.

import { parentPort, workerData } from 'node:worker_threads';
import { summaryShare, type SummaryWorkerData, type SummaryWorkerMessage } from './summary-parallel.ts';

const port = parentPort;
if (!port) throw new Error('summary-worker runs in a worker thread');
try {
  for (const m of summaryShare(workerData as SummaryWorkerData)) {
    const owners = 'owners' in m ? m.owners : undefined;
    port.postMessage(m satisfies SummaryWorkerMessage, owners ? [owners.buffer as ArrayBuffer] : []);
  }
} catch (e) {
  port.postMessage({ failed: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies SummaryWorkerMessage);
}
