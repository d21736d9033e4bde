// The analysis Session in its own worker thread, behind the same Handlers the in-thread Session
// has: browser mode and Electron post requests to it and get its events, so a long index or
// filter pass never blocks the thread that talks to the UI.

import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { METHODS, type Arg, type CaptureInfo, type Handlers, type Method, type ResponseMessage, type EventMessage, type Result } from './contract.ts';
import type { Emit } from './handlers.ts';
import type { ToWorker } from './session-worker-entry.ts';

/** Set by the esbuild builds to the bundled worker's file name beside the bundle. */
declare const PKTSCOPE_SESSION_WORKER: string | undefined;
/** Set by the esbuild builds: the id of the build both bundles came from. */
declare const PKTSCOPE_BUILD_ID: string | undefined;
/** This bundle's build id (null when run from sources). */
export const BUILD_ID: string | null = typeof PKTSCOPE_BUILD_ID === 'string' ? PKTSCOPE_BUILD_ID : null;

function workerSpec(): { file: URL | string; workerData?: { entry: string } } {
  if (typeof PKTSCOPE_SESSION_WORKER === 'string') {
    // The CommonJS bundle (Electron main) has __dirname; the ESM bundle (CLI) has import.meta.
    return { file: typeof __dirname === 'string' ? join(__dirname, PKTSCOPE_SESSION_WORKER) : new URL(PKTSCOPE_SESSION_WORKER, import.meta.url) };
  }
  return { file: new URL('./session-worker-boot.mjs', import.meta.url), workerData: { entry: new URL('./session-worker-entry.ts', import.meta.url).href } };
}

export class WorkerSession {
  readonly handlers: Handlers;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(emit: Emit) {
    const spec = workerSpec();
    // The thread checks it runs the same build as this side (see session-worker-entry.ts).
    this.worker = new Worker(spec.file, { workerData: { ...spec.workerData, build: BUILD_ID } });
    this.worker.on('message', (m: ResponseMessage | EventMessage) => {
      if ('event' in m) {
        emit(m.event, m.data as never);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    const fail = (e: Error) => {
      this.failure = new Error(`the engine thread stopped: ${e.message}`);
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    const handlers: Partial<Record<Method, (arg: unknown) => Promise<unknown>>> = {};
    for (const m of METHODS) handlers[m] = (arg) => this.call(m, arg as Arg<typeof m>);
    this.handlers = handlers as Handlers;
  }

  call<M extends Method>(method: M, arg: Arg<M>): Promise<Result<M>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, arg } satisfies ToWorker);
    });
  }

  open(paths: string[]): Promise<CaptureInfo> {
    return this.call('open', { paths });
  }

  /** Closes the engine (files, capture) and ends the thread. */
  close(): void {
    if (this.failure) return;
    this.worker.postMessage({ close: true } satisfies ToWorker);
    // A thread stuck in a long pass is not waited for.
    setTimeout(() => void this.worker.terminate(), 2000).unref();
  }
}
