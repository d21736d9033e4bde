// JavaScript Object Notation (application/json and friends): a bounded recursive-descent
// parse into objects, members, keys and values. A body that is not valid JSON keeps the
// JSON node and is shown as line-based text, as Wireshark does.

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import { Tree } from '../core/tree.ts';
import { appendProtocolColumn, mediaType } from './media-common.ts';

const f = {
  array: field('json.array', 'Array', 'none'),
  object: field('json.object', 'Object', 'none'),
  member: field('json.member', 'Member', 'string'),
  key: field('json.key', 'Key', 'string'),
  string: field('json.value.string', 'String value', 'string'),
  number: field('json.value.number', 'Number value', 'string'),
  false: field('json.value.false', 'False value', 'none'),
  null: field('json.value.null', 'Null value', 'none'),
  true: field('json.value.true', 'True value', 'none'),
};

const MAX_DEPTH = 64;
const MAX_NODES = 20_000;

class Invalid extends Error {}

/** A JSON parser over captured bytes that adds tree nodes as it goes (into `tree` when given). */
class Parser {
  p: number;
  nodes = 0;
  constructor(readonly c: Cursor, readonly end: number) {
    this.p = c.start;
  }
  ws(): void {
    while (this.p < this.end) {
      const b = this.c.data[this.p]!;
      if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) break;
      this.p++;
    }
  }
  peek(): number {
    if (this.p >= this.end) throw new Invalid();
    return this.c.data[this.p]!;
  }
  string(): [number, string] {
    const start = this.p;
    this.p++; // opening quote
    let s = '';
    while (true) {
      const b = this.peek();
      this.p++;
      if (b === 0x22) break;
      if (b === 0x5c) {
        const e = this.peek();
        this.p++;
        if (e === 0x75) {
          if (this.p + 4 > this.end) throw new Invalid();
          s += String.fromCharCode(parseInt(this.c.ascii(this.p, 4), 16));
          this.p += 4;
        } else s += ({ 0x6e: '\n', 0x74: '\t', 0x72: '\r', 0x62: '\b', 0x66: '\f' } as Record<number, string>)[e] ?? String.fromCharCode(e);
      } else if (b < 0x20) throw new Invalid();
      else s += String.fromCharCode(b);
    }
    return [start, s];
  }
  value(tree: Tree, depth: number): void {
    if (depth > MAX_DEPTH || ++this.nodes > MAX_NODES) throw new Invalid();
    this.ws();
    const b = this.peek();
    const start = this.p;
    if (b === 0x7b || b === 0x5b) {
      const isObj = b === 0x7b;
      const node = tree.add(isObj ? f.object : f.array, this.c, start, 1);
      const t = tree.subtree(node);
      this.p++;
      this.ws();
      const close = isObj ? 0x7d : 0x5d;
      if (this.peek() !== close) {
        while (true) {
          this.ws();
          if (isObj) {
            if (this.peek() !== 0x22) throw new Invalid();
            const mstart = this.p;
            const [kstart, key] = this.string();
            const kend = this.p;
            this.ws();
            if (this.peek() !== 0x3a) throw new Invalid();
            this.p++;
            const m = t.add(f.member, this.c, mstart, 0, { value: key, label: `Member: ${key}` });
            const mt = t.subtree(m);
            this.value(mt, depth + 1);
            m.length = this.p - mstart;
            mt.add(f.key, this.c, kstart, kend - kstart, { value: key, label: `Key: ${key}` });
          } else this.value(t, depth + 1);
          this.ws();
          const sep = this.peek();
          this.p++;
          if (sep === close) break;
          if (sep !== 0x2c) throw new Invalid();
        }
      } else this.p++;
      node.length = this.p - start;
      return;
    }
    if (b === 0x22) {
      const [, s] = this.string();
      tree.add(f.string, this.c, start, this.p - start, { value: s, label: `String value: ${s}` });
      return;
    }
    for (const [word, def] of [['true', f.true], ['false', f.false], ['null', f.null]] as const) {
      if (this.p + word.length <= this.end && this.c.ascii(this.p, word.length) === word) {
        this.p += word.length;
        tree.add(def, this.c, start, word.length, { label: `${def.name}` });
        return;
      }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.c.ascii(this.p, Math.min(64, this.end - this.p)));
    if (!m || !m[0]) throw new Invalid();
    this.p += m[0].length;
    tree.add(f.number, this.c, start, m[0].length, { value: m[0], label: `Number value: ${m[0]}` });
  }
}

export default protocol({
  abbrev: 'json',
  name: 'JavaScript Object Notation',
  short: '',
  fields: f,
  register(r) {
    for (const t of ['application/json', 'application/json-rpc', 'application/jsonrequest', 'application/dds-web+json', 'application/vnd.oma.lwm2m+json']) r.table('media_type', t);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const type = mediaType(ctx);
    appendProtocolColumn(ctx, 'JSON');
    ctx.appendInfo('JavaScript Object Notation', ', ');
    if (tree.owner) tree.owner.label = `JavaScript Object Notation${type ? ': ' + type : ''}`;
    const parser = new Parser(c, c.end);
    const scratch: typeof tree.nodes = [];
    let ok = true;
    try {
      parser.value(new Tree(scratch, ctx, null), 0);
      parser.ws();
      if (parser.p !== c.end) ok = false;
    } catch (e) {
      if (!(e instanceof Invalid) && !(e instanceof RangeError)) throw e;
      ok = false;
    }
    if (ok) {
      tree.nodes.push(...scratch);
      if (type) ctx.appendInfo(`(${type})`);
    } else if (ctx.callProtocol('data-text-lines', c.sub(o), tree) < 0) ctx.callData(c.sub(o), tree);
    return c.remaining(o);
  },
});
