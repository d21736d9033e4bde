// Preload (sandboxed): exposes exactly the typed contract as `window.pktscope`. Requests are
// limited to the contract's method names; events arrive on one channel.

import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_CHANNEL, METHODS, channel, type Arg, type EventMessage, type EventName, type Events, type Method, type PktscopeApi, type Result } from './ipc/contract.ts';

const listeners = new Map<EventName, Set<(data: unknown) => void>>();
ipcRenderer.on(EVENT_CHANNEL, (_e, m: EventMessage) => {
  for (const l of listeners.get(m.event) ?? []) l(m.data);
});

const api: PktscopeApi = {
  request<M extends Method>(method: M, arg: Arg<M>): Promise<Result<M>> {
    if (!METHODS.includes(method)) return Promise.reject(new Error(`unknown method ${String(method)}`));
    return ipcRenderer.invoke(channel(method), arg) as Promise<Result<M>>;
  },
  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (data: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  },
  pathForFile(file: unknown): string {
    return webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]);
  },
};

contextBridge.exposeInMainWorld('pktscope', api);
