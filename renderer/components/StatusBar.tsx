import type { ReactElement } from 'react';
import { useStore } from '../store.ts';
import { isCapturing, useCapture } from '../capture.ts';
import { CaptureStatus } from './CaptureToolbar.tsx';

export function StatusBar(): ReactElement {
  const files = useStore((s) => s.files);
  const progress = useStore((s) => s.progress);
  const displayed = useStore((s) => s.displayed);
  const total = useStore((s) => s.total);
  const error = useStore((s) => s.error);
  const name = files.map((f) => f.split(/[\\/]/).pop()).join(', ') || 'No capture open';
  const pct = progress && progress.totalBytes > 0 ? Math.min(100, Math.round((progress.bytes / progress.totalBytes) * 100)) : 100;
  const live = useCapture((s) => isCapturing(s.capture));
  const loading = progress !== null && !progress.done && !live;
  return (
    <footer className="status-bar" role="contentinfo">
      <span className="file" title={files.join('\n')}>{name}</span>
      <span>Packets: {total}</span>
      <span>Displayed: {displayed}</span>
      <CaptureStatus />
      {loading && (
        <span className="loading">
          <progress max={100} value={pct} aria-label="Loading capture" /> {pct}% · {progress.rate.toLocaleString()} pkt/s
        </span>
      )}
      {progress?.errors.length ? <span className="err">{progress.errors.join('; ')}</span> : null}
      {error && <span className="err" role="alert">{error}</span>}
    </footer>
  );
}
