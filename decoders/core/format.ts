// Turning field values into text: the cell format of `tshark -T fields` (what users paste
// into scripts) and the tree label (what users read). Both are derived from the FieldDef.

import type { FieldDef, FieldNode, FieldValue } from './types.ts';

const HEX = '0123456789abcdef';

export function hex2(b: number): string {
  return HEX[(b >> 4) & 15]! + HEX[b & 15]!;
}

/** Char codes of the hex digits. */
const HEX_CODES = Array.from(HEX, (ch) => ch.charCodeAt(0));

export function formatEther(b: Uint8Array): string {
  if (b.length === 6) {
    // The usual MAC address in one string, without a dozen intermediate ones (every Ethernet frame formats two).
    const x = HEX_CODES;
    const b0 = b[0]!, b1 = b[1]!, b2 = b[2]!, b3 = b[3]!, b4 = b[4]!, b5 = b[5]!;
    return String.fromCharCode(x[b0 >> 4]!, x[b0 & 15]!, 58, x[b1 >> 4]!, x[b1 & 15]!, 58, x[b2 >> 4]!, x[b2 & 15]!, 58, x[b3 >> 4]!, x[b3 & 15]!, 58, x[b4 >> 4]!, x[b4 & 15]!, 58, x[b5 >> 4]!, x[b5 & 15]!);
  }
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? ':' : '') + hex2(b[i]!);
  return s;
}

/** Recent IPv4 texts by address: a capture's addresses repeat, and every packet formats two. */
const ipv4Texts = new Map<number, string>();

export function formatIPv4(n: number): string {
  const key = n | 0;
  let s = ipv4Texts.get(key);
  if (s === undefined) {
    s = `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
    if (ipv4Texts.size >= 65536) ipv4Texts.clear();
    ipv4Texts.set(key, s);
  }
  return s;
}

export function ipv4FromBytes(b: Uint8Array, o = 0): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** RFC 5952 text of an IPv6 address: lowercase, longest zero run (>= 2 groups) as `::`. */
export function formatIPv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  // IPv4-mapped and -compatible forms print their last 32 bits dotted, as inet_ntop does.
  if (bestStart === 0 && (bestLen === 5 && g[5] === 0xffff || bestLen === 6 && (g[6]! !== 0 || g[7]! > 1))) {
    const v4 = `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
    return bestLen === 5 ? `::ffff:${v4}` : `::${v4}`;
  }
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      parts.push(i === 0 ? ':' : '');
      i += bestLen - 1;
      if (i === 7) parts.push('');
      continue;
    }
    parts.push(g[i]!.toString(16));
  }
  return parts.join(':');
}

export function formatBytesHex(b: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (sep && i ? sep : '') + hex2(b[i]!);
  return s;
}

function typeBits(def: FieldDef): number {
  switch (def.type) {
    case 'uint8': case 'int8': return 8;
    case 'uint16': case 'int16': return 16;
    case 'uint24': return 24;
    case 'uint32': case 'int32': case 'ipv4': case 'framenum': return 32;
    case 'uint48': return 48;
    default: return 64;
  }
}

function hexOf(def: FieldDef, v: number | bigint): string {
  return '0x' + v.toString(16).padStart(typeBits(def) / 4, '0');
}

/** Seconds.nanoseconds text of a bigint nanosecond count, 9 decimals as tshark prints it. */
export function formatNsTime(ns: bigint): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  const sec = a / 1_000_000_000n;
  const frac = (a % 1_000_000_000n).toString().padStart(9, '0');
  return `${neg ? '-' : ''}${sec}.${frac}`;
}

/** The value as `tshark -T fields` prints it (integers raw, not their names). */
export function formatFieldValue(def: FieldDef, v: FieldValue): string {
  if (v === null) return '';
  switch (def.type) {
    case 'bool':
      return v ? '1' : '0';
    case 'ether':
      return formatEther(v as Uint8Array);
    case 'ipv4':
      return formatIPv4(v as number);
    case 'ipv6':
      return formatIPv6(v as Uint8Array);
    case 'bytes':
      return formatBytesHex(v as Uint8Array);
    case 'abs_time':
    case 'rel_time':
      return formatNsTime(v as bigint);
    case 'string':
      return v as string;
    case 'float':
    case 'double':
      return String(v);
    default:
      if (typeof v === 'number' || typeof v === 'bigint') {
        if (def.base === 'hex' || def.base === 'hex_dec') return hexOf(def, v);
        if (def.base === 'oct') return '0' + v.toString(8);
        return v.toString();
      }
      return String(v);
  }
}

/** Display text of a value in the tree (names for numbers, `Set`/`Not set` for flags). */
export function displayValue(def: FieldDef, v: FieldValue): string {
  if (v === null) return '';
  if (def.type === 'bool') {
    const tf = def.trueFalse ?? ['Set', 'Not set'];
    return v ? tf[0] : tf[1];
  }
  if (typeof v === 'number' && def.values) {
    const name = def.values[v];
    const raw = def.base === 'hex' ? hexOf(def, v) : String(v);
    return name !== undefined ? `${name} (${raw})` : `Unknown (${raw})`;
  }
  if ((typeof v === 'number' || typeof v === 'bigint') && def.type !== 'ipv4' && def.type !== 'abs_time' && def.type !== 'rel_time') {
    switch (def.base) {
      case 'hex': return hexOf(def, v);
      case 'dec_hex': return `${v} (${hexOf(def, v)})`;
      case 'hex_dec': return `${hexOf(def, v)} (${v})`;
      default: return v.toString() + (def.unit ?? '');
    }
  }
  if (def.type === 'bytes') {
    const b = v as Uint8Array;
    return b.length > 24 ? formatBytesHex(b.subarray(0, 24)) + '…' : formatBytesHex(b);
  }
  if (def.type === 'rel_time') return formatNsTime(v as bigint) + ' seconds';
  if (def.type === 'abs_time') return formatNsTime(v as bigint);
  return formatFieldValue(def, v);
}

/** `..1. .... = Syn: Set` — the bit picture of a masked field inside its parent integer. */
export function bitPicture(mask: number, width: number, value: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) {
    const bit = 2 ** i;
    const inMask = Math.floor(mask / bit) % 2 === 1;
    s += inMask ? (Math.floor(value / bit) % 2 === 1 ? '1' : '0') : '.';
    if (i % 4 === 0 && i) s += ' ';
  }
  return s;
}

/** The tree text of a node: its own label, or `Name: value` from the registry. */
export function nodeLabel(n: FieldNode): string {
  if (n.label !== undefined) return n.label;
  const def = n.def;
  if (def.type === 'protocol' || def.type === 'none') return def.name;
  let text = `${def.name}: ${displayValue(def, n.value)}`;
  if (def.bitmask && def.bitWidth && (typeof n.value === 'number' || typeof n.value === 'boolean')) {
    const shift = Math.log2(def.bitmask & -def.bitmask);
    const raw = typeof n.value === 'boolean' ? (n.value ? def.bitmask : 0) : n.value * 2 ** shift;
    text = `${bitPicture(def.bitmask, def.bitWidth, raw)} = ${text}`;
  }
  return text;
}
