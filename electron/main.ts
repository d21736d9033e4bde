// Electron shell: one locked-down window on the built renderer, the contract over IPC.
// `pktscope-app FILE...` / `npm start -- FILE...` open files from the command line.

import { app, BrowserWindow, dialog, ipcMain, Menu, shell } from 'electron';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { wireIpc } from './ipc/electron-main.ts';
import { PreferencesStore } from './preferences.ts';
import type { Session } from './ipc/handlers.ts';
import { en, type MessageKey } from '../renderer/i18n/en.ts';
import { zhCN } from '../renderer/i18n/zh-CN.ts';

/** Dialog text in the OS language (the renderer's catalogs: plain data). */
function tr(key: MessageKey): string {
  return (/^zh(-CN|-Hans|-SG)?$/i.test(app.getLocale()) || app.getLocale().toLowerCase() === 'zh' ? zhCN : en)[key];
}

/** Save As from the renderer: Electron's save dialog picks the path; closing asks about an unsaved capture. */
function wireCapture(win: BrowserWindow, session: Session): void {
  session.configureCapture({
    choosePath: async (kind, format) => {
      const r = await dialog.showSaveDialog(win, {
        title: tr(kind === 'save' ? 'save.dialogSave' : 'save.dialogExport'),
        defaultPath: `capture.${format}`,
        filters: [{ name: format, extensions: [format] }, { name: tr('save.allFiles'), extensions: ['*'] }],
      });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  });
  let closing = false;
  win.on('close', (e) => {
    const c = session.capture;
    if (closing || !(c.unsaved || c.running)) return;
    e.preventDefault();
    void (async () => {
      const r = await dialog.showMessageBox(win, { type: 'question', buttons: [tr('capture.closeSave'), tr('capture.closeDiscard'), tr('save.cancel')], defaultId: 0, cancelId: 2, message: tr('capture.closePrompt'), detail: tr('capture.closeDetail') });
      if (r.response === 2) return;
      if (c.running) await c.stop();
      if (r.response === 0) {
        const saved = await session.handlers.saveAs({ format: 'pcapng' });
        if (!saved.path) return;
      } else c.discardFiles();
      closing = true;
      win.close();
    })().catch((err: Error) => dialog.showErrorBox('pktscope', err.message));
  });
}

// Bundled to out/electron/main.cjs: the renderer is out/renderer.
const rendererIndex = join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
const recent: string[] = [];

function filesFromArgv(argv: readonly string[]): string[] {
  // Skip the executable (and the app path when run as `electron main.cjs`).
  const args = argv.slice(app.isPackaged ? 1 : 2);
  return args.filter((a) => !a.startsWith('-')).map((a) => resolve(a));
}

function createWindow(files: string[]): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'pktscope',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const contents = win.webContents;
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const session: Session = wireIpc(ipcMain, contents, (url) => url.split('?')[0] === rendererUrl, new PreferencesStore(join(app.getPath('userData'), 'preferences.json')));
  wireCapture(win, session);
  const open = (paths: string[]) => {
    // Opening a file lets an unsaved capture go (its temporary file is removed): ask first.
    if (session.capture.unsaved && dialog.showMessageBoxSync(win, { type: 'question', buttons: [tr('capture.closeDiscard'), tr('save.cancel')], defaultId: 1, cancelId: 1, message: tr('capture.discardConfirm') }) !== 0) return;
    try {
      const info = session.open(paths);
      for (const p of paths) if (!recent.includes(p)) recent.unshift(p);
      recent.splice(10);
      app.addRecentDocument(paths[0]!);
      contents.send('pktscope:event', { event: 'opened', data: info });
    } catch (e) {
      dialog.showErrorBox('pktscope', (e as Error).message);
    }
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          {
            label: 'Open…',
            accelerator: 'CmdOrCtrl+O',
            click: async () => {
              const r = await dialog.showOpenDialog(win, { properties: ['openFile', 'multiSelections'], filters: [{ name: 'Captures', extensions: ['pcap', 'pcapng', 'cap', 'gz'] }, { name: 'All files', extensions: ['*'] }] });
              if (!r.canceled && r.filePaths.length) open(r.filePaths);
            },
          },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
    ]),
  );
  contents.once('did-finish-load', () => {
    if (files.length) open(files);
  });
  void win.loadFile(rendererIndex);
}

app.enableSandbox();
void app.whenReady().then(() => {
  createWindow(filesFromArgv(process.argv));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow([]);
  });
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
