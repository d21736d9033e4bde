// The one typed API between the analyzer UI and the engine. Both shells carry it: Electron
// (preload exposes exactly these methods over IPC) and browser mode (`pktscope serve`, JSON
// messages over a WebSocket). Everything here is plain data that survives JSON: packet bytes
// travel as base64 strings.
//
// Pure types and small validators: no node:*, no DOM, so the renderer imports it too.

import type { JsonNode } from '../engine/tree-json.ts';
import type { Connection } from '../engine/connection-types.ts';
import type { TcpGraph, FlowGraph } from '../engine/graph-types.ts';

export interface WireProgress {
  packets: number;
  bytes: number;
  totalBytes: number;
  /** Packets per second while indexing. */
  rate: number;
  done: boolean;
  errors: string[];
}

export interface CaptureInfo {
  /** Absolute paths of the open files (empty when nothing is open). */
  files: string[];
  /** Packets indexed so far. */
  count: number;
  done: boolean;
  /** The display filter applied to it (a live capture's next file keeps it). */
  filter?: string;
}

export interface WireRow {
  number: number;
  time: string;
  tsSec: number;
  tsNsec: number;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  malformed: boolean;
  /** tcp.stream of the packet, -1 when it is not TCP. */
  tcpStream: number;
  /** TCP flags byte (0 for non-TCP): coloring of SYN/RST rows. */
  tcpFlags: number;
  /** Tunnelled packets only: the outermost network addresses (source/destination are the innermost). */
  outerSource?: string;
  outerDestination?: string;
}

/** A tree node with its byte range: the same shape `pktscope -T json` prints. */
export type WireNode = JsonNode;

export interface WirePacket {
  frame: number;
  protocols: string;
  malformed: boolean;
  sources: { name: string; length: number }[];
  tree: WireNode[];
  /** Bytes of each data source, base64. */
  bytes: string[];
  tcpStream: number;
}

export interface RowsRequest {
  /** First displayed row (0-based, in the displayed list: the filter's matches, or all packets). */
  start: number;
  count: number;
}

export interface RowsResult {
  /** Displayed rows in the asked range (fewer near the end). */
  rows: WireRow[];
  /** Displayed packets now, packets in all now. */
  displayed: number;
  total: number;
}

export interface FilterCheck {
  ok: boolean;
  error?: { message: string; start: number; end: number };
}

export interface FilterResult {
  /** The applied expression ('' = no filter). */
  expr: string;
  ok: boolean;
  error?: { message: string; start: number; end: number };
  displayed: number;
  total: number;
}

export interface FilterProgress {
  expr: string;
  scanned: number;
  total: number;
  matched: number;
  done: boolean;
}

export interface WireFollowChunk {
  side: 0 | 1;
  frame: number;
  /** Payload, base64. */
  data: string;
  missingBytes?: number;
}

export interface WireFollow {
  stream: number;
  nodes: [string, string];
  chunks: WireFollowChunk[];
  bytes: [number, number];
}

export type SortColumn = 'number' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';
export const SORT_COLUMNS: readonly SortColumn[] = ['number', 'time', 'source', 'destination', 'protocol', 'length', 'info'];

export interface TcpGraphRequest {
  stream: number;
  direction?: 0 | 1;
}

export type FlowGraphRequest = { stream: number; limit?: number } | { displayed: true; limit?: number; around?: number };
/** Most arrows one flowGraph request returns. */
export const FLOW_GRAPH_MAX = 10_000;
export type { TcpGraph, FlowGraph };

/** Decode As: key `value` of dissector table `table` (udp.port, tcp.port, ...) is decoded as `protocol`. */
export interface DecodeAsRule {
  table: string;
  value: number;
  protocol: string;
}

export interface DecodeAsState {
  /** The rules in force (also persisted in the preferences). */
  rules: DecodeAsRule[];
  /** Tables the dialog offers, each with the protocols one may choose there. */
  tables: { table: string; protocols: { abbrev: string; name: string }[] }[];
}

/** Name resolution flags (Wireshark's View > Name Resolution): MAC vendors, transport ports, IP names. */
export interface NameResolution {
  mac: boolean;
  transport: boolean;
  network: boolean;
}

export interface SortRequest {
  /** null: capture order. */
  column: SortColumn | null;
  descending: boolean;
}

// ---- live capture (electron/ipc/capture-session.ts) ----

export interface WireInterface {
  name: string;
  description: string;
  addresses: { family: 'ipv4' | 'ipv6'; addr: string; netmask?: string }[];
  up: boolean;
  running: boolean;
  loopback: boolean;
  linkType?: number;
}

export interface InterfacesResult {
  interfaces: WireInterface[];
  /** Traffic counters by interface name (received + sent since up), for sparklines; absent where the OS has none. */
  counters: Record<string, { packets: number; bytes: number }>;
  /** When the counters were read (ms since the epoch). */
  time: number;
  /** Listing failed (no privilege, no helper ...): the list is empty. */
  error?: CaptureProblem;
}

export type CaptureProblemCode = 'privilege' | 'filter' | 'no-such-device' | 'helper-missing' | 'io' | 'other' | 'busy' | 'unsaved';

/** A capture error as the UI shows it: `code` picks the translated heading, `message` is the helper's (libpcap's) own text. */
export interface CaptureProblem {
  code: CaptureProblemCode;
  message: string;
  hint?: string;
}

export interface CaptureFilterCheck {
  ok: boolean;
  /** libpcap's message for a filter it cannot compile. */
  error?: string;
}

export interface StartCaptureRequest {
  iface: string;
  /** BPF capture filter ('' for none). */
  filter: string;
  snaplen?: number;
  promisc?: boolean;
  ring?: { filesizeKB?: number; files?: number; durationSec?: number };
  stop?: { packets?: number; durationSec?: number; filesizeKB?: number };
}

export interface CaptureState {
  state: 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';
  iface: string;
  filter: string;
  packets: number;
  bytes: number;
  /** libpcap ps_drop (buffer full). */
  dropped: number;
  /** libpcap ps_ifdrop (interface or driver). */
  ifDropped: number;
  /** The file being written (the current one of a ring buffer), null before the capture starts. */
  file: string | null;
  /** Every file of the capture (a ring buffer's files still on disk). */
  files: string[];
  /** Why it stopped. */
  reason?: 'user' | 'packets' | 'duration' | 'filesize' | 'error';
  error: CaptureProblem | null;
  /** The capture is in a temporary file nobody saved yet. */
  unsaved: boolean;
}

export type SaveFormatName = 'pcap' | 'pcapng';

export interface SaveRequest {
  /**
   * Where to write, on the engine's side. Omitted: the shell asks the user (Electron's save
   * dialog); browser mode needs it.
   */
  path?: string;
  format: SaveFormatName;
  /** Replace an existing file (the dialog already asked). */
  overwrite?: boolean;
}

export interface SaveResult {
  /** The file written, null when the user cancelled the dialog or the file exists (see `exists`). */
  path: string | null;
  packets: number;
  /** Nothing written: the file exists and `overwrite` was not set (ask the user, then again with it). */
  exists?: string;
}

/** Expert information (see electron/engine/expert-summary.ts). */
export type ExpertSeverity = 'error' | 'warn' | 'note' | 'chat' | 'comment';

export interface WireExpertItem {
  severity: ExpertSeverity;
  /** tshark's group ('Sequence', 'Malformed' ...), or 'pktscope' for the items pktscope adds. */
  group: string;
  protocol: string;
  summary: string;
  /** Occurrences, as tshark counts them. */
  count: number;
  /** Explanation kind: the renderer shows i18n key `expert.kind.<kind>`. */
  kind: string;
  /** An item tshark does not report (DNS errors, HTTP 4xx/5xx, ICMP errors). */
  pktscope: boolean;
  /** Packet numbers, ascending (the first 10,000). */
  packets: number[];
  /** Distinct packets with the item (exact). */
  packetCount: number;
  /** A display filter selecting exactly the item's packets. */
  filter: string;
}

export interface WireExpertGroup {
  severity: ExpertSeverity;
  count: number;
  items: WireExpertItem[];
}

export interface WireExpert {
  /** Severity groups, most severe first; empty ones left out. */
  groups: WireExpertGroup[];
  packets: number;
}

/** Conversation / endpoint table types (Statistics view; tshark -z conv,TYPE). */
export type ConvType = 'eth' | 'ipv4' | 'ipv6' | 'tcp' | 'udp';
export const CONV_TYPES: readonly ConvType[] = ['eth', 'ipv4', 'ipv6', 'tcp', 'udp'];

/** One row of the protocol hierarchy, in tree order (depth 0 = frame). */
export interface WirePhsRow {
  /** Protocol abbrev (eth, ip, tcp ...) and its full name. */
  proto: string;
  name: string;
  depth: number;
  frames: number;
  bytes: number;
}

export interface WirePhs {
  frames: number;
  bytes: number;
  rows: WirePhsRow[];
}

export interface WireConversation {
  /** Addresses (MAC, IPv4 or IPv6 text); ports 0 for address-only types. A sent the first packet. */
  a: string;
  b: string;
  aPort: number;
  bPort: number;
  framesAB: number;
  bytesAB: number;
  framesBA: number;
  bytesBA: number;
  /** Seconds since the capture's first packet, and the span to the last packet. */
  start: number;
  duration: number;
  /** tcp.stream for TCP conversations, -1 otherwise. */
  stream: number;
}

export interface WireEndpoint {
  addr: string;
  port: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

export type IoMetric = 'packets' | 'bytes' | 'bits';
export const IO_METRICS: readonly IoMetric[] = ['packets', 'bytes', 'bits'];
export const IO_MAX_FILTERS = 5;
export const IO_MIN_INTERVAL_MS = 1;
export const IO_MAX_INTERVAL_MS = 600_000;
export const IO_MAX_FILTER_LENGTH = 4096;

export interface IoGraphRequest {
  /** Interval length in whole milliseconds (1 ms .. 10 min); 0 = automatic from the capture's duration. */
  intervalMs: number;
  metric: IoMetric;
  /** 1..5 display filters ('' = all packets). */
  filters: string[];
}

export interface WireIoSeries {
  filter: string;
  ok: boolean;
  error?: { message: string; start: number; end: number };
  /** Per interval: packets, bytes, or bits per second. */
  values: number[];
  /** Per interval: the first matching packet number, 0 when none. */
  first: number[];
}

export interface WireIoGraph {
  /** The interval used (the automatic choice when 0 was asked). */
  intervalMs: number;
  metric: IoMetric;
  buckets: number;
  /** Seconds from the first to the last packet. */
  duration: number;
  series: WireIoSeries[];
}

/** Requests: name -> [argument, result]. */
export interface Requests {
  open: [{ paths: string[] }, CaptureInfo];
  info: [null, CaptureInfo];
  rows: [RowsRequest, RowsResult];
  packet: [{ number: number }, WirePacket];
  /** The packet as one `tcpdump -nn -e` line (UTC time; TCP sequence numbers relative as tcpdump prints them). */
  tcpdumpLine: [{ number: number }, { line: string }];
  setFilter: [{ expr: string }, FilterResult];
  validateFilter: [{ expr: string }, FilterCheck];
  follow: [{ stream: number }, WireFollow];
  /** Connections (conntrack-style TCP/UDP/ICMP flows) of the whole capture, whatever the display filter; answered once indexing is done (a live capture: the packets so far). */
  connections: [null, { rows: Connection[] }];
  /** TCP sequence (Stevens) graph of a stream; direction 0 = data sent by the stream's first sender, default the one with more payload. */
  tcpGraph: [TcpGraphRequest, TcpGraph];
  /** Flow (ladder) diagram of a TCP stream or of the displayed packets (the first `limit`, or `limit` around packet `around`). */
  flowGraph: [FlowGraphRequest, FlowGraph];
  setSort: [SortRequest, { displayed: number; total: number }];
  getDecodeAs: [null, DecodeAsState];
  /** Replaces the rules; cached rows and trees are recomputed, the filter is re-applied. */
  setDecodeAs: [{ rules: DecodeAsRule[] }, DecodeAsState];
  getNameResolution: [null, NameResolution];
  setNameResolution: [NameResolution, NameResolution];
  /** Protocol hierarchy of the whole capture (tshark -z io,phs), after a full decode. */
  protocolHierarchy: [null, WirePhs];
  /** Conversations of one type (tshark -z conv,TYPE), in order of first packet. */
  conversations: [{ type: ConvType }, { type: ConvType; rows: WireConversation[] }];
  /** Endpoints of one type (tshark -z endpoints,TYPE). */
  endpoints: [{ type: ConvType }, { type: ConvType; rows: WireEndpoint[] }];
  /** I/O graph: values per interval for up to 5 display filters. */
  ioGraph: [IoGraphRequest, WireIoGraph];
  /** Expert information of the whole capture by severity, with the packets of each item (after indexing). */
  expertSummary: [null, WireExpert];
  /** Interfaces to capture on, with traffic counters; `refresh` lists them again (otherwise the last list, new counters). */
  interfaces: [{ refresh: boolean }, InterfacesResult];
  checkCaptureFilter: [{ filter: string; iface?: string }, CaptureFilterCheck];
  /** Starts capturing into a temporary pcapng file the engine side chooses, and shows it live. */
  startCapture: [StartCaptureRequest, CaptureState];
  stopCapture: [null, CaptureState];
  /** Stops, discards the packets so far, and starts again with the same options. */
  restartCapture: [null, CaptureState];
  captureState: [null, CaptureState];
  /** Writes every packet of the open capture. */
  saveAs: [SaveRequest, SaveResult];
  /** Writes only the displayed packets (those passing the display filter), in capture order. */
  exportDisplayed: [SaveRequest, SaveResult];
}

/** Events pushed by the engine side. */
export interface Events {
  progress: WireProgress;
  filterProgress: FilterProgress;
  /** The engine side opened files by itself (Electron menu, command line, drop). */
  opened: CaptureInfo;
  /** Live capture: state changes and counters (throttled). */
  captureState: CaptureState;
}

export type Method = keyof Requests;
export type EventName = keyof Events;
export type Arg<M extends Method> = Requests[M][0];
export type Result<M extends Method> = Requests[M][1];

export const METHODS: readonly Method[] = ['connections', 'expertSummary', 'getDecodeAs', 'setDecodeAs', 'getNameResolution', 'setNameResolution', 'open', 'info', 'rows', 'packet', 'tcpdumpLine', 'setFilter', 'validateFilter', 'follow', 'tcpGraph', 'flowGraph', 'setSort', 'protocolHierarchy', 'conversations', 'endpoints', 'ioGraph', 'interfaces', 'checkCaptureFilter', 'startCapture', 'stopCapture', 'restartCapture', 'captureState', 'saveAs', 'exportDisplayed'];
export const EVENTS: readonly EventName[] = ['progress', 'filterProgress', 'opened', 'captureState'];

/** What the renderer sees as `window.pktscope` (Electron) or builds over a WebSocket (browser). */
export interface PktscopeApi {
  request<M extends Method>(method: M, arg: Arg<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void;
  /** Electron only: the path of a dropped file (a DOM File). */
  pathForFile?(file: unknown): string;
}

/** IPC channel names (Electron): one per request, one for all events. */
export const channel = (m: Method): string => `pktscope:${m}`;
export const EVENT_CHANNEL = 'pktscope:event';

/** Handlers implement every request; `emit` pushes events to the one client. */
export type Handlers = { [M in Method]: (arg: Arg<M>) => Promise<Result<M>> | Result<M> };

// ---- wire messages (WebSocket and IPC share the shapes) ----

export interface RequestMessage {
  id: number;
  method: Method;
  arg: unknown;
}
export type ResponseMessage = { id: number; result: unknown } | { id: number; error: string };
export interface EventMessage {
  event: EventName;
  data: unknown;
}

export class ContractError extends Error {}

const isInt = (v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isMethod(m: unknown): m is Method {
  return typeof m === 'string' && (METHODS as readonly string[]).includes(m);
}

/** Checks a request's argument from an untrusted side; throws ContractError with the reason. */
export function validateArg<M extends Method>(method: M, arg: unknown): Arg<M> {
  const bad = (why: string): never => {
    throw new ContractError(`${method}: ${why}`);
  };
  switch (method) {
    case 'connections':
    case 'info':
      if (arg !== null && arg !== undefined) bad('takes no argument');
      return null as Arg<M>;
    case 'open':
      if (!isObj(arg) || !Array.isArray(arg.paths) || arg.paths.length === 0 || arg.paths.length > 64) bad('paths must be 1..64 strings');
      for (const p of (arg as { paths: unknown[] }).paths) if (typeof p !== 'string' || p.length === 0 || p.length > 4096 || p.includes('\0')) bad('invalid path');
      return { paths: [...(arg as { paths: string[] }).paths] } as Arg<M>;
    case 'rows':
      if (!isObj(arg) || !isInt(arg.start) || !isInt(arg.count, 0, 10_000)) bad('start must be >= 0 and count 0..10000');
      return { start: (arg as RowsRequest).start, count: (arg as RowsRequest).count } as Arg<M>;
    case 'packet':
    case 'tcpdumpLine':
      if (!isObj(arg) || !isInt(arg.number, 1)) bad('number must be a packet number >= 1');
      return { number: (arg as { number: number }).number } as Arg<M>;
    case 'setFilter':
    case 'validateFilter':
      if (!isObj(arg) || typeof arg.expr !== 'string' || arg.expr.length > 65_536) bad('expr must be a string');
      return { expr: (arg as { expr: string }).expr } as Arg<M>;
    case 'follow':
      if (!isObj(arg) || !isInt(arg.stream)) bad('stream must be an integer >= 0');
      return { stream: (arg as { stream: number }).stream } as Arg<M>;
    case 'tcpGraph': {
      if (!isObj(arg) || !isInt(arg.stream)) bad('stream must be an integer >= 0');
      const a = arg as Record<string, unknown>;
      for (const k of Object.keys(a)) if (k !== 'stream' && k !== 'direction') bad(`unknown field ${JSON.stringify(k)}`);
      if (a.direction !== undefined && a.direction !== 0 && a.direction !== 1) bad('direction must be 0 or 1');
      return (a.direction === undefined ? { stream: a.stream } : { stream: a.stream, direction: a.direction }) as Arg<M>;
    }
    case 'flowGraph': {
      if (!isObj(arg)) bad('argument must be an object');
      const a = arg as Record<string, unknown>;
      if (a.limit !== undefined && !isInt(a.limit, 1, FLOW_GRAPH_MAX)) bad(`limit must be an integer 1..${FLOW_GRAPH_MAX}`);
      const limit = a.limit === undefined ? {} : { limit: a.limit as number };
      if ('stream' in a) {
        for (const k of Object.keys(a)) if (k !== 'stream' && k !== 'limit') bad(`unknown field ${JSON.stringify(k)} with stream`);
        if (!isInt(a.stream)) bad('stream must be an integer >= 0');
        return { stream: a.stream, ...limit } as Arg<M>;
      }
      for (const k of Object.keys(a)) if (k !== 'displayed' && k !== 'limit' && k !== 'around') bad(`unknown field ${JSON.stringify(k)}`);
      if (a.displayed !== true) bad('needs stream, or displayed: true');
      if (a.around !== undefined && !isInt(a.around, 1)) bad('around must be a packet number >= 1');
      return { displayed: true, ...limit, ...(a.around === undefined ? {} : { around: a.around as number }) } as Arg<M>;
    }
    case 'interfaces':
      if (!isObj(arg) || typeof arg.refresh !== 'boolean') bad('refresh must be a boolean');
      return { refresh: (arg as { refresh: boolean }).refresh } as Arg<M>;
    case 'checkCaptureFilter': {
      if (!isObj(arg) || !isCaptureFilter(arg.filter)) bad('filter must be a string of at most 4096 characters');
      const a = arg as { filter: string; iface?: unknown };
      if (a.iface !== undefined && !isIfaceName(a.iface)) bad('invalid interface name');
      return (a.iface !== undefined ? { filter: a.filter, iface: a.iface } : { filter: a.filter }) as Arg<M>;
    }
    case 'startCapture':
      return validateStartCapture(arg, bad) as Arg<M>;
    case 'stopCapture':
    case 'restartCapture':
    case 'captureState':
      if (arg !== null && arg !== undefined) bad('takes no argument');
      return null as Arg<M>;
    case 'saveAs':
    case 'exportDisplayed': {
      if (!isObj(arg) || (arg.format !== 'pcap' && arg.format !== 'pcapng')) bad("format must be 'pcap' or 'pcapng'");
      const a = arg as { path?: unknown; format: SaveFormatName; overwrite?: unknown };
      if (a.path !== undefined && (typeof a.path !== 'string' || a.path.trim().length === 0 || a.path.length > 4096 || a.path.includes('\0'))) bad('invalid path');
      if (a.overwrite !== undefined && typeof a.overwrite !== 'boolean') bad('overwrite must be a boolean');
      return { format: a.format, ...(a.path !== undefined ? { path: a.path } : {}), ...(a.overwrite !== undefined ? { overwrite: a.overwrite } : {}) } as Arg<M>;
    }
    case 'expertSummary':
      if (arg !== null && arg !== undefined) bad('takes no argument');
      return null as Arg<M>;
    case 'protocolHierarchy':
      if (arg !== null && arg !== undefined) bad('takes no argument');
      return null as Arg<M>;
    case 'conversations':
    case 'endpoints':
      if (!isObj(arg) || !(CONV_TYPES as readonly unknown[]).includes(arg.type)) bad(`type must be one of ${CONV_TYPES.join(', ')}`);
      return { type: (arg as { type: ConvType }).type } as Arg<M>;
    case 'ioGraph': {
      if (!isObj(arg)) bad('argument must be an object');
      const a = arg as Record<string, unknown>;
      if (!isInt(a.intervalMs, 0, IO_MAX_INTERVAL_MS) || (a.intervalMs !== 0 && (a.intervalMs as number) < IO_MIN_INTERVAL_MS)) bad(`intervalMs must be 0 (automatic) or ${IO_MIN_INTERVAL_MS}..${IO_MAX_INTERVAL_MS}`);
      if (!(IO_METRICS as readonly unknown[]).includes(a.metric)) bad(`metric must be one of ${IO_METRICS.join(', ')}`);
      if (!Array.isArray(a.filters) || a.filters.length === 0 || a.filters.length > IO_MAX_FILTERS) bad(`filters must be 1..${IO_MAX_FILTERS} strings`);
      for (const f of a.filters as unknown[]) if (typeof f !== 'string' || f.length > IO_MAX_FILTER_LENGTH) bad(`each filter must be a string of at most ${IO_MAX_FILTER_LENGTH} characters`);
      return { intervalMs: a.intervalMs, metric: a.metric, filters: [...(a.filters as string[])] } as Arg<M>;
    }
    case 'getDecodeAs':
    case 'getNameResolution':
      if (arg !== null && arg !== undefined) bad('takes no argument');
      return null as Arg<M>;
    case 'setDecodeAs': {
      if (!isObj(arg) || !Array.isArray(arg.rules) || arg.rules.length > 1024) bad('rules must be an array of at most 1024 rules');
      const rules: DecodeAsRule[] = [];
      for (const r of (arg as { rules: unknown[] }).rules) {
        if (!isObj(r) || typeof r.table !== 'string' || !/^[a-z0-9_.-]{1,64}$/i.test(r.table)) bad('rule.table must be a table name');
        if (!isInt((r as { value: unknown }).value, 0, 0xffffffff)) bad('rule.value must be an integer 0..4294967295');
        if (typeof (r as { protocol: unknown }).protocol !== 'string' || !/^[a-z0-9_.-]{1,64}$/i.test((r as { protocol: string }).protocol)) bad('rule.protocol must be a protocol name');
        const ok = r as unknown as DecodeAsRule;
        rules.push({ table: ok.table, value: ok.value, protocol: ok.protocol });
      }
      return { rules } as Arg<M>;
    }
    case 'setNameResolution': {
      if (!isObj(arg)) bad('takes {mac, transport, network}');
      const a = arg as Record<string, unknown>;
      if (typeof a.mac !== 'boolean' || typeof a.transport !== 'boolean' || typeof a.network !== 'boolean') bad('mac, transport and network must be booleans');
      return { mac: a.mac, transport: a.transport, network: a.network } as Arg<M>;
    }
    case 'setSort': {
      if (!isObj(arg) || typeof arg.descending !== 'boolean') bad('descending must be a boolean');
      const c = (arg as { column: unknown }).column;
      if (c !== null && !(SORT_COLUMNS as readonly unknown[]).includes(c)) bad('unknown column');
      return { column: c, descending: (arg as { descending: boolean }).descending } as Arg<M>;
    }
  }
  return bad('unknown method');
}

/** An interface name as libpcap and the kernel accept it (no path separators, no spaces, no control characters). */
export function isIfaceName(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 64 && /^[\w.:@+-]+$/.test(v) && v !== '.' && v !== '..';
}

function isCaptureFilter(v: unknown): v is string {
  // Printable text only: libpcap reads it as one C string.
  if (typeof v !== 'string' || v.length > 4096) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f) return false;
  }
  return true;
}

function validateStartCapture(arg: unknown, bad: (why: string) => never): StartCaptureRequest {
  if (!isObj(arg)) return bad('takes {iface, filter, snaplen?, promisc?, ring?, stop?}');
  if (!isIfaceName(arg.iface)) bad('invalid interface name');
  const filter = arg.filter ?? '';
  if (!isCaptureFilter(filter)) bad('filter must be a string of at most 4096 characters');
  const out: StartCaptureRequest = { iface: arg.iface as string, filter: filter as string };
  if (arg.snaplen !== undefined) {
    if (!isInt(arg.snaplen, 1, 262_144)) bad('snaplen must be an integer 1..262144');
    out.snaplen = arg.snaplen as number;
  }
  if (arg.promisc !== undefined) {
    if (typeof arg.promisc !== 'boolean') bad('promisc must be a boolean');
    out.promisc = arg.promisc as boolean;
  }
  const nums = (o: unknown, keys: Record<string, number>, what: string): Record<string, number> => {
    if (!isObj(o)) return bad(`${what} must be an object`);
    const r: Record<string, number> = {};
    for (const k of Object.keys(o)) {
      const max = keys[k];
      if (max === undefined) bad(`${what}.${k} is not an option`);
      if (o[k] === undefined) continue;
      if (!isInt(o[k], 1, max)) bad(`${what}.${k} must be an integer 1..${max}`);
      r[k] = o[k] as number;
    }
    return r;
  };
  if (arg.ring !== undefined) out.ring = nums(arg.ring, { filesizeKB: 2 ** 31, files: 100_000, durationSec: 10 ** 8 }, 'ring');
  if (arg.stop !== undefined) out.stop = nums(arg.stop, { packets: 2 ** 31, durationSec: 10 ** 8, filesizeKB: 2 ** 31 }, 'stop');
  return out;
}

/** Parses one incoming request message (JSON text). */
export function parseRequest(text: string): RequestMessage {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new ContractError('message is not JSON');
  }
  if (!isObj(m) || !isInt(m.id)) throw new ContractError('message needs an integer id');
  if (!isMethod(m.method)) throw new ContractError(`unknown method ${JSON.stringify(m.method)}`);
  return { id: m.id, method: m.method, arg: m.arg ?? null };
}

/** Runs one request against handlers, turning any failure into an error response. */
export async function dispatch(handlers: Handlers, msg: RequestMessage): Promise<ResponseMessage> {
  try {
    const arg = validateArg(msg.method, msg.arg);
    const h = handlers[msg.method] as ((a: unknown) => unknown) | undefined;
    // Only a handlers object from another build lacks a method (was: "h is not a function").
    if (typeof h !== 'function') throw new ContractError(`${msg.method} is not available from this engine (built from other sources than the caller)`);
    return { id: msg.id, result: await h(arg) };
  } catch (e) {
    return { id: msg.id, error: e instanceof Error ? e.message : String(e) };
  }
}

// ---- base64 without Buffer or atob differences ----

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function toBase64(b: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  if (i < b.length) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8);
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + (i + 1 < b.length ? B64[(n >> 6) & 63]! : '=') + '=';
  }
  return s;
}

export function fromBase64(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = B64.indexOf(clean[i]!);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out.subarray(0, o);
}
