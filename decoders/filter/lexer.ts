// Display filter lexer. Unquoted text (`ip.src`, `10.0.0.1`, `aa:bb:cc`, `0x50`, `tcp`) is
// one `word` token: whether a word is a field, a keyword or a literal is decided by the
// parser and the compiler, as Wireshark does. Every token keeps its character range.

import { FilterError } from './errors.ts';

export type TokenKind =
  | 'word' // unquoted: field name, keyword or literal
  | 'str' // "double quoted" (value has escapes resolved)
  | 'char' // 'c' (value is the character)
  | 'slice' // [ ... ] (value is the text between the brackets)
  | 'op' // operators and punctuation
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Operators, longest first so `===` wins over `==` and `..` over `.`. */
const OPS = ['===', '!==', '==', '!=', '~=', '>=', '<=', '&&', '||', '^^', '..', '>', '<', '!', '~', '&', '(', ')', '{', '}', ',', '+', '-', '*', '/', '%', '#'];

const isWordStart = (ch: string): boolean => /[A-Za-z0-9_]/.test(ch);
const isWordChar = (ch: string): boolean => /[A-Za-z0-9_.:-]/.test(ch);

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** Reads a quoted literal starting at `text[i]` (the quote). Returns its value and the index after it. */
function readQuoted(text: string, i: number, quote: string, raw: boolean, tokenStart: number): { value: string; next: number } {
  let value = '';
  let j = i + 1;
  while (j < text.length) {
    const ch = text[j]!;
    if (ch === quote) return { value, next: j + 1 };
    if (ch === '\\' && j + 1 < text.length) {
      const e = text[j + 1]!;
      if (raw) {
        // Raw strings keep the backslash; only an escaped quote does not end the string.
        value += ch + e;
        j += 2;
        continue;
      }
      if (SIMPLE_ESCAPES[e] !== undefined) {
        value += SIMPLE_ESCAPES[e];
        j += 2;
        continue;
      }
      if (e === 'x') {
        const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(j + 2, j + 4));
        if (!m) throw new FilterError(`\\x escape needs hexadecimal digits.`, j, j + 2);
        value += String.fromCharCode(parseInt(m[0], 16));
        j += 2 + m[0].length;
        continue;
      }
      if (e >= '0' && e <= '7') {
        const m = /^[0-7]{1,3}/.exec(text.slice(j + 1, j + 4))!;
        value += String.fromCharCode(parseInt(m[0], 8) & 0xff);
        j += 1 + m[0].length;
        continue;
      }
      if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        const hex = text.slice(j + 2, j + 2 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new FilterError(`\\${e} escape needs ${n} hexadecimal digits.`, j, j + 2);
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) throw new FilterError(`\\${e}${hex} is not a valid code point.`, j, j + 2 + n);
        value += String.fromCodePoint(cp);
        j += 2 + n;
        continue;
      }
      throw new FilterError(`\\${e} is not a valid character escape sequence`, j, j + 2);
    }
    value += ch;
    j++;
  }
  throw new FilterError(quote === '"' ? 'The final quote was missing from a quoted string.' : 'The final quote was missing from a character constant.', tokenStart, tokenStart + 1);
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '"' || ((ch === 'r' || ch === 'R') && text[i + 1] === '"')) {
      const raw = ch !== '"';
      const q = readQuoted(text, raw ? i + 1 : i, '"', raw, i);
      out.push({ kind: 'str', value: q.value, start: i, end: q.next });
      i = q.next;
      continue;
    }
    if (ch === "'") {
      const q = readQuoted(text, i, "'", false, i);
      const chars = [...q.value].length;
      if (chars !== 1) throw new FilterError(`${text.slice(i, q.next)} is ${chars > 1 ? 'too long to be' : 'not'} a valid character constant.`, i, q.next);
      out.push({ kind: 'char', value: q.value, start: i, end: q.next });
      i = q.next;
      continue;
    }
    if (ch === '[') {
      const close = text.indexOf(']', i + 1);
      if (close < 0) throw new FilterError('Unexpected end of filter expression.', n, n);
      out.push({ kind: 'slice', value: text.slice(i + 1, close), start: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (isWordStart(ch) || (ch === ':' && text[i + 1] === ':')) {
      let j = i + 1;
      while (j < n && isWordChar(text[j]!) && !(text[j] === '.' && text[j + 1] === '.')) j++;
      let word = text.slice(i, j);
      // CIDR suffix of an address literal: 10.0.0.0/8, fe80::/10.
      if (text[j] === '/' && /^[0-9]/.test(text[j + 1] ?? '') && (/^[0-9.]+$/.test(word) || /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$/.test(word))) {
        let k = j + 1;
        while (k < n && /[0-9]/.test(text[k]!)) k++;
        j = k;
        word = text.slice(i, j);
      }
      out.push({ kind: 'word', value: word, start: i, end: j });
      i = j;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new FilterError(`"${ch}" was unexpected in this context.`, i, i + 1);
    out.push({ kind: 'op', value: op, start: i, end: i + op.length });
    i += op.length;
  }
  out.push({ kind: 'eof', value: '', start: n, end: n });
  return out;
}
