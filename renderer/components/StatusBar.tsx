import type { ReactElement } from 'react';
import { useStore } from '../store.ts';
import { useT } from '../i18n/index.ts';
import { isCapturing, useCapture } from '../capture.ts';
import { CaptureStatus } from './CaptureToolbar.tsx';

export function StatusBar(): ReactElement {
  const t = useT();
  const files = useStore((s) => s.files);
  const progress = useStore((s) => s.progress);
  const displayed = useStore((s) => s.displayed);
  const total = useStore((s) => s.total);
  const error = useStore((s) => s.error);
  const name = files.map((f) => f.split(/[\\/]/).pop()).join(', ') || t('ui.status.noCapture');
  const pct = progress && progress.totalBytes > 0 ? Math.min(100, Math.round((progress.bytes / progress.totalBytes) * 100)) : 100;
  const live = useCapture((s) => isCapturing(s.capture));
  const loading = progress !== null && !progress.done && !live;
  return (
    <footer className="status-bar" role="contentinfo">
      <span className="file" title={files.join('\n')}>{name}</span>
      <span>{t('ui.status.packets', { n: total })}</span>
      <span>{t('ui.status.displayed', { n: displayed })}</span>
      <CaptureStatus />
      {loading && (
        <span className="loading">
          <progress max={100} value={pct} aria-label={t('ui.status.loading')} /> {pct}% · {t('ui.status.rate', { n: progress.rate.toLocaleString() })}
        </span>
      )}
      {progress?.errors.length ? <span className="err">{progress.errors.join('; ')}</span> : null}
      {error && <span className="err" role="alert">{error}</span>}
    </footer>
  );
}
