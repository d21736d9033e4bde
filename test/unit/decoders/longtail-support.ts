// Test support for the long-tail protocols: runs one protocol directly on payload bytes (real
// bytes taken from corpus packets), as the layer below would hand them over, so the tests do
// not depend on the IP/TCP/UDP decoders. Also decodes whole frames through `decode`.
import { defaultRegistry, Session } from '../../../decoders/index.ts';
import { PacketContext } from '../../../decoders/core/context.ts';
import { Cursor } from '../../../decoders/core/cursor.ts';
import { Tree } from '../../../decoders/core/tree.ts';
import type { Dissection, FieldNode } from '../../../decoders/core/types.ts';
import { fromHex } from '../../support/decode.ts';

export interface PayloadOptions {
  /** Protocols already on the stack (frame.protocols prefix), e.g. ['eth', 'ethertype', 'ip', 'udp']. */
  below?: string[];
  srcPort?: number;
  dstPort?: number;
  src?: [number, number, number, number];
  dst?: [number, number, number, number];
  session?: Session;
  number?: number;
  /** Seconds since the epoch of the frame. */
  time?: number;
  canDesegment?: boolean;
  /** Bytes before the payload (so offsets match the frame); default 0. */
  at?: number;
  /** Reported length of the payload when the capture was cut short. */
  reported?: number;
  /** Scratch entries the layer below leaves (e.g. `media_type`). */
  scratch?: Record<string, unknown>;
}

export type PayloadDissection = Dissection & { ctx: PacketContext };

export function runPayload(abbrev: string, hex: string, o: PayloadOptions = {}): PayloadDissection {
  const session = o.session ?? new Session();
  const at = o.at ?? 0;
  const payload = fromHex(hex);
  const data = new Uint8Array(at + payload.length);
  data.set(payload, at);
  const number = o.number ?? 1;
  const frame = { number, linkType: 1, tsSec: o.time ?? 0, tsNsec: 0, caplen: data.length, origlen: at + (o.reported ?? payload.length), interfaceId: 0 };
  const ctx = new PacketContext(frame, data, defaultRegistry(), session);
  for (const p of o.below ?? []) ctx.protocols.push(p);
  ctx.srcPort = o.srcPort ?? 0;
  ctx.dstPort = o.dstPort ?? 0;
  ctx.netSrc = { kind: 'ipv4', bytes: new Uint8Array(o.src ?? [10, 0, 0, 1]) };
  ctx.netDst = { kind: 'ipv4', bytes: new Uint8Array(o.dst ?? [10, 0, 0, 2]) };
  ctx.canDesegment = o.canDesegment ?? false;
  for (const [k, v] of Object.entries(o.scratch ?? {})) ctx.scratch.set(k, v);
  const top: FieldNode[] = [];
  const c = new Cursor(data, 0, at, data.length, frame.origlen);
  ctx.callProtocol(abbrev, c, new Tree(top, ctx));
  session.markVisited(number);
  return { frame, sources: ctx.sources, tree: top, protocols: ctx.protocols, columns: ctx.columns, experts: ctx.experts, malformed: ctx.malformed, ctx };
}
