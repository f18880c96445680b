import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, shell } from 'electron';
import { openMovelog } from '../../main/core.js';
import type { Movelog } from '../../main/core.js';
import { endingProcess } from '../../main/sync/transport.js';
import { bindIpc } from '../ipc/bind.js';

// The Electron shell: window, preload, IPC. No business logic lives here (docs/architecture.md#layers).
app.setName('Movelog');

const rendererDir = join(import.meta.dirname, '../renderer');
const devServerUrl = process.env.ELECTRON_RENDERER_URL ?? null;

let movelog: Movelog | null = null;

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Movelog',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  const connection = `ipc:${String(win.webContents.id)}`;
  win.on('closed', () => movelog?.sessions.forget(connection));
  // No navigation away from the app and no new windows; external links open in the browser.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(join(rendererDir, 'index.html'));
}

app
  .whenReady()
  .then(() => {
    movelog = openMovelog(process.env.MOVELOG_DATA ?? app.getPath('userData'));
    // Sync runs in this process once the device has a signalling server (the Network page).
    movelog.network.autoSync = true;
    try {
      movelog.network.startIfConfigured();
    } catch (error) {
      console.error('Movelog sync did not start:', error);
    }
    bindIpc(ipcMain, movelog, {
      rendererFileBase: pathToFileURL(rendererDir + '/').href,
      devServerOrigin: devServerUrl ? new URL(devServerUrl).origin : null,
    });
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  })
  .catch((error: unknown) => {
    dialog.showErrorBox('Movelog could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  // The process ends now: rooms are left without closing their WebRTC connections (transport.ts).
  endingProcess();
  void movelog?.network.stop();
  movelog?.close();
  movelog = null;
});
