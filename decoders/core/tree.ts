// Building the protocol tree. Every node carries its exact byte range so the hex pane can
// highlight it and a clicked byte can find its deepest field.

import { BoundsError, type Cursor } from './cursor.ts';
import { NodeFlags, type FieldDef, type FieldNode, type FieldValue, type Severity } from './types.ts';
import type { PacketContext } from './context.ts';
import { expertField } from './builtin-fields.ts';

export interface AddOptions {
  /** Little-endian integer read. */
  le?: boolean;
  /** Explicit value instead of reading it from the bytes. */
  value?: FieldValue;
  /** Explicit tree text; a function is only called when a tree is built (summary-only dissections skip it). */
  label?: Label;
  flags?: number;
}

export type Label = string | (() => string);

function trailingZeros(mask: number): number {
  let n = 0;
  while (n < 32 && ((mask >>> n) & 1) === 0) n++;
  return n;
}

/** Reads the value a field of `def`'s type holds at [offset, offset+length). */
export function readValue(def: FieldDef, c: Cursor, offset: number, length: number, le = false): FieldValue {
  switch (def.type) {
    case 'none':
    case 'protocol':
      return null;
    case 'bool':
    case 'uint8':
    case 'uint16':
    case 'uint24':
    case 'uint32': {
      let raw: number;
      switch (length) {
        case 1: raw = c.u8(offset); break;
        case 2: raw = le ? c.u16le(offset) : c.u16(offset); break;
        case 3: raw = le ? (c.u8(offset) | (c.u16le(offset + 1) << 8)) : c.u24(offset); break;
        case 4: raw = le ? c.u32le(offset) : c.u32(offset); break;
        case 0: raw = 0; break;
        default: c.check(offset, length); raw = 0;
      }
      if (def.type === 'bool') return def.bitmask ? (raw & def.bitmask) !== 0 : raw !== 0;
      if (def.bitmask) return ((raw & def.bitmask) >>> 0) >>> trailingZeros(def.bitmask);
      return raw >>> 0;
    }
    case 'uint48':
      return c.u48(offset);
    case 'uint64':
      return le ? c.view.getBigUint64((c.check(offset, 8), offset), true) : c.u64(offset);
    case 'int8':
      return c.i8(offset);
    case 'int16':
      return le ? (c.check(offset, 2), c.view.getInt16(offset, true)) : c.i16(offset);
    case 'int32':
      return le ? (c.check(offset, 4), c.view.getInt32(offset, true)) : c.i32(offset);
    case 'int64':
      c.check(offset, 8);
      return c.view.getBigInt64(offset, le);
    case 'float':
      c.check(offset, 4);
      return c.view.getFloat32(offset, le);
    case 'double':
      c.check(offset, 8);
      return c.view.getFloat64(offset, le);
    case 'ipv4':
      return le ? c.u32le(offset) : c.u32(offset);
    case 'ether':
    case 'ipv6':
    case 'bytes':
      return c.bytes(offset, length);
    case 'string':
      return c.ascii(offset, length);
    case 'framenum':
      return length === 0 ? 0 : c.u32(offset);
    case 'abs_time':
    case 'rel_time':
      return 0n;
  }
}

/** True when readValue(def, c, offset, length) reads only [offset, offset+length), so a passed has() check means it cannot throw. */
function readIsChecked(def: FieldDef, length: number): boolean {
  switch (def.type) {
    case 'none':
    case 'protocol':
    case 'ether':
    case 'ipv6':
    case 'bytes':
    case 'string':
      return true;
    case 'bool':
    case 'uint8':
    case 'uint16':
    case 'uint24':
    case 'uint32':
      return length <= 4;
    case 'ipv4':
      return length === 4;
    default:
      return false;
  }
}

/** The options of an add without any (shared: never written). */
const NO_OPTS: AddOptions = Object.freeze({});

/** Most items one packet's tree may hold (Wireshark's default max_tree_items). */
export const MAX_TREE_ITEMS = 1_000_000;

export class Tree {
  constructor(
    /** The node list this tree appends to (the parent's children). */
    readonly nodes: FieldNode[],
    readonly ctx: PacketContext,
    /** The node that owns `nodes`, if any (null at the top level). */
    readonly owner: FieldNode | null = null,
    /**
     * True for a protocol's own subtree as handed to its dissector. Layers called with it
     * become siblings at the top of the tree (Ethernet, IP, TCP side by side, as Wireshark
     * shows them); `nested()` keeps a called layer inside, as ICMP does with the datagram it quotes.
     */
    readonly layer = false,
    /** For a layer subtree: the tree its protocol node sits in, where the next layers go too. */
    readonly host: Tree | null = null,
  ) {}

  /** The subtree handed out for the scratch node in a summary-only dissection (see subtree). */
  private scratchSub: Tree | null = null;

  /** The same subtree, asking that layers called with it stay nested inside it. */
  nested(): Tree {
    return this.layer ? new Tree(this.nodes, this.ctx, this.owner, false) : this;
  }

  /**
   * Adds a field whose bytes are [offset, offset+length) of `c` (length -1: to the end of
   * the captured data). Throws a BoundsError after adding a truncated node when the range is
   * not all captured, so the dissector stops where the data stops.
   */
  add(def: FieldDef, c: Cursor, offset: number, length: number, opts: AddOptions = NO_OPTS): FieldNode {
    if (length < 0) length = c.remaining(offset);
    if (!c.has(offset, length)) {
      // The node covers the part of the field that lies within the layer's captured bytes
      // (empty, where the data ends, for a field that starts past them).
      const from = Math.min(Math.max(offset, c.start), c.end);
      const avail = Math.max(0, Math.min(offset + length, c.end) - from);
      const node = this.push(def, c.source, from, avail, null, (opts.flags ?? 0) | NodeFlags.Truncated, opts.label);
      if (!node.label) node.label = `${def.name} [truncated]`;
      c.check(offset, length);
      return node; // unreachable: check throws
    }
    // Without a tree nobody sees the value: read it only where reading could throw more than has() checked.
    const value = opts.value !== undefined ? opts.value : this.ctx.buildTree || !readIsChecked(def, length) ? readValue(def, c, offset, length, opts.le) : null;
    return this.push(def, c.source, offset, length, value, opts.flags ?? 0, opts.label);
  }

  /** A field computed by the analyzer (shown in brackets, no bytes of its own). */
  generated(def: FieldDef, value: FieldValue, label?: Label, c?: Cursor, offset = 0, length = 0): FieldNode {
    return this.push(def, c?.source ?? 0, offset, length, value, NodeFlags.Generated, label);
  }

  /** A field present for filters only. */
  hidden(def: FieldDef, c: Cursor, offset: number, length: number, opts: AddOptions = NO_OPTS): FieldNode {
    if (!this.ctx.buildTree) return this.add(def, c, offset, length, opts);
    return this.add(def, c, offset, length, { ...opts, flags: (opts.flags ?? 0) | NodeFlags.Hidden });
  }

  /** Adds a text-only or protocol node and returns a tree for its children. */
  subtree(node: FieldNode): Tree {
    // Without a tree, children go nowhere; the owner is still there for label writes. Subtrees
    // of the scratch node (every add's answer) are all alike: one per tree serves them all.
    if (!this.ctx.buildTree) return node === scratch ? (this.scratchSub ??= new Tree([], this.ctx, scratch)) : new Tree([], this.ctx, node);
    if (!node.children) node.children = [];
    return new Tree(node.children, this.ctx, node);
  }

  /** Adds a field and returns the tree of its children in one step. */
  addTree(def: FieldDef, c: Cursor, offset: number, length: number, opts: AddOptions = NO_OPTS): Tree {
    return this.subtree(this.add(def, c, offset, length, opts));
  }

  /** Records an expert item both in the tree (so the user sees it in place) and in the packet's list. */
  expert(severity: Severity, group: string, message: string, c?: Cursor, offset = 0, length = 0): FieldNode {
    this.ctx.addExpert(severity, group, message);
    return this.push(expertField, c?.source ?? 0, offset, length, message, NodeFlags.Generated, this.ctx.buildTree ? `[Expert Info (${severityName(severity)}/${groupName(group)}): ${message}]` : undefined);
  }

  private push(def: FieldDef, source: number, offset: number, length: number, value: FieldValue, flags: number, label?: Label): FieldNode {
    // Wireshark's max_tree_items: a dissector looping without progress fails here, not by running out of memory.
    if (++this.ctx.items > MAX_TREE_ITEMS) throw new Error(`Adding ${def.abbrev} would put more than ${MAX_TREE_ITEMS} items in the tree -- possible infinite loop`);
    if (!this.ctx.buildTree) {
      // A summary-only dissection: one reused node answers every add, nothing is kept.
      const n = scratch as { -readonly [K in keyof FieldNode]: FieldNode[K] };
      n.def = def;
      n.source = source;
      n.offset = offset;
      n.length = length;
      n.value = value;
      n.flags = flags;
      n.children = null;
      // Assign, never `delete`: deleting a property would turn the node into a slow dictionary.
      n.label = typeof label === 'function' ? undefined : label;
      return scratch;
    }
    const node: FieldNode = { def, source, offset, length, value, flags, children: null };
    if (label !== undefined) node.label = typeof label === 'function' ? label() : label;
    this.nodes.push(node);
    return node;
  }
}

/** The node a tree-less dissection hands back from every add (PacketContext.buildTree = false). */
const scratch: FieldNode = { def: expertField, source: 0, offset: 0, length: 0, value: null, flags: 0, children: null };

function severityName(s: Severity): string {
  return s === 'warn' ? 'Warning' : s[0]!.toUpperCase() + s.slice(1);
}

function groupName(g: string): string {
  return g[0]!.toUpperCase() + g.slice(1);
}

export { BoundsError };
