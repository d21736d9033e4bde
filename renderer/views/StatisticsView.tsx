// Statistics view: protocol hierarchy (an indented tree table with percent of packets and
// bytes, as Wireshark's dialog), conversations and endpoints (Ethernet, IPv4, IPv6, TCP, UDP;
// sortable columns). Clicking a row applies the display filter selecting its packets and
// selects the first one. The numbers are tshark's -z io,phs / conv,TYPE / endpoints,TYPE.

import { useEffect, useMemo, useState, type ReactElement, type ReactNode } from 'react';
import type { ConvType, WireConversation, WireEndpoint, WirePhs, WirePhsRow } from '../../electron/ipc/contract.ts';
import { request } from '../api.ts';
import { applyFilter, selectRow } from '../controller.ts';
import { useT, type MessageKey } from '../i18n/index.ts';
import { useStore } from '../store.ts';
import './statistics.css';

type Tab = 'phs' | 'conversations' | 'endpoints';
const TABS: { id: Tab; title: MessageKey }[] = [
  { id: 'phs', title: 'stats.tab.phs' },
  { id: 'conversations', title: 'stats.tab.conversations' },
  { id: 'endpoints', title: 'stats.tab.endpoints' },
];
const TYPES: ConvType[] = ['eth', 'ipv4', 'ipv6', 'tcp', 'udp'];
/** The sub-tab and type survive switching to another view and back. */
let saved: { tab: Tab; type: ConvType } = { tab: 'phs', type: 'ipv4' };
/** Rows rendered at most (sorted first, so the biggest are there). */
const MAX_ROWS = 5000;

const hasPorts = (t: ConvType): boolean => t === 'tcp' || t === 'udp';
const addrField = (t: ConvType, addr: string): string => (t === 'eth' ? 'eth.addr' : t === 'ipv6' || addr.includes(':') ? 'ipv6.addr' : 'ip.addr');

/** The display filter selecting a conversation's packets (Wireshark's "Apply as filter" shapes). */
export function conversationFilter(type: ConvType, c: WireConversation): string {
  if (type === 'tcp' && c.stream >= 0) return `tcp.stream == ${c.stream}`;
  const fa = addrField(type, c.a);
  const fb = addrField(type, c.b);
  if (hasPorts(type)) return `${fa} == ${c.a} && ${type}.port == ${c.aPort} && ${fb} == ${c.b} && ${type}.port == ${c.bPort}`;
  return `${fa} == ${c.a} && ${fb} == ${c.b}`;
}

export function endpointFilter(type: ConvType, e: WireEndpoint): string {
  const f = `${addrField(type, e.addr)} == ${e.addr}`;
  return hasPorts(type) ? `${f} && ${type}.port == ${e.port}` : f;
}

/** Applies `filter` in the packet list and selects its first packet. */
async function showPackets(filter: string): Promise<void> {
  useStore.getState().set({ filterText: filter, filterCheck: { ok: true } });
  if ((await applyFilter(filter)) && useStore.getState().displayed > 0) await selectRow(0);
}

const num = (n: number): string => n.toLocaleString();
const pct = (part: number, whole: number): string => (whole > 0 ? ((100 * part) / whole).toFixed(1) : '0.0');

/** Loads `fetch()` when the capture or its indexing state changes. */
function useLoad<T>(fetch: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; loading: boolean; reload: () => void } {
  const files = useStore((s) => s.files);
  const done = useStore((s) => s.progress?.done ?? true);
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: false });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (files.length === 0) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fetch().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (e: Error) => live && setState({ data: null, error: e.message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [files, done, tick, ...deps]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

interface Column<R> {
  key: string;
  title: MessageKey;
  value: (r: R) => number | string;
  render?: (r: R) => ReactNode;
  numeric?: boolean;
}

/** A sortable table: click a header to sort (descending first for numbers), again to reverse. */
function SortableTable<R>({ rows, columns, rowKey, filterOf, label, defaultSort }: {
  rows: R[];
  columns: Column<R>[];
  rowKey: (r: R, i: number) => string;
  filterOf: (r: R) => string;
  label: string;
  defaultSort: string;
}): ReactElement {
  const t = useT();
  const [sort, setSort] = useState<{ key: string; desc: boolean }>({ key: defaultSort, desc: true });
  const sorted = useMemo(() => {
    const col = columns.find((c) => c.key === sort.key) ?? columns[0]!;
    const idx = rows.map((r, i) => ({ r, i, v: col.value(r) }));
    idx.sort((x, y) => {
      const d = typeof x.v === 'number' && typeof y.v === 'number' ? x.v - y.v : String(x.v).localeCompare(String(y.v), undefined, { numeric: true });
      return (sort.desc ? -d : d) || x.i - y.i;
    });
    return idx.slice(0, MAX_ROWS).map((x) => x.r);
  }, [rows, columns, sort]);
  return (
    <table className="stats-table" aria-label={label} data-rows={rows.length}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.key} className={c.numeric ? 'num' : undefined} aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
              <button
                type="button"
                title={t('stats.sortHint')}
                data-col={c.key}
                onClick={() => setSort((s) => (s.key === c.key ? { key: c.key, desc: !s.desc } : { key: c.key, desc: !!c.numeric }))}
              >
                {t(c.title)}
                {sort.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((r, i) => {
          const filter = filterOf(r);
          return (
            <tr
              key={rowKey(r, i)}
              className="stats-row"
              tabIndex={0}
              title={t('stats.rowHint', { filter })}
              data-filter={filter}
              onClick={() => void showPackets(filter)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void showPackets(filter);
              }}
            >
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined} data-col={c.key}>
                  {c.render ? c.render(r) : typeof c.value(r) === 'number' ? num(c.value(r) as number) : c.value(r)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Hierarchy(): ReactElement {
  const t = useT();
  const { data, error, loading } = useLoad<WirePhs>(() => request('protocolHierarchy', null), []);
  if (error) return <p className="stats-error">{error}</p>;
  if (!data) return <p className="stats-note">{loading ? t('stats.loading') : ''}</p>;
  // End packets: a protocol's packets that no child protocol continues.
  const ends = data.rows.map((r, i) => {
    let n = r.frames;
    for (let k = i + 1; k < data.rows.length && data.rows[k]!.depth > r.depth; k++) if (data.rows[k]!.depth === r.depth + 1) n -= data.rows[k]!.frames;
    return n;
  });
  const bar = (p: string) => <span className="stats-bar" style={{ ['--pct' as string]: `${p}%` }}>{p}</span>;
  return (
    <>
      <p className="stats-note">{t('stats.phs.summary', { packets: num(data.frames), bytes: num(data.bytes) })}</p>
      <table className="stats-table stats-phs" role="treegrid" aria-label={t('stats.tab.phs')}>
        <thead>
          <tr>
            <th>{t('stats.phs.protocol')}</th>
            <th className="num">{t('stats.phs.pctPackets')}</th>
            <th className="num">{t('stats.phs.packets')}</th>
            <th className="num">{t('stats.phs.pctBytes')}</th>
            <th className="num">{t('stats.phs.bytes')}</th>
            <th className="num">{t('stats.phs.endPackets')}</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r: WirePhsRow, i) => (
            <tr
              key={i}
              className="stats-row"
              tabIndex={0}
              aria-level={r.depth + 1}
              data-proto={r.proto}
              data-depth={r.depth}
              data-frames={r.frames}
              data-bytes={r.bytes}
              title={t('stats.rowHint', { filter: r.proto })}
              onClick={() => void showPackets(r.proto)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void showPackets(r.proto);
              }}
            >
              <td className="stats-proto" style={{ paddingLeft: `${0.4 + r.depth * 1.2}em` }}>
                {r.name}
              </td>
              <td className="num">{bar(pct(r.frames, data.frames))}</td>
              <td className="num">{num(r.frames)}</td>
              <td className="num">{pct(r.bytes, data.bytes)}</td>
              <td className="num">{num(r.bytes)}</td>
              <td className="num">{num(ends[i]!)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function TypeSelect({ type, onChange }: { type: ConvType; onChange: (t: ConvType) => void }): ReactElement {
  const t = useT();
  return (
    <div className="stats-types" role="radiogroup" aria-label={t('stats.type')}>
      {TYPES.map((ty) => (
        <button key={ty} type="button" role="radio" aria-checked={ty === type} data-type={ty} onClick={() => onChange(ty)}>
          {t(`stats.type.${ty}` as MessageKey)}
        </button>
      ))}
    </div>
  );
}

function Conversations({ type }: { type: ConvType }): ReactElement {
  const t = useT();
  const { data, error, loading } = useLoad(() => request('conversations', { type }), [type]);
  const columns = useMemo((): Column<WireConversation>[] => {
    const cols: Column<WireConversation>[] = [{ key: 'a', title: 'stats.conv.addrA', value: (c) => c.a }];
    if (hasPorts(type)) cols.push({ key: 'aPort', title: 'stats.conv.portA', value: (c) => c.aPort, numeric: true, render: (c) => String(c.aPort) });
    cols.push({ key: 'b', title: 'stats.conv.addrB', value: (c) => c.b });
    if (hasPorts(type)) cols.push({ key: 'bPort', title: 'stats.conv.portB', value: (c) => c.bPort, numeric: true, render: (c) => String(c.bPort) });
    cols.push(
      { key: 'packets', title: 'stats.conv.packets', value: (c) => c.framesAB + c.framesBA, numeric: true },
      { key: 'bytes', title: 'stats.conv.bytes', value: (c) => c.bytesAB + c.bytesBA, numeric: true },
      { key: 'packetsAB', title: 'stats.conv.packetsAB', value: (c) => c.framesAB, numeric: true },
      { key: 'bytesAB', title: 'stats.conv.bytesAB', value: (c) => c.bytesAB, numeric: true },
      { key: 'packetsBA', title: 'stats.conv.packetsBA', value: (c) => c.framesBA, numeric: true },
      { key: 'bytesBA', title: 'stats.conv.bytesBA', value: (c) => c.bytesBA, numeric: true },
      { key: 'start', title: 'stats.conv.start', value: (c) => c.start, numeric: true, render: (c) => c.start.toFixed(6) },
      { key: 'duration', title: 'stats.conv.duration', value: (c) => c.duration, numeric: true, render: (c) => c.duration.toFixed(4) },
    );
    return cols;
  }, [type]);
  if (error) return <p className="stats-error">{error}</p>;
  if (!data || data.type !== type) return <p className="stats-note">{loading ? t('stats.loading') : ''}</p>;
  if (data.rows.length === 0) return <p className="stats-note">{t('stats.empty')}</p>;
  return (
    <>
      <p className="stats-note">
        {t('stats.conv.count', { n: num(data.rows.length) })}
        {data.rows.length > MAX_ROWS ? ` — ${t('stats.truncated', { shown: num(MAX_ROWS) })}` : ''}
      </p>
      <SortableTable rows={data.rows} columns={columns} rowKey={(c) => `${c.a}|${c.aPort}|${c.b}|${c.bPort}|${c.stream}|${c.start}`} filterOf={(c) => conversationFilter(type, c)} label={t('stats.tab.conversations')} defaultSort="packets" />
    </>
  );
}

function Endpoints({ type }: { type: ConvType }): ReactElement {
  const t = useT();
  const { data, error, loading } = useLoad(() => request('endpoints', { type }), [type]);
  const columns = useMemo((): Column<WireEndpoint>[] => {
    const cols: Column<WireEndpoint>[] = [{ key: 'addr', title: 'stats.ep.address', value: (e) => e.addr }];
    if (hasPorts(type)) cols.push({ key: 'port', title: 'stats.ep.port', value: (e) => e.port, numeric: true, render: (e) => String(e.port) });
    cols.push(
      { key: 'packets', title: 'stats.ep.packets', value: (e) => e.txFrames + e.rxFrames, numeric: true },
      { key: 'bytes', title: 'stats.ep.bytes', value: (e) => e.txBytes + e.rxBytes, numeric: true },
      { key: 'txPackets', title: 'stats.ep.txPackets', value: (e) => e.txFrames, numeric: true },
      { key: 'txBytes', title: 'stats.ep.txBytes', value: (e) => e.txBytes, numeric: true },
      { key: 'rxPackets', title: 'stats.ep.rxPackets', value: (e) => e.rxFrames, numeric: true },
      { key: 'rxBytes', title: 'stats.ep.rxBytes', value: (e) => e.rxBytes, numeric: true },
    );
    return cols;
  }, [type]);
  if (error) return <p className="stats-error">{error}</p>;
  if (!data || data.type !== type) return <p className="stats-note">{loading ? t('stats.loading') : ''}</p>;
  if (data.rows.length === 0) return <p className="stats-note">{t('stats.empty')}</p>;
  return (
    <>
      <p className="stats-note">
        {t('stats.ep.count', { n: num(data.rows.length) })}
        {data.rows.length > MAX_ROWS ? ` — ${t('stats.truncated', { shown: num(MAX_ROWS) })}` : ''}
      </p>
      <SortableTable rows={data.rows} columns={columns} rowKey={(e) => `${e.addr}|${e.port}`} filterOf={(e) => endpointFilter(type, e)} label={t('stats.tab.endpoints')} defaultSort="packets" />
    </>
  );
}

export function StatisticsView(): ReactElement {
  const t = useT();
  const files = useStore((s) => s.files);
  const [tab, setTab] = useState<Tab>(saved.tab);
  const [type, setType] = useState<ConvType>(saved.type);
  useEffect(() => {
    saved = { tab, type };
  }, [tab, type]);
  if (files.length === 0) return <p className="stats-note stats-view">{t('stats.noCapture')}</p>;
  return (
    <div className="stats-view" data-tab={tab}>
      <div className="stats-bar-top">
        <div className="stats-tabs" role="tablist" aria-label={t('view.statistics')}>
          {TABS.map((x) => (
            <button key={x.id} type="button" role="tab" aria-selected={x.id === tab} data-tab={x.id} onClick={() => setTab(x.id)}>
              {t(x.title)}
            </button>
          ))}
        </div>
        {tab !== 'phs' && <TypeSelect type={type} onChange={setType} />}
      </div>
      <div className="stats-body" role="tabpanel">
        {tab === 'phs' ? <Hierarchy /> : tab === 'conversations' ? <Conversations type={type} /> : <Endpoints type={type} />}
      </div>
    </div>
  );
}
