// Toolbar controls for live capture and saving: Stop / Restart while capturing, New capture
// (back to the start screen) otherwise, and Save as… / Export displayed… (pcap or pcapng).
// Electron shows its save dialog; browser mode asks for a path on the server.

import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { SaveFormatName } from '../../electron/ipc/contract.ts';
import { hasNativeDialogs, initCapture, isCapturing, restartCapture, saveCapture, showStartScreen, stopCapture, useCapture } from '../capture.ts';
import { useT } from '../i18n/index.ts';
import { useStore } from '../store.ts';
import '../capture.css';

function SaveForm({ kind, close }: { kind: 'save' | 'export'; close: () => void }): ReactElement {
  const t = useT();
  const files = useStore((s) => s.files);
  const native = hasNativeDialogs();
  const base = (files[0] ?? 'capture').replace(/\.(pcapng|pcap|cap)$/i, '');
  const [format, setFormat] = useState<SaveFormatName>('pcapng');
  const [path, setPath] = useState(`${base}${kind === 'export' ? '-displayed' : '-saved'}.pcapng`);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const off = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) close();
    };
    document.addEventListener('mousedown', off);
    return () => document.removeEventListener('mousedown', off);
  }, [close]);
  const pickFormat = (f: SaveFormatName) => {
    setFormat(f);
    setPath((p) => p.replace(/\.(pcapng|pcap)$/i, '') + '.' + f);
  };
  return (
    <form
      ref={ref}
      className="save-form"
      aria-label={kind === 'save' ? t('save.saveAs') : t('save.exportDisplayed')}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const r = await saveCapture(kind, format, native ? undefined : path.trim());
        setBusy(false);
        if (r?.path) close();
      }}
      onKeyDown={(e) => e.key === 'Escape' && close()}
    >
      <label>
        {t('save.format')}{' '}
        <select value={format} onChange={(e) => pickFormat(e.target.value as SaveFormatName)}>
          <option value="pcapng">pcapng</option>
          <option value="pcap">pcap</option>
        </select>
      </label>
      {!native && (
        <label>
          {t('save.path')}{' '}
          <input className="save-path" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} autoFocus />
        </label>
      )}
      <button type="submit" disabled={busy || (!native && path.trim() === '')}>
        {t('save.save')}
      </button>
      <button type="button" onClick={close}>
        {t('save.cancel')}
      </button>
    </form>
  );
}

export function CaptureToolbar(): ReactElement {
  const t = useT();
  const capture = useCapture((s) => s.capture);
  const startScreen = useCapture((s) => s.startScreen);
  const files = useStore((s) => s.files);
  const [form, setForm] = useState<'save' | 'export' | null>(null);
  useEffect(() => initCapture(), []);
  const running = isCapturing(capture);
  const hasCapture = files.length > 0;
  return (
    <div className="capture-toolbar" role="group" aria-label={t('capture.controls')}>
      {running ? (
        <>
          <button type="button" className="capture-stop" onClick={() => void stopCapture()} disabled={capture?.state === 'stopping'}>
            ■ {t('capture.stop')}
          </button>
          <button type="button" onClick={() => void restartCapture()} disabled={capture?.state !== 'running'}>
            ↻ {t('capture.restart')}
          </button>
        </>
      ) : (
        hasCapture &&
        !startScreen && (
          <button type="button" onClick={() => showStartScreen(true)}>
            ● {t('capture.new')}
          </button>
        )
      )}
      {hasCapture && !running && (
        <>
          <button type="button" onClick={() => setForm(form === 'save' ? null : 'save')} aria-expanded={form === 'save'} className={capture?.unsaved ? 'capture-unsaved' : undefined} title={capture?.unsaved ? t('capture.unsaved') : undefined}>
            {t('save.saveAs')}
          </button>
          <button type="button" onClick={() => setForm(form === 'export' ? null : 'export')} aria-expanded={form === 'export'}>
            {t('save.exportDisplayed')}
          </button>
        </>
      )}
      {form && !running && <SaveForm kind={form} close={() => setForm(null)} />}
    </div>
  );
}

/** Status bar part: capture state, packets captured and libpcap's drop counters (ps_drop, ps_ifdrop). */
export function CaptureStatus(): ReactElement | null {
  const t = useT();
  const c = useCapture((s) => s.capture);
  const saved = useCapture((s) => s.saved);
  if (!c || c.state === 'idle') {
    return saved ? <span className="capture-saved">{t('save.saved', { n: saved.packets, path: saved.path })}</span> : null;
  }
  const live = isCapturing(c);
  return (
    <span className={`capture-status${live ? ' live' : ''}`} role="status" aria-label={t('capture.controls')}>
      {t(live ? 'capture.running' : 'capture.stopped', { iface: c.iface })} · {t('capture.packets', { n: c.packets })} ·{' '}
      <span className={c.dropped + c.ifDropped > 0 ? 'drops' : ''}>{t('capture.drops', { drop: c.dropped, ifdrop: c.ifDropped })}</span>
      {c.unsaved && !live ? <span className="capture-unsaved"> · {t('capture.unsaved')}</span> : null}
      {saved && !live ? ` · ${t('save.saved', { n: saved.packets, path: saved.path })}` : ''}
    </span>
  );
}
