// Live capture on the renderer side: the capture state pushed by the engine side
// (`captureState` events), start / stop / restart, Save As and Export Displayed, and the
// unsaved-capture guard (browser mode: `beforeunload`; Electron asks in the main process).

import { create } from 'zustand';
import type { CaptureState, SaveFormatName, SaveResult, StartCaptureRequest } from '../electron/ipc/contract.ts';
import { on, request } from './api.ts';
import { t } from './i18n/index.ts';
import { useStore } from './store.ts';

export interface CaptureUi {
  capture: CaptureState | null;
  /** The last start attempt's options (the start screen keeps them). */
  lastStart: StartCaptureRequest | null;
  /** Show the start screen although a capture is open ("New capture"). */
  startScreen: boolean;
  /** Result of the last save, for the status line. */
  saved: { path: string; packets: number } | null;
}

export const useCapture = create<CaptureUi>()(() => ({ capture: null, lastStart: null, startScreen: false, saved: null }));

export function isCapturing(s: CaptureState | null): boolean {
  return s !== null && (s.state === 'starting' || s.state === 'running' || s.state === 'stopping');
}

/** True in Electron (the main process shows native dialogs), false in browser mode. */
export function hasNativeDialogs(): boolean {
  return typeof window !== 'undefined' && window.pktscope !== undefined;
}

let initialized = false;

/** Subscribes to capture events; call once at start-up. */
export function initCapture(): void {
  if (initialized) return;
  initialized = true;
  on('captureState', (s) => {
    useCapture.setState({ capture: s });
  });
  void request('captureState', null).then(
    (s) => useCapture.setState({ capture: s }),
    () => {},
  );
  if (!hasNativeDialogs()) {
    // Browser mode: the browser asks before leaving a page with an unsaved capture.
    window.addEventListener('beforeunload', (e) => {
      const s = useCapture.getState().capture;
      if (s && (s.unsaved || isCapturing(s))) {
        e.preventDefault();
        // Older engines need a non-empty returnValue (the text itself is never shown).
        e.returnValue = t('capture.discardConfirm');
      }
    });
  }
}

/** Asks before dropping an unsaved capture; true when it may go. */
export function confirmDiscard(): boolean {
  const s = useCapture.getState().capture;
  if (!s?.unsaved) return true;
  return window.confirm(t('capture.discardConfirm'));
}

export async function startCapture(req: StartCaptureRequest): Promise<CaptureState | null> {
  if (!confirmDiscard()) return null;
  useCapture.setState({ lastStart: req, saved: null });
  try {
    const s = await request('startCapture', req);
    useCapture.setState({ capture: s, startScreen: s.error !== null && s.state === 'idle' ? useCapture.getState().startScreen : false });
    return s;
  } catch (e) {
    useStore.setState({ error: (e as Error).message });
    return null;
  }
}

export async function stopCapture(): Promise<void> {
  try {
    useCapture.setState({ capture: await request('stopCapture', null) });
  } catch (e) {
    useStore.setState({ error: (e as Error).message });
  }
}

export async function restartCapture(): Promise<void> {
  // Restarting drops the packets captured so far (running: not yet marked unsaved).
  const s = useCapture.getState().capture;
  if ((s?.unsaved || (isCapturing(s) && s!.packets > 0)) && !window.confirm(t('capture.discardConfirm'))) return;
  try {
    useCapture.setState({ capture: await request('restartCapture', null), saved: null });
  } catch (e) {
    useStore.setState({ error: (e as Error).message });
  }
}

/**
 * Save As (all packets) or Export Displayed (the filtered ones). Electron: the main process
 * shows the save dialog (no path sent). Browser mode: `path` is a path on the server; an
 * existing file is replaced only after the user confirms.
 */
export async function saveCapture(kind: 'save' | 'export', format: SaveFormatName, path?: string): Promise<SaveResult | null> {
  const method = kind === 'save' ? 'saveAs' : 'exportDisplayed';
  try {
    let r = await request(method, path !== undefined ? { path, format } : { format });
    if (r.exists !== undefined) {
      if (!window.confirm(t('save.overwrite', { path: r.exists }))) return null;
      r = await request(method, { path: r.exists, format, overwrite: true });
    }
    if (r.path) useCapture.setState({ saved: { path: r.path, packets: r.packets } });
    return r;
  } catch (e) {
    useStore.setState({ error: t('save.failed', { message: (e as Error).message }) });
    return null;
  }
}

/** Back to the start screen to begin another capture (the one shown stays until a new one starts). */
export function showStartScreen(on: boolean): void {
  useCapture.setState({ startScreen: on });
}
