// Toolbar menu "Name resolution" (Wireshark's View > Name Resolution): MAC vendor names and
// transport port names on or off. The engine applies them to rows and trees and saves the
// choice in the preferences file; network (IP) names stay off: pktscope never queries DNS.

import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { NameResolution } from '../../electron/ipc/contract.ts';
import { request } from '../api.ts';
import { refreshDecoding } from '../controller.ts';
import { useStore } from '../store.ts';
import { useT, type MessageKey } from '../i18n/index.ts';

const ITEMS: { key: keyof NameResolution; label: MessageKey }[] = [
  { key: 'mac', label: 'names.mac' },
  { key: 'transport', label: 'names.transport' },
  { key: 'network', label: 'names.network' },
];

export function NameResolutionMenu(): ReactElement {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [flags, setFlags] = useState<NameResolution | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    request('getNameResolution', null).then(setFlags, () => setFlags(null));
  }, []);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const toggle = async (key: keyof NameResolution) => {
    if (!flags || key === 'network') return;
    try {
      const next = await request('setNameResolution', { ...flags, [key]: !flags[key] });
      setFlags(next);
      if (useStore.getState().files.length) await refreshDecoding();
    } catch (e) {
      useStore.setState({ error: (e as Error).message });
    }
  };

  return (
    <div className="view-menu names-menu" ref={ref}>
      <button type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('names.menu')} ▾
      </button>
      {open && (
        <ul role="menu" aria-label={t('names.menu')}>
          {ITEMS.map(({ key, label }) => (
            <li key={key} role="none">
              <button
                type="button"
                role="menuitemcheckbox"
                aria-checked={flags?.[key] ?? false}
                aria-disabled={key === 'network' || !flags}
                title={key === 'network' ? t('names.networkOff') : undefined}
                onClick={() => void toggle(key)}
              >
                {flags?.[key] ? '✓ ' : '\u2003'}
                {t(label)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
