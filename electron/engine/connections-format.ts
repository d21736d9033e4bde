// Words for connections (connections.ts): a state code + params becomes a catalog key + params
// (renderer/i18n: `conn.state.*`), so the UI says it in the user's language and the CLI in
// English from the same catalog. Pure: the renderer imports it too.

import type { Connection, ConnState, UnreachableReason } from './connection-types.ts';

export type ConnStateKey =
  | `conn.state.${Exclude<ConnState, 'unreachable'>}`
  | `conn.state.unreachable.${UnreachableReason}`
  | 'conn.state.syn-unanswered.one'
  | 'conn.state.syn-unanswered.many'
  | 'conn.state.dns-nxdomain.name'
  | 'conn.state.dns-error.name';

const REASONS: readonly UnreachableReason[] = ['net', 'host', 'protocol', 'port', 'admin', 'other'];

/** Seconds as the states show them: three significant digits (0.072, 2.1, 63). */
export function shortSeconds(x: number): string {
  return x >= 1000 ? String(Math.round(x)) : String(Number(x.toPrecision(3)));
}

/** Catalog key and params of a connection's state (without the mid-stream remark). */
export function connStateKey(c: Pick<Connection, 'state' | 'params'>): { key: ConnStateKey; params: Record<string, string | number> } {
  const p = c.params;
  switch (c.state) {
    case 'syn-unanswered': {
      const r = Number(p.retries ?? 0);
      return { key: r === 0 ? 'conn.state.syn-unanswered' : r === 1 ? 'conn.state.syn-unanswered.one' : 'conn.state.syn-unanswered.many', params: { retries: r } };
    }
    case 'reset-by-client':
    case 'reset-by-server':
      return { key: `conn.state.${c.state}`, params: { after: shortSeconds(Number(p.after ?? 0)) } };
    case 'unreachable': {
      const r = REASONS.includes(p.reason as UnreachableReason) ? (p.reason as UnreachableReason) : 'other';
      return { key: `conn.state.unreachable.${r}`, params: p };
    }
    case 'dns-nxdomain':
    case 'dns-error':
      return { key: p.name ? `conn.state.${c.state}.name` : `conn.state.${c.state}`, params: p };
    default:
      return { key: `conn.state.${c.state}`, params: p };
  }
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** The state in words: `t` translates a catalog key (the UI's t, or the English catalog). */
export function connStateText(c: Pick<Connection, 'state' | 'params' | 'midStream'>, t: Translate): string {
  const { key, params } = connStateKey(c);
  const s = t(key, params);
  return c.midStream ? t('conn.midStream', { state: s }) : s;
}

/** `addr:port`, IPv6 in brackets; ICMP endpoints are bare addresses. */
export function endpointText(addr: string, port: number, proto: Connection['proto']): string {
  if (proto === 'icmp' || proto === 'icmpv6') return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** Fills `{name}` placeholders of a catalog string. */
export function fill(s: string, params?: Record<string, string | number>): string {
  return params ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : s;
}

/** The `-z conn` table: one line per flow in order of first appearance, words from `catalog`. */
export function formatConnections(rows: readonly Connection[], catalog: Record<string, string>, filter?: string): string {
  const t: Translate = (k, p) => fill(catalog[k] ?? k, p);
  const rule = '='.repeat(100);
  const ep = rows.map((c) => [endpointText(c.aAddr, c.aPort, c.proto), endpointText(c.bAddr, c.bPort, c.proto)] as const);
  const wa = Math.max(t('conn.col.a').length, ...ep.map((e) => e[0].length));
  const wb = Math.max(t('conn.col.b').length, ...ep.map((e) => e[1].length));
  const cols: [string, number][] = [
    [t('conn.col.proto'), 8], [t('conn.col.a'), wa], [t('conn.col.b'), wb], [t('conn.col.stream'), 6],
    [t('conn.col.packetsAB'), 11], [t('conn.col.bytesAB'), 11], [t('conn.col.packetsBA'), 11], [t('conn.col.bytesBA'), 11],
    [t('conn.col.start'), 14], [t('conn.col.duration'), 10],
  ];
  const line = (cells: string[], right: boolean[]) => cells.map((c, k) => (right[k] ? c.padStart(cols[k]![1]) : c.padEnd(cols[k]![1]))).join('  ');
  const right = [false, false, false, true, true, true, true, true, true, true];
  let out = `${rule}\n${t('view.connections')}\nFilter:${filter ?? '<No Filter>'}\n`;
  out += `${line(cols.map((c) => c[0]), right.map(() => false))}  ${t('conn.col.state')}\n`;
  rows.forEach((c, k) => {
    const cells = [
      c.proto.toUpperCase(), ep[k]![0], ep[k]![1], c.stream >= 0 ? String(c.stream) : '-',
      String(c.packetsAB), String(c.bytesAB), String(c.packetsBA), String(c.bytesBA),
      c.start.toFixed(6), (c.end - c.start).toFixed(4),
    ];
    out += `${line(cells, right)}  ${connStateText(c, t)}\n`;
  });
  return out + rule + '\n';
}
