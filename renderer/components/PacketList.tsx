// The packet list: a virtualized ARIA grid. Rows are fetched by visible range only.

import { useCallback, useEffect, useState, useSyncExternalStore, type CSSProperties, type KeyboardEvent, type PointerEvent, type ReactElement } from 'react';
import { List, useListRef, type RowComponentProps } from 'react-window';
import type { SortColumn, WireRow } from '../../electron/ipc/contract.ts';
import type { TimeFormat } from '../store.ts';
import { ensureRows, followStream, selectRow, sortBy } from '../controller.ts';
import { rowCache, useStore } from '../store.ts';
import { isCapturing, useCapture } from '../capture.ts';
import { t as translate, useT, type MessageKey } from '../i18n/index.ts';
import { copyTcpdumpLine } from '../copy-text.ts';

export const ROW_HEIGHT = 24;
const COLUMNS = ['ui.col.number', 'ui.col.time', 'ui.col.source', 'ui.col.destination', 'ui.col.protocol', 'ui.col.length', 'ui.col.info'] as const satisfies readonly MessageKey[];

/** Wireshark-like default coloring rules, by precedence. */
export function colorClass(r: WireRow): string {
  const p = r.protocol.toUpperCase();
  if (r.malformed) return 'c-bad';
  if (r.tcpStream >= 0 && r.tcpFlags & 0x04) return 'c-rst';
  if (r.tcpStream >= 0 && r.tcpFlags & 0x03) return 'c-synfin';
  if (p.startsWith('HTTP')) return 'c-http';
  if (p === 'ARP' || p === 'RARP') return 'c-arp';
  if (p.startsWith('ICMP')) return 'c-icmp';
  if (p === 'DNS' || p === 'MDNS' || p === 'LLMNR' || p === 'NBNS') return 'c-dns';
  if (p.startsWith('TLS') || p.startsWith('SSL')) return 'c-tls';
  if (r.tcpStream >= 0 || p === 'TCP') return 'c-tcp';
  if (p === 'UDP' || p === 'DHCP' || p === 'NTP' || p === 'SNMP' || p === 'SSDP') return 'c-udp';
  return 'c-other';
}

/** Cell class of displayed column k: the Outer source/destination columns sit after Destination when shown. */
export function colClass(k: number, outer: boolean): string {
  return !outer || k < 4 ? `col-${k}` : k < 6 ? `col-outer col-outer-${k - 4}` : `col-${k - 2}`;
}

interface RowProps {
  /** Outer source/destination columns shown. */
  outer: boolean;
  onMenu: (x: number, y: number, row: WireRow) => void;
  selected: number | null;
  timeFormat: TimeFormat;
}

export const TIME_FORMATS: TimeFormat[] = ['relative', 'absolute', 'delta', 'epoch'];
const SORT_KEYS: SortColumn[] = ['number', 'time', 'source', 'destination', 'protocol', 'length', 'info'];
export const TIME_TITLES: Record<TimeFormat, MessageKey> = { relative: 'ui.timeTitle.relative', absolute: 'ui.timeTitle.absolute', delta: 'ui.timeTitle.delta', epoch: 'ui.timeTitle.epoch' };

/** The Time cell in the chosen format (digits as the relative column shows them). */
export function formatTime(r: WireRow, prev: WireRow | undefined, f: TimeFormat): string {
  const digits = Math.max(1, (r.time.split('.')[1] ?? '').length);
  const frac = (ns: number) => String(ns).padStart(9, '0').slice(0, digits);
  switch (f) {
    case 'relative':
      return r.time;
    case 'epoch':
      return `${r.tsSec}.${frac(r.tsNsec)}`;
    case 'absolute': {
      const d = new Date(r.tsSec * 1000);
      const p2 = (n: number) => String(n).padStart(2, '0');
      return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${frac(r.tsNsec)}`;
    }
    case 'delta': {
      if (!prev) return r.number === 1 ? `0.${'0'.repeat(digits)}` : '';
      const ns = (BigInt(r.tsSec) - BigInt(prev.tsSec)) * 1_000_000_000n + BigInt(r.tsNsec - prev.tsNsec);
      const neg = ns < 0n;
      const a = neg ? -ns : ns;
      return `${neg ? '-' : ''}${a / 1_000_000_000n}.${frac(Number(a % 1_000_000_000n))}`;
    }
  }
}

function Row({ index, style, selected, timeFormat, onMenu, outer }: RowComponentProps<RowProps>): ReactElement {
  // Each row re-renders when its own cached row changes (arrives, or the cache is reset), not
  // on every fetched block: while scrolling, a block's arrival re-renders only the rows it filled.
  const r = useSyncExternalStore(useStore.subscribe, () => rowCache.get(index));
  const prev = useSyncExternalStore(useStore.subscribe, () => (timeFormat === 'delta' ? rowCache.get(index - 1) : undefined));
  const isSel = index === selected;
  const cls = `pl-row ${r ? colorClass(r) : 'c-loading'}${isSel ? ' selected' : ''}`;
  const cells = r ? [String(r.number), formatTime(r, prev, timeFormat), r.source, r.destination, r.protocol, String(r.length), r.info] : ['', '', '', '', '', '', '…'];
  if (outer) cells.splice(4, 0, r?.outerSource ?? '', r?.outerDestination ?? '');
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={isSel}
      className={cls}
      style={style as CSSProperties}
      onMouseDown={(e) => e.button === 0 && void selectRow(index)}
      onContextMenu={(e) => {
        e.preventDefault();
        void selectRow(index);
        if (r) onMenu(e.clientX, e.clientY, r);
      }}
      data-number={r?.number}
    >
      {cells.map((c, k) => (
        <div role="gridcell" aria-colindex={k + 1} key={k} className={`pl-cell ${colClass(k, outer)}`}>
          {c}
        </div>
      ))}
    </div>
  );
}

const OVERSCAN = 6;
let rowSlots = 0;
/**
 * Row keys recycle a fixed set of slots (index modulo a count above any rendered range: the
 * window's height in rows plus overscan, never shrinking), so scrolling updates the rows' text
 * in place instead of unmounting every row and mounting new ones, however far a frame jumps.
 */
function rowKey(index: number): number {
  rowSlots = Math.max(rowSlots, Math.ceil(window.innerHeight / ROW_HEIGHT) + 2 * OVERSCAN + 4);
  return index % rowSlots;
}

/** Initial column widths in px (Info takes the rest). */
const WIDTHS = [80, 110, 170, 170, 90, 70];

function ResizeHandle({ col, widths, setWidths, label }: { col: number; widths: number[]; setWidths: (w: number[]) => void; label?: string }): ReactElement {
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const start = widths[col]!;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => {
      const w = [...widths];
      w[col] = Math.max(30, start + ev.clientX - startX);
      setWidths(w);
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  return <div role="separator" aria-orientation="vertical" aria-label={translate('ui.list.resize', { column: label ?? translate(COLUMNS[col]!) })} className="col-resize" onPointerDown={onPointerDown} />;
}

function RowMenu({ x, y, row, close }: { x: number; y: number; row: WireRow; close: () => void }): ReactElement {
  const t = useT();
  const items: [string, boolean, () => void][] = [[t('ui.followTcp'), row.tcpStream >= 0, () => void followStream(row.tcpStream)], [t('list.copyTcpdump'), true, () => void copyTcpdumpLine(row.number)]];
  return (
    <div role="menu" aria-label={t('ui.list.packetActions')} className="tree-menu" style={{ left: x, top: y }} onMouseDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.key === 'Escape' && close()}>
      {items.map(([label, enabled, act]) => (
        <div
          key={label}
          role="menuitem"
          aria-disabled={!enabled}
          tabIndex={-1}
          ref={(el) => el?.focus()}
          onClick={() => { close(); if (enabled) act(); }}
          onKeyDown={(e) => { if (e.key === 'Enter') { close(); if (enabled) act(); } }}
        >
          {label}
        </div>
      ))}
    </div>
  );
}

export function PacketList(): ReactElement {
  const [widths, setWidths] = useState(WIDTHS);
  const t = useT();
  const outer = useStore((s) => s.outerColumns);
  const [outerWidths, setOuterWidths] = useState([170, 170]);
  const [headMenu, setHeadMenu] = useState<{ x: number; y: number } | null>(null);
  useEffect(() => {
    if (!headMenu) return;
    const off = () => setHeadMenu(null);
    window.addEventListener('mousedown', off);
    return () => window.removeEventListener('mousedown', off);
  }, [headMenu]);
  const colWidths = outer ? [...widths.slice(0, 4), ...outerWidths, ...widths.slice(4)] : widths;
  const [menu, setMenu] = useState<{ x: number; y: number; row: WireRow } | null>(null);
  const onMenu = useCallback((x: number, y: number, row: WireRow) => setMenu({ x, y, row }), []);
  useEffect(() => {
    if (!menu) return;
    const off = () => setMenu(null);
    window.addEventListener('mousedown', off);
    return () => window.removeEventListener('mousedown', off);
  }, [menu]);
  const displayed = useStore((s) => s.displayed);
  const selected = useStore((s) => s.selectedIndex);
  // Re-renders the list (and so asks for rows again) when fetched rows change, e.g. a partial block.
  useStore((s) => s.rowsVersion);
  const timeFormat = useStore((s) => s.timeFormat);
  const sort = useStore((s) => s.sort);
  const set = useStore((s) => s.set);
  const listRef = useListRef(null);

  useEffect(() => {
    if (selected !== null && selected < displayed) listRef.current?.scrollToRow({ index: selected, align: 'auto' });
  }, [selected, displayed, listRef]);

  // Live capture: new rows scroll into view, except while a packet is selected (auto-scroll pauses).
  const live = useCapture((s) => isCapturing(s.capture));
  useEffect(() => {
    if (live && selected === null && displayed > 0) listRef.current?.scrollToRow({ index: displayed - 1, align: 'end' });
  }, [live, displayed, selected, listRef]);

  // A new order or filter starts at the top.
  const applied = useStore((s) => s.appliedFilter);
  useEffect(() => {
    const el = listRef.current?.element;
    if (el) el.scrollTop = 0;
  }, [sort, applied, listRef]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent) => {
      if (displayed === 0) return;
      const el = listRef.current?.element;
      const page = Math.max(1, Math.floor((el?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
      const cur = selected ?? -1;
      let next: number;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'g') {
        e.preventDefault();
        set({ goToOpen: true });
        return;
      }
      switch (e.key) {
        case 'ArrowDown': next = cur + 1; break;
        case 'ArrowUp': next = cur <= 0 ? 0 : cur - 1; break;
        case 'PageDown': next = cur + page; break;
        case 'PageUp': next = cur - page; break;
        case 'Home': next = 0; break;
        case 'End': next = displayed - 1; break;
        default: return;
      }
      e.preventDefault();
      next = Math.max(0, Math.min(displayed - 1, next));
      ensureRows(next, next);
      void selectRow(next);
    },
    [displayed, selected, listRef, set],
  );

  return (
    <div
      role="grid"
      aria-label={t('ui.list.label')}
      aria-rowcount={displayed + 1}
      aria-colcount={COLUMNS.length + (outer ? 2 : 0)}
      className="packet-list"
      tabIndex={0}
      onKeyDown={onKeyDown}
      style={{ '--cols': `${colWidths.map((w) => `${w}px`).join(' ')} minmax(200px, 1fr)` } as CSSProperties}
    >
      <div
        role="row"
        aria-rowindex={1}
        className="pl-row pl-header"
        onContextMenu={(e) => {
          e.preventDefault();
          setHeadMenu({ x: e.clientX, y: e.clientY });
        }}
      >
        {COLUMNS.map((c, k) => (
          <div
            role="columnheader"
            aria-colindex={k + 1 + (outer && k >= 4 ? 2 : 0)}
            key={c}
            className={`pl-cell ${colClass(outer && k >= 4 ? k + 2 : k, outer)}`}
            aria-sort={sort.column === SORT_KEYS[k] ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            style={outer && k >= 4 ? { order: k + 2 } : { order: k }}
          >
            <button type="button" className="col-sort" onClick={() => void sortBy(SORT_KEYS[k]!)} title={k === 1 ? t(TIME_TITLES[timeFormat]) : undefined}>
              {t(c)}
              {sort.column === SORT_KEYS[k] ? (sort.descending ? ' ▾' : ' ▴') : ''}
            </button>
            {k < WIDTHS.length && <ResizeHandle col={k} widths={widths} setWidths={setWidths} />}
          </div>
        ))}
        {outer &&
          [t('list.outerSource'), t('list.outerDestination')].map((c, k) => (
            <div role="columnheader" aria-colindex={k + 5} key={`outer-${k}`} className={`pl-cell ${colClass(k + 4, true)}`} style={{ order: k + 4 }}>
              <span className="col-sort" title={c}>
                {c}
              </span>
              <ResizeHandle col={k} widths={outerWidths} setWidths={setOuterWidths} label={c} />
            </div>
          ))}
      </div>
      {headMenu && (
        <div role="menu" aria-label={t('list.columns')} className="tree-menu" style={{ left: headMenu.x, top: headMenu.y }} onMouseDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.key === 'Escape' && setHeadMenu(null)}>
          <div
            role="menuitemcheckbox"
            aria-checked={outer}
            tabIndex={-1}
            ref={(el) => el?.focus()}
            onClick={() => {
              set({ outerColumns: !outer });
              setHeadMenu(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                set({ outerColumns: !outer });
                setHeadMenu(null);
              }
            }}
          >
            {outer ? '✓ ' : ''}
            {t('layers.showOuterColumns')}
          </div>
        </div>
      )}
      <List<RowProps>
        role="rowgroup"
        className="pl-body"
        listRef={listRef}
        rowComponent={Row}
        rowCount={displayed}
        rowHeight={ROW_HEIGHT}
        rowKey={rowKey}
        rowProps={{ selected, timeFormat, onMenu, outer }}
        overscanCount={OVERSCAN}
        onRowsRendered={(v) => ensureRows(v.startIndex, v.stopIndex)}
      />
      {menu && <RowMenu x={menu.x} y={menu.y} row={menu.row} close={() => setMenu(null)} />}
    </div>
  );
}
