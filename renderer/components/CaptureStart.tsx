// The capture start screen (shown when nothing is open, or after "New capture"): the
// interfaces with their addresses and flags and a sparkline of their recent traffic (from the
// OS counters, once a second), a capture filter validated by libpcap as you type, and Start.

import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { CaptureFilterCheck, InterfacesResult, WireInterface } from '../../electron/ipc/contract.ts';
import { request } from '../api.ts';
import { isCapturing, showStartScreen, startCapture, useCapture } from '../capture.ts';
import { useT, type MessageKey } from '../i18n/index.ts';
import { useStore } from '../store.ts';
import '../capture.css';

/** Samples kept per sparkline (one a second). */
const HISTORY = 30;
const SPARK_W = 90;
const SPARK_H = 22;

/** Packets per second over the last HISTORY seconds, by interface. */
type Rates = Record<string, number[]>;

export function Sparkline({ values, label }: { values: number[]; label: string }): ReactElement {
  const max = Math.max(1, ...values);
  const pts = values.map((v, k) => `${((k + HISTORY - values.length) * SPARK_W) / (HISTORY - 1)},${(SPARK_H - 1 - (v / max) * (SPARK_H - 3)).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={SPARK_W} height={SPARK_H} viewBox={`0 0 ${SPARK_W} ${SPARK_H}`} role="img" aria-label={label}>
      <title>{label}</title>
      <line x1="0" y1={SPARK_H - 1} x2={SPARK_W} y2={SPARK_H - 1} stroke="currentColor" strokeOpacity="0.25" />
      {values.length > 1 && <polyline points={pts} fill="none" stroke="currentColor" strokeWidth="1.5" />}
    </svg>
  );
}

const PROBLEM_KEYS: Record<string, MessageKey> = {
  privilege: 'capture.err.privilege',
  filter: 'capture.err.filter',
  'no-such-device': 'capture.err.noDevice',
  'helper-missing': 'capture.err.helperMissing',
  io: 'capture.err.io',
  busy: 'capture.err.busy',
};

export function problemHeading(code: string): MessageKey {
  return PROBLEM_KEYS[code] ?? 'capture.err.other';
}

function useInterfaces(active: boolean): { list: InterfacesResult | null; rates: Rates; refresh: () => void } {
  const [list, setList] = useState<InterfacesResult | null>(null);
  const [rates, setRates] = useState<Rates>({});
  const prev = useRef<InterfacesResult | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    let alive = true;
    let first = true;
    const poll = async () => {
      try {
        const r = await request('interfaces', { refresh: first });
        first = false;
        if (!alive) return;
        const p = prev.current;
        if (p) {
          const dt = Math.max(0.001, (r.time - p.time) / 1000);
          setRates((old) => {
            const next: Rates = {};
            for (const i of r.interfaces) {
              const a = r.counters[i.name];
              const b = p.counters[i.name];
              const h = old[i.name] ?? [];
              next[i.name] = a && b ? [...h, Math.max(0, (a.packets - b.packets) / dt)].slice(-HISTORY) : h;
            }
            return next;
          });
        }
        prev.current = r;
        setList(r);
      } catch (e) {
        useStore.setState({ error: (e as Error).message });
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [active, tick]);
  return { list, rates, refresh: () => setTick((n) => n + 1) };
}

function ifaceAddresses(i: WireInterface): string {
  return i.addresses.map((a) => a.addr).join(', ');
}

export function CaptureStart(): ReactElement {
  const t = useT();
  const last = useCapture((s) => s.lastStart);
  const capture = useCapture((s) => s.capture);
  const files = useStore((s) => s.files);
  const { list, rates, refresh } = useInterfaces(true);
  const [iface, setIface] = useState<string | null>(last?.iface ?? null);
  const [filter, setFilter] = useState(last?.filter ?? '');
  const [check, setCheck] = useState<CaptureFilterCheck | null>(null);
  const [busy, setBusy] = useState(false);

  // The capture filter, compiled by libpcap as you type (debounced).
  useEffect(() => {
    if (filter.trim() === '') {
      setCheck(null);
      return;
    }
    let alive = true;
    const timer = setTimeout(() => {
      void request('checkCaptureFilter', iface ? { filter, iface } : { filter }).then(
        (r) => alive && setCheck(r),
        (e: Error) => alive && setCheck({ ok: false, error: e.message }),
      );
    }, 200);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [filter, iface]);

  const chosen = iface ?? list?.interfaces.find((i) => i.up && !i.loopback)?.name ?? list?.interfaces[0]?.name ?? null;
  const bad = check !== null && !check.ok;
  const start = async () => {
    if (!chosen || bad) return;
    setBusy(true);
    await startCapture({ iface: chosen, filter: filter.trim() });
    setBusy(false);
  };
  const err = capture?.state === 'idle' ? capture.error : null;
  const state = check === null ? '' : check.ok ? 'valid' : 'invalid';

  return (
    <section className="capture-start" aria-label={t('capture.title')}>
      <div className="capture-head">
        <h2>{t('capture.title')}</h2>
        <button type="button" onClick={refresh}>
          {t('capture.refresh')}
        </button>
        {files.length > 0 && (
          <button type="button" onClick={() => showStartScreen(false)}>
            {t('capture.back')}
          </button>
        )}
      </div>
      <form
        className="capture-filter"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label htmlFor="capture-filter">{t('capture.filter')}</label>
        <input
          id="capture-filter"
          className={`filter-input ${state}`}
          aria-invalid={bad}
          aria-describedby="capture-filter-error"
          placeholder={t('capture.filterPlaceholder')}
          spellCheck={false}
          autoComplete="off"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <button type="submit" className="capture-go" disabled={!chosen || bad || busy || isCapturing(capture)}>
          {t('capture.start')}
        </button>
        <span id="capture-filter-error" role="status" className="filter-error" title={bad ? check?.error : undefined}>
          {bad ? check?.error : ''}
        </span>
      </form>
      {err && (
        <div className="capture-error" role="alert">
          <strong>{t(problemHeading(err.code))}</strong> {err.message}
          {err.hint && <div className="capture-hint">{err.hint}</div>}
        </div>
      )}
      {list?.error && (
        <div className="capture-error" role="alert">
          <strong>{t(problemHeading(list.error.code))}</strong> {list.error.message}
          {list.error.hint && <div className="capture-hint">{list.error.hint}</div>}
        </div>
      )}
      <div role="listbox" aria-label={t('capture.interfaces')} className="iface-list" tabIndex={-1}>
        {list && list.interfaces.length === 0 && !list.error && <div className="iface-empty">{t('capture.noInterfaces')}</div>}
        {list?.interfaces.map((i) => {
          const r = rates[i.name] ?? [];
          const now = r.at(-1) ?? 0;
          const selected = chosen === i.name;
          return (
            <div
              key={i.name}
              role="option"
              aria-selected={selected}
              data-iface={i.name}
              className={`iface-row${selected ? ' selected' : ''}${i.up ? '' : ' down'}`}
              tabIndex={0}
              onClick={() => setIface(i.name)}
              onDoubleClick={() => {
                setIface(i.name);
                if (!bad) void startCapture({ iface: i.name, filter: filter.trim() });
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  setIface(i.name);
                  if (!bad) void startCapture({ iface: i.name, filter: filter.trim() });
                }
              }}
            >
              <span className="iface-name">{i.name}</span>
              <span className="iface-flags">
                {i.up ? t('capture.up') : t('capture.down')}
                {i.loopback ? ` · ${t('capture.loopback')}` : ''}
              </span>
              <span className="iface-addr" title={i.description}>
                {ifaceAddresses(i) || i.description}
              </span>
              <Sparkline values={r} label={t('capture.traffic', { name: i.name, rate: Math.round(now) })} />
              <span className="iface-rate">{t('capture.rate', { rate: Math.round(now) })}</span>
            </div>
          );
        })}
      </div>
    </section>
  );
}

/** The start screen where App puts it: when nothing is open, or after "New capture". */
export function CaptureStartGate(): ReactElement | null {
  const files = useStore((s) => s.files);
  const startScreen = useCapture((s) => s.startScreen);
  const capture = useCapture((s) => s.capture);
  if (isCapturing(capture)) return null;
  return files.length === 0 || startScreen ? <CaptureStart /> : null;
}
