// Display filter parser: a hand-written Pratt parser over the lexer's tokens. It builds the
// syntax tree only; whether a bare word is a field or a literal, and whether the two sides of
// a comparison fit together, is the compiler's business (it knows the registry).
//
// Binding powers, loosest first (Wireshark 4.0's order):
//   ||/or  <  ^^/xor  <  &&/and  <  !/not  <  comparisons, in, contains, matches
//   <  & (bitwise and)  <  + -  <  * / %  <  unary -  <  [slice] #layer

import { FilterError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';

export type CmpOp = '==' | '!=' | '===' | '!==' | '>' | '<' | '>=' | '<=' | 'contains' | 'matches';
/** How the occurrences of the two sides are combined: any pair, or all pairs. */
export type Quantifier = 'any' | 'all';

export interface SliceRange {
  /** Start offset; negative counts from the end. */
  readonly from: number;
  /** Number of bytes, or null for "to the end". */
  readonly len: number | null;
  /** `i-j` form: inclusive end offset instead of a length. */
  readonly to?: number;
}

interface Pos {
  readonly start: number;
  readonly end: number;
}

export type Expr = Pos &
  (
    | { readonly k: 'word'; readonly text: string } // field name or unquoted literal
    | { readonly k: 'str'; readonly value: string }
    | { readonly k: 'char'; readonly value: string }
    | { readonly k: 'layer'; readonly a: Expr; readonly from: number; readonly to: number }
    | { readonly k: 'slice'; readonly a: Expr; readonly ranges: readonly SliceRange[] }
    | { readonly k: 'call'; readonly name: string; readonly args: readonly Expr[] }
    | { readonly k: 'neg'; readonly a: Expr }
    | { readonly k: 'arith'; readonly op: '+' | '-' | '*' | '/' | '%' | '&'; readonly a: Expr; readonly b: Expr; readonly opPos: Pos }
    | { readonly k: 'cmp'; readonly op: CmpOp; readonly quant: Quantifier; readonly a: Expr; readonly b: Expr; readonly opPos: Pos }
    | { readonly k: 'in'; readonly a: Expr; readonly items: readonly SetItem[]; readonly negated: boolean }
    | { readonly k: 'and' | 'or' | 'xor'; readonly a: Expr; readonly b: Expr }
    | { readonly k: 'not'; readonly a: Expr }
  );

export type SetItem = { readonly lo: Expr; readonly hi: Expr | null };

/** Nesting limit of the parser's recursion, and of operator chains in one filter. */
const MAX_DEPTH = 200;
const MAX_CHAIN = 1000;

const BP_OR = 10;
const BP_XOR = 15;
const BP_AND = 20;
const BP_NOT = 25;
const BP_CMP = 30;
const BP_BITAND = 40;
const BP_ADD = 50;
const BP_MUL = 60;
const BP_UNARY = 70;
const BP_POSTFIX = 80;

/** Comparison spellings -> [operator, quantifier]. */
const CMP: Record<string, [CmpOp, Quantifier]> = {
  '==': ['==', 'any'], eq: ['==', 'any'], any_eq: ['==', 'any'],
  '!=': ['!=', 'all'], ne: ['!=', 'all'], all_ne: ['!=', 'all'],
  '===': ['==', 'all'], all_eq: ['==', 'all'],
  '!==': ['!=', 'any'], '~=': ['!=', 'any'], any_ne: ['!=', 'any'],
  '>': ['>', 'any'], gt: ['>', 'any'],
  '<': ['<', 'any'], lt: ['<', 'any'],
  '>=': ['>=', 'any'], ge: ['>=', 'any'],
  '<=': ['<=', 'any'], le: ['<=', 'any'],
  contains: ['contains', 'any'],
  matches: ['matches', 'any'], '~': ['matches', 'any'],
};

const LOGICAL: Record<string, ['and' | 'or' | 'xor', number]> = {
  '&&': ['and', BP_AND], and: ['and', BP_AND],
  '||': ['or', BP_OR], or: ['or', BP_OR],
  '^^': ['xor', BP_XOR], xor: ['xor', BP_XOR],
};

const ARITH: Record<string, number> = { '&': BP_BITAND, '+': BP_ADD, '-': BP_ADD, '*': BP_MUL, '/': BP_MUL, '%': BP_MUL };

/** Words that are operators, never fields or literals. */
const KEYWORDS = new Set(['and', 'or', 'xor', 'not', 'in', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'contains', 'matches', 'any_eq', 'all_eq', 'any_ne', 'all_ne']);

function unexpected(t: Token): FilterError {
  if (t.kind === 'eof') return new FilterError('Unexpected end of filter expression.', t.start, t.end);
  const shown = t.kind === 'str' ? `"${t.value}"` : t.kind === 'slice' ? '[' : t.kind === 'char' ? `'${t.value}'` : t.value;
  return new FilterError(`"${shown}" was unexpected in this context.`, t.start, t.kind === 'slice' ? t.start + 1 : t.end);
}

/** Parses the text between slice brackets: `0:3`, `-1`, `2-5`, `:2`, `4:`, and comma lists of these. */
export function parseSliceRanges(text: string, offset: number): SliceRange[] {
  const out: SliceRange[] = [];
  let at = offset;
  for (const part of text.split(',')) {
    const m = /^\s*(-?\d+)?\s*(?:(:)\s*(\d+)?|-\s*(-?\d+))?\s*$/.exec(part);
    if (!m || (m[1] === undefined && m[2] === undefined)) throw new FilterError(`"${part.trim()}" is not a valid range.`, at, at + part.length);
    const from = m[1] !== undefined ? parseInt(m[1], 10) : 0;
    if (m[2]) out.push({ from, len: m[3] !== undefined ? parseInt(m[3], 10) : null });
    else if (m[4] !== undefined) {
      const to = parseInt(m[4], 10);
      out.push({ from, len: to >= from && from >= 0 ? to - from + 1 : null, to });
    } else out.push({ from, len: 1 });
    at += part.length + 1;
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  peek(ahead = 0): Token {
    return this.toks[Math.min(this.i + ahead, this.toks.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }

  isOp(t: Token, v: string): boolean {
    return t.kind === 'op' && t.value === v;
  }

  expectOp(v: string): Token {
    const t = this.next();
    if (!this.isOp(t, v)) throw unexpected(t);
    return t;
  }

  parseTop(): Expr {
    if (this.peek().kind === 'eof') throw new FilterError('Empty filter expression.', 0, 0);
    const e = this.expr(0);
    const t = this.peek();
    if (t.kind !== 'eof') throw unexpected(t);
    return e;
  }

  /** Binding power of the token as an infix/postfix operator (0 when it is not one). */
  private infixPower(t: Token): number {
    if (t.kind === 'slice') return BP_POSTFIX;
    if (t.kind === 'op') {
      if (t.value === '#') return BP_POSTFIX;
      if (LOGICAL[t.value]) return LOGICAL[t.value]![1];
      if (CMP[t.value]) return BP_CMP;
      if (ARITH[t.value]) return ARITH[t.value]!;
      return 0;
    }
    if (t.kind === 'word') {
      if (LOGICAL[t.value]) return LOGICAL[t.value]![1];
      if (CMP[t.value] || t.value === 'in') return BP_CMP;
      if (t.value === 'not' && this.peek(1).kind === 'word' && this.peek(1).value === 'in') return BP_CMP;
    }
    return 0;
  }

  private depth = 0;
  private chain = 0;

  expr(minBp: number): Expr {
    // Hostile input (thousands of nested parentheses) must give an error, not a stack overflow.
    if (++this.depth > MAX_DEPTH) throw new FilterError('Filter expression is nested too deeply.', this.peek().start, this.peek().end);
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      const bp = this.infixPower(t);
      if (bp === 0 || bp <= minBp) break;
      left = this.infix(left, t, bp);
      // Arithmetic chains (`a - 1 - 1 ...`) deepen the tree without recursing here: bound them
      // too. Logical chains are flattened by the compiler and need no bound.
      if (left.k === 'arith' && ++this.chain > MAX_CHAIN) throw new FilterError('Filter expression is too long.', t.start, t.end);
    }
    this.depth--;
    return left;
  }

  private prefix(): Expr {
    const t = this.next();
    if (t.kind === 'op') {
      switch (t.value) {
        case '!': {
          const a = this.expr(BP_NOT);
          return { k: 'not', a, start: t.start, end: a.end };
        }
        case '(': {
          const e = this.expr(0);
          const close = this.expectOp(')');
          return { ...e, start: t.start, end: close.end };
        }
        case '{': {
          // Arithmetic grouping: {frame.len * 2}.
          const e = this.expr(BP_CMP);
          const close = this.expectOp('}');
          return { ...e, start: t.start, end: close.end };
        }
        case '-': {
          const a = this.expr(BP_UNARY);
          return { k: 'neg', a, start: t.start, end: a.end };
        }
      }
      throw unexpected(t);
    }
    if (t.kind === 'str') return { k: 'str', value: t.value, start: t.start, end: t.end };
    if (t.kind === 'char') return { k: 'char', value: t.value, start: t.start, end: t.end };
    if (t.kind === 'word') {
      if (t.value === 'not') {
        const a = this.expr(BP_NOT);
        return { k: 'not', a, start: t.start, end: a.end };
      }
      if ((t.value === 'any' || t.value === 'all') && (this.peek().kind === 'word' || this.isOp(this.peek(), '('))) {
        // Quantified comparison: `all ip.addr == 10.0.0.1`.
        const e = this.expr(BP_NOT);
        if (e.k !== 'cmp') throw new FilterError(`"${t.value}" must be followed by a relation.`, t.start, t.end);
        return { ...e, quant: t.value, start: t.start };
      }
      if (KEYWORDS.has(t.value)) throw unexpected(t);
      if (this.isOp(this.peek(), '(') && /^[a-z_][a-z0-9_]*$/i.test(t.value)) {
        this.next();
        const args: Expr[] = [];
        if (!this.isOp(this.peek(), ')')) {
          for (;;) {
            args.push(this.expr(BP_CMP));
            if (this.isOp(this.peek(), ',')) {
              this.next();
              continue;
            }
            break;
          }
        }
        const close = this.expectOp(')');
        return { k: 'call', name: t.value, args, start: t.start, end: close.end };
      }
      return { k: 'word', text: t.value, start: t.start, end: t.end };
    }
    throw unexpected(t);
  }

  private infix(left: Expr, t: Token, bp: number): Expr {
    // Postfix: slices and layer selection.
    if (t.kind === 'slice') {
      this.next();
      const ranges = parseSliceRanges(t.value, t.start + 1);
      return { k: 'slice', a: left, ranges, start: left.start, end: t.end };
    }
    if (this.isOp(t, '#')) {
      this.next();
      const n = this.next();
      if (n.kind === 'word' && /^\d+$/.test(n.value)) {
        const v = parseInt(n.value, 10);
        return { k: 'layer', a: left, from: v, to: v, start: left.start, end: n.end };
      }
      if (n.kind === 'slice') {
        const m = /^\s*(\d+)\s*(?:-\s*(\d+)|:\s*(\d+))?\s*$/.exec(n.value);
        if (!m) throw new FilterError(`"${n.value}" is not a valid layer range.`, n.start, n.end);
        const from = parseInt(m[1]!, 10);
        const to = m[2] !== undefined ? parseInt(m[2], 10) : m[3] !== undefined ? from + parseInt(m[3], 10) - 1 : from;
        return { k: 'layer', a: left, from, to, start: left.start, end: n.end };
      }
      const shown = n.kind === 'eof' ? 'end of filter' : n.value[0] ?? '';
      throw new FilterError(`Expected digit or "[", not "${shown}"`, n.start, n.kind === 'eof' ? n.end : n.start + 1);
    }
    const word = t.value;
    if (LOGICAL[word]) {
      this.next();
      const right = this.expr(bp);
      return { k: LOGICAL[word]![0], a: left, b: right, start: left.start, end: right.end };
    }
    if (t.kind === 'op' && ARITH[word]) {
      this.next();
      const right = this.expr(bp);
      return { k: 'arith', op: word as '+', a: left, b: right, opPos: { start: t.start, end: t.end }, start: left.start, end: right.end };
    }
    // Relations. They do not chain: `a > 1 > 2` is an error, as in tshark.
    let rel: Expr;
    if (word === 'in' || word === 'not') {
      this.next();
      const negated = word === 'not';
      if (negated) this.next(); // `in`
      rel = this.parseSet(left, negated);
    } else {
      this.next();
      const [op, quant] = CMP[word]!;
      const right = this.expr(BP_CMP);
      rel = { k: 'cmp', op, quant, a: left, b: right, opPos: { start: t.start, end: t.end }, start: left.start, end: right.end };
    }
    const after = this.peek();
    if (this.infixPower(after) === BP_CMP) {
      const lhs = rel.k === 'cmp' ? rel.b : rel;
      throw new FilterError(`Left side of "${after.value}" expression must be a field or function, not ${this.text(lhs)}.`, lhs.start, lhs.end);
    }
    return rel;
  }

  private text(e: Expr): string {
    return e.k === 'word' ? e.text : e.k === 'str' ? `"${e.value}"` : this.src.slice(e.start, e.end);
  }

  src = '';

  private parseSet(left: Expr, negated: boolean): Expr {
    this.expectOp('{');
    const items: SetItem[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, '}')) {
        if (items.length === 0) throw unexpected(t);
        this.next();
        return { k: 'in', a: left, items, negated, start: left.start, end: t.end };
      }
      const lo = this.expr(BP_CMP);
      let hi: Expr | null = null;
      if (this.isOp(this.peek(), '..')) {
        this.next();
        hi = this.expr(BP_CMP);
      }
      items.push({ lo, hi });
      // Elements are separated by commas (Wireshark 4.0); whitespace alone is accepted too.
      if (this.isOp(this.peek(), ',')) {
        this.next();
        if (this.isOp(this.peek(), '}')) throw unexpected(this.peek());
      }
    }
  }
}

/** Parses a display filter into its syntax tree; throws FilterError with the offending range. */
export function parseFilter(text: string): Expr {
  const p = new Parser(tokenize(text));
  p.src = text;
  return p.parseTop();
}
