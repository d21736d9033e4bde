// Display filter input: validated as you type with decoders/filter (pure TS, runs here),
// field-name completion from the registry, history, Enter applies.

import { useMemo, useState, type ReactElement } from 'react';
import { checkFilter } from '../../decoders/filter/index.ts';
import { defaultRegistry } from '../../decoders/index.ts';
import { applyFilter } from '../controller.ts';
import { useStore } from '../store.ts';
import { useT } from '../i18n/index.ts';

let fieldNames: string[] | null = null;
function allFieldNames(): string[] {
  if (!fieldNames) {
    const r = defaultRegistry();
    fieldNames = [...new Set(r.allFields().map((f) => f.abbrev))].sort();
  }
  return fieldNames;
}

export function FilterBar(): ReactElement {
  const text = useStore((s) => s.filterText);
  const check = useStore((s) => s.filterCheck);
  const applied = useStore((s) => s.appliedFilter);
  const running = useStore((s) => s.filterRunning);
  const displayed = useStore((s) => s.displayed);
  const total = useStore((s) => s.total);
  const set = useStore((s) => s.set);
  const t = useT();
  const [history, setHistory] = useState<string[]>([]);

  const onChange = (v: string) => {
    const err = v.trim() === '' ? null : checkFilter(v);
    set({ filterText: v, filterCheck: v.trim() === '' ? null : err ? { ok: false, error: { message: err.message, start: err.start, end: err.end } } : { ok: true } });
  };

  const suggestions = useMemo(() => {
    const m = /([A-Za-z_][\w.-]*)$/.exec(text);
    if (!m || m[1]!.length < 2) return history.slice(0, 10);
    const word = m[1]!;
    const head = text.slice(0, text.length - word.length);
    const out: string[] = [];
    for (const f of allFieldNames()) {
      if (f.startsWith(word) && f !== word) out.push(head + f);
      if (out.length >= 20) break;
    }
    return out;
  }, [text, history]);

  const apply = async () => {
    if (check && !check.ok) return;
    const ok = await applyFilter(text);
    if (ok && text.trim()) setHistory((h) => [text, ...h.filter((x) => x !== text)].slice(0, 30));
  };

  const state = check === null ? '' : check.ok ? 'valid' : 'invalid';
  return (
    <div className="filter-bar">
      <label htmlFor="display-filter" className="visually-hidden">
        {t('ui.filter.label')}
      </label>
      <input
        id="display-filter"
        className={`filter-input ${state}`}
        aria-invalid={state === 'invalid'}
        aria-describedby="filter-error"
        placeholder={t('ui.filter.placeholder')}
        spellCheck={false}
        autoComplete="off"
        list="filter-suggestions"
        value={text}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void apply();
          if (e.key === 'Escape') onChange(applied);
        }}
      />
      <datalist id="filter-suggestions">
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <button type="button" onClick={() => void apply()} disabled={state === 'invalid'}>
        {t('ui.filter.apply')}
      </button>
      <span id="filter-error" role="status" className="filter-error">
        {check && !check.ok ? check.error?.message : ''}
      </span>
      <span className="filter-count" aria-live="polite">
        {running ? t('ui.filter.running', { scanned: running.scanned, total: running.total }) : t('ui.filter.displayed', { displayed, total })}
      </span>
    </div>
  );
}
