// Ctrl+G: go to a packet by number.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { ensureRows, goToPacket } from '../controller.ts';
import { useStore } from '../store.ts';
import { useT } from '../i18n/index.ts';

export function GoTo(): ReactElement | null {
  const open = useStore((s) => s.goToOpen);
  const set = useStore((s) => s.set);
  const t = useT();
  const [v, setV] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) ref.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <form
      className="goto"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number(v);
        set({ goToOpen: false });
        if (Number.isInteger(n) && n > 0) {
          void goToPacket(n).then((i) => i !== null && ensureRows(i, i));
        }
      }}
    >
      <label>
        {t('ui.goto.label')} <input ref={ref} inputMode="numeric" value={v} onChange={(e) => setV(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && set({ goToOpen: false })} />
      </label>
    </form>
  );
}
