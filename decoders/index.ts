// The decoders' public face: a ready registry with every protocol, and frame dissection.

import { Registry, protocol } from './core/registry.ts';
import { frameFields, wsFields } from './core/builtin-fields.ts';
import { protocolModules } from './protocols/index.ts';

export { Registry } from './core/registry.ts';
export { Session } from './core/session.ts';
export { dissectFrame } from './core/dissect.ts';
export type * from './core/types.ts';

/** The `frame` layer is built by the core, not dispatched, but its fields live in the registry like any other. */
const frameProtocol = protocol({ abbrev: 'frame', name: 'Frame', short: '', fields: frameFields, dissect: () => 0 });

export function createRegistry(): Registry {
  const r = new Registry();
  r.registerProtocol(frameProtocol);
  for (const def of Object.values(wsFields)) r.addField(def, '_ws');
  for (const m of protocolModules) r.registerProtocol(m);
  return r;
}

let shared: Registry | null = null;

/** One registry per process: field ids stay stable across the engine, filters and CLI. */
export function defaultRegistry(): Registry {
  return (shared ??= createRegistry());
}
