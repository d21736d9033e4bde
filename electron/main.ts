// Electron shell: one locked-down window on the built renderer, the contract over IPC.
// `pktscope-app FILE...` / `npm start -- FILE...` open files from the command line.

import { app, BrowserWindow, dialog, ipcMain, Menu, shell } from 'electron';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { wireIpc } from './ipc/electron-main.ts';
import { PreferencesStore } from './preferences.ts';
import type { Session } from './ipc/handlers.ts';

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
  const open = (paths: string[]) => {
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
