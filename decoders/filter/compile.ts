// Display filter compiler: resolves the syntax tree against the registry (bare words become
// fields or literals, literals become typed values, types are checked with tshark's errors)
// and builds a closure `(d: Dissection) => boolean`.
//
// Evaluation walks the packet's tree once, dropping each node whose field id the filter uses
// into a slot (an Int32Array maps field id -> slot, so no strings are compared per node).
// Comparisons then run over the slots with Wireshark 4.0's occurrence rules:
//   `a == b`  any pair equal          `a != b`  all pairs different (a must exist)
//   `a === b` all pairs equal         `a !== b`, `a ~= b`  any pair different

import type { Registry } from '../core/registry.ts';
import type { Dissection, FieldDef, FieldNode, FieldType } from '../core/types.ts';
import { formatFieldValue } from '../core/format.ts';
import { FilterError } from './errors.ts';
import type { CmpOp, Expr, Quantifier, SliceRange } from './parser.ts';
import {
  canContain, canMatch, canOrder, classOf, compatible, compileRegex, is64, latin1String, literalValues, toBytes, typeName,
  valueContains, valuesEqual, valuesOrder, type Literal, type Value, type ValueClass,
} from './values.ts';

/** Per-packet state the closures read. */
export interface EvalCtx {
  d: Dissection;
  /** Nodes of each used field, in tree (pre-)order. */
  slots: FieldNode[][];
  /** For slots that need it: the protocol layer number of each node (1 = outermost). */
  layers: number[][];
}

type Pred = (c: EvalCtx) => boolean;
type Getter = (c: EvalCtx) => Value[];

/** A compiled value expression: its type and how to get its values in a packet. */
interface Operand {
  readonly lit: false;
  readonly type: FieldType;
  readonly cls: ValueClass;
  readonly def: FieldDef | null;
  readonly get: Getter;
  /** Field operands: the nodes themselves (for len(), count() and slices of protocols). */
  readonly nodes?: (c: EvalCtx) => FieldNode[];
  /** Literal operands: their values, known at compile time. */
  readonly konst?: readonly Value[];
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** An unresolved literal: its value depends on the other side's type. */
interface LiteralOperand {
  readonly lit: true;
  readonly literal: Literal;
  readonly negate: boolean;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

type AnyOperand = Operand | LiteralOperand;

/** Bytes of a node as slices and `contains` see them. */
function nodeBytes(c: EvalCtx, n: FieldNode): Uint8Array {
  const v = n.value;
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return toBytes(v);
  if (n.def.type === 'ipv4' && typeof v === 'number') return toBytes(v);
  const src = c.d.sources[n.source]?.data;
  if (!src) return new Uint8Array(0);
  return src.subarray(n.offset, Math.min(src.length, n.offset + n.length));
}

function nodeValue(c: EvalCtx, cls: ValueClass, n: FieldNode): Value | null {
  const v = n.value;
  switch (cls) {
    case 'protocol':
    case 'none':
      return nodeBytes(c, n);
    case 'bool':
      return v === null ? null : v === true ? 1 : v === false ? 0 : Number(v) ? 1 : 0;
    default:
      if (v === null || typeof v === 'boolean') return null;
      return v;
  }
}

function sliceBytes(b: Uint8Array, ranges: readonly SliceRange[]): Uint8Array | null {
  const parts: Uint8Array[] = [];
  for (const r of ranges) {
    let from = r.from < 0 ? b.length + r.from : r.from;
    let end: number;
    if (r.to !== undefined) {
      const to = r.to < 0 ? b.length + r.to : r.to;
      end = to + 1;
    } else end = r.len === null ? b.length : from + r.len;
    if (from < 0) from = 0;
    // Wireshark gives no value when the range is not all there.
    if (end > b.length || end <= from) return null;
    parts.push(b.subarray(from, end));
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Occurrences of one field for `matchFields`: nodes (e.g. synthesized from index columns). */
export type FieldSource = (def: FieldDef, out: FieldNode[]) => void;

export interface Compiled {
  readonly match: (d: Dissection) => boolean;
  /**
   * Evaluates without a tree: `fill` pushes the occurrences of each field the filter reads
   * (an engine answering from its index columns). Every occurrence counts as layer 1, and
   * protocol nodes have no bytes to slice unless `sources` gives them.
   */
  readonly matchFields: (fill: FieldSource, sources?: Dissection['sources']) => boolean;
  /** Abbrevs of every field and protocol the filter reads. */
  readonly fields: readonly string[];
  /** The same as field definitions. */
  readonly defs: readonly FieldDef[];
}

const CMP_TEXT: Record<CmpOp, string> = { '==': '==', '!=': '!=', '===': '===', '!==': '!==', '>': '>', '<': '<', '>=': '>=', '<=': '<=', contains: 'contains', matches: 'matches' };

/**
 * The operands of a chain `a && b && c ...` (or `||`), in order. The parser builds a
 * left-deep tree; flattening it lets evaluation loop instead of recursing as deep as the chain.
 */
export function chainTerms(e: Extract<Expr, { k: 'and' | 'or' | 'xor' }>): Expr[] {
  const terms: Expr[] = [];
  let x: Expr = e;
  while (x.k === e.k) {
    const link = x as typeof e;
    terms.push(link.b);
    x = link.a;
  }
  terms.push(x);
  return terms.reverse();
}

export class Compiler {
  private readonly slotOfId = new Map<number, number>();
  private readonly slotDefs: FieldDef[] = [];
  /** Slots that need layer numbers -> the protocol field id their layers count. */
  private readonly layerProto = new Map<number, number>();

  constructor(private readonly registry: Registry, private readonly text: string) {}

  private slot(def: FieldDef): number {
    let s = this.slotOfId.get(def.id!);
    if (s === undefined) {
      s = this.slotDefs.length;
      this.slotOfId.set(def.id!, s);
      this.slotDefs.push(def);
    }
    return s;
  }

  private src(e: { start: number; end: number }): string {
    return this.text.slice(e.start, e.end);
  }

  /** A field reference, optionally restricted to protocol layers [from, to]. */
  private fieldOperand(def: FieldDef, e: Expr, layer: [number, number] | null): Operand {
    const s = this.slot(def);
    const cls = classOf(def.type);
    let nodes: (c: EvalCtx) => FieldNode[];
    if (layer) {
      const protoId = this.registry.field(def.proto ?? def.abbrev)?.id ?? def.id!;
      this.layerProto.set(s, protoId);
      const [from, to] = layer;
      nodes = (c) => {
        const all = c.slots[s]!;
        const ls = c.layers[s]!;
        const out: FieldNode[] = [];
        for (let i = 0; i < all.length; i++) if (ls[i]! >= from && ls[i]! <= to) out.push(all[i]!);
        return out;
      };
    } else nodes = (c) => c.slots[s]!;
    const get: Getter = (c) => {
      const ns = nodes(c);
      const out: Value[] = [];
      for (let i = 0; i < ns.length; i++) {
        const v = nodeValue(c, cls, ns[i]!);
        if (v !== null) out.push(v);
      }
      return out;
    };
    return { lit: false, type: def.type, cls, def, get, nodes, text: this.src(e), start: e.start, end: e.end };
  }

  private lookup(name: string): FieldDef | undefined {
    return this.registry.field(name);
  }

  /** Compiles a value expression; bare words that are not fields stay literals. */
  operand(e: Expr): AnyOperand {
    switch (e.k) {
      case 'word': {
        const def = this.lookup(e.text);
        if (def) return this.fieldOperand(def, e, null);
        return { lit: true, literal: { kind: 'word', text: e.text, start: e.start, end: e.end }, negate: false, text: e.text, start: e.start, end: e.end };
      }
      case 'str':
      case 'char':
        return { lit: true, literal: { kind: e.k, text: e.value, start: e.start, end: e.end }, negate: false, text: this.src(e), start: e.start, end: e.end };
      case 'layer': {
        if (e.a.k !== 'word' || !this.lookup(e.a.text)) {
          throw new FilterError(e.a.k === 'word' ? `${e.a.text} is neither a field nor a protocol name.` : `Only fields can have a layer number.`, e.a.start, e.a.end);
        }
        if (e.from < 1 && e.to < 1) return this.fieldOperand(this.lookup(e.a.text)!, e, [1, 0]);
        return this.fieldOperand(this.lookup(e.a.text)!, e, [Math.max(1, e.from), e.to]);
      }
      case 'slice':
        return this.sliceOperand(e);
      case 'neg': {
        const a = this.operand(e.a);
        if (a.lit) {
          if (a.negate) throw new FilterError(`"${this.src(e)}" is not a valid number.`, e.start, e.end);
          return { ...a, negate: true, literal: { ...a.literal, start: e.start }, text: this.src(e), start: e.start };
        }
        this.needNumeric(a, '-');
        return { ...a, get: (c) => a.get(c).map((v) => (typeof v === 'bigint' ? -v : -(v as number))), nodes: undefined, text: this.src(e), start: e.start, end: e.end };
      }
      case 'arith':
        return this.arithOperand(e);
      case 'call':
        return this.callOperand(e);
      default:
        throw new FilterError(`"${this.src(e)}" is not a value.`, e.start, e.end);
    }
  }

  private needNumeric(a: Operand, op: string): void {
    if (a.cls !== 'int' && a.cls !== 'float' && a.cls !== 'time') {
      throw new FilterError(`${a.text} (type=${typeName(a.type)}) cannot participate in "${op}" operation.`, a.start, a.end);
    }
  }

  private sliceOperand(e: Expr & { k: 'slice' }): Operand {
    const a = this.operand(e.a);
    if (a.lit) throw new FilterError(`Range is not supported for entity ${a.text}`, e.a.start, e.a.end);
    const sliceable = a.cls === 'bytes' || a.cls === 'ether' || a.cls === 'ipv6' || a.cls === 'string' || a.cls === 'protocol' || a.cls === 'none' || a.cls === 'ipv4';
    if (!sliceable) throw new FilterError(`"${a.text}" is a ${typeName(a.type)} and cannot be sliced into a sequence of bytes.`, a.start, a.end);
    const ranges = e.ranges;
    let get: Getter;
    if (a.nodes) {
      const nodes = a.nodes;
      get = (c) => {
        const out: Value[] = [];
        for (const n of nodes(c)) {
          const b = sliceBytes(nodeBytes(c, n), ranges);
          if (b) out.push(b);
        }
        return out;
      };
    } else {
      get = (c) => {
        const out: Value[] = [];
        for (const v of a.get(c)) {
          const b = sliceBytes(toBytes(v), ranges);
          if (b) out.push(b);
        }
        return out;
      };
    }
    return { lit: false, type: 'bytes', cls: 'bytes', def: null, get, text: this.src(e), start: e.start, end: e.end };
  }

  /** `1 + 2` on the right of a comparison: folded to one number literal. */
  private foldConstant(e: Expr & { k: 'arith' }, a: LiteralOperand, b: LiteralOperand): LiteralOperand {
    const num = (l: LiteralOperand): bigint | number => {
      const t = l.literal.text;
      if (l.literal.kind === 'word' && /^(0[xX][0-9a-fA-F]+|\d+)$/.test(t)) return l.negate ? -BigInt(t) : BigInt(t);
      if (l.literal.kind === 'word' && /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return l.negate ? -Number(t) : Number(t);
      throw new FilterError(`${l.literal.kind === 'word' ? l.text : `"${l.literal.text}"`} is not a valid arithmetic operand.`, l.start, l.end);
    };
    let x = num(a);
    let y = num(b);
    if (typeof x !== typeof y) {
      x = Number(x);
      y = Number(y);
    }
    let r: number | bigint;
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      if ((e.op === '/' || e.op === '%') && y === 0n) throw new FilterError('Division by zero.', e.start, e.end);
      r = e.op === '+' ? x + y : e.op === '-' ? x - y : e.op === '*' ? x * y : e.op === '/' ? x / y : e.op === '%' ? x % y : x & y;
    } else {
      const p = x as number;
      const q = y as number;
      r = e.op === '+' ? p + q : e.op === '-' ? p - q : e.op === '*' ? p * q : e.op === '/' ? p / q : e.op === '%' ? p % q : p & q;
    }
    const neg = r < 0;
    const text = (neg ? -r : r).toString();
    return { lit: true, literal: { kind: 'word', text, start: e.start, end: e.end }, negate: neg, text: this.src(e), start: e.start, end: e.end };
  }

  /** tshark refuses constant arithmetic where a field must come first. */
  private checkLhs(e: Expr): void {
    const literalish = (x: Expr): boolean => x.k === 'str' || x.k === 'char' || (x.k === 'word' && !this.lookup(x.text)) || (x.k === 'neg' && literalish(x.a));
    if ((e.k === 'neg' && literalish(e.a)) || (e.k === 'arith' && literalish(e.a))) {
      throw new FilterError('Constant arithmetic expression on the LHS is invalid.', e.start, e.end);
    }
  }

  private arithOperand(e: Expr & { k: 'arith' }): AnyOperand {
    let a = this.operand(e.a);
    let b = this.operand(e.b);
    if (a.lit && b.lit) return this.foldConstant(e, a, b);
    if (a.lit) a = this.resolveLiteral(a, b as Operand);
    if (b.lit) b = this.resolveLiteral(b, a);
    if (e.op === '&' && isByteClass(a.cls)) {
      // Byte strings AND byte-wise (`eth.dst[0] & 1`), as long as the shorter one.
      if (!isByteClass(b.cls)) throw new FilterError(`${a.text} and ${b.text} are not of compatible types.`, b.start, b.end);
      const fa = a.get;
      const fb = b.get;
      const get: Getter = (c) => {
        const out: Value[] = [];
        const bs = fb(c);
        for (const x of fa(c)) for (const y of bs) {
          const p = x as Uint8Array;
          const q = y as Uint8Array;
          const r = new Uint8Array(Math.min(p.length, q.length));
          for (let i = 0; i < r.length; i++) r[i] = p[i]! & q[i]!;
          out.push(r);
        }
        return out;
      };
      return { lit: false, type: 'bytes', cls: 'bytes', def: null, get, text: this.src(e), start: e.start, end: e.end };
    }
    this.needNumeric(a, e.op);
    this.needNumeric(b, e.op);
    if (e.op === '&' && (a.cls !== 'int' || b.cls !== 'int')) throw new FilterError(`${a.cls === 'int' ? b.text : a.text} is not an integer.`, e.start, e.end);
    const op = e.op;
    const fa = a.get;
    const fb = b.get;
    const big = is64(a.type) || is64(b.type);
    const floaty = a.cls === 'float' || b.cls === 'float';
    const calc = (x: Value, y: Value): Value | null => {
      if (big || typeof x === 'bigint' || typeof y === 'bigint') {
        const p = BigInt(x as number | bigint);
        const q = BigInt(y as number | bigint);
        switch (op) {
          case '+': return p + q;
          case '-': return p - q;
          case '*': return p * q;
          case '/': return q === 0n ? null : p / q;
          case '%': return q === 0n ? null : p % q;
          case '&': return p & q;
        }
      }
      const p = x as number;
      const q = y as number;
      switch (op) {
        case '+': return p + q;
        case '-': return p - q;
        case '*': return p * q;
        case '/': return q === 0 ? null : floaty ? p / q : Math.trunc(p / q);
        case '%': return q === 0 ? null : p % q;
        case '&': return (p & q) >>> 0;
      }
    };
    const get: Getter = (c) => {
      const out: Value[] = [];
      const bs = fb(c);
      for (const x of fa(c)) for (const y of bs) {
        const r = calc(x, y);
        if (r !== null) out.push(r);
      }
      return out;
    };
    const type = floaty && a.cls !== 'float' ? b.type : a.type;
    return { lit: false, type, cls: classOf(type), def: null, get, text: this.src(e), start: e.start, end: e.end };
  }

  private callOperand(e: Expr & { k: 'call' }): Operand {
    const name = e.name;
    const args = e.args.map((x) => this.operand(x));
    const need = (n: number) => {
      if (args.length !== n) throw new FilterError(`Function ${name}() needs ${n} argument${n === 1 ? '' : 's'}.`, e.start, e.end);
    };
    const fieldArg = (i: number): Operand => {
      const a = args[i]!;
      if (a.lit) throw new FilterError(name === 'len' ? 'Only fields can be used as parameter for len()' : `Argument of ${name}() must be a field or function, not ${a.text}.`, a.start, a.end);
      return a;
    };
    const mk = (type: FieldType, get: Getter): Operand => ({ lit: false, type, cls: classOf(type), def: null, get, text: this.src(e), start: e.start, end: e.end });
    switch (name) {
      case 'len': {
        need(1);
        const a = fieldArg(0);
        if (a.nodes && a.cls !== 'string' && a.cls !== 'bytes' && a.cls !== 'ether' && a.cls !== 'ipv6') {
          const nodes = a.nodes;
          return mk('uint32', (c) => nodes(c).map((n) => n.length));
        }
        return mk('uint32', (c) => a.get(c).map((v) => (typeof v === 'string' || v instanceof Uint8Array ? v.length : 4)));
      }
      case 'count': {
        need(1);
        const a = fieldArg(0);
        if (!a.nodes) throw new FilterError(`Argument of count() must be a field.`, a.start, a.end);
        const nodes = a.nodes;
        return mk('uint32', (c) => [nodes(c).length]);
      }
      case 'upper':
      case 'lower': {
        need(1);
        const a = fieldArg(0);
        if (a.cls !== 'string') throw new FilterError(`Argument of ${name}() must be a string field.`, a.start, a.end);
        return mk('string', (c) => a.get(c).map((v) => (name === 'upper' ? (v as string).toUpperCase() : (v as string).toLowerCase())));
      }
      case 'string': {
        need(1);
        const a = fieldArg(0);
        if (!a.nodes) return mk('string', (c) => a.get(c).map((v) => (v instanceof Uint8Array ? latin1String(v) : String(v))));
        const nodes = a.nodes;
        return mk('string', (c) => nodes(c).filter((n) => n.value !== null).map((n) => formatFieldValue(n.def, n.value)));
      }
      case 'abs': {
        need(1);
        const a = fieldArg(0);
        this.needNumeric(a, 'abs');
        return mk(a.type, (c) => a.get(c).map((v) => (typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(v as number))));
      }
      case 'max':
      case 'min': {
        if (args.length === 0) throw new FilterError(`Function ${name}() needs at least 1 argument.`, e.start, e.end);
        const ops = args.map((_, i) => fieldArg(i));
        for (const o of ops) this.needNumeric(o, name);
        const sign = name === 'max' ? 1 : -1;
        return mk(ops[0]!.type, (c) => {
          let best: Value | null = null;
          for (const o of ops) for (const v of o.get(c)) if (best === null || valuesOrder(v, best) * sign > 0) best = v;
          return best === null ? [] : [best];
        });
      }
    }
    throw new FilterError(`The function '${name}' does not exist.`, e.start, e.start + name.length);
  }

  /** Gives a literal the type of the other side. */
  private resolveLiteral(l: LiteralOperand, other: Operand, forContains = false): Operand {
    let type = other.type;
    // `contains` on an address looks for any bytes, not a whole address.
    if (forContains && (other.cls === 'ether' || other.cls === 'protocol' || other.cls === 'none')) type = 'bytes';
    const values = literalValues(l.literal, type, other.def, l.negate);
    return { lit: false, type, cls: classOf(type), def: null, get: () => values, konst: values, text: l.text, start: l.start, end: l.end };
  }

  /** A boolean expression: relations, logic, and bare fields as existence tests. */
  pred(e: Expr): Pred {
    switch (e.k) {
      case 'and':
      case 'or': {
        const preds = chainTerms(e).map((t) => this.pred(t));
        if (preds.length === 2) {
          const [a, b] = preds as [Pred, Pred];
          return e.k === 'and' ? (c) => a(c) && b(c) : (c) => a(c) || b(c);
        }
        if (e.k === 'and') {
          return (c) => {
            for (let i = 0; i < preds.length; i++) if (!preds[i]!(c)) return false;
            return true;
          };
        }
        return (c) => {
          for (let i = 0; i < preds.length; i++) if (preds[i]!(c)) return true;
          return false;
        };
      }
      case 'xor': {
        const a = this.pred(e.a);
        const b = this.pred(e.b);
        return (c) => a(c) !== b(c);
      }
      case 'not': {
        const a = this.pred(e.a);
        return (c) => !a(c);
      }
      case 'cmp':
        return this.cmpPred(e);
      case 'in':
        return this.inPred(e);
      case 'word':
      case 'layer': {
        const a = this.operand(e);
        if (a.lit) throw new FilterError(`${e.k === 'word' ? e.text : this.src(e)} is neither a field nor a protocol name.`, e.start, e.end);
        const nodes = a.nodes!;
        return (c) => nodes(c).length > 0;
      }
      case 'str':
      case 'char':
        throw new FilterError(`${this.src(e)} is neither a field nor a protocol name.`, e.start, e.end);
      case 'call':
        throw new FilterError('You cannot test whether a function is present.', e.start, e.end);
      default: {
        this.checkLhs(e);
        // Slices, arithmetic and functions: true when there is a non-zero / non-empty value.
        const a = this.operand(e) as Operand;
        const get = a.get;
        // A bitwise and is true when some bit is set; a slice when it has bytes.
        const bitwise = e.k === 'arith';
        return (c) => get(c).some((v) => (v instanceof Uint8Array ? (bitwise ? v.some((x) => x !== 0) : v.length > 0) : typeof v === 'string' ? true : typeof v === 'object' ? true : v != 0));
      }
    }
  }

  private cmpPred(e: Expr & { k: 'cmp' }): Pred {
    const opText = this.text.slice(e.opPos.start, e.opPos.end) || CMP_TEXT[e.op];
    const la = this.operand(e.a);
    this.checkLhs(e.a);
    const op = e.op;
    const opShown = op === 'contains' || op === 'matches' ? opText : `"${opText}"`;
    if (la.lit) throw new FilterError(`Left side of ${opShown} expression must be a field or function, not ${la.text}.`, la.start, la.end);
    const a = la;
    const lb = this.operand(e.b);
    if (op === 'contains' && !canContain(a.cls)) throw new FilterError(`${a.text} (type=${typeName(a.type)}) cannot participate in contains comparison.`, a.start, a.end);
    if (op === 'matches') {
      if (!canMatch(a.cls)) throw new FilterError(`${a.text} (type=${typeName(a.type)}) cannot participate in matches comparison.`, a.start, a.end);
      if (!lb.lit || lb.literal.kind !== 'str') throw new FilterError('Matches requires a double quoted string on the right side.', lb.start, lb.end);
      const re = compileRegex(lb.literal.text, lb.start, lb.end);
      const get = a.get;
      return (c) => {
        for (const v of get(c)) if (re.test(typeof v === 'string' ? v : latin1String(v as Uint8Array))) return true;
        return false;
      };
    }
    let b: Operand;
    if (lb.lit) {
      b = this.resolveLiteral(lb, a, op === 'contains');
    } else {
      b = lb;
      if (!compatible(a.cls, b.cls) && !(op === 'contains' && canContain(b.cls))) throw new FilterError(`${a.text} and ${b.text} are not of compatible types.`, b.start, b.end);
    }
    if ((op === '>' || op === '<' || op === '>=' || op === '<=') && !canOrder(a.cls)) {
      throw new FilterError(`${a.text} (type=${typeName(a.type)}) cannot participate in '${opText}' comparison.`, a.start, a.end);
    }
    const rel = relation(op);
    if (a.nodes && b.konst && a.cls !== 'protocol' && a.cls !== 'none') return fieldVsConstant(a.nodes, a.cls, b.konst, rel, e.quant);
    return quantified(a.get, b.get, rel, e.quant);
  }

  private inPred(e: Expr & { k: 'in' }): Pred {
    this.checkLhs(e.a);
    const la = this.operand(e.a);
    if (la.lit) throw new FilterError('Only a field may be tested for membership in a set.', la.start, la.end);
    const a = la;
    const members: { lo: Getter; hi: Getter | null }[] = [];
    for (const item of e.items) {
      const conv = (x: Expr): Getter => {
        const o = this.operand(x);
        if (o.lit) return this.resolveLiteral(o, a).get;
        if (!compatible(a.cls, o.cls)) throw new FilterError(`${a.text} and ${o.text} are not of compatible types.`, o.start, o.end);
        return o.get;
      };
      members.push({ lo: conv(item.lo), hi: item.hi ? conv(item.hi) : null });
      if (item.hi && !canOrder(a.cls)) throw new FilterError(`${a.text} cannot be used with a range.`, item.lo.start, item.hi.end);
    }
    const get = a.get;
    const test: Pred = (c) => {
      const vs = get(c);
      if (vs.length === 0) return false;
      for (const m of members) {
        const los = m.lo(c);
        if (m.hi) {
          const his = m.hi(c);
          for (const v of vs) for (const lo of los) for (const hi of his) if (valuesOrder(v, lo) >= 0 && valuesOrder(v, hi) <= 0) return true;
        } else {
          for (const v of vs) for (const lo of los) if (valuesEqual(v, lo)) return true;
        }
      }
      return false;
    };
    return e.negated ? (c) => !test(c) : test;
  }

  /** Compiles the whole filter. */
  compile(e: Expr): Compiled {
    const pred = this.pred(e);
    const nSlots = this.slotDefs.length;
    const fields = this.slotDefs.map((d) => d.abbrev);
    // Field id -> slot (-1: not used), and which protocol nodes count layers.
    const maxId = this.registry.allFields().length;
    const slotOf = new Int32Array(maxId).fill(-1);
    for (const [id, s] of this.slotOfId) if (id < maxId) slotOf[id] = s;
    const layerOfSlot = new Int32Array(nSlots).fill(-1);
    const countProto = new Uint8Array(maxId);
    for (const [s, protoId] of this.layerProto) {
      layerOfSlot[s] = protoId;
      if (protoId < maxId) countProto[protoId] = 1;
    }
    const needLayers = this.layerProto.size > 0;
    // counts: protocol layers seen so far; current: the layer of the innermost enclosing node
    // of that protocol (a protocol's fields may be added after its payload's layers).
    const counts = new Int32Array(maxId);
    const current = new Int32Array(maxId);
    const ctx: EvalCtx = { d: null as unknown as Dissection, slots: [], layers: [] };
    for (let s = 0; s < nSlots; s++) {
      ctx.slots.push([]);
      ctx.layers.push([]);
    }
    const visit = (list: readonly FieldNode[]): void => {
      for (let i = 0; i < list.length; i++) {
        const n = list[i]!;
        const id = n.def.id ?? -1;
        let saved = -1;
        if (id >= 0 && id < maxId) {
          if (needLayers && countProto[id]) {
            saved = current[id]!;
            current[id] = ++counts[id]!;
          }
          const s = slotOf[id]!;
          if (s >= 0) {
            ctx.slots[s]!.push(n);
            const p = layerOfSlot[s]!;
            if (p >= 0) ctx.layers[s]!.push(current[p]! || counts[p]!);
          }
        }
        if (n.children) visit(n.children);
        if (saved >= 0) current[id] = saved;
      }
    };
    const match = (d: Dissection): boolean => {
      for (let s = 0; s < nSlots; s++) {
        ctx.slots[s]!.length = 0;
        ctx.layers[s]!.length = 0;
      }
      if (needLayers) {
        counts.fill(0);
        current.fill(0);
      }
      ctx.d = d;
      if (nSlots) visit(d.tree);
      const r = pred(ctx);
      ctx.d = null as unknown as Dissection;
      return r;
    };
    const noTree = { frame: { number: 0, linkType: 0, tsSec: 0, tsNsec: 0, caplen: 0, origlen: 0, interfaceId: 0 }, tree: [], protocols: [], columns: { source: '', destination: '', protocol: '', info: '' }, experts: [], malformed: false };
    const defs = [...this.slotDefs];
    const matchFields = (fill: FieldSource, sources: Dissection['sources'] = []): boolean => {
      for (let s = 0; s < nSlots; s++) {
        const list = ctx.slots[s]!;
        list.length = 0;
        fill(defs[s]!, list);
        const ls = ctx.layers[s]!;
        ls.length = 0;
        if (layerOfSlot[s]! >= 0) for (let i = 0; i < list.length; i++) ls.push(1);
      }
      ctx.d = { ...noTree, sources };
      const r = pred(ctx);
      ctx.d = null as unknown as Dissection;
      return r;
    };
    return { match, matchFields, fields, defs };
  }
}

function isByteClass(c: ValueClass): boolean {
  return c === 'bytes' || c === 'ether' || c === 'protocol';
}

type Rel = (a: Value, b: Value) => boolean;

function relation(op: CmpOp): Rel {
  switch (op) {
    case '==': case '===': return valuesEqual;
    case '!=': case '!==': return (a, b) => !valuesEqual(a, b);
    case '>': return (a, b) => valuesOrder(a, b) > 0;
    case '<': return (a, b) => valuesOrder(a, b) < 0;
    case '>=': return (a, b) => valuesOrder(a, b) >= 0;
    case '<=': return (a, b) => valuesOrder(a, b) <= 0;
    case 'contains': return valueContains;
    case 'matches': return () => false;
  }
}

/** The common case `field OP literal`, without building value lists. */
function fieldVsConstant(nodes: (c: EvalCtx) => FieldNode[], cls: ValueClass, konst: readonly Value[], rel: Rel, quant: Quantifier): Pred {
  if (konst.length === 0) return () => false;
  if (quant === 'any') {
    return (c) => {
      const ns = nodes(c);
      for (let i = 0; i < ns.length; i++) {
        const v = nodeValue(c, cls, ns[i]!);
        if (v === null) continue;
        for (let j = 0; j < konst.length; j++) if (rel(v, konst[j]!)) return true;
      }
      return false;
    };
  }
  return (c) => {
    const ns = nodes(c);
    let seen = false;
    for (let i = 0; i < ns.length; i++) {
      const v = nodeValue(c, cls, ns[i]!);
      if (v === null) continue;
      seen = true;
      for (let j = 0; j < konst.length; j++) if (!rel(v, konst[j]!)) return false;
    }
    return seen;
  };
}

function quantified(ga: Getter, gb: Getter, rel: Rel, quant: Quantifier): Pred {
  if (quant === 'any') {
    return (c) => {
      const as = ga(c);
      if (as.length === 0) return false;
      const bs = gb(c);
      for (let i = 0; i < as.length; i++) for (let j = 0; j < bs.length; j++) if (rel(as[i]!, bs[j]!)) return true;
      return false;
    };
  }
  return (c) => {
    const as = ga(c);
    if (as.length === 0) return false;
    const bs = gb(c);
    if (bs.length === 0) return false;
    for (let i = 0; i < as.length; i++) for (let j = 0; j < bs.length; j++) if (!rel(as[i]!, bs[j]!)) return false;
    return true;
  };
}
