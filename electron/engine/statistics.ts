// The Statistics view's data: protocol hierarchy, conversations and endpoints as the contract
// carries them. Conversations and endpoints come from the packet index (conversations.ts);
// the protocol hierarchy needs every packet decoded, so it is one sequential pass over the
// files (yielding to the event loop between slices), computed once per engine and cached.

import { dissectFrame, Session } from '../../decoders/index.ts';
import type { Registry } from '../../decoders/core/registry.ts';
import { conversations, endpoints, type Conversation, type ConversationType } from './conversations.ts';
import { ProtocolHierarchy } from './protocol-hierarchy.ts';
import { frameInfoOf, MergedReader } from './merge.ts';
import type { CaptureEngine } from './engine.ts';
import type { ConvType, WireConversation, WireEndpoint, WirePhs, WirePhsRow } from '../ipc/contract.ts';

const SLICE_MS = 30;

const engineType: Record<ConvType, ConversationType> = { eth: 'eth', ipv4: 'ip', ipv6: 'ipv6', tcp: 'tcp', udp: 'udp' };

/** Conversations per engine and type, kept once the capture is fully indexed (tabs switch back and forth). */
const convCache = new WeakMap<CaptureEngine, Map<ConversationType, { registry: Registry; list: Conversation[] }>>();
const indexedEngines = new WeakSet<CaptureEngine>();

function conversationsOf(engine: CaptureEngine, type: ConversationType): Conversation[] {
  if (!indexedEngines.has(engine)) {
    void engine.indexed.then(() => indexedEngines.add(engine), () => {});
    return conversations(engine, type);
  }
  let m = convCache.get(engine);
  if (!m) convCache.set(engine, (m = new Map()));
  const hit = m.get(type);
  if (hit && hit.registry === engine.registry) return hit.list;
  const list = conversations(engine, type);
  m.set(type, { registry: engine.registry, list });
  return list;
}

export function conversationRows(engine: CaptureEngine, type: ConvType): WireConversation[] {
  return conversationsOf(engine, engineType[type]).map((c) => ({
    a: c.aAddr,
    b: c.bAddr,
    aPort: c.aPort,
    bPort: c.bPort,
    framesAB: c.framesAB,
    bytesAB: c.bytesAB,
    framesBA: c.framesBA,
    bytesBA: c.bytesBA,
    start: c.start,
    duration: c.end - c.start,
    stream: c.stream,
  }));
}

export function endpointRows(engine: CaptureEngine, type: ConvType): WireEndpoint[] {
  const t = engineType[type];
  return endpoints(conversationsOf(engine, t), t === 'tcp' || t === 'udp').map((e) => ({ ...e }));
}

const phsCache = new WeakMap<CaptureEngine, { registry: Registry; result: Promise<WirePhs> }>();

/** Protocol hierarchy of the whole capture (after indexing); one decode pass per engine and Decode As setting. */
export function protocolHierarchyRows(engine: CaptureEngine): Promise<WirePhs> {
  const hit = phsCache.get(engine);
  if (hit && hit.registry === engine.registry) return hit.result;
  const result = computePhs(engine, engine.registry);
  phsCache.set(engine, { registry: engine.registry, result });
  result.catch(() => phsCache.delete(engine));
  return result;
}

async function computePhs(engine: CaptureEngine, registry: Registry): Promise<WirePhs> {
  await engine.indexed;
  const phs = new ProtocolHierarchy();
  const reader = new MergedReader(engine.paths);
  const session = new Session();
  let n = 0;
  let bytes = 0;
  try {
    for (;;) {
      const until = performance.now() + SLICE_MS;
      let m = reader.next();
      for (; m && performance.now() < until; m = reader.next()) {
        n++;
        bytes += m.rec.origlen;
        phs.add(dissectFrame(registry, session, frameInfoOf(m, n), m.rec.data, { tree: true }));
      }
      if (m) {
        n++;
        bytes += m.rec.origlen;
        phs.add(dissectFrame(registry, session, frameInfoOf(m, n), m.rec.data, { tree: true }));
      } else break;
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    reader.close();
  }
  const rows: WirePhsRow[] = [{ proto: 'frame', name: registry.protocol('frame')?.name ?? 'Frame', depth: 0, frames: n, bytes }];
  type Node = typeof phs.root;
  const walk = (node: Node, depth: number): void => {
    for (const c of node.children) {
      // Pseudo layers (tcp.segments) are fields: their field name.
      rows.push({ proto: c.name, name: registry.protocol(c.name)?.name ?? registry.field(c.name)?.name ?? c.name, depth, frames: c.frames, bytes: c.bytes });
      walk(c, depth + 1);
    }
  };
  walk(phs.root, 1);
  return { frames: n, bytes, rows };
}
