import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { openMovelog } from '../../main/core.js';
import type { Movelog } from '../../main/core.js';
import { lockDataFolder } from '../../main/folderLock.js';
import type { FolderLock } from '../../main/folderLock.js';
import { describeStoreFault } from '../../main/store/faults.js';
import { endingProcess } from '../../main/sync/transport.js';
import { bindIpc } from '../ipc/bind.js';
import { desktopUnlock, NO_KEYCHAIN } from './unlock.js';
import { denyPermissions, guardWebContents, registerAppScheme, serveAppProtocol } from '../security/harden.js';
import { rendererSource } from '../security/startup.js';

// The Electron shell: window, preload, IPC. No business logic lives here (docs/architecture.md#layers);
// every hardening decision is in app/security (docs/architecture.md#electron-hardening).
app.setName('Movelog');
registerAppScheme(protocol);

const rendererDir = join(import.meta.dirname, '../renderer');
const source = rendererSource(app.isPackaged, process.env.ELECTRON_RENDERER_URL);
if (source.ignored) console.warn(source.ignored);

let movelog: Movelog | null = null;
let lock: FolderLock | null = null;

// Every webContents, the window's or any other, gets the same guard the moment it exists.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, shell));

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Movelog',
    show: false,
    // Written out here rather than built by a helper so Electronegativity can read them
    // (docs/architecture.md#electron-hardening); app/main/index.test.ts checks them.
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Middle-click would otherwise open a link as a new window.
      disableBlinkFeatures: 'Auxclick',
      devTools: !app.isPackaged,
      spellcheck: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  const connection = `ipc:${String(win.webContents.id)}`;
  win.on('closed', () => movelog?.sessions.forget(connection));
  void win.loadURL(source.url);
}

app
  .whenReady()
  .then(() => {
    denyPermissions(session.defaultSession);
    serveAppProtocol(protocol, rendererDir);
    const dataDir = resolve(process.env.MOVELOG_DATA ?? app.getPath('userData'));
    // The app is its data folder's one writer: a second window of Movelog, `movelog serve` or
    // `movelog sync` on the same folder is refused, naming the one running (docs/architecture.md#runtime).
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    lock = lockDataFolder(dataDir, 'Movelog app');
    const unlock = desktopUnlock(dataDir, safeStorage);
    if (!unlock) throw new Error(NO_KEYCHAIN);
    // A damaged page is refused before the window opens (docs/architecture.md#faults).
    movelog = openMovelog(dataDir, Date.now, console, unlock, { checkPages: true });
    // Sync runs in this process once the device has a signalling server (the Network page).
    movelog.network.autoSync = true;
    try {
      movelog.network.startIfConfigured();
    } catch (error) {
      console.error('Movelog sync did not start:', error);
    }
    bindIpc(ipcMain, movelog, source.trusted);
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  })
  .catch((error: unknown) => {
    // A full disk or a damaged database says what to do (docs/architecture.md#faults).
    dialog.showErrorBox('Movelog could not start', describeStoreFault(error) ?? (error instanceof Error ? error.message : String(error)));
    movelog?.close();
    movelog = null;
    lock?.release();
    lock = null;
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
  lock?.release();
  lock = null;
});
