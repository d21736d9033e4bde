// Electron main-process side of the contract: one ipcMain handler per request, each checking
// that the sender is our window's main frame with our renderer loaded, and validating its
// argument before the session sees it.

import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { EVENT_CHANNEL, METHODS, channel, dispatch, type EventMessage } from './contract.ts';
import { Session } from './handlers.ts';
import type { PreferencesStore } from '../preferences.ts';

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, arg: unknown) => unknown): void;
  removeHandler(channel: string): void;
}

/** Wires a Session to ipcMain for one window. Returns the session (to open files from menus). */
export function wireIpc(ipcMain: IpcMainLike, contents: WebContents, allowedUrl: (url: string) => boolean, prefs?: PreferencesStore): Session {
  const session = new Session((event, data) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event, data } satisfies EventMessage);
  }, prefs);
  let id = 0;
  for (const m of METHODS) {
    ipcMain.handle(channel(m), async (e, arg) => {
      const frame = e.senderFrame;
      if (e.sender !== contents || !frame || frame !== contents.mainFrame || !allowedUrl(frame.url)) throw new Error('pktscope: request from an unexpected frame');
      const r = await dispatch(session.handlers, { id: ++id, method: m, arg: arg ?? null });
      if ('error' in r) throw new Error(r.error);
      return r.result;
    });
  }
  contents.once('destroyed', () => {
    for (const m of METHODS) ipcMain.removeHandler(channel(m));
    session.close();
  });
  return session;
}
