// Connections view (conntrack-style): every TCP/UDP/ICMP flow of the capture with its endpoints,
// times, packets and bytes each way and its state in plain words. The table is virtualized
// (react-window), sortable by any column and narrowed by a text filter. Clicking a row applies
// the flow's display filter (tcp.stream == N ...); TCP rows have a Follow button.
// Rows are the whole capture's flows, whatever display filter is applied (the request says so).

import { useEffect, useMemo, useState, type CSSProperties, type ReactElement } from 'react';
import { List, type RowComponentProps } from 'react-window';
import type { Connection } from '../../electron/engine/connection-types.ts';
import { connStateText, endpointText } from '../../electron/engine/connections-format.ts';
import { request } from '../api.ts';
import { applyFilter, followStream } from '../controller.ts';
import { useT, type MessageKey } from '../i18n/index.ts';
import { useStore } from '../store.ts';
import './connections.css';

type ColumnId = 'proto' | 'a' | 'b' | 'stream' | 'packetsAB' | 'bytesAB' | 'packetsBA' | 'bytesBA' | 'start' | 'duration' | 'state';

const COLUMNS: { id: ColumnId; title: MessageKey; numeric: boolean }[] = [
  { id: 'proto', title: 'conn.col.proto', numeric: false },
  { id: 'a', title: 'conn.col.a', numeric: false },
  { id: 'b', title: 'conn.col.b', numeric: false },
  { id: 'stream', title: 'conn.col.stream', numeric: true },
  { id: 'packetsAB', title: 'conn.col.packetsAB', numeric: true },
  { id: 'bytesAB', title: 'conn.col.bytesAB', numeric: true },
  { id: 'packetsBA', title: 'conn.col.packetsBA', numeric: true },
  { id: 'bytesBA', title: 'conn.col.bytesBA', numeric: true },
  { id: 'start', title: 'conn.col.start', numeric: true },
  { id: 'duration', title: 'conn.col.duration', numeric: true },
  { id: 'state', title: 'conn.col.state', numeric: false },
];

const ROW_HEIGHT = 24;

/** A row as shown: the connection plus its texts in the current language. */
interface ShownRow {
  c: Connection;
  a: string;
  b: string;
  state: string;
  /** Lower-case text the filter box searches. */
  search: string;
}

function cellText(r: ShownRow, col: ColumnId): string {
  const c = r.c;
  switch (col) {
    case 'proto': return c.proto.toUpperCase();
    case 'a': return r.a;
    case 'b': return r.b;
    case 'stream': return c.stream >= 0 ? String(c.stream) : '';
    case 'packetsAB': return String(c.packetsAB);
    case 'bytesAB': return String(c.bytesAB);
    case 'packetsBA': return String(c.packetsBA);
    case 'bytesBA': return String(c.bytesBA);
    case 'start': return c.start.toFixed(6);
    case 'duration': return (c.end - c.start).toFixed(4);
    case 'state': return r.state;
  }
}

function sortValue(r: ShownRow, col: ColumnId): number | string {
  const c = r.c;
  switch (col) {
    case 'stream': return c.stream;
    case 'packetsAB': return c.packetsAB;
    case 'bytesAB': return c.bytesAB;
    case 'packetsBA': return c.packetsBA;
    case 'bytesBA': return c.bytesBA;
    case 'start': return c.start;
    case 'duration': return c.end - c.start;
    default: return cellText(r, col).toLowerCase();
  }
}

/** Shows exactly this flow's packets in the packet list. */
async function showFlow(c: Connection): Promise<void> {
  useStore.getState().set({ filterText: c.filter, filterCheck: { ok: true } });
  await applyFilter(c.filter);
}

interface RowProps {
  rows: ShownRow[];
  selected: number | null;
  onSelect: (id: number) => void;
}

function Row({ index, style, rows, selected, onSelect }: RowComponentProps<RowProps>): ReactElement {
  const t = useT();
  const r = rows[index]!;
  const c = r.c;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected === c.id}
      className={`conn-row conn-${c.state}${selected === c.id ? ' selected' : ''}`}
      style={style as CSSProperties}
      data-stream={c.stream}
      data-proto={c.proto}
      data-state={c.state}
      title={t('conn.rowTitle', { filter: c.filter })}
      tabIndex={0}
      onClick={() => {
        onSelect(c.id);
        void showFlow(c);
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        onSelect(c.id);
        void showFlow(c);
      }}
    >
      {COLUMNS.map((col, k) => (
        <div role="gridcell" key={col.id} aria-colindex={k + 1} className={`conn-cell conn-col-${col.id}${col.numeric ? ' num' : ''}`}>
          {col.id === 'state' && c.proto === 'tcp' ? (
            <>
              <button
                type="button"
                className="conn-follow"
                title={t('conn.followTitle', { n: c.stream })}
                onClick={(e) => {
                  e.stopPropagation();
                  onSelect(c.id);
                  void followStream(c.stream);
                }}
              >
                {t('conn.follow')}
              </button>
              <span className="conn-state-text">{r.state}</span>
            </>
          ) : (
            cellText(r, col.id)
          )}
        </div>
      ))}
    </div>
  );
}

export function ConnectionsView(): ReactElement {
  const t = useT();
  const files = useStore((s) => s.files);
  const done = useStore((s) => s.progress?.done ?? false);
  const [rows, setRows] = useState<Connection[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [sort, setSort] = useState<{ col: ColumnId; desc: boolean } | null>(null);
  const [selected, setSelected] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    if (files.length === 0) return;
    request('connections', null).then(
      (r) => live && setRows(r.rows),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [files, done]);

  // Texts in the current language (t changes identity never; the language is read inside).
  const lang = t('conn.table');
  const shown = useMemo<ShownRow[]>(() => {
    if (!rows) return [];
    return rows.map((c) => {
      const a = endpointText(c.aAddr, c.aPort, c.proto);
      const b = endpointText(c.bAddr, c.bPort, c.proto);
      const state = connStateText(c, (k, p) => t(k as MessageKey, p));
      return { c, a, b, state, search: `${c.proto} ${a} ${b} ${c.stream >= 0 ? c.stream : ''} ${state} ${c.state} ${c.filter}`.toLowerCase() };
    });
  }, [rows, lang, t]);

  const visible = useMemo(() => {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    const list = words.length ? shown.filter((r) => words.every((w) => r.search.includes(w))) : [...shown];
    if (sort) {
      const { col, desc } = sort;
      list.sort((x, y) => {
        const a = sortValue(x, col);
        const b = sortValue(y, col);
        const d = a < b ? -1 : a > b ? 1 : x.c.id - y.c.id;
        return desc ? -d : d;
      });
    }
    return list;
  }, [shown, text, sort]);

  const onHeader = (col: ColumnId) => setSort((s) => (s?.col !== col ? { col, desc: false } : !s.desc ? { col, desc: true } : null));

  if (files.length === 0) return <div className="conn-view empty">{t('conn.empty')}</div>;
  return (
    <div className="conn-view">
      <div className="conn-head">
        <input
          type="search"
          className="conn-filter"
          aria-label={t('conn.filterLabel')}
          placeholder={t('conn.filterPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {rows && <span className="conn-count" role="status">{t('conn.count', { shown: visible.length, total: rows.length })}</span>}
        {!rows && !error && <span className="conn-loading" role="status">{t('conn.loading')}</span>}
        {error && <span className="conn-error" role="alert">{error}</span>}
      </div>
      {rows && rows.length === 0 && <div className="conn-empty">{t('conn.empty')}</div>}
      {rows && rows.length > 0 && (
        <div className="conn-table" role="grid" aria-label={t('conn.table')} aria-rowcount={visible.length + 1} aria-colcount={COLUMNS.length}>
          <div role="row" aria-rowindex={1} className="conn-row conn-header">
            {COLUMNS.map((col, k) => (
              <div
                role="columnheader"
                key={col.id}
                aria-colindex={k + 1}
                className={`conn-cell conn-col-${col.id}${col.numeric ? ' num' : ''}`}
                aria-sort={sort?.col === col.id ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              >
                <button type="button" className="conn-sort" title={t(col.title)} onClick={() => onHeader(col.id)}>
                  {t(col.title)}
                  {sort?.col === col.id ? (sort.desc ? ' ▾' : ' ▴') : ''}
                </button>
              </div>
            ))}
          </div>
          {visible.length === 0 ? (
            <div className="conn-empty">{t('conn.noMatch')}</div>
          ) : (
            <List<RowProps> role="rowgroup" className="conn-body" rowComponent={Row} rowCount={visible.length} rowHeight={ROW_HEIGHT} rowProps={{ rows: visible, selected, onSelect: setSelected }} />
          )}
        </div>
      )}
    </div>
  );
}
