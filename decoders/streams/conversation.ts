// Conversation keys: the two endpoints of a transport conversation (address + port) in a
// canonical order, so both directions of a flow find the same state. Pure TS.

import type { Address } from '../core/context.ts';

/** Two lowercase hex digits of each byte value. */
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function addrText(a: Address | null): string {
  if (!a) return '-';
  let s = a.kind + ':';
  for (let i = 0; i < a.bytes.length; i++) s += HEX2[a.bytes[i]!]!;
  return s;
}

export interface ConversationKey {
  /** Same string for both directions of the conversation. */
  readonly key: string;
  /** Text of this packet's source endpoint (address + port). */
  readonly src: string;
  /** Text of this packet's destination endpoint. */
  readonly dst: string;
}

/** The key of the conversation (src, sport) <-> (dst, dport) over `proto`. */
export function conversationKey(proto: string, src: Address | null, sport: number, dst: Address | null, dport: number): ConversationKey {
  const a = `${addrText(src)}/${sport}`;
  const b = `${addrText(dst)}/${dport}`;
  return { key: a <= b ? `${proto}|${a}|${b}` : `${proto}|${b}|${a}`, src: a, dst: b };
}
