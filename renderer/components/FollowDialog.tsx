// Follow TCP stream: client and server text in two colors; ASCII or hex; direction filter;
// click a chunk to select its packet; search box highlights matches (Enter / Shift+Enter steps).

import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { fromBase64 } from '../../electron/ipc/contract.ts';
import { applyFilter, selectRow } from '../controller.ts';
import { useStore } from '../store.ts';
import { useT } from '../i18n/index.ts';

function ascii(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x === 10 || x === 13 || x === 9 || (x >= 32 && x < 127) ? String.fromCharCode(x) : '.';
  return s;
}
function raw(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s + '\n';
}
function hexDump(b: Uint8Array): string {
  const lines: string[] = [];
  for (let o = 0; o < b.length; o += 16) {
    const row = b.subarray(o, o + 16);
    lines.push(`${o.toString(16).padStart(8, '0')}  ${[...row].map((x) => x.toString(16).padStart(2, '0')).join(' ').padEnd(48)}  ${[...row].map((x) => (x >= 32 && x < 127 ? String.fromCharCode(x) : '.')).join('')}`);
  }
  return lines.join('\n') + '\n';
}

/** Split text into plain and matched pieces (case-insensitive); `start` numbers the matches globally. */
function highlight(text: string, needle: string, start: number, current: number): { nodes: (string | ReactElement)[]; count: number } {
  if (!needle) return { nodes: [text], count: 0 };
  const hay = text.toLowerCase();
  const nodes: (string | ReactElement)[] = [];
  let pos = 0;
  let count = 0;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) {
    if (at > pos) nodes.push(text.slice(pos, at));
    const n = start + count++;
    nodes.push(
      <mark key={at} className={n === current ? 'match current' : 'match'} data-match={n} aria-current={n === current ? 'true' : undefined}>
        {text.slice(at, at + needle.length)}
      </mark>,
    );
    pos = at + needle.length;
  }
  if (pos < text.length) nodes.push(text.slice(pos));
  return { nodes, count };
}

export function FollowDialog(): ReactElement | null {
  const t = useT();
  const follow = useStore((s) => s.follow);
  const open = useStore((s) => s.followOpen);
  const set = useStore((s) => s.set);
  const applied = useStore((s) => s.appliedFilter);
  const [view, setView] = useState<'ascii' | 'hex' | 'raw'>('ascii');
  const [dir, setDir] = useState<'both' | '0' | '1'>('both');
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const chunks = useMemo(() => (follow ? follow.chunks.map((c) => ({ ...c, bytes: fromBase64(c.data) })) : []), [follow]);
  useEffect(() => {
    if (open) ref.current?.focus();
  }, [open]);
  useEffect(() => {
    if (!query) return;
    textRef.current?.querySelector('mark.current')?.scrollIntoView({ block: 'nearest' });
  }, [current, query, view, dir]);
  if (!open || !follow) return null;
  const close = () => set({ followOpen: false });
  const shownChunks = chunks.filter((c) => dir === 'both' || String(c.side) === dir);
  const render = view === 'ascii' ? ascii : view === 'hex' ? hexDump : raw;
  const needle = query.toLowerCase();
  let total = 0;
  const pieces = shownChunks.map((c) => {
    const text = c.missingBytes !== undefined ? `[${c.missingBytes} bytes missing in capture file]\n` : render(c.bytes);
    const h = highlight(text, needle, total, current);
    total += h.count;
    return h.nodes;
  });
  const step = (by: number) => {
    if (total === 0) return;
    setCurrent((k) => (((Math.min(k, total - 1) + by) % total) + total) % total);
  };
  const save = () => {
    const text = shownChunks.map((c) => (c.missingBytes !== undefined ? '' : render(c.bytes))).join('');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([view === 'ascii' ? new Uint8Array(shownChunks.flatMap((c) => [...c.bytes])) : text]));
    a.download = `tcp-stream-${follow.stream}.${view === 'ascii' ? 'bin' : 'txt'}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  return (
    <div className="dialog-backdrop">
      <div
        role="dialog"
        aria-modal="true"
        aria-label={t('ui.followTcp')}
        className="follow-dialog"
        tabIndex={-1}
        ref={ref}
        onKeyDown={(e) => e.key === 'Escape' && close()}
      >
        <header>
          <h2>{t('ui.follow.heading', { stream: follow.stream })}</h2>
          <button type="button" onClick={close} aria-label={t('ui.close')} title={t('ui.close')}>✕</button>
        </header>
        <div className="follow-search">
          <label>
            {t('ui.follow.search')}{' '}
            <input
              type="search"
              aria-label={t('ui.follow.search')}
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setCurrent(0);
              }}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return;
                e.preventDefault();
                step(e.shiftKey ? -1 : 1);
              }}
            />
          </label>{' '}
          <span className="follow-count" role="status">
            {query ? (total === 1 ? t('ui.follow.match') : t('ui.follow.matches', { n: total })) : ''}
          </span>
        </div>
        <div className="follow-text" role="document" ref={textRef}>
          {shownChunks.map((c, k) => (
            <span
              key={k}
              className={`chunk side-${c.side}`}
              data-side={c.side === 0 ? 'client' : 'server'}
              title={t('ui.follow.frame', { n: c.frame })}
              onClick={() => {
                if (!applied) void selectRow(c.frame - 1);
              }}
            >
              {pieces[k]}
            </span>
          ))}
        </div>
        <footer>
          <span>
            <span className="side-0 legend">{t('ui.follow.bytes', { from: follow.nodes[0], to: follow.nodes[1], n: follow.bytes[0] })}</span>{' '}
            <span className="side-1 legend">{t('ui.follow.bytes', { from: follow.nodes[1], to: follow.nodes[0], n: follow.bytes[1] })}</span>
          </span>
          <label>
            {t('ui.follow.direction')}{' '}
            <select value={dir} onChange={(e) => {
              setDir(e.target.value as 'both' | '0' | '1');
              setCurrent(0);
            }}>
              <option value="both">{t('ui.follow.entire')}</option>
              <option value="0">{follow.nodes[0]} → {follow.nodes[1]}</option>
              <option value="1">{follow.nodes[1]} → {follow.nodes[0]}</option>
            </select>
          </label>
          <label>
            {t('ui.follow.showAs')}{' '}
            <select value={view} onChange={(e) => {
              setView(e.target.value as 'ascii' | 'hex' | 'raw');
              setCurrent(0);
            }}>
              <option value="ascii">{t('ui.follow.ascii')}</option>
              <option value="hex">{t('ui.follow.hexDump')}</option>
              <option value="raw">{t('ui.follow.raw')}</option>
            </select>
          </label>
          <button type="button" onClick={save}>
            {t('ui.follow.save')}
          </button>
          <button
            type="button"
            onClick={() => {
              close();
              const expr = `!(tcp.stream eq ${follow.stream})`;
              set({ filterText: expr, filterCheck: { ok: true } });
              void applyFilter(expr);
            }}
          >
            {t('ui.follow.filterOut')}
          </button>
        </footer>
      </div>
    </div>
  );
}
