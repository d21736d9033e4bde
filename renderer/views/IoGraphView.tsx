// I/O graph view: packets, bytes or bits per second per interval for up to five display filters
// overlaid (Wireshark's Statistics > I/O Graphs). Each graph row has its color, a show switch and
// a filter field checked as you type (green valid, red invalid with the message). Clicking a
// point selects the first packet of that interval matching the graph's filter. Drag to zoom
// (uPlot), double-click to reset. The plot element exposes its data in data-* attributes and an
// aria summary (e2e tests and screen readers).

import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './statistics.css';
import { IO_MAX_FILTERS, IO_METRICS, type IoMetric, type WireIoGraph } from '../../electron/ipc/contract.ts';
import { request } from '../api.ts';
import { applyFilter, goToPacket } from '../controller.ts';
import { useT, type MessageKey } from '../i18n/index.ts';
import { useStore } from '../store.ts';

export const IO_COLORS = ['#2f6fd6', '#d62f2f', '#2e9e4f', '#b26a00', '#7b3fb8'];
/** Interval choices (ms); 0 = automatic. */
const INTERVALS = [0, 1, 10, 100, 1000, 10_000, 60_000, 600_000];

interface GraphRow {
  id: number;
  text: string;
  enabled: boolean;
  /** null: not checked yet (or empty = all packets). */
  error: string | null;
}

let nextId = 1;
const newRow = (text = ''): GraphRow => ({ id: nextId++, text, enabled: true, error: null });
/** The settings survive switching to another view and back. */
let saved: { interval: number; metric: IoMetric; rows: GraphRow[] } = { interval: 0, metric: 'packets', rows: [newRow()] };

function intervalText(t: ReturnType<typeof useT>, ms: number): string {
  if (ms < 1000) return t('io.unit.ms', { n: ms });
  if (ms < 60_000) return t('io.unit.s', { n: ms / 1000 });
  return t('io.unit.min', { n: ms / 60_000 });
}

const METRIC_KEYS: Record<IoMetric, MessageKey> = { packets: 'io.metric.packets', bytes: 'io.metric.bytes', bits: 'io.metric.bits' };

/** Goes to packet `n`; when the current display filter hides it, clears the filter first. */
async function goTo(n: number): Promise<void> {
  if ((await goToPacket(n)) !== null) return;
  useStore.getState().set({ error: null, filterText: '', filterCheck: null });
  if (await applyFilter('')) await goToPacket(n);
}

function Plot({ graph, shown, label }: { graph: WireIoGraph; shown: { row: GraphRow; color: string; series: number }[]; label: string }): ReactElement {
  const t = useT();
  const wrap = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const step = graph.intervalMs / 1000;
    const x = Array.from({ length: graph.buckets }, (_, b) => b * step);
    const data = [x, ...shown.map((s) => graph.series[s.series]!.values)] as uPlot.AlignedData;
    const size = () => ({ width: Math.max(240, el.clientWidth), height: Math.max(220, el.clientHeight - 40) });
    const opts: uPlot.Options = {
      ...size(),
      scales: { x: { time: false } },
      cursor: { drag: { x: true, y: false }, focus: { prox: 24 } },
      legend: { show: true },
      axes: [
        { label: t('io.time'), stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } },
        { label: t(METRIC_KEYS[graph.metric]), stroke: 'currentColor', size: 70, grid: { stroke: 'rgba(128,128,128,0.2)' } },
      ],
      series: [
        { label: t('io.time'), value: (_u, v) => (v === null || v === undefined ? '' : v.toFixed(3)) },
        ...shown.map((s) => ({
          label: s.row.text.trim() || t('io.allPackets'),
          stroke: s.color,
          width: 1.5,
          points: { show: graph.buckets <= 400, size: 5, fill: s.color, stroke: s.color },
        })),
      ],
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    Object.assign(el, { uplot: u });
    let down: { x: number; y: number } | null = null;
    const onDown = (e: MouseEvent) => {
      down = { x: e.clientX, y: e.clientY };
    };
    const onClick = (e: MouseEvent) => {
      if (down && Math.hypot(e.clientX - down.x, e.clientY - down.y) > 4) return; // a zoom drag
      const r = u.over.getBoundingClientRect();
      const px = e.clientX - r.left;
      const py = e.clientY - r.top;
      const b = Math.round(u.posToVal(px, 'x') / step);
      if (b < 0 || b >= graph.buckets) return;
      // The graph whose point is nearest to the click, among those with a packet there.
      let best: number | null = null;
      let bestD = Infinity;
      for (const s of shown) {
        const ser = graph.series[s.series]!;
        if (!ser.first[b]) continue;
        const d = Math.abs(u.valToPos(ser.values[b]!, 'y') - py);
        if (d < bestD) {
          bestD = d;
          best = ser.first[b]!;
        }
      }
      if (best !== null) void goTo(best);
      else useStore.getState().set({ error: t('io.noPacket') });
    };
    u.over.addEventListener('mousedown', onDown);
    u.over.addEventListener('click', onClick);
    const ro = new ResizeObserver(() => u.setSize(size()));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [graph, shown, t]);
  const totals = shown.map((s) => graph.series[s.series]!.values.reduce((a, v) => a + v, 0));
  return (
    <>
      <div className="graph-tools">
        <button type="button" onClick={() => plot.current?.setData(plot.current.data, true)}>
          {t('io.resetZoom')}
        </button>
        <span className="graph-hint">{t('io.hint')}</span>
      </div>
      <div
        className="io-plot"
        ref={wrap}
        role="img"
        aria-label={label}
        data-series={shown.length}
        data-buckets={graph.buckets}
        data-interval={graph.intervalMs}
        data-metric={graph.metric}
        data-totals={JSON.stringify(totals)}
        data-filters={JSON.stringify(shown.map((s) => s.row.text.trim()))}
      />
    </>
  );
}

export function IoGraphView(): ReactElement {
  const t = useT();
  const files = useStore((s) => s.files);
  const done = useStore((s) => s.progress?.done ?? true);
  const [interval, setIntervalMs] = useState(saved.interval);
  const [metric, setMetric] = useState<IoMetric>(saved.metric);
  const [rows, setRows] = useState<GraphRow[]>(saved.rows);
  useEffect(() => {
    saved = { interval, metric, rows };
  }, [interval, metric, rows]);
  const [graph, setGraph] = useState<{ graph: WireIoGraph; rows: GraphRow[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const update = (id: number, p: Partial<GraphRow>) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...p } : r)));

  // Validate each filter as it is typed.
  const texts = rows.map((r) => r.text).join('\u0000');
  useEffect(() => {
    let live = true;
    for (const r of rows) {
      if (r.text.trim() === '') {
        if (r.error !== null) update(r.id, { error: null });
        continue;
      }
      request('validateFilter', { expr: r.text }).then(
        (c) => live && update(r.id, { error: c.ok ? null : (c.error?.message ?? '?') }),
        () => {},
      );
    }
    return () => {
      live = false;
    };
  }, [texts]);

  // The graph: enabled, valid rows; recomputed shortly after the last change.
  const wanted = rows.filter((r) => r.enabled && r.error === null);
  const key = JSON.stringify([interval, metric, wanted.map((r) => r.text.trim())]);
  useEffect(() => {
    if (files.length === 0 || wanted.length === 0) {
      setGraph(null);
      return;
    }
    let live = true;
    const snapshot = wanted;
    const timer = setTimeout(() => {
      setLoading(true);
      request('ioGraph', { intervalMs: interval, metric, filters: snapshot.map((r) => r.text.trim()) }).then(
        (g) => {
          if (!live) return;
          // A filter the engine refused (e.g. a field unknown after Decode As) is marked on its row.
          g.series.forEach((ser, k) => {
            if (!ser.ok) update(snapshot[k]!.id, { error: ser.error?.message ?? '?' });
          });
          setGraph({ graph: g, rows: snapshot });
          setError(null);
          setLoading(false);
        },
        (e: Error) => {
          if (!live) return;
          setError(e.message);
          setLoading(false);
        },
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, files, done]);

  // Colors follow the rows' positions; the plot is rebuilt only when the graph or the order changes.
  const order = rows.map((r) => r.id).join(',');
  const shown = useMemo(
    () =>
      graph
        ? graph.rows
            .map((row, series) => ({ row, series, color: IO_COLORS[order.split(',').indexOf(String(row.id))] ?? IO_COLORS[series % IO_COLORS.length]!, ok: graph.graph.series[series]!.ok }))
            .filter((s) => s.ok)
        : [],
    [graph, order],
  );
  const summary = graph ? t('io.summary', { series: shown.length, buckets: graph.graph.buckets, interval: intervalText(t, graph.graph.intervalMs) }) : '';

  if (files.length === 0) return <p className="stats-note stats-view">{t('stats.noCapture')}</p>;
  return (
    <div className="io-view graph-view">
      <div className="io-controls">
        <label>
          {t('io.interval')}{' '}
          <select className="io-interval" value={interval} onChange={(e) => setIntervalMs(Number(e.target.value))}>
            {INTERVALS.map((ms) => (
              <option key={ms} value={ms}>
                {ms === 0 ? t('io.auto', { value: graph && interval === 0 ? intervalText(t, graph.graph.intervalMs) : '…' }) : intervalText(t, ms)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('io.metric')}{' '}
          <select className="io-metric" value={metric} onChange={(e) => setMetric(e.target.value as IoMetric)}>
            {IO_METRICS.map((m) => (
              <option key={m} value={m}>
                {t(METRIC_KEYS[m])}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="io-add" disabled={rows.length >= IO_MAX_FILTERS} onClick={() => setRows((rs) => [...rs, newRow()])}>
          {t('io.add')}
        </button>
        {loading && <span className="graph-summary">{t('stats.loading')}</span>}
      </div>
      <div className="io-filters" role="group" aria-label={t('io.graphs')}>
        {rows.map((r, k) => {
          const state = r.error !== null ? 'invalid' : r.text.trim() === '' ? 'empty' : 'valid';
          return (
            <div key={r.id} className="io-filter" data-state={state} style={{ ['--io-color' as string]: IO_COLORS[k] }}>
              <span className="io-swatch" title={t('io.color', { n: k + 1 })} />
              <input type="checkbox" checked={r.enabled} aria-label={t('io.show')} title={t('io.show')} onChange={(e) => update(r.id, { enabled: e.target.checked })} />
              <input
                type="text"
                value={r.text}
                data-state={state}
                aria-invalid={state === 'invalid'}
                aria-label={t('io.filterLabel', { n: k + 1 })}
                placeholder={t('io.filterPlaceholder')}
                title={r.error !== null ? t('io.invalid', { message: r.error }) : undefined}
                spellCheck={false}
                onChange={(e) => update(r.id, { text: e.target.value })}
              />
              {rows.length > 1 && (
                <button type="button" aria-label={t('io.remove')} title={t('io.remove')} onClick={() => setRows((rs) => rs.filter((x) => x.id !== r.id))}>
                  ×
                </button>
              )}
              {r.error !== null && <span className="io-error">{t('io.invalid', { message: r.error })}</span>}
            </div>
          );
        })}
      </div>
      {error && <p className="graph-error">{error}</p>}
      {graph && shown.length > 0 && <Plot graph={graph.graph} shown={shown} label={summary} />}
      {graph && <p className="io-status" aria-live="polite">{summary}</p>}
    </div>
  );
}
