// Source-mode start of the engine thread: worker threads do not inherit the tsx loader that
// `node --import tsx` installed in the main thread, so register it here and load the .ts entry.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
