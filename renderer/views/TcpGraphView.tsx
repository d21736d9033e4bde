// TCP sequence (Stevens) graph of one TCP stream: each segment of the graphed direction as a
// point at (time, relative sequence number) with a bar up to seq + length, retransmissions in
// red; the other side's ACK line and receive window edge (ack + window) as steps. Drag to zoom
// (uPlot), double-click to reset, click a point to select its packet.

import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './graphs.css';
import { request } from '../api.ts';
import { goToPacket } from '../controller.ts';
import { useStore } from '../store.ts';
import { useT } from '../i18n/index.ts';
import type { TcpGraph } from '../../electron/ipc/contract.ts';
import { formatSeconds, useSelectedTcpStream } from './graph-shared.ts';

const COLORS = { segment: '#2f6fd6', retransmission: '#d62f2f', ack: '#8a8a8a', window: '#2e9e4f' };

/** The graph as uPlot columns: one x slot per packet (segments and ACKs), in time order; x in seconds since the stream's first packet. */
interface Columns {
  x: number[];
  frame: number[];
  seq: (number | null)[];
  len: number[];
  retrans: (number | null)[];
  ack: (number | null)[];
  win: (number | null)[];
}

function columnsOf(g: TcpGraph): Columns {
  const pts: { t: number; frame: number; seg?: TcpGraph['segments'][number]; ack?: TcpGraph['acks'][number] }[] = [];
  for (const s of g.segments) pts.push({ t: s.time, frame: s.frame, seg: s });
  for (const a of g.acks) pts.push({ t: a.time, frame: a.frame, ack: a });
  pts.sort((a, b) => a.t - b.t || a.frame - b.frame);
  const c: Columns = { x: [], frame: [], seq: [], len: [], retrans: [], ack: [], win: [] };
  for (const p of pts) {
    c.x.push(p.t - g.start);
    c.frame.push(p.frame);
    c.seq.push(p.seg ? p.seg.seq : null);
    c.len.push(p.seg ? p.seg.len : 0);
    c.retrans.push(p.seg?.retransmission ? p.seg.seq : null);
    c.ack.push(p.ack ? p.ack.ack : null);
    c.win.push(p.ack ? p.ack.ack + p.ack.window : null);
  }
  return c;
}

/** Draws each segment's extent (seq .. seq + len) as a vertical bar, Stevens style. */
function segmentBars(c: Columns) {
  return (u: uPlot): void => {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    const [xMin, xMax] = [u.scales.x!.min ?? -Infinity, u.scales.x!.max ?? Infinity];
    for (let i = 0; i < c.x.length; i++) {
      const seq = c.seq[i];
      if (seq === null || seq === undefined || c.len[i]! <= 0 || c.x[i]! < xMin || c.x[i]! > xMax) continue;
      const x = Math.round(u.valToPos(c.x[i]!, 'x', true));
      const y1 = u.valToPos(seq, 'y', true);
      const y2 = u.valToPos(seq + c.len[i]!, 'y', true);
      ctx.strokeStyle = c.retrans[i] !== null ? COLORS.retransmission : COLORS.segment;
      ctx.beginPath();
      ctx.moveTo(x, y1);
      ctx.lineTo(x, y2);
      ctx.moveTo(x - 3, y2);
      ctx.lineTo(x + 3, y2);
      ctx.stroke();
    }
    ctx.restore();
  };
}

/** Index of the segment or ACK point nearest to (px, py) in CSS pixels of the plot area, or -1. */
function nearestPoint(u: uPlot, c: Columns, px: number, py: number): number {
  let best = -1;
  let bestD = 12 * 12;
  for (let i = 0; i < c.x.length; i++) {
    const x = u.valToPos(c.x[i]!, 'x');
    if (Math.abs(x - px) > 12) continue;
    for (const v of [c.seq[i], c.ack[i]]) {
      if (v === null || v === undefined) continue;
      const d = (x - px) ** 2 + (u.valToPos(v, 'y') - py) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
  }
  return best;
}

function Chart({ graph, label }: { graph: TcpGraph; label: string }): ReactElement {
  const t = useT();
  const wrap = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const cols = useMemo(() => columnsOf(graph), [graph]);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const stepped = uPlot.paths.stepped!({ align: 1 });
    // Canvas colors cannot be CSS variables: the theme's text color, read once.
    const fg = getComputedStyle(el).color || '#1d1d1f';
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: Math.max(160, el.clientHeight - 40),
      scales: { x: { time: false } },
      cursor: { drag: { x: true, y: true, uni: 30 }, focus: { prox: 16 } },
      legend: { show: true },
      axes: [
        { label: t('tcpGraph.time'), stroke: fg, grid: { stroke: 'rgba(128,128,128,0.2)' } },
        { label: t('tcpGraph.seq'), stroke: fg, size: (_u, values) => 34 + 7.5 * Math.max(3, ...(values ?? []).map((v) => v.length)), grid: { stroke: 'rgba(128,128,128,0.2)' } },
      ],
      series: [
        { label: t('tcpGraph.time'), value: (_u, v) => (v === null || v === undefined ? '' : formatSeconds(v)) },
        { label: t('tcpGraph.segments'), stroke: COLORS.segment, fill: COLORS.segment, paths: () => null, points: { show: true, size: 5, fill: COLORS.segment, stroke: COLORS.segment } },
        { label: t('tcpGraph.retransmissions'), stroke: COLORS.retransmission, paths: () => null, points: { show: true, size: 9, fill: COLORS.retransmission, stroke: COLORS.retransmission } },
        { label: t('tcpGraph.ack'), stroke: COLORS.ack, width: 1, paths: stepped, spanGaps: true, points: { show: false } },
        { label: t('tcpGraph.window'), stroke: COLORS.window, width: 1, paths: stepped, spanGaps: true, points: { show: false } },
      ],
      hooks: { draw: [segmentBars(cols)] },
    };
    const u = new uPlot(opts, [cols.x, cols.seq, cols.retrans, cols.ack, cols.win] as uPlot.AlignedData, el);
    plot.current = u;
    // For tests and tools: the instance behind the canvas.
    Object.assign(el, { uplot: u });
    let down: { x: number; y: number } | null = null;
    const onDown = (e: MouseEvent) => {
      down = { x: e.clientX, y: e.clientY };
    };
    const onClick = (e: MouseEvent) => {
      if (down && Math.hypot(e.clientX - down.x, e.clientY - down.y) > 4) return; // a zoom drag
      const r = u.over.getBoundingClientRect();
      const i = nearestPoint(u, cols, e.clientX - r.left, e.clientY - r.top);
      if (i >= 0) void goToPacket(cols.frame[i]!);
    };
    u.over.addEventListener('mousedown', onDown);
    u.over.addEventListener('click', onClick);
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: Math.max(160, el.clientHeight - 40) }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [cols, t]);
  const reset = () => {
    const u = plot.current;
    if (!u) return;
    u.setData(u.data, true);
  };
  return (
    <>
      <div className="graph-tools">
        <button type="button" onClick={reset}>
          {t('tcpGraph.resetZoom')}
        </button>
        <span className="graph-hint">{t('tcpGraph.hint')}</span>
      </div>
      <div
        className="tcp-graph-plot"
        ref={wrap}
        role="img"
        aria-label={label}
        data-segments={graph.segments.length}
        data-acks={graph.acks.length}
        data-retransmissions={graph.segments.filter((s) => s.retransmission).length}
      />
    </>
  );
}

export function TcpGraphView(): ReactElement {
  const t = useT();
  const selected = useSelectedTcpStream();
  const files = useStore((s) => s.files);
  const progressDone = useStore((s) => s.progress?.done ?? true);
  const [stream, setStream] = useState<number | null>(selected >= 0 ? selected : null);
  const [dir, setDir] = useState<0 | 1 | null>(null);
  const [graph, setGraph] = useState<TcpGraph | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  // Follows the selected packet's stream.
  useEffect(() => {
    if (selected >= 0) {
      setStream(selected);
      setDir(null);
    }
  }, [selected]);

  useEffect(() => {
    if (stream === null || files.length === 0) {
      setGraph(null);
      return;
    }
    let live = true;
    setLoading(true);
    request('tcpGraph', dir === null ? { stream } : { stream, direction: dir }).then(
      (g) => {
        if (!live) return;
        setGraph(g);
        setError(null);
        setLoading(false);
      },
      (e: Error) => {
        if (!live) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [stream, dir, files, progressDone]);

  const from = graph ? graph.endpoints[graph.direction] : '';
  const to = graph ? graph.endpoints[1 - graph.direction] : '';
  const retrans = graph ? graph.segments.filter((s) => s.retransmission).length : 0;
  return (
    <div className="tcp-graph-view graph-view" data-stream={stream ?? ''}>
      <div className="graph-bar">
        <label>
          {t('tcpGraph.stream')}{' '}
          <input
            type="number"
            min={0}
            className="graph-stream"
            value={stream ?? ''}
            onChange={(e) => {
              const v = e.target.value === '' ? null : Number(e.target.value);
              setStream(v !== null && Number.isInteger(v) && v >= 0 ? v : null);
              setDir(null);
            }}
          />
        </label>
        {graph && graph.endpoints[0] !== '' && (
          <label>
            {t('tcpGraph.direction')}{' '}
            <select value={graph.direction} onChange={(e) => setDir(Number(e.target.value) as 0 | 1)}>
              <option value={0}>
                {graph.endpoints[0]} → {graph.endpoints[1]}
              </option>
              <option value={1}>
                {graph.endpoints[1]} → {graph.endpoints[0]}
              </option>
            </select>
          </label>
        )}
        {graph && (
          <span className="graph-summary" role="status">
            {t('tcpGraph.summary', { segments: graph.segments.length, bytes: graph.bytes[graph.direction], retrans })}
            {graph.truncated ? ` (${t('tcpGraph.truncated', { n: graph.segments.length })})` : ''}
          </span>
        )}
        {loading && <span className="graph-summary">{t('tcpGraph.loading')}</span>}
      </div>
      {error && <div className="graph-error">{error}</div>}
      {stream === null && <p className="graph-empty">{t('tcpGraph.noStream')}</p>}
      {stream !== null && graph && graph.segments.length === 0 && graph.acks.length === 0 && <p className="graph-empty">{t('tcpGraph.empty', { stream })}</p>}
      {stream !== null && graph && (graph.segments.length > 0 || graph.acks.length > 0) && <Chart graph={graph} label={t('tcpGraph.chart', { stream: graph.stream, from, to })} />}
    </div>
  );
}
