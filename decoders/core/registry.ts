// One registry for every field and protocol. The tree, hex highlighting, display filters,
// columns and "apply as filter" all look fields up here, so each is declared exactly once.

import type { FieldDef, FieldType, Base } from './types.ts';
import type { Cursor } from './cursor.ts';
import type { PacketContext } from './context.ts';
import type { Tree } from './tree.ts';

/**
 * Dissects the layer that starts at `c.start` into `tree` (the protocol's own subtree).
 * Returns how many bytes it consumed; what is left is handed to the caller (trailer/padding).
 * It may throw on short data: the core turns that into a truncated/malformed marker.
 */
export type Dissector = (c: Cursor, ctx: PacketContext, tree: Tree) => number;

/** A heuristic dissector: a cheap, side-effect-free check before `dissect` is called. */
export type HeuristicTest = (c: Cursor, ctx: PacketContext) => boolean;

export interface ProtocolModule {
  /** Filter name of the protocol, e.g. `tcp`; also its `frame.protocols` entry. */
  readonly abbrev: string;
  /** Tree heading, e.g. `Transmission Control Protocol`. */
  readonly name: string;
  /** Protocol column text, e.g. `TCP`; empty for protocols that leave the column alone (`data`). */
  readonly short: string;
  readonly fields: readonly FieldDef[];
  readonly dissect: Dissector;
  /** Hook into dissector tables: `r.table('ip.proto', 6)`, `r.heuristic('udp', test)`. */
  readonly register?: (r: Registrar) => void;
  /**
   * No tree node of its own (Wireshark's `ethertype` is a dispatcher that still shows up
   * in `frame.protocols`).
   */
  readonly pseudo?: boolean;
}

/** Tables are keyed by numbers (ports, ethertypes) or strings (media types such as `image/gif`). */
export type TableKey = number | string;

export interface Registrar {
  table(table: string, key: TableKey): void;
  heuristic(table: string, test: HeuristicTest): void;
}

/** The tables protocols plug into. Keys are numbers: link types, ethertypes, ports, ... */
export type TableName = string;

interface Heuristic {
  readonly proto: ProtocolModule;
  readonly test: HeuristicTest;
}

export class Registry {
  private readonly fieldsByAbbrev = new Map<string, FieldDef>();
  private readonly fieldList: FieldDef[] = [];
  private readonly protocolsByAbbrev = new Map<string, ProtocolModule>();
  private readonly protocolFields = new Map<string, FieldDef>();
  private readonly tables = new Map<TableName, Map<TableKey, ProtocolModule>>();
  private readonly heuristics = new Map<TableName, Heuristic[]>();

  registerProtocol(mod: ProtocolModule): void {
    if (this.protocolsByAbbrev.has(mod.abbrev)) throw new Error(`protocol ${mod.abbrev} registered twice`);
    this.protocolsByAbbrev.set(mod.abbrev, mod);
    const protoField: FieldDef = { abbrev: mod.abbrev, name: mod.name, type: 'protocol' };
    this.addField(protoField, mod.abbrev);
    this.protocolFields.set(mod.abbrev, protoField);
    for (const f of mod.fields) this.addField(f, mod.abbrev);
    mod.register?.({
      table: (table, key) => this.setTableEntry(table, key, mod),
      heuristic: (table, test) => {
        const list = this.heuristics.get(table) ?? [];
        list.push({ proto: mod, test });
        this.heuristics.set(table, list);
      },
    });
  }

  /** Fields that belong to no protocol module (frame, _ws.*) are added through here. */
  addField(def: FieldDef, proto: string): void {
    if (this.fieldsByAbbrev.has(def.abbrev)) throw new Error(`field ${def.abbrev} declared twice`);
    def.id = this.fieldList.length;
    def.proto = proto;
    this.fieldsByAbbrev.set(def.abbrev, def);
    this.fieldList.push(def);
  }

  /** Decode As: point a table entry at another protocol (or remove it with null). */
  setTableEntry(table: TableName, key: TableKey, mod: ProtocolModule | null): void {
    let t = this.tables.get(table);
    if (!t) this.tables.set(table, (t = new Map()));
    if (mod) t.set(key, mod);
    else t.delete(key);
  }

  lookup(table: TableName, key: TableKey): ProtocolModule | undefined {
    const o = this.decodeAs?.get(table);
    if (o !== undefined && o.has(key)) return o.get(key) ?? undefined;
    return this.tables.get(table)?.get(key);
  }

  /** Decode As overrides of a view made by withDecodeAs (null: the registered tables only). */
  private decodeAs: ReadonlyMap<TableName, ReadonlyMap<TableKey, ProtocolModule | null>> | null = null;

  /**
   * Decode As without touching this registry: a view that shares every field and protocol and
   * whose table look-ups consult `overrides` first (a null entry: nobody handles that key).
   * Each engine keeps its own view, so rules never leak between captures or sessions.
   */
  withDecodeAs(overrides: ReadonlyMap<TableName, ReadonlyMap<TableKey, ProtocolModule | null>>): Registry {
    const view = Object.create(this) as Registry;
    view.decodeAs = overrides.size ? overrides : null;
    return view;
  }

  /** Names of the dissector tables protocols registered in. */
  tableNames(): TableName[] {
    return [...this.tables.keys()];
  }

  /** The protocols registered in `table` (each once, in registration order): Decode As choices. */
  tableProtocols(table: TableName): ProtocolModule[] {
    return [...new Set(this.tables.get(table)?.values() ?? [])];
  }

  heuristicsFor(table: TableName): readonly Heuristic[] {
    return this.heuristics.get(table) ?? [];
  }

  field(abbrev: string): FieldDef | undefined {
    return this.fieldsByAbbrev.get(abbrev);
  }

  protocol(abbrev: string): ProtocolModule | undefined {
    return this.protocolsByAbbrev.get(abbrev);
  }

  protocolField(abbrev: string): FieldDef {
    const f = this.protocolFields.get(abbrev);
    if (!f) throw new Error(`unknown protocol ${abbrev}`);
    return f;
  }

  allFields(): readonly FieldDef[] {
    return this.fieldList;
  }

  allProtocols(): readonly ProtocolModule[] {
    return [...this.protocolsByAbbrev.values()];
  }
}

/** Shorthand for declaring a field: `field('tcp.srcport', 'Source Port', 'uint16')`. */
export function field(
  abbrev: string,
  name: string,
  type: FieldType,
  opts: Partial<Omit<FieldDef, 'abbrev' | 'name' | 'type' | 'id' | 'proto'>> & { base?: Base } = {},
): FieldDef {
  return { abbrev, name, type, ...opts };
}

/** Builds a ProtocolModule from a record of named fields (so code can say `f.srcport`). */
export function protocol(
  def: Omit<ProtocolModule, 'fields'> & { fields: Readonly<Record<string, FieldDef>> | readonly FieldDef[] },
): ProtocolModule {
  const fields = Array.isArray(def.fields) ? def.fields : Object.values(def.fields);
  return { ...def, fields };
}
