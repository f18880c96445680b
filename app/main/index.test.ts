import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Vault } from '../../main/store/vault.js';
import { openMovelog } from '../../main/core.js';
import { FolderLockedError, lockDataFolder } from '../../main/folderLock.js';
import { DAMAGED_MESSAGE } from '../../main/store/faults.js';

// The Electron binary cannot run here: the electron module is faked at that boundary (and only
// there; the data folder and Movelog behind the window are real) to see how the shell wires the
// hardening of app/security into a packaged app.
const calls = vi.hoisted(() => ({
  appListeners: new Map<string, ((...args: unknown[]) => void)[]>(),
  errorBoxes: [] as { title: string; content: string }[],
  exits: [] as (number | undefined)[],
  schemes: [] as unknown[],
  handledSchemes: [] as string[],
  windows: [] as { options: { webPreferences: Record<string, unknown> }; loaded: string[] }[],
  permissionHandlers: [] as string[],
  ipcChannels: [] as string[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => calls.windows;
    readonly webContents = { id: 1 };
    readonly loaded: string[] = [];
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      calls.windows.push(this);
    }
    once() {}
    on() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  const session = {
    setPermissionRequestHandler: () => calls.permissionHandlers.push('request'),
    setPermissionCheckHandler: () => calls.permissionHandlers.push('check'),
    setDevicePermissionHandler: () => calls.permissionHandlers.push('device'),
  };
  return {
    app: {
      isPackaged: true,
      setName: () => undefined,
      whenReady: () => Promise.resolve(),
      getPath: () => '/nonexistent',
      on: (name: string, listener: (...args: unknown[]) => void) => calls.appListeners.set(name, [...(calls.appListeners.get(name) ?? []), listener]),
      exit: (code?: number) => calls.exits.push(code),
      quit: () => undefined,
    },
    BrowserWindow,
    dialog: { showErrorBox: (title: string, content: string) => calls.errorBoxes.push({ title, content }) },
    ipcMain: { handle: (channel: string) => calls.ipcChannels.push(channel) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => calls.schemes.push(...schemes),
      handle: (scheme: string) => calls.handledSchemes.push(scheme),
    },
    session: { defaultSession: session },
    // A keychain (as libsecret would be): the vault's key is wrapped by it, not by a passphrase.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(plain, 'utf8').reverse(),
      decryptString: (sealed: Buffer) => Buffer.from(sealed).reverse().toString('utf8'),
    },
    shell: { openExternal: () => Promise.resolve() },
  };
});

beforeAll(async () => {
  process.env.MOVELOG_DATA = mkdtempSync(join(tmpdir(), 'movelog-electron-'));
  // A packaged build given a dev server address must ignore it.
  process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  await import('./index.js');
  await vi.waitFor(() => expect(calls.windows).toHaveLength(1));
});

const quit = () => {
  for (const listener of calls.appListeners.get('will-quit') ?? []) listener();
};

afterAll(() => {
  quit();
  delete process.env.ELECTRON_RENDERER_URL;
  delete process.env.MOVELOG_DATA;
});

describe('the Electron shell of a packaged build', () => {
  it('loads app://movelog, not the dev server and not file://', () => {
    expect(calls.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(calls.handledSchemes).toEqual(['app']);
    expect(calls.windows[0]!.loaded).toEqual(['app://movelog/index.html']);
  });

  it('opens its window locked down, without DevTools', () => {
    expect(calls.windows[0]!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
  });

  it("locks its data folder's vault with the OS keychain (docs/architecture.md#the-vault)", () => {
    expect(Vault.kindOf(process.env.MOVELOG_DATA ?? '')).toBe('safeStorage');
  });

  it('guards every webContents, refuses permissions and binds the one IPC channel', () => {
    expect(calls.appListeners.has('web-contents-created')).toBe(true);
    expect(calls.permissionHandlers.sort()).toEqual(['check', 'device', 'request']);
    expect(calls.ipcChannels).toEqual(['movelog:invoke']);
  });
});

describe('one writer per data folder (docs/architecture.md#runtime)', () => {
  it('holds its data folder while it runs: movelog serve or sync on it is refused, naming the app', () => {
    const dir = process.env.MOVELOG_DATA ?? '';
    let refused: unknown = null;
    try {
      lockDataFolder(dir, 'movelog serve').release();
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(FolderLockedError);
    expect((refused as FolderLockedError).holder).toMatchObject({ pid: process.pid, purpose: 'Movelog app' });
  });

  it('a second app on the same folder shows why it cannot start and exits, leaving the first running', async () => {
    const windows = calls.windows.length;
    vi.resetModules();
    await import('./index.js');
    await vi.waitFor(() => expect(calls.exits).toEqual([1]));
    expect(calls.errorBoxes).toHaveLength(1);
    expect(calls.errorBoxes[0]!.title).toBe('Movelog could not start');
    expect(calls.errorBoxes[0]!.content).toContain(
      `Another Movelog process is already running on ${process.env.MOVELOG_DATA ?? ''}: "Movelog app" (process ${String(process.pid)}`,
    );
    expect(calls.windows).toHaveLength(windows);
  });

  it('lets the folder go when it quits', () => {
    quit();
    lockDataFolder(process.env.MOVELOG_DATA ?? '', 'movelog serve').release();
  });

  it('a damaged database is refused at start with the message that names the way back, and the folder is let go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'movelog-electron-damaged-'));
    openMovelog(dir).close();
    // The file header of movelog.db, overwritten: SQLite reads it as "file is not a database".
    const fd = openSync(join(dir, 'movelog.db'), 'r+');
    writeSync(fd, Buffer.alloc(32, 0xa5), 0, 32, 0);
    closeSync(fd);
    process.env.MOVELOG_DATA = dir;
    const before = calls.errorBoxes.length;
    vi.resetModules();
    await import('./index.js');
    await vi.waitFor(() => expect(calls.errorBoxes).toHaveLength(before + 1));
    expect(calls.errorBoxes.at(-1)).toEqual({ title: 'Movelog could not start', content: DAMAGED_MESSAGE });
    expect(calls.exits.at(-1)).toBe(1);
    lockDataFolder(dir, 'movelog serve').release();
  });
});
