// Flow (ladder) diagram, like Wireshark's Flow Graph: one column per host with a vertical
// line, one row per packet with an arrow from sender to receiver, its label above the arrow
// and its time at the left. Of the selected packet's TCP stream, or of the displayed packets
// (the engine caps the set). Only the rows in view are drawn; clicking a row selects its packet.

import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import './graphs.css';
import { request } from '../api.ts';
import { goToPacket } from '../controller.ts';
import { useStore } from '../store.ts';
import { useT } from '../i18n/index.ts';
import type { FlowGraph } from '../../electron/ipc/contract.ts';
import { formatSeconds, useSelectedTcpStream } from './graph-shared.ts';

const ROW_H = 26;
const TIME_W = 96;
/** Host column width: the view's width shared out, within these bounds. */
const COL_MIN = 200;
const COL_MAX = 640;
const HEAD_H = 34;
const OVERSCAN = 10;
/** Displayed packets asked for at most. */
const DISPLAYED_LIMIT = 2000;

type Mode = 'stream' | 'displayed';

/** Cuts a label to about what fits in `px` pixels of 11px text. */
function fit(label: string, px: number): string {
  const max = Math.max(8, Math.floor(px / 6.4));
  return label.length > max ? label.slice(0, max - 1) + '…' : label;
}

function Ladder({ flow }: { flow: FlowGraph }): ReactElement {
  const t = useT();
  const selected = useStore((s) => s.selectedPacket);
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400, width: 1000 });
  const cols = flow.nodes.length;
  const COL_W = Math.max(COL_MIN, Math.min(COL_MAX, Math.floor((view.width - TIME_W - 16) / Math.max(1, cols))));
  const width = TIME_W + Math.max(1, cols) * COL_W;
  const colX = (c: number) => TIME_W + c * COL_W + COL_W / 2;
  const rows = flow.items.length;

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const update = () => setView({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, []);

  // Keeps the selected packet's row in view.
  const selectedRow = useMemo(() => (selected === null ? -1 : flow.items.findIndex((i) => i.frame === selected)), [flow, selected]);
  useEffect(() => {
    const el = scroller.current;
    if (!el || selectedRow < 0) return;
    const y = selectedRow * ROW_H;
    const body = el.clientHeight - HEAD_H;
    if (y < el.scrollTop || y + ROW_H > el.scrollTop + body) el.scrollTop = Math.max(0, y - body / 2);
  }, [selectedRow]);

  const first = Math.max(0, Math.floor(view.top / ROW_H) - OVERSCAN);
  const last = Math.min(rows, Math.ceil((view.top + view.height) / ROW_H) + OVERSCAN);
  const lines = [];
  for (let c = 0; c < cols; c++) lines.push(<line key={c} className="flow-lifeline" x1={colX(c)} x2={colX(c)} y1={0} y2={(last - first) * ROW_H} />);
  const drawn = [];
  for (let k = first; k < last; k++) {
    const it = flow.items[k]!;
    const y = (k - first) * ROW_H;
    const x1 = colX(it.from);
    const x2 = colX(it.to);
    const self = it.from === it.to;
    const span = self ? COL_W - 20 : Math.abs(x2 - x1) - 10;
    const mid = self ? x1 + COL_W / 2 - 10 : (x1 + x2) / 2;
    drawn.push(
      <g
        key={k}
        className={'flow-row' + (it.frame === selected ? ' selected' : '')}
        role="row"
        aria-rowindex={k + 1}
        aria-selected={it.frame === selected}
        data-frame={it.frame}
        transform={`translate(0 ${y})`}
        onClick={() => void goToPacket(it.frame)}
      >
        <title>{`${it.frame}: ${it.label}`}</title>
        <rect className="flow-hit" x={0} y={0} width={width} height={ROW_H} />
        <text className="flow-time" role="cell" x={6} y={ROW_H - 8}>
          {formatSeconds(it.time)}
        </text>
        <text className="flow-label" role="cell" x={mid} y={ROW_H - 12} textAnchor="middle">
          {fit(it.label, span)}
        </text>
        {self ? (
          <path className="flow-arrow" d={`M ${x1} ${ROW_H - 7} h 24 v 4 h -20`} markerEnd={it.frame === selected ? 'url(#flow-head-sel)' : 'url(#flow-head)'} />
        ) : (
          <line className="flow-arrow" x1={x1} y1={ROW_H - 5} x2={x2 + (x2 > x1 ? -2 : 2)} y2={ROW_H - 5} markerEnd={it.frame === selected ? 'url(#flow-head-sel)' : 'url(#flow-head)'} />
        )}
      </g>,
    );
  }
  return (
    <div className="flow-scroll" ref={scroller} role="grid" aria-label={t('flow.diagram')} aria-rowcount={rows} data-nodes={cols}>
      <div className="flow-head" style={{ width }} role="row">
        <span className="flow-head-time" role="columnheader" style={{ width: TIME_W }}>
          {t('flow.time')}
        </span>
        {flow.nodes.map((n, c) => (
          <span key={c} className="flow-host" role="columnheader" title={n} style={{ left: TIME_W + c * COL_W, width: COL_W }}>
            {n}
          </span>
        ))}
      </div>
      <div className="flow-body" style={{ height: rows * ROW_H, width }}>
        <svg className="flow-svg" width={width} height={(last - first) * ROW_H} style={{ top: first * ROW_H }} role="rowgroup">
          <defs>
            <marker id="flow-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="flow-head-mark" />
            </marker>
            <marker id="flow-head-sel" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="flow-head-mark-sel" />
            </marker>
          </defs>
          {lines}
          {drawn}
        </svg>
      </div>
    </div>
  );
}

export function FlowView(): ReactElement {
  const t = useT();
  const selectedStream = useSelectedTcpStream();
  const files = useStore((s) => s.files);
  const filter = useStore((s) => s.appliedFilter);
  const progressDone = useStore((s) => s.progress?.done ?? true);
  const [mode, setMode] = useState<Mode>(selectedStream >= 0 ? 'stream' : 'displayed');
  const [stream, setStream] = useState<number | null>(selectedStream >= 0 ? selectedStream : null);
  const [flow, setFlow] = useState<FlowGraph | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (selectedStream >= 0) setStream(selectedStream);
  }, [selectedStream]);

  useEffect(() => {
    if (files.length === 0 || (mode === 'stream' && stream === null)) {
      setFlow(null);
      return;
    }
    let live = true;
    // The displayed set around the selected packet (only read when the set is asked for again).
    const around = useStore.getState().selectedPacket;
    const req = mode === 'stream' ? { stream: stream! } : around !== null ? { displayed: true as const, limit: DISPLAYED_LIMIT, around } : { displayed: true as const, limit: DISPLAYED_LIMIT };
    request('flowGraph', req).then(
      (f) => {
        if (!live) return;
        setFlow(f);
        setError(null);
      },
      (e: Error) => {
        if (live) setError(e.message);
      },
    );
    return () => {
      live = false;
    };
  }, [mode, stream, files, filter, progressDone]);

  return (
    <div className="flow-view graph-view" data-mode={mode}>
      <div className="graph-bar">
        <label>
          {t('flow.mode')}{' '}
          <select className="flow-mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
            <option value="stream">{t('flow.modeStream')}</option>
            <option value="displayed">{t('flow.modeDisplayed')}</option>
          </select>
        </label>
        {mode === 'stream' && (
          <label>
            {t('flow.stream')}{' '}
            <input
              type="number"
              min={0}
              className="graph-stream"
              value={stream ?? ''}
              onChange={(e) => {
                const v = e.target.value === '' ? null : Number(e.target.value);
                setStream(v !== null && Number.isInteger(v) && v >= 0 ? v : null);
              }}
            />
          </label>
        )}
        {flow && (
          <span className="graph-summary" role="status">
            {flow.truncated ? t('flow.truncated', { n: flow.items.length, total: flow.total }) : t('flow.summary', { n: flow.items.length, hosts: flow.nodes.length })}
          </span>
        )}
      </div>
      {error && <div className="graph-error">{error}</div>}
      {mode === 'stream' && stream === null && <p className="graph-empty">{t('tcpGraph.noStream')}</p>}
      {flow && flow.items.length === 0 && <p className="graph-empty">{t('flow.empty')}</p>}
      {flow && flow.items.length > 0 && <Ladder flow={flow} />}
    </div>
  );
}
