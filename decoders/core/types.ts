// The vocabulary shared by every decoder, the tree, the hex pane and the display filters.
// Pure data types: nothing here may import Node, the DOM or Electron.

export type FieldType =
  | 'none' // a text-only node (a heading inside a tree)
  | 'protocol' // the node that opens a protocol layer
  | 'bool'
  | 'uint8' | 'uint16' | 'uint24' | 'uint32' | 'uint48' | 'uint64'
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'float' | 'double'
  | 'ether' | 'ipv4' | 'ipv6'
  | 'bytes' | 'string'
  | 'abs_time' | 'rel_time' // value: nanoseconds as a bigint (epoch for abs_time)
  | 'framenum';

/** How integers print (Wireshark's BASE_*). */
export type Base = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'oct' | 'none';

export interface FieldDef {
  /** Wireshark-compatible filter name, e.g. `tcp.flags.syn`. Unique across the registry. */
  readonly abbrev: string;
  /** Human name shown in the tree, e.g. `Syn`. */
  readonly name: string;
  readonly type: FieldType;
  readonly base?: Base;
  /** For sub-fields of a bit field: the mask within the parent's integer. */
  readonly bitmask?: number;
  /** Width in bits of the integer the bitmask applies to (for the `..1. ....` tree text). */
  readonly bitWidth?: number;
  /** value_string: names for integer values. */
  readonly values?: Readonly<Record<number, string>>;
  /** true_false_string for booleans; default Set / Not set. */
  readonly trueFalse?: readonly [string, string];
  /** Unit suffix shown in the tree (e.g. ` bytes`). */
  readonly unit?: string;
  readonly description?: string;
  /** Numeric id, assigned by the registry. */
  id?: number;
  /** Abbrev of the owning protocol (set by the registry). */
  proto?: string;
}

export type FieldValue = number | bigint | boolean | string | Uint8Array | null;

export const enum NodeFlags {
  None = 0,
  /** Computed by the analyzer, not present in the bytes (Wireshark's `[...]`). */
  Generated = 1,
  /** Present for filtering but not shown in the tree. */
  Hidden = 2,
  /** The field ran past the captured bytes. */
  Truncated = 4,
}

export interface FieldNode {
  readonly def: FieldDef;
  /** Index of the data source the byte range refers to (0 = the frame). */
  readonly source: number;
  /** Absolute offset inside its data source. */
  readonly offset: number;
  /** Protocol nodes learn their length only after their dissector returns. */
  length: number;
  readonly value: FieldValue;
  /** Tree text; when absent it is derived from def + value by `core/format.ts`. */
  label?: string;
  flags: number;
  children: FieldNode[] | null;
}

export type Severity = 'chat' | 'note' | 'warn' | 'error';

export interface ExpertInfo {
  readonly severity: Severity;
  /** Wireshark's expert groups: 'malformed', 'sequence', 'checksum', 'protocol', ... */
  readonly group: string;
  readonly message: string;
  /** The protocol that raised it. */
  readonly protocol: string;
  /** Frame number (filled in by the engine when aggregating). */
  frame?: number;
}

/** A named byte buffer the tree points into: the frame, or a reassembled payload. */
export interface DataSource {
  readonly name: string;
  readonly data: Uint8Array;
}

/** Link-layer header types from tcpdump.org/linktypes.html we dispatch on. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  SLL: 113,
  IPV4: 228,
  IPV6: 229,
  SLL2: 276,
} as const;

export interface FrameInfo {
  /** 1-based frame number. */
  readonly number: number;
  readonly linkType: number;
  readonly tsSec: number;
  readonly tsNsec: number;
  /** Bytes captured (the length of `data`). */
  readonly caplen: number;
  /** Length on the wire. */
  readonly origlen: number;
  readonly interfaceId: number;
  readonly comment?: string;
  /** Every packet comment when there are several (pcapng opt_comment repeated); wins over `comment`. */
  readonly comments?: readonly string[];
}

/** The Packet List columns of one frame. */
export interface SummaryColumns {
  source: string;
  destination: string;
  protocol: string;
  info: string;
}

/** Everything one dissection produced. */
export interface Dissection {
  readonly frame: FrameInfo;
  readonly sources: DataSource[];
  /** Top-level nodes: `frame`, then one per protocol layer. */
  readonly tree: FieldNode[];
  /** `frame.protocols`: eth:ethertype:ip:tcp ... */
  readonly protocols: string[];
  readonly columns: SummaryColumns;
  readonly experts: ExpertInfo[];
  readonly malformed: boolean;
}
