// Wireshark's `ethertype` dispatcher: not a protocol of its own but a step that shows up in
// frame.protocols (eth:ethertype:ip). Ethernet, VLAN, SLL and others call it; bytes the
// payload leaves over become the caller's padding (all zero) or trailer field.

import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import type { FieldDef } from '../core/types.ts';

export interface TrailerFields {
  readonly padding: FieldDef;
  readonly trailer: FieldDef;
}

/** Dispatches `c` from `payloadStart` on `type`; returns the bytes of `c` used from its start. */
export function dispatchEthertype(type: number, c: Cursor, payloadStart: number, ctx: PacketContext, tree: Tree, tf: TrailerFields | null): number {
  ctx.protocols.push('ethertype');
  const payload = c.sub(payloadStart);
  let used = ctx.call('ethertype', type, payload, tree);
  if (used < 0) used = ctx.callData(payload, tree);
  const rest = payload.start + used;
  if (tf && rest < c.end) addTrailer(c, rest, tree, tf);
  return c.end - c.start;
}

/** Ethernet's minimum frame length without FCS. */
const MIN_FRAME = 60;

/**
 * Leftover bytes as Wireshark splits them: those below the 60-byte Ethernet minimum (counted
 * from `frameStart`) are padding when all zero; anything beyond is the trailer.
 */
export function addTrailer(c: Cursor, from: number, tree: Tree, tf: TrailerFields, frameStart = c.start): void {
  let t = from;
  const padEnd = Math.min(frameStart + MIN_FRAME, c.end);
  if (from < padEnd && c.bytes(from, padEnd - from).every((x) => x === 0)) {
    tree.add(tf.padding, c, from, padEnd - from);
    t = padEnd;
  }
  if (t < c.end) tree.add(tf.trailer, c, t, c.end - t);
}
