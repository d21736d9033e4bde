// Per-packet dissection state (Wireshark's packet_info) and the dispatch between layers.
// Protocols never import each other: they hand bytes on through named tables.

import { BoundsError, Cursor } from './cursor.ts';
import type { ProtocolModule, Registry, TableKey, TableName } from './registry.ts';
import { Tree } from './tree.ts';
import { NodeFlags, type DataSource, type ExpertInfo, type FieldNode, type FrameInfo, type Severity, type SummaryColumns } from './types.ts';
import { wsFields } from './builtin-fields.ts';
import type { Session } from './session.ts';

/** A network address as seen by a layer: kind + raw bytes (4 for IPv4, 16 for IPv6, 6 for MAC). */
export interface Address {
  readonly kind: 'ipv4' | 'ipv6' | 'ether' | 'other';
  readonly bytes: Uint8Array;
}

/** `desegmentLen` value meaning: give me the next segment too, the length is not known yet. */
export const DESEGMENT_ONE_MORE_SEGMENT = 0x0fffffff;
/** `desegmentLen` value meaning: collect everything up to the FIN (e.g. an HTTP response without a length). */
export const DESEGMENT_UNTIL_FIN = 0x0ffffffe;

/**
 * What a dissector returns to decline the data before adding anything (Wireshark's
 * "return 0" from a new-style dissector): its layer is undone and `call` returns -1, so the
 * caller falls back (e.g. HTTP to `media` when image/gif data is not a GIF).
 */
export const NOT_MINE = -2;

export class PacketContext {
  readonly sources: DataSource[];
  readonly protocols: string[] = [];
  readonly columns: SummaryColumns = { source: '', destination: '', protocol: '', info: '' };
  readonly experts: ExpertInfo[] = [];
  malformed = false;
  truncated = false;
  /** Tree items added so far (bounded by MAX_TREE_ITEMS in core/tree.ts). */
  items = 0;

  /** Link-layer addresses of the innermost link layer decoded so far. */
  dlSrc: Address | null = null;
  dlDst: Address | null = null;
  /** Network addresses of the innermost network layer decoded so far. */
  netSrc: Address | null = null;
  netDst: Address | null = null;
  /** Transport ports of the innermost transport layer decoded so far. */
  srcPort = 0;
  dstPort = 0;
  /**
   * Desegmentation request of a protocol carried over TCP (Wireshark's pinfo->desegment_*):
   * the PDU starting at `desegmentOffset` needs `desegmentLen` more bytes than this segment
   * has (or DESEGMENT_ONE_MORE_SEGMENT when the length is not known yet). TCP reads these
   * after the payload dissector returns; it sets `canDesegment` before calling it.
   */
  desegmentOffset = 0;
  desegmentLen = 0;
  canDesegment = false;
  /**
   * Scratch data one layer leaves for the next (e.g. TCP tells HTTP its stream and
   * sequence numbers). Keys are `<protocol>.<what>`.
   */
  readonly scratch = new Map<string, unknown>();

  /**
   * False for a summary-only dissection (the Packet List, `pktscope -r`): columns, protocols
   * and experts are computed, but no tree is kept (Wireshark's NULL tree), which saves most
   * of the allocation. Filters, -T fields/json and the packet pane need the tree.
   */
  buildTree = true;

  /** The top of the tree (set by dissectFrame): where layers go. */
  root: Tree | null = null;

  /** Where layers' items go in a summary-only dissection (nobody reads it). */
  private sink: FieldNode[] | null = null;

  /** The protocol currently being dissected (for expert items). */
  private current: ProtocolModule | null = null;
  /** How deep the layer recursion is; bounded so a hostile tunnel stack cannot recurse forever. */
  private depth = 0;
  static readonly maxDepth = 64;

  constructor(
    readonly frame: FrameInfo,
    data: Uint8Array,
    readonly registry: Registry,
    readonly session: Session,
  ) {
    this.sources = [{ name: 'Frame', data }];
  }

  /** Wireshark's pinfo->fd->visited: true when this frame was already dissected once in this session. */
  get visited(): boolean {
    return this.session.visited(this.frame.number);
  }

  addExpert(severity: Severity, group: string, message: string): void {
    this.experts.push({ severity, group, message, protocol: this.current?.abbrev ?? 'frame', frame: this.frame.number });
  }

  /** Registers a reassembled or decoded buffer as a new data source and returns a cursor on it. */
  addSource(name: string, data: Uint8Array): Cursor {
    this.sources.push({ name, data });
    return Cursor.of(data, this.sources.length - 1);
  }

  setInfo(text: string): void {
    this.columns.info = text;
  }

  appendInfo(text: string, sep = ' '): void {
    this.columns.info = this.columns.info ? this.columns.info + sep + text : text;
  }

  /**
   * Hands `c` to the protocol registered in `table` under `key`. Returns the bytes consumed,
   * or -1 when no protocol is registered there (the caller decides about `data`).
   */
  call(table: TableName, key: TableKey, c: Cursor, tree: Tree): number {
    const mod = this.registry.lookup(table, key);
    if (!mod) return -1;
    return this.run(mod, c, tree);
  }

  /** Tries the heuristic dissectors registered on `table`; -1 when none accepts. */
  callHeuristics(table: TableName, c: Cursor, tree: Tree): number {
    for (const h of this.registry.heuristicsFor(table)) {
      let ok: boolean;
      try {
        ok = h.test(c, this);
      } catch {
        ok = false;
      }
      if (ok) return this.run(h.proto, c, tree);
    }
    return -1;
  }

  /**
   * Port dispatch as Wireshark does it: the lower port first, then the higher one.
   * Returns -1 when neither port is claimed.
   */
  callPorts(table: TableName, srcPort: number, dstPort: number, c: Cursor, tree: Tree): number {
    const low = Math.min(srcPort, dstPort);
    const high = Math.max(srcPort, dstPort);
    const first = this.registry.lookup(table, low);
    if (first) return this.run(first, c, tree);
    const second = this.registry.lookup(table, high);
    if (second) return this.run(second, c, tree);
    return -1;
  }

  /** Calls a protocol by its abbrev (for protocols that pick their payload's protocol themselves). */
  callProtocol(abbrev: string, c: Cursor, tree: Tree): number {
    const mod = this.registry.protocol(abbrev);
    if (!mod) return this.callData(c, tree);
    return this.run(mod, c, tree);
  }

  /** Unclaimed payload: the `data` protocol. */
  callData(c: Cursor, tree: Tree): number {
    if (c.remaining(c.start) <= 0) return 0;
    return this.callProtocol('data', c, tree);
  }

  /** Runs one protocol layer: its node, its dissector, and the conversion of throws into markers. */
  run(mod: ProtocolModule, c: Cursor, tree: Tree): number {
    if (this.depth >= PacketContext.maxDepth) {
      tree.expert('error', 'malformed', 'Too many nested protocol layers');
      this.malformed = true;
      return 0;
    }
    const parent = this.current;
    this.current = mod;
    this.depth++;
    const protocolsBefore = this.protocols.length;
    const columnBefore = this.columns.protocol;
    this.protocols.push(mod.abbrev);
    let node: FieldNode | null = null;
    // A layer called from a protocol's own subtree goes next to that protocol (see Tree.layer):
    // at the top, or inside whatever nested the calling layer (ICMP's quoted datagram).
    const host = tree.layer ? (tree.host ?? this.root ?? tree) : tree;
    let sub = host;
    if (!mod.pseudo) {
      node = { def: this.registry.protocolField(mod.abbrev), source: c.source, offset: c.start, length: c.remaining(c.start), value: null, flags: 0, children: this.buildTree ? [] : null };
      if (this.buildTree) host.nodes.push(node);
      // Without a tree, every layer's node list is one discarded array.
      sub = new Tree(this.buildTree ? node.children! : (this.sink ??= []), this, node, true, host);
      if (mod.short) this.columns.protocol = mod.short;
    }
    let consumed: number;
    try {
      consumed = mod.dissect(c, this, sub);
      if (consumed === NOT_MINE) {
        // Wireshark's "return 0": the dissector looked and declined before adding anything.
        this.protocols.length = protocolsBefore;
        this.columns.protocol = columnBefore;
        if (node) host.nodes.splice(host.nodes.lastIndexOf(node), 1);
        return -1;
      }
      if (consumed < 0) consumed = 0;
      if (node) node.length = Math.min(consumed, c.remaining(c.start));
    } catch (err) {
      consumed = c.remaining(c.start);
      this.markException(err, mod, sub, node);
    } finally {
      this.depth--;
      this.current = parent;
    }
    return consumed;
  }

  private markException(err: unknown, mod: ProtocolModule, sub: Tree, node: FieldNode | null): void {
    if (err instanceof BoundsError && err.kind === 'captured') {
      this.truncated = true;
      // Both markers are top-level items in Wireshark, after the layer that broke.
      (this.root ?? sub).nodes.push({ def: wsFields.truncated, source: 0, offset: 0, length: 0, value: null, flags: NodeFlags.Generated, children: null, label: '[Packet size limited during capture: ' + mod.short + ' truncated]' });
      this.appendInfo('[Packet size limited during capture]', ''); // tshark appends without a separator
      return;
    }
    this.malformed = true;
    if (node) node.flags |= NodeFlags.Truncated;
    const detail = err instanceof BoundsError ? 'Malformed Packet' : `Dissector bug: ${err instanceof Error ? err.message : String(err)}`;
    const m: FieldNode = { def: wsFields.malformed, source: 0, offset: 0, length: 0, value: null, flags: NodeFlags.Generated, children: [], label: `[${detail}: ${mod.short}]` };
    (this.root ?? sub).nodes.push(m);
    this.addExpert('error', 'malformed', `${detail} (Exception occurred)`);
    // tshark's frame.protocols never lists `_ws.malformed` (the marker is a tree item, not a layer).
    this.appendInfo(`[${detail}]`, '');
  }
}
