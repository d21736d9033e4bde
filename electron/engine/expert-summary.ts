// Expert information summary: the items every decoder raised, grouped by severity, then by
// group, protocol and message, with how often each occurred, in order of first occurrence.
//
// Two faces share it:
// - `pktscope -q -z expert` prints exactly what tshark prints (formatExpertSummary);
// - the Expert view gets the same items as data (expertData / collectExpertData): per item the
//   packet numbers (the first MAX_PACKETS, the count stays exact), an explanation KIND the UI maps
//   to an i18n key (`expert.kind.<kind>`: what it usually means, what to check next), and a
//   display filter selecting exactly its packets.
// pktscope adds a few items of its own that tshark reports nowhere (DNS error responses, HTTP
// 4xx/5xx, ICMP destination unreachable / time exceeded). They live in a separate list with the
// group `pktscope` and never reach the CLI output.

import type { Dissection, Severity } from '../../decoders/core/types.ts';
import type { Registry } from '../../decoders/core/registry.ts';
import { defaultRegistry, dissectFrame, Session } from '../../decoders/index.ts';
import { dnsRcodes } from '../../decoders/protocols/dns-names.ts';
import { frameInfoOf, MergedReader } from './merge.ts';

/** tshark's severities, plus packet comments (tshark lists them as their own section). */
export type ExpertSeverity = Severity | 'comment';

export const SEVERITIES: readonly ExpertSeverity[] = ['error', 'warn', 'note', 'chat', 'comment'];

/** Packet numbers kept per item; the count goes on. */
export const MAX_PACKETS = 10_000;

/** Group of the items pktscope adds (never printed by the CLI). */
export const PKTSCOPE_GROUP = 'pktscope';

/**
 * Item kinds with an explanation (i18n `expert.kind.<kind>`). `other.*` covers whatever has no
 * specific explanation, by severity.
 */
export const EXPERT_KINDS = [
  'tcp.retransmission',
  'tcp.fastRetransmission',
  'tcp.spuriousRetransmission',
  'tcp.outOfOrder',
  'tcp.lostSegment',
  'tcp.ackedUnseen',
  'tcp.dupAck',
  'tcp.zeroWindow',
  'tcp.zeroWindowProbe',
  'tcp.windowFull',
  'tcp.windowUpdate',
  'tcp.keepAlive',
  'tcp.reusedPorts',
  'tcp.rst',
  'tcp.syn',
  'tcp.fin',
  'tcp.dsack',
  'tcp.badOption',
  'malformed',
  'checksum',
  'undecoded',
  'deprecated',
  'ip.ttl',
  'ip.badLength',
  'icmp.unreachable',
  'icmp.timeExceeded',
  'dns.nxdomain',
  'dns.servfail',
  'dns.refused',
  'dns.error',
  'dns.retransmission',
  'http.request',
  'http.response',
  'http.clientError',
  'http.serverError',
  'tls.resumption',
  'comment',
  'other.error',
  'other.warn',
  'other.note',
  'other.chat',
] as const;

export type ExpertKind = (typeof EXPERT_KINDS)[number];

interface Row {
  severity: ExpertSeverity;
  group: string;
  protocol: string;
  summary: string;
  count: number;
  kind: ExpertKind;
  /** Packet numbers, each once, ascending; at most MAX_PACKETS. */
  packets: number[];
  /** Distinct packets (exact, even past MAX_PACKETS). */
  packetCount: number;
  /** The last packet counted in packetCount. */
  lastFrame: number;
}

/** One item as the UI gets it. */
export interface ExpertItem {
  severity: ExpertSeverity;
  group: string;
  protocol: string;
  summary: string;
  /** Occurrences (as tshark counts: a packet may raise an item twice). */
  count: number;
  kind: ExpertKind;
  /** True for items pktscope adds (group `pktscope`); tshark has no such item. */
  pktscope: boolean;
  /** Packet numbers, ascending, the first MAX_PACKETS of them. */
  packets: number[];
  /** Distinct packets with this item (exact). */
  packetCount: number;
  /** A display filter that selects exactly this item's packets. */
  filter: string;
}

export interface ExpertGroup {
  severity: ExpertSeverity;
  /** Occurrences over the group's items. */
  count: number;
  items: ExpertItem[];
}

export interface ExpertData {
  /** Severity groups in order error, warn, note, chat, comment; empty ones left out. */
  groups: ExpertGroup[];
  /** Packets looked at. */
  packets: number;
}

const titles: [ExpertSeverity, string][] = [
  ['error', 'Errors'],
  ['warn', 'Warns'],
  ['note', 'Notes'],
  ['chat', 'Chats'],
  ['comment', 'Comments'],
];

const TCP_KINDS: [string | RegExp, ExpertKind][] = [
  ['This frame is a (suspected) retransmission', 'tcp.retransmission'],
  ['This frame is a (suspected) fast retransmission', 'tcp.fastRetransmission'],
  ['This frame is a (suspected) spurious retransmission', 'tcp.spuriousRetransmission'],
  ['This frame is a (suspected) out-of-order segment', 'tcp.outOfOrder'],
  [/^Previous segment\(s\) not captured/, 'tcp.lostSegment'],
  [/^ACKed segment that wasn't captured/, 'tcp.ackedUnseen'],
  [/^Duplicate ACK/, 'tcp.dupAck'],
  ['TCP Zero Window segment', 'tcp.zeroWindow'],
  [/Zero Window Probe/, 'tcp.zeroWindowProbe'],
  [/window specified by the receiver is now completely full/, 'tcp.windowFull'],
  ['TCP window update', 'tcp.windowUpdate'],
  [/keep-alive segment/, 'tcp.keepAlive'],
  [/same ports as an earlier session/, 'tcp.reusedPorts'],
  [/^Connection reset \(RST\)/, 'tcp.rst'],
  [/^Connection establish /, 'tcp.syn'],
  [/^Connection finish \(FIN\)|connection closing$/, 'tcp.fin'],
  ['D-SACK Sequence', 'tcp.dsack'],
];

/** The explanation kind of an item: a specific one where we have it, else `other.<severity>`. */
export function expertKind(abbrev: string, group: string, message: string, severity: ExpertSeverity): ExpertKind {
  if (severity === 'comment') return 'comment';
  const g = group.toLowerCase();
  if (abbrev === 'tcp') {
    for (const [m, k] of TCP_KINDS) if (typeof m === 'string' ? m === message : m.test(message)) return k;
    if (/option/i.test(message) && (g === 'malformed' || g === 'protocol')) return 'tcp.badOption';
  }
  if (g === 'malformed') return 'malformed';
  if (g === 'checksum') return 'checksum';
  if (g === 'undecoded') return 'undecoded';
  if (g === 'deprecated') return 'deprecated';
  if (/^DNS (query|response) retransmission/.test(message)) return 'dns.retransmission';
  if (/^"Time To Live"/.test(message)) return 'ip.ttl';
  if ((abbrev === 'ip' || abbrev === 'ipv6') && /length|Bogus IP/.test(message)) return 'ip.badLength';
  if (/session reuses previously negotiated keys/.test(message)) return 'tls.resumption';
  if (severity === 'chat' && (abbrev === 'http' || abbrev === 'ssdp')) {
    const resp = /^HTTP\/\d(?:\.\d)? (\d{3})\b/.exec(message);
    if (resp) return httpKind(Number(resp[1]));
    if (/^[A-Z][A-Z-]* \S+ HTTP\/\d/.test(message)) return 'http.request';
  }
  return `other.${severity}` as ExpertKind;
}

function httpKind(code: number): ExpertKind {
  return code >= 500 ? 'http.serverError' : code >= 400 ? 'http.clientError' : 'http.response';
}

const DNS_ERRORS = new Map<string, number>(Object.entries(dnsRcodes).filter(([k]) => k !== '0').map(([k, v]) => [v, Number(k)]));
const DNS_ERROR_RE = new RegExp(`\\bresponse 0x[0-9a-f]{4} (${[...DNS_ERRORS.keys()].map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(?= |$)`, 'g');
const RCODE_ABBR: Record<number, string> = { 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE' };
const DNS_PROTOCOLS: Record<string, string> = { dns: 'DNS', mdns: 'MDNS', llmnr: 'LLMNR' };

/** tshark keeps an expert message in a 240-byte label buffer: 239 bytes of UTF-8 at most. */
const MAX_MESSAGE_BYTES = 239;
const utf8 = new TextEncoder();

function clip(s: string): string {
  if (s.length <= MAX_MESSAGE_BYTES / 3) return s;
  const b = utf8.encode(s);
  if (b.length <= MAX_MESSAGE_BYTES) return s;
  let end = MAX_MESSAGE_BYTES;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--; // never split a character
  return new TextDecoder().decode(b.subarray(0, end));
}

/** Wireshark's protocol short names where they differ from the Protocol column (tshark's expert table uses them). */
const EXPERT_NAMES: Record<string, string> = {
  mdns: 'mDNS',
  dhcp: 'DHCP/BOOTP',
  'ipv6.hopopts': 'IPv6 Hop-by-Hop',
  'ipv6.routing': 'IPv6 Routing',
  'ipv6.dstopts': 'IPv6 Destination',
  'ipv6.fraghdr': 'IPv6 Fragment',
  'image-jfif': 'JFIF (JPEG) image',
};

export class ExpertSummary {
  /** tshark's items (the CLI output). */
  readonly rows = new Map<ExpertSeverity, Map<string, Row>>();
  /** Items pktscope adds (group `pktscope`): shown in the UI only. */
  readonly extra = new Map<ExpertSeverity, Map<string, Row>>();
  /** Packets added. */
  packets = 0;

  constructor(private readonly registry: Registry) {}

  private put(table: Map<ExpertSeverity, Map<string, Row>>, severity: ExpertSeverity, group: string, protocol: string, summary: string, kind: ExpertKind, frame: number): void {
    let bySev = table.get(severity);
    if (!bySev) table.set(severity, (bySev = new Map()));
    summary = clip(summary);
    const key = `${group}\u0000${protocol}\u0000${summary}`;
    let row = bySev.get(key);
    if (!row) bySev.set(key, (row = { severity, group, protocol, summary, count: 0, kind, packets: [], packetCount: 0, lastFrame: -1 }));
    row.count++;
    // Packets come in order; a packet raising the same item twice is listed once.
    if (row.lastFrame !== frame) {
      row.lastFrame = frame;
      row.packetCount++;
      if (row.packets.length < MAX_PACKETS) row.packets.push(frame);
    }
  }

  add(d: Dissection): void {
    this.packets++;
    const frame = d.frame.number;
    for (const e of d.experts) {
      const protocol = EXPERT_NAMES[e.protocol] ?? (this.registry.protocol(e.protocol)?.short || e.protocol.toUpperCase());
      const group = e.group[0]!.toUpperCase() + e.group.slice(1);
      this.put(this.rows, e.severity, group, protocol, e.message, expertKind(e.protocol, e.group, e.message, e.severity), frame);
      // HTTP error responses: tshark has only the chat with the status line.
      if (e.severity === 'chat' && e.protocol === 'http') {
        const m = /^HTTP\/\d(?:\.\d)? ([45]\d\d)\b ?(.*?)(?:\\r\\n)?$/.exec(e.message);
        if (m) this.put(this.extra, 'warn', PKTSCOPE_GROUP, protocol, `HTTP ${m[1]} ${m[2]}`.trimEnd(), httpKind(Number(m[1])), frame);
      }
    }
    for (const c of d.frame.comments ?? (d.frame.comment ? [d.frame.comment] : [])) this.put(this.rows, 'comment', 'Comment', 'Frame', c, 'comment', frame);
    this.addOwn(d, frame);
  }

  /** pktscope's own items, from what the decoders put in the columns. */
  private addOwn(d: Dissection, frame: number): void {
    const { protocol, info } = d.columns;
    const dnsName = d.protocols.find((p) => p in DNS_PROTOCOLS);
    if (dnsName && info.includes('response 0x')) {
      for (const m of info.matchAll(DNS_ERROR_RE)) {
        const rcode = DNS_ERRORS.get(m[1]!)!;
        const kind: ExpertKind = rcode === 3 ? 'dns.nxdomain' : rcode === 2 ? 'dns.servfail' : rcode === 5 ? 'dns.refused' : 'dns.error';
        const abbr = RCODE_ABBR[rcode];
        this.put(this.extra, 'warn', PKTSCOPE_GROUP, DNS_PROTOCOLS[dnsName]!, `DNS response: ${m[1]}${abbr ? ` (${abbr})` : ''}`, kind, frame);
      }
    }
    if (protocol === 'ICMP' || protocol === 'ICMPv6') {
      const text = info.trim();
      const unreach = /^Destination unreachable/i.test(text);
      if (unreach || /^(Time-to-live exceeded|Time Exceeded)/.test(text)) {
        const summary = text.replace(/\s{2,}.*$/, '');
        this.put(this.extra, unreach ? 'warn' : 'note', PKTSCOPE_GROUP, protocol, summary, unreach ? 'icmp.unreachable' : 'icmp.timeExceeded', frame);
      }
    }
  }
}

export function formatExpertSummary(s: ExpertSummary): string {
  let out = '';
  for (const [sev, title] of titles) {
    const rows = s.rows.get(sev);
    if (!rows || rows.size === 0) continue;
    let total = 0;
    for (const r of rows.values()) total += r.count;
    out += `\n${title} (${total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
    for (const r of rows.values()) out += `${String(r.count).padStart(12)} ${r.group.padStart(10)} ${r.protocol.padStart(18)}  ${r.summary}\n`;
  }
  return out;
}

/** Longest `frame.number in {...}` filter we hand out; past it the item's own field filter is used. */
const MAX_FILTER_CHARS = 20_000;

/** `frame.number in {1 3..7 9}` for ascending packet numbers. */
export function frameSetFilter(packets: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < packets.length; ) {
    let j = i;
    while (j + 1 < packets.length && packets[j + 1] === packets[j]! + 1) j++;
    parts.push(j > i ? `${packets[i]}..${packets[j]}` : String(packets[i]));
    i = j + 1;
  }
  return `frame.number in {${parts.join(' ')}}`;
}

/** Field filters that select exactly an item kind's packets (used when the packet list is too long). */
const KIND_FILTERS: Partial<Record<ExpertKind, string>> = {
  'tcp.retransmission': 'tcp.analysis.retransmission',
  'tcp.fastRetransmission': 'tcp.analysis.fast_retransmission',
  'tcp.spuriousRetransmission': 'tcp.analysis.spurious_retransmission',
  'tcp.outOfOrder': 'tcp.analysis.out_of_order',
  'tcp.lostSegment': 'tcp.analysis.lost_segment',
  'tcp.ackedUnseen': 'tcp.analysis.ack_lost_segment',
  'tcp.zeroWindow': 'tcp.analysis.zero_window',
  'tcp.windowFull': 'tcp.analysis.window_full',
  'tcp.windowUpdate': 'tcp.analysis.window_update',
  'tcp.rst': 'tcp.flags.reset == 1',
};

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function itemFilter(r: Row): string {
  if (r.packetCount === r.packets.length) {
    if (r.packets.length === 0) return 'frame.number == 0';
    const f = frameSetFilter(r.packets);
    if (f.length <= MAX_FILTER_CHARS) return f;
  }
  // The expert message itself (every decoder adds it to the tree as _ws.expert).
  return fieldFilter(r.kind, r.summary) ?? `_ws.expert == ${quote(r.summary)}`;
}

/** A filter on the analysis field of an item kind that selects exactly its packets, null when there is none. */
export function fieldFilter(kind: ExpertKind, summary: string): string | null {
  const dup = kind === 'tcp.dupAck' ? /#(\d+)/.exec(summary) : null;
  if (dup) return `tcp.analysis.duplicate_ack_num == ${dup[1]}`;
  return KIND_FILTERS[kind] ?? null;
}

function toItem(r: Row, pktscope: boolean): ExpertItem {
  return { severity: r.severity, group: r.group, protocol: r.protocol, summary: r.summary, count: r.count, kind: r.kind, pktscope, packets: [...r.packets], packetCount: r.packetCount, filter: itemFilter(r) };
}

/** The summary as data: severity groups, tshark's items first, then pktscope's. */
export function expertData(s: ExpertSummary): ExpertData {
  const groups: ExpertGroup[] = [];
  for (const sev of SEVERITIES) {
    const items = [...(s.rows.get(sev)?.values() ?? [])].map((r) => toItem(r, false));
    items.push(...[...(s.extra.get(sev)?.values() ?? [])].map((r) => toItem(r, true)));
    if (!items.length) continue;
    groups.push({ severity: sev, count: items.reduce((n, i) => n + i.count, 0), items });
  }
  return { groups, packets: s.packets };
}

/** Time slice of collectExpertData between two yields to the event loop. */
const SLICE_MS = 25;

/**
 * Decodes every packet of `paths` in order (one session, as the CLI does) and summarises the
 * expert items. Yields to the event loop between slices; `cancelled()` stops it early (the
 * result then covers the packets decoded so far).
 */
export async function collectExpertData(paths: readonly string[], opts: { cancelled?: () => boolean; registry?: Registry } = {}): Promise<ExpertData> {
  const registry = opts.registry ?? defaultRegistry();
  const summary = new ExpertSummary(registry);
  const reader = new MergedReader(paths);
  const session = new Session();
  let n = 0;
  try {
    for (;;) {
      const until = performance.now() + SLICE_MS;
      let m = reader.next();
      for (; m && performance.now() < until; m = reader.next()) {
        n++;
        summary.add(dissectFrame(registry, session, frameInfoOf(m, n), m.rec.data, { tree: false }));
      }
      if (m) {
        n++;
        summary.add(dissectFrame(registry, session, frameInfoOf(m, n), m.rec.data, { tree: false }));
      } else break;
      if (opts.cancelled?.()) break;
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    reader.close();
  }
  return expertData(summary);
}

const cache = new WeakMap<object, { count: number; registry: Registry; data: Promise<ExpertData> }>();

/**
 * The expert summary of an engine's capture (with its Decode As rules: `engine.registry`),
 * computed once it is indexed and kept while the packet count and the registry stay the same.
 * `current()` false stops a computation nobody waits for any more.
 */
export function expertSummaryOf(
  engine: { readonly paths: readonly string[]; readonly indexed: Promise<unknown>; readonly count: number; readonly registry: Registry },
  current: () => boolean = () => true,
): Promise<ExpertData> {
  const hit = cache.get(engine);
  if (hit && hit.count === engine.count && hit.registry === engine.registry) return hit.data;
  const entry = { count: engine.count, registry: engine.registry, data: Promise.resolve(null as unknown as ExpertData) };
  entry.data = engine.indexed.then(() => {
    entry.count = engine.count;
    return collectExpertData(engine.paths, { cancelled: () => !current(), registry: entry.registry });
  });
  entry.data.catch(() => cache.delete(engine));
  cache.set(engine, entry);
  return entry.data;
}
