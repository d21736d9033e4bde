import { useEffect, useRef, useState, type ReactElement } from 'react';
import { useStore } from '../store.ts';
import { VIEWS, viewById } from '../views/registry.ts';
import { LOCALES, getLocale, setLocale, useT, type Locale } from '../i18n/index.ts';

/** Toolbar menu that opens one of the analysis views in the dock. */
export function ViewMenu(): ReactElement | null {
  const t = useT();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  if (VIEWS.length === 0) return null;
  return (
    <div className="view-menu" ref={ref}>
      <button type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('app.views')} ▾
      </button>
      {open && (
        <ul role="menu">
          {VIEWS.map((v) => (
            <li key={v.id} role="none">
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  useStore.getState().set({ view: v.id });
                  setOpen(false);
                }}
              >
                {t(v.title)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The dock under the packet panes: tabs of the views, the open one below them. */
export function ViewDock(): ReactElement | null {
  const t = useT();
  const view = useStore((s) => s.view);
  const def = viewById(view);
  if (!def) return null;
  const View = def.component;
  return (
    <section className="view-dock" aria-label={t(def.title)} data-view={def.id}>
      <div className="view-tabs" role="tablist">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            aria-selected={v.id === def.id}
            onClick={() => useStore.getState().set({ view: v.id })}
          >
            {t(v.title)}
          </button>
        ))}
        <button type="button" className="view-close" aria-label={t('app.closeView')} title={t('app.closeView')} onClick={() => useStore.getState().set({ view: null })}>
          ×
        </button>
      </div>
      <div className="view-body" role="tabpanel">
        <View />
      </div>
    </section>
  );
}

export function LanguageSelect(): ReactElement {
  const t = useT();
  return (
    <label className="lang-select">
      {t('app.language')}{' '}
      <select value={getLocale()} onChange={(e) => setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l.id} value={l.id}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
