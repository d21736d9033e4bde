// Display filter values: how a field type's values are compared (the "class" of a type),
// how literal text becomes a value of that class (with tshark 4.0's error messages), and the
// comparisons themselves. Values are normalized so comparing them needs no per-node string work:
//   int, bool      number (bigint for 64-bit fields)      float   number
//   ipv4           number (uint32), literal may be Cidr4  time    bigint nanoseconds
//   ipv6           Uint8Array(16), literal may be Cidr6   string  string
//   ether, bytes, protocol   Uint8Array

import type { FieldDef, FieldType } from '../core/types.ts';
import { FilterError } from './errors.ts';

export type ValueClass = 'int' | 'bool' | 'float' | 'ipv4' | 'ipv6' | 'ether' | 'bytes' | 'string' | 'time' | 'protocol' | 'none';

export class Cidr4 {
  constructor(readonly net: number, readonly mask: number) {}
}
export class Cidr6 {
  constructor(readonly net: Uint8Array, readonly prefix: number) {}
}

export type Value = number | bigint | string | Uint8Array | Cidr4 | Cidr6;

export function classOf(t: FieldType): ValueClass {
  switch (t) {
    case 'uint8': case 'uint16': case 'uint24': case 'uint32': case 'uint48': case 'uint64':
    case 'int8': case 'int16': case 'int32': case 'int64': case 'framenum':
      return 'int';
    case 'bool': return 'bool';
    case 'float': case 'double': return 'float';
    case 'ipv4': return 'ipv4';
    case 'ipv6': return 'ipv6';
    case 'ether': return 'ether';
    case 'bytes': return 'bytes';
    case 'string': return 'string';
    case 'abs_time': case 'rel_time': return 'time';
    case 'protocol': return 'protocol';
    case 'none': return 'none';
  }
}

/** Wireshark's name of a field type, as its error messages say it. */
export function typeName(t: FieldType): string {
  switch (t) {
    case 'uint8': return 'Unsigned integer (1 byte)';
    case 'uint16': return 'Unsigned integer (2 bytes)';
    case 'uint24': return 'Unsigned integer (3 bytes)';
    case 'uint32': return 'Unsigned integer (4 bytes)';
    case 'uint48': return 'Unsigned integer (6 bytes)';
    case 'uint64': return 'Unsigned integer (8 bytes)';
    case 'int8': return 'Signed integer (1 byte)';
    case 'int16': return 'Signed integer (2 bytes)';
    case 'int32': return 'Signed integer (4 bytes)';
    case 'int64': return 'Signed integer (8 bytes)';
    case 'framenum': return 'Frame number';
    case 'bool': return 'Boolean';
    case 'float': return 'Floating point (single-precision)';
    case 'double': return 'Floating point (double-precision)';
    case 'ipv4': return 'IPv4 address';
    case 'ipv6': return 'IPv6 address';
    case 'ether': return 'Ethernet or other MAC address';
    case 'bytes': return 'Byte sequence';
    case 'string': return 'Character string';
    case 'abs_time': return 'Date and time';
    case 'rel_time': return 'Time offset';
    case 'protocol': return 'Protocol';
    case 'none': return 'Label';
  }
}

/** Classes whose values compare as byte strings with each other. */
const BYTEISH = new Set<ValueClass>(['bytes', 'ether', 'protocol']);

export function compatible(a: ValueClass, b: ValueClass): boolean {
  if (a === b) return a !== 'none';
  if (BYTEISH.has(a) && BYTEISH.has(b)) return true;
  if ((a === 'ipv6' && b === 'bytes') || (a === 'bytes' && b === 'ipv6')) return true;
  if ((a === 'int' && b === 'float') || (a === 'float' && b === 'int')) return true;
  return false;
}

export function canOrder(c: ValueClass): boolean {
  return c !== 'none' && c !== 'protocol';
}

export function canContain(c: ValueClass): boolean {
  return c === 'string' || c === 'bytes' || c === 'ether' || c === 'protocol';
}

export function canMatch(c: ValueClass): boolean {
  return c === 'string' || c === 'bytes' || c === 'protocol';
}

// ---- literal text -> value -------------------------------------------------------------

export interface Literal {
  readonly kind: 'word' | 'str' | 'char';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

function fail(lit: Literal, message: string): never {
  throw new FilterError(message, lit.start, lit.end);
}

const INT_RE = /^(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;

function parseIntText(text: string): bigint | null {
  if (!INT_RE.test(text)) return null;
  if (/^0[0-7]+$/.test(text)) return BigInt('0o' + text.slice(1));
  return BigInt(text);
}

const UINT_BITS: Partial<Record<FieldType, number>> = { uint8: 8, uint16: 16, uint24: 24, uint32: 32, uint48: 48, uint64: 64, framenum: 32, bool: 64 };
const INT_BITS: Partial<Record<FieldType, number>> = { int8: 8, int16: 16, int32: 32, int64: 64 };

export function is64(t: FieldType): boolean {
  return t === 'uint64' || t === 'int64';
}

/** An integer literal for a field of type `t`, range-checked as tshark does. */
function intValue(n: bigint, t: FieldType, lit: Literal, shown = lit.text): number | bigint {
  const ub = UINT_BITS[t];
  const sb = INT_BITS[t];
  if (ub !== undefined && t !== 'bool') {
    const max = (1n << BigInt(ub)) - 1n;
    if (n > max) fail(lit, `"${shown}" too big for this field, maximum ${max}.`);
  } else if (sb !== undefined) {
    const max = (1n << BigInt(sb - 1)) - 1n;
    if (n > max) fail(lit, `"${shown}" too big for this field, maximum ${max}.`);
    if (n < -max - 1n) fail(lit, `"${shown}" too small for this field, minimum ${-max - 1n}.`);
  }
  return is64(t) ? n : Number(n);
}

function latin1Bytes(s: string): Uint8Array {
  // Characters above 0xff are sent as UTF-8, the way the bytes appear on the wire.
  let wide = false;
  for (let i = 0; i < s.length && !wide; i++) wide = s.charCodeAt(i) > 0xff;
  if (!wide) {
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return b;
  }
  return new TextEncoder().encode(s);
}

/** Bytes text: `aa:bb:cc`, `aa-bb-cc`, `aa.bb.cc`, `aabbcc`, or a single byte `a`/`0a`. */
export function parseBytes(text: string): Uint8Array | null {
  let parts: string[];
  if (/^0[xX][0-9a-fA-F]{1,2}$/.test(text)) parts = [text.slice(2)]; // one byte: 0x01
  else if (/^[0-9a-fA-F]{1,2}$/.test(text)) parts = [text];
  else if (/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2})+$/.test(text)) {
    if (new Set(text.replace(/[0-9a-fA-F]/g, '')).size !== 1) return null;
    parts = text.split(/[:-]/);
  } else if (/^([0-9a-fA-F]{2})+(\.([0-9a-fA-F]{2})+)+$/.test(text)) {
    parts = text.replace(/\./g, '').match(/../g)!;
  } else if (/^([0-9a-fA-F]{2})+$/.test(text)) parts = text.match(/../g)!;
  else return null;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function parseEther(text: string): Uint8Array | null {
  // aabb.ccdd.eeff (Cisco style) and plain 12 hex digits besides the byte-separated forms.
  if (/^[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}$/.test(text)) return parseBytes(text.replace(/\./g, ''));
  return parseBytes(text);
}

export function parseIPv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = parseInt(m[i]!, 10);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v;
}

export function parseIPv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return null;
  let head = text;
  let v4: number | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.indexOf('::');
  if (dbl >= 0 && head.indexOf('::', dbl + 1) >= 0) return null;
  const groupsOf = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const a = groupsOf(head.slice(0, dbl));
    const b = groupsOf(head.slice(dbl + 2));
    if (!a || !b || a.length + b.length > 7) return null;
    groups = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  } else {
    const g = groupsOf(head);
    if (!g || g.length !== 8) return null;
    groups = g;
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[i * 2] = groups[i]! >> 8;
    out[i * 2 + 1] = groups[i]! & 0xff;
  }
  if (v4 !== null) {
    out[12] = v4 >>> 24;
    out[13] = (v4 >>> 16) & 0xff;
    out[14] = (v4 >>> 8) & 0xff;
    out[15] = v4 & 0xff;
  }
  return out;
}

/** Seconds text (`1.5`, `20`) as nanoseconds. */
function parseSecondsNs(text: string): bigint | null {
  const m = /^(-)?(\d*)(?:\.(\d{0,9})\d*)?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const ns = BigInt(m[2] || '0') * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0') || '0');
  return m[1] ? -ns : ns;
}

/**
 * Converts literal text to a value of the class `cls` (the other side's type `t`, with its
 * value names from `def` when there is one). Returns a list: a value name may stand for
 * several numbers.
 */
export function literalValues(lit: Literal, t: FieldType, def: FieldDef | null, negate = false): Value[] {
  const cls = classOf(t);
  const text = lit.text;
  const fieldName = def?.abbrev ?? '';
  switch (cls) {
    case 'int':
    case 'bool': {
      if (lit.kind === 'char') {
        const code = text.codePointAt(0)!;
        return [cls === 'bool' ? (code ? 1 : 0) : intValue(BigInt(negate ? -code : code), t, lit)];
      }
      if (lit.kind === 'word') {
        let n = parseIntText(text);
        if (n !== null) {
          if (negate) n = -n;
          if (cls === 'bool') return [n !== 0n ? 1 : 0];
          return [intValue(n, t, lit, negate ? '-' + text : text)];
        }
        if (cls === 'bool') {
          if (/^true$/i.test(text)) return [1];
          if (/^false$/i.test(text)) return [0];
        }
      }
      if (def?.values && !negate) {
        const want = text.toLowerCase();
        const hits: Value[] = [];
        for (const [k, name] of Object.entries(def.values)) if (name.toLowerCase() === want) hits.push(is64(t) ? BigInt(k) : Number(k));
        if (hits.length) return hits;
        fail(lit, `"${text}" cannot be found among the possible values for ${fieldName}.`);
      }
      if (cls === 'bool' && def?.trueFalse && !negate) {
        if (text.toLowerCase() === def.trueFalse[0].toLowerCase()) return [1];
        if (text.toLowerCase() === def.trueFalse[1].toLowerCase()) return [0];
      }
      if (lit.kind === 'str') fail(lit, `${typeName(t)} cannot be converted from a string ("${text}").`);
      if (cls === 'bool') fail(lit, `"${text}" is not a valid boolean.`);
      fail(lit, `"${text}" is not a valid number.`);
      break;
    }
    case 'float': {
      if (lit.kind === 'word' && /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^0[xX][0-9a-fA-F]+$/.test(text)) {
        const v = Number(text);
        return [negate ? -v : v];
      }
      if (lit.kind === 'str') fail(lit, `${typeName(t)} cannot be converted from a string ("${text}").`);
      fail(lit, `"${text}" is not a valid number.`);
      break;
    }
    case 'time': {
      if (lit.kind === 'word') {
        const ns = parseSecondsNs(text);
        if (ns !== null) return [negate ? -ns : ns];
      }
      if (lit.kind === 'str' && t === 'abs_time') {
        // "2020-01-31 12:00:00[.frac]" (UTC) or tshark's "Jan 31, 2020 12:00:00[.frac]" (local time).
        const m = /^(.*?\d{1,2}:\d{2}:\d{2})(?:\.(\d{1,9}))?\s*(UTC|Z)?$/.exec(text.trim());
        if (m) {
          const iso = /^\d{4}-\d{2}-\d{2}/.test(m[1]!);
          const ms = Date.parse(iso ? m[1]!.replace(' ', 'T') + (m[3] || iso ? 'Z' : '') : m[1]! + (m[3] ? ' UTC' : ''));
          if (!Number.isNaN(ms)) return [BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0')];
        }
        const ms = Date.parse(text);
        if (!Number.isNaN(ms)) return [BigInt(ms) * 1_000_000n];
      }
      if (lit.kind === 'str') fail(lit, `${typeName(t)} cannot be converted from a string ("${text}").`);
      fail(lit, `"${text}" is not a valid time.`);
      break;
    }
    case 'ipv4': {
      if (lit.kind === 'str') fail(lit, `IPv4 address cannot be converted from a string ("${text}").`);
      const slash = text.indexOf('/');
      const addr = parseIPv4(slash >= 0 ? text.slice(0, slash) : text);
      if (addr === null || lit.kind !== 'word') fail(lit, `"${text}" is not a valid hostname or IPv4 address.`);
      if (slash < 0) return [addr];
      const bits = parseInt(text.slice(slash + 1), 10);
      if (!(bits >= 0 && bits <= 32)) fail(lit, `Netmask bits in a CIDR IPv4 address should be <= 32, not ${text.slice(slash + 1)}`);
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      return [new Cidr4((addr & mask) >>> 0, mask)];
    }
    case 'ipv6': {
      if (lit.kind === 'str') fail(lit, `IPv6 address cannot be converted from a string ("${text}").`);
      const slash = text.indexOf('/');
      const addr = parseIPv6(slash >= 0 ? text.slice(0, slash) : text);
      if (addr === null || lit.kind !== 'word') fail(lit, `"${text}" is not a valid hostname or IPv6 address.`);
      if (slash < 0) return [addr];
      const bits = parseInt(text.slice(slash + 1), 10);
      if (!(bits >= 0 && bits <= 128)) fail(lit, `Prefix in a IPv6 address should be <= 128, not ${text.slice(slash + 1)}`);
      return [new Cidr6(addr, bits)];
    }
    case 'ether': {
      if (lit.kind === 'str') fail(lit, `Ethernet or other MAC address cannot be converted from a string ("${text}").`);
      const b = lit.kind === 'word' ? parseEther(text) : null;
      if (!b) fail(lit, `"${text}" is not a valid Ethernet address.`);
      if (b.length < 6) fail(lit, `"${text}" contains too few bytes to be a valid Ethernet address.`);
      if (b.length > 6) fail(lit, `"${text}" contains too many bytes to be a valid Ethernet address.`);
      return [b];
    }
    case 'bytes':
    case 'protocol': {
      if (lit.kind === 'str' || lit.kind === 'char') return [latin1Bytes(text)];
      const b = parseBytes(text);
      if (!b) fail(lit, `"${text}" is not a valid byte string.`);
      return [b];
    }
    case 'string':
      return [text];
    case 'none':
      fail(lit, `${fieldName || 'This field'} is a label and cannot be compared.`);
  }
  return [];
}

// ---- comparisons -----------------------------------------------------------------------

export function bytesCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function inCidr6(a: Uint8Array, c: Cidr6): boolean {
  if (a.length !== 16) return false;
  const full = c.prefix >> 3;
  for (let i = 0; i < full; i++) if (a[i] !== c.net[i]) return false;
  const rest = c.prefix & 7;
  if (rest === 0) return true;
  const m = (0xff << (8 - rest)) & 0xff;
  return (a[full]! & m) === (c.net[full]! & m);
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (b instanceof Cidr4) return typeof a === 'number' && ((a & b.mask) >>> 0) === b.net;
  if (a instanceof Cidr4) return valuesEqual(b, a);
  if (b instanceof Cidr6) return a instanceof Uint8Array && inCidr6(a, b);
  if (a instanceof Cidr6) return valuesEqual(b, a);
  if (a instanceof Uint8Array) return b instanceof Uint8Array && bytesEqual(a, b);
  // number/bigint mix compares by value.
  return a == b;
}

/** Ordering: negative, zero or positive; NaN when the values cannot be ordered. */
export function valuesOrder(a: Value, b: Value): number {
  if (a instanceof Cidr4) a = a.net;
  if (b instanceof Cidr4) b = b.net;
  if (a instanceof Cidr6) a = a.net;
  if (b instanceof Cidr6) b = b.net;
  if (a instanceof Uint8Array) return b instanceof Uint8Array ? bytesCompare(a, b) : NaN;
  if (typeof a === 'string') return typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : NaN;
  if (b instanceof Uint8Array || typeof b === 'string') return NaN;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function bytesContain(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  const first = needle[0]!;
  const last = hay.length - needle.length;
  outer: for (let i = 0; i <= last; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

export function valueContains(a: Value, b: Value): boolean {
  if (typeof a === 'string') return typeof b === 'string' ? a.includes(b) : a.includes(latin1String(b as Uint8Array));
  if (a instanceof Uint8Array) return bytesContain(a, typeof b === 'string' ? latin1Bytes(b) : (b as Uint8Array));
  return false;
}

export function latin1String(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

export function toBytes(v: Value): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return latin1Bytes(v);
  if (typeof v === 'number') return Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  return new Uint8Array(0);
}

/**
 * A Wireshark (PCRE2) pattern as a JS RegExp. `matches` is case-insensitive by default in
 * Wireshark 4.0; a leading `(?i)` or `(?-i)` flag group selects the case rule explicitly.
 */
export function compileRegex(pattern: string, start: number, end: number): RegExp {
  let flags = 'i';
  let src = pattern;
  const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    const on = m[1] ?? '';
    const off = m[2] ?? '';
    if (off.includes('i')) flags = '';
    if (on.includes('i')) flags = 'i';
    if (on.includes('s')) flags += 's';
    if (on.includes('m')) flags += 'm';
  }
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new FilterError(`Regex compilation error: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}.`, start, end);
  }
}
