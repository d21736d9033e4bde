// Conversation keys: the two endpoints of a transport conversation (address + port) in a
// canonical order, so both directions of a flow find the same state. Pure TS.

import type { Address } from '../core/context.ts';

/** Two lowercase hex digits of each byte value. */
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Char codes of the hex digits. */
const HEX_CODES = Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));
/** Reused char code buffers for 4- and 16-byte addresses ("4:" / "6:" + hex). */
const codes4 = new Array<number>(2 + 8).fill(0);
const codes16 = new Array<number>(2 + 32).fill(0);

function addrText(a: Address | null): string {
  if (!a) return '-';
  const b = a.bytes;
  const buf = b.length === 4 && a.kind === 'ipv4' ? codes4 : b.length === 16 && a.kind === 'ipv6' ? codes16 : null;
  if (buf) {
    // One string per address instead of one per byte (every TCP/UDP packet builds two).
    buf[0] = b.length === 4 ? 52 : 54; // '4' / '6'
    buf[1] = 58; // ':'
    for (let i = 0; i < b.length; i++) {
      buf[2 + 2 * i] = HEX_CODES[b[i]! >> 4]!;
      buf[3 + 2 * i] = HEX_CODES[b[i]! & 15]!;
    }
    return String.fromCharCode.apply(null, buf);
  }
  let s = a.kind + ':';
  for (let i = 0; i < b.length; i++) s += HEX2[b[i]!]!;
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
