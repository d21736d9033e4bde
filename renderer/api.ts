// The only file that talks to the engine: Electron's preload (`window.pktscope`) when present,
// otherwise the `pktscope serve` WebSocket on the page's own origin with the URL's token.

import type { Arg, EventName, Events, Method, PktscopeApi, Result } from '../electron/ipc/contract.ts';

declare global {
  interface Window {
    pktscope?: PktscopeApi;
  }
}

type Listener = (data: unknown) => void;

function websocketApi(): PktscopeApi {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const listeners = new Map<EventName, Set<Listener>>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ws = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error('cannot connect to the pktscope server')));
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error('connection to the pktscope server closed'));
    pending.clear();
  });
  ws.addEventListener('message', (ev) => {
    const m = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: string; event?: EventName; data?: unknown };
    if (m.event) {
      for (const l of listeners.get(m.event) ?? []) l(m.data);
      return;
    }
    const p = m.id !== undefined ? pending.get(m.id) : undefined;
    if (!p) return;
    pending.delete(m.id!);
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.result);
  });
  return {
    async request<M extends Method>(method: M, arg: Arg<M>): Promise<Result<M>> {
      await opened;
      const id = nextId++;
      return new Promise<Result<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, method, arg }));
      });
    },
    on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  };
}

let api: PktscopeApi | null = null;

export function getApi(): PktscopeApi {
  if (!api) api = window.pktscope ?? websocketApi();
  return api;
}

export function request<M extends Method>(method: M, arg: Arg<M>): Promise<Result<M>> {
  return getApi().request(method, arg);
}

export function on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void {
  return getApi().on(event, listener);
}

/** Path of a dropped file: only Electron can tell (browser mode opens paths on the server). */
export function pathForFile(f: File): string | null {
  const a = getApi();
  return a.pathForFile ? a.pathForFile(f) : null;
}
