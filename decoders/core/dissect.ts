// Entry point of decoding: frame layer -> "link" table -> ... -> `data` fallback.
// Any exception inside a protocol becomes a malformed marker in that protocol's subtree
// (see PacketContext.run); nothing escapes to the caller.

import { Cursor } from './cursor.ts';
import { PacketContext } from './context.ts';
import type { Registry } from './registry.ts';
import { Session } from './session.ts';
import { Tree } from './tree.ts';
import { frameFields as F, wsFields } from './builtin-fields.ts';
import { NodeFlags, type Dissection, type FieldNode, type FrameInfo } from './types.ts';

export const NS = 1_000_000_000n;

export function frameTimeNs(frame: FrameInfo): bigint {
  return BigInt(frame.tsSec) * NS + BigInt(frame.tsNsec);
}

export interface DissectOptions {
  /** False: columns, protocols and experts only, no tree (see PacketContext.buildTree). */
  tree?: boolean;
  /** Interface name, when the file format records one (pcapng IDB). */
  interfaceName?: string;
}

/** Decodes one frame. `session` carries state across frames (times, reassembly, streams). */
export function dissectFrame(registry: Registry, session: Session, frame: FrameInfo, data: Uint8Array, opts: DissectOptions = {}): Dissection {
  const ctx = new PacketContext(frame, data, registry, session);
  if (opts.tree === false) ctx.buildTree = false;
  const top: FieldNode[] = [];
  const root = new Tree(top, ctx);
  ctx.root = root;
  const c = new Cursor(data, 0, 0, data.length, Math.max(frame.origlen, data.length));

  const frameNode: FieldNode = { def: registry.protocolField('frame'), source: 0, offset: 0, length: data.length, value: null, flags: 0, children: [] };
  top.push(frameNode);
  if (!ctx.buildTree) {
    // Summary only: the frame layer's items and label would go nowhere. The frame times are
    // for those items of later frames, which a single pass without a tree never shows.
    if (!session.singlePass) {
      const t = frameTimeNs(frame);
      session.firstTime ??= t;
      session.previousTime = t;
    }
    if (ctx.call('link', frame.linkType, c, root) < 0) ctx.callData(c, root);
    session.markVisited(frame.number);
    return { frame, sources: ctx.sources, tree: top, protocols: ctx.protocols, columns: ctx.columns, experts: ctx.experts, malformed: ctx.malformed };
  }
  const t = frameTimeNs(frame);
  const first = session.firstTime ?? (session.firstTime = t);
  const prev = session.previousTime ?? t;
  session.previousTime = t;
  frameNode.label = `Frame ${frame.number}: ${frame.origlen} bytes on wire (${frame.origlen * 8} bits), ${frame.caplen} bytes captured (${frame.caplen * 8} bits)` + (opts.interfaceName ? ` on interface ${opts.interfaceName}, id ${frame.interfaceId}` : '');
  const ft = new Tree(frameNode.children!, ctx, frameNode);
  ft.generated(F.interfaceId, frame.interfaceId);
  if (opts.interfaceName) ft.generated(F.interfaceName, opts.interfaceName);
  ft.generated(F.encapType, frame.linkType);
  ft.generated(F.timeEpoch, t);
  ft.generated(F.timeDelta, t - prev);
  ft.generated(F.timeRelative, t - first);
  ft.generated(F.number, frame.number);
  ft.generated(F.len, frame.origlen);
  ft.generated(F.capLen, frame.caplen);
  for (const c of frame.comments ?? (frame.comment ? [frame.comment] : [])) ft.generated(F.comment, c);
  const protocolsNode = ft.generated(F.protocols, '');
  for (const n of frameNode.children!) n.flags &= ~NodeFlags.Generated;

  ctx.protocols.length = 0;
  const consumed = ctx.call('link', frame.linkType, c, root);
  if (consumed < 0) ctx.callData(c, root);
  if (frame.caplen < frame.origlen && !ctx.truncated && !ctx.malformed && ctx.buildTree) {
    // The capture stopped short (snaplen) without any layer running into it: say so anyway,
    // so a cut line of text is never taken for the whole message. No Info text, as in tshark.
    top.push({ def: wsFields.truncated, source: 0, offset: data.length, length: 0, value: null, flags: NodeFlags.Generated, children: null, label: `[Packet size limited during capture: ${frame.origlen - frame.caplen} of ${frame.origlen} bytes not captured]` });
  }

  (protocolsNode as { value: string }).value = ctx.protocols.join(':');
  session.markVisited(frame.number);
  return {
    frame,
    sources: ctx.sources,
    tree: top,
    protocols: ctx.protocols,
    columns: ctx.columns,
    experts: ctx.experts,
    malformed: ctx.malformed,
  };
}

export { Session };
