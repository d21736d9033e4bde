import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { useStore } from '../store.ts';
import { VIEWS, viewById } from '../views/registry.ts';
import { LOCALES, getLocale, setLocale, useT, type Locale } from '../i18n/index.ts';

/** Toolbar menu that opens one of the analysis views in the dock (ARIA menu button: arrows, Home/End, Escape). */
export function ViewMenu(): ReactElement | null {
  const t = useT();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  /** Item to focus when the menu opens: first, last. */
  const [focusAt, setFocusAt] = useState<'first' | 'last'>('first');
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const items = ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]');
    items?.[focusAt === 'first' ? 0 : items.length - 1]?.focus();
  }, [open, focusAt]);
  if (VIEWS.length === 0) return null;
  const openAt = (at: 'first' | 'last') => {
    setFocusAt(at);
    setOpen(true);
  };
  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      openAt(e.key === 'ArrowDown' ? 'first' : 'last');
    }
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const k = items.indexOf(document.activeElement as HTMLElement);
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = (k + 1) % items.length;
    else if (e.key === 'ArrowUp') next = (k - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
      return;
    } else if (e.key === 'Tab') setOpen(false);
    if (next === null) return;
    e.preventDefault();
    items[next]?.focus();
  };
  return (
    <div className="view-menu" ref={ref}>
      <button
        type="button"
        ref={buttonRef}
        id="view-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? 'view-menu-list' : undefined}
        onClick={() => (open ? setOpen(false) : openAt('first'))}
        onKeyDown={onButtonKey}
      >
        {t('app.views')} ▾
      </button>
      {open && (
        <ul role="menu" id="view-menu-list" aria-labelledby="view-menu-button" onKeyDown={onMenuKey}>
          {VIEWS.map((v) => (
            <li key={v.id} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => {
                  useStore.getState().set({ view: v.id });
                  setOpen(false);
                  // Keyboard users land on the view's tab.
                  requestAnimationFrame(() => document.getElementById(`view-tab-${v.id}`)?.focus());
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

/** The dock under the packet panes: tabs of the views (ARIA tabs: arrows, Home/End), the open one below them. */
export function ViewDock(): ReactElement | null {
  const t = useT();
  const view = useStore((s) => s.view);
  const def = viewById(view);
  if (!def) return null;
  const View = def.component;
  const onTabKey = (e: KeyboardEvent) => {
    const k = VIEWS.findIndex((v) => v.id === def.id);
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (k + 1) % VIEWS.length;
    else if (e.key === 'ArrowLeft') next = (k - 1 + VIEWS.length) % VIEWS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = VIEWS.length - 1;
    if (next === null) return;
    e.preventDefault();
    const id = VIEWS[next]!.id;
    useStore.getState().set({ view: id });
    requestAnimationFrame(() => document.getElementById(`view-tab-${id}`)?.focus());
  };
  return (
    <section className="view-dock" aria-label={t(def.title)} data-view={def.id}>
      <div className="view-tabs">
        <div role="tablist" aria-label={t('app.views')} onKeyDown={onTabKey}>
          {VIEWS.map((v) => (
            <button
              key={v.id}
              id={`view-tab-${v.id}`}
              type="button"
              role="tab"
              aria-selected={v.id === def.id}
              aria-controls="view-panel"
              tabIndex={v.id === def.id ? 0 : -1}
              onClick={() => useStore.getState().set({ view: v.id })}
            >
              {t(v.title)}
            </button>
          ))}
        </div>
        <button type="button" className="view-close" aria-label={t('app.closeView')} title={t('app.closeView')} onClick={() => useStore.getState().set({ view: null })}>
          ×
        </button>
      </div>
      <div className="view-body" role="tabpanel" id="view-panel" tabIndex={0} aria-labelledby={`view-tab-${def.id}`}>
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
