// Decode As: per-engine rules "this table key is that protocol" (tshark's `-d
// udp.port==8472,vxlan`, Wireshark's Decode As dialog). Rules become a Registry view
// (Registry.withDecodeAs) consulted before the registered tables; the shared registry and
// other engines are untouched.
//
// What a rule changes: the protocol tree, the Protocol and Info columns, and which packets a
// display filter matches. What it does not change: the packet index (addresses, ports,
// tcp.stream / udp.stream ids, TCP analysis), which the index pass computes from the headers
// alone; filters on ports whose decoding a rule changes are answered by full decodes.

import type { ProtocolModule, Registry, TableKey } from '../../decoders/core/registry.ts';
import type { DecodeAsRule } from '../ipc/contract.ts';

/** Tables the Decode As dialog offers (the CLI accepts any numeric table of the registry). */
export const DECODE_AS_TABLES = ['udp.port', 'tcp.port', 'sctp.port', 'ethertype', 'ip.proto'] as const;

/** tshark's descriptions of the layer types, for `-d` error listings. */
const TABLE_TITLES: Record<string, string> = {
  'udp.port': 'UDP port',
  'tcp.port': 'TCP port',
  'sctp.port': 'SCTP port',
  'sctp.ppi': 'SCTP payload protocol identifier',
  ethertype: 'Ethertype',
  'ip.proto': 'IP protocol',
  link: 'Link layer type',
  'gre.proto': 'GRE protocol type',
  'ppp.protocol': 'PPP protocol',
  'chdlc.protocol': 'Cisco HDLC protocol',
  'llc.dsap': 'LLC SAP',
  'llc.cisco_pid': 'LLC Cisco OUI PID',
  'rpc.program': 'Remote Procedure Call Program',
};

/** Heuristic lists whose protocols may also be chosen for a port table. */
const HEURISTIC_BASE: Record<string, string> = { 'udp.port': 'udp', 'tcp.port': 'tcp', 'sctp.port': 'sctp' };

/** Largest key a table accepts (ports and ethertypes are 16 bits, IP protocols 8). */
function maxKey(table: string): number {
  if (table === 'ip.proto') return 255;
  if (table.endsWith('.port') || table === 'ethertype' || table === 'gre.proto' || table === 'ppp.protocol' || table === 'chdlc.protocol') return 0xffff;
  return 0xffffffff;
}

/** Tables with numeric keys: where a Decode As rule can point. */
export function decodeAsTables(registry: Registry): string[] {
  const names = new Set<string>(DECODE_AS_TABLES.filter((t) => registry.tableNames().includes(t) || t in HEURISTIC_BASE));
  for (const t of registry.tableNames()) if (t !== 'media_type') names.add(t);
  return [...names];
}

/** The protocols one may decode a key of `table` as: those registered there, its heuristics, and `data`. */
export function decodeAsChoices(registry: Registry, table: string): ProtocolModule[] {
  const out = new Set<ProtocolModule>(registry.tableProtocols(table));
  const base = HEURISTIC_BASE[table];
  if (base) for (const h of registry.heuristicsFor(base)) out.add(h.proto);
  const data = registry.protocol('data');
  if (data) out.add(data);
  return [...out].sort((a, b) => (a.abbrev < b.abbrev ? -1 : a.abbrev > b.abbrev ? 1 : 0));
}

export class DecodeAsError extends Error {
  /** tshark-style follow-up lines (valid layer types or protocols), printed after the message. */
  constructor(message: string, readonly list: readonly string[] = []) {
    super(message);
  }
}

function tableList(registry: Registry): string[] {
  return decodeAsTables(registry).sort().map((t) => `\t${t} (${TABLE_TITLES[t] ?? t})`);
}

function protocolList(registry: Registry, table: string): string[] {
  return decodeAsChoices(registry, table).map((p) => `\t${p.abbrev} (${p.name})`);
}

/** Checks one rule; throws DecodeAsError with tshark's wording. */
export function checkRule(registry: Registry, rule: DecodeAsRule): void {
  if (!decodeAsTables(registry).includes(rule.table)) {
    throw new DecodeAsError(`Unknown layer type -- ${rule.table}`, ['Valid layer types are:', ...tableList(registry)]);
  }
  if (!Number.isInteger(rule.value) || rule.value < 0 || rule.value > maxKey(rule.table)) {
    throw new DecodeAsError(`Invalid selector number "${rule.value}"`);
  }
  const mod = registry.protocol(rule.protocol);
  const valid = [`Valid protocols for layer type "${rule.table}" are:`, ...protocolList(registry, rule.table)];
  if (!mod) throw new DecodeAsError(`Unknown protocol -- "${rule.protocol}"`, valid);
  if (!decodeAsChoices(registry, rule.table).includes(mod)) throw new DecodeAsError(`Protocol "${rule.protocol}" isn't valid for layer type "${rule.table}"`, valid);
}

function parseNumber(s: string): number | null {
  const t = s.trim();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) return null;
  return Number(t);
}

/** Most keys one `-d` range may cover (a whole 16-bit port space). */
const MAX_RANGE = 0x10000;

/**
 * Parses a tshark `-d` argument: `<layer type>==<selector>,<protocol>`, the selector a number
 * (decimal or 0x hex), a range `N-M` or `N:count`. A single `=` is accepted as tshark does.
 */
export function parseDecodeAsArg(registry: Registry, arg: string): DecodeAsRule[] {
  const template = `Parameter "${arg}" doesn't follow the template "<layer_type>==<selector>,<decode_as_protocol>"`;
  const m = /^([^=,]+)==?([^,]*),(.*)$/.exec(arg.trim());
  if (!m) throw new DecodeAsError(template);
  const table = m[1]!.trim();
  const selector = m[2]!.trim();
  const protocol = m[3]!.trim();
  if (!selector || !protocol) throw new DecodeAsError(template);
  // Table and protocol first, as tshark reports them before the selector.
  checkRule(registry, { table, value: 0, protocol });
  let lo: number | null;
  let hi: number;
  const range = /^([^-:]+)([-:])(.+)$/.exec(selector);
  if (range) {
    lo = parseNumber(range[1]!);
    const b = parseNumber(range[3]!);
    if (lo === null) throw new DecodeAsError(`Invalid selector number "${range[1]}"`);
    if (b === null) throw new DecodeAsError(`Invalid selector number "${range[3]}"`);
    hi = range[2] === '-' ? b : lo + b - 1;
    if (range[2] === ':' && b < 1) throw new DecodeAsError(`Invalid selector numeric range "${selector}"`);
  } else {
    lo = parseNumber(selector);
    if (lo === null) throw new DecodeAsError(`Invalid selector number "${selector}"`);
    hi = lo;
  }
  if (hi < lo || hi - lo >= MAX_RANGE || hi > maxKey(table)) throw new DecodeAsError(`Invalid selector numeric range "${selector}"`);
  const rules: DecodeAsRule[] = [];
  for (let v = lo; v <= hi; v++) rules.push({ table, value: v, protocol });
  return rules;
}

/** The Registry view for `rules` (later rules win, as later `-d` options do in tshark). */
export function registryWithDecodeAs(base: Registry, rules: readonly DecodeAsRule[]): Registry {
  const map = new Map<string, Map<TableKey, ProtocolModule | null>>();
  for (const r of rules) {
    checkRule(base, r);
    let t = map.get(r.table);
    if (!t) map.set(r.table, (t = new Map()));
    t.set(r.value, base.protocol(r.protocol)!);
  }
  return base.withDecodeAs(map);
}

/**
 * What Decode As rules mean for the filter fast path: packets on these TCP/UDP ports, or every
 * packet when a rule changes a lower table (ethertype, ip.proto ...), need a full decode.
 */
export interface DecodeAsFast {
  tcp: Set<number>;
  udp: Set<number>;
  all: boolean;
}

export function decodeAsFast(rules: readonly DecodeAsRule[]): DecodeAsFast | null {
  if (rules.length === 0) return null;
  const f: DecodeAsFast = { tcp: new Set(), udp: new Set(), all: false };
  for (const r of rules) {
    if (r.table === 'tcp.port') f.tcp.add(r.value);
    else if (r.table === 'udp.port') f.udp.add(r.value);
    else f.all = true;
  }
  return f;
}

/** Drops duplicate (table, value) pairs, keeping the last rule for each. */
export function normalizeRules(rules: readonly DecodeAsRule[]): DecodeAsRule[] {
  const m = new Map<string, DecodeAsRule>();
  for (const r of rules) {
    const k = `${r.table}\0${r.value}`;
    m.delete(k);
    m.set(k, { table: r.table, value: r.value, protocol: r.protocol });
  }
  return [...m.values()];
}
