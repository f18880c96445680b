import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { denyPermissions, guardWebContents, registerAppScheme, serveAppProtocol } from './harden.js';
import { PREVENTED_EVENTS } from './policy.js';

// The Electron binary cannot run here: each test hands the function a fake of the one Electron
// object it hardens and checks what was registered on it.
const quiet = { warn: () => undefined };

type Listener = (event: { url: string; preventDefault(): void }) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (name: string, listener: Listener) => listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  };
  return { contents, listeners, open: (url: string) => openHandler!({ url }) };
}

describe('guardWebContents', () => {
  it('prevents every navigation, redirect, frame navigation and webview', () => {
    const { contents, listeners } = fakeContents();
    guardWebContents(contents as never, { openExternal: () => Promise.resolve() }, quiet);
    for (const name of PREVENTED_EVENTS) {
      let prevented = false;
      listeners.get(name)!({ url: 'https://evil.example/', preventDefault: () => (prevented = true) });
      expect(prevented, name).toBe(true);
    }
  });

  it('denies every new window and opens no link that is not allow-listed', () => {
    const { contents, open } = fakeContents();
    const opened: string[] = [];
    guardWebContents(contents as never, { openExternal: (url: string) => Promise.resolve(void opened.push(url)) }, quiet);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(opened).toEqual([]);
  });
});

describe('denyPermissions', () => {
  it('refuses every request, check and device', () => {
    const handlers: Record<string, (...args: unknown[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    };
    denyPermissions(session);
    for (const permission of ['media', 'notifications', 'openExternal', 'clipboard-read']) {
      let granted: unknown = 'unanswered';
      handlers.request!(null, permission, (answer: boolean) => (granted = answer));
      expect(granted, permission).toBe(false);
      expect(handlers.check!(null, permission, 'app://movelog', {}), permission).toBe(false);
    }
    expect(handlers.device!({})).toBe(false);
  });
});

describe('app:// protocol', () => {
  it('registers app as a standard, secure scheme', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => registered.push(...schemes) });
    expect(registered).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the renderer with the CSP and refuses what lies outside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'movelog-protocol-'));
    const rendererDir = join(root, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Movelog</title>');
    writeFileSync(join(root, 'device.key'), 'secret');
    let handler: ((request: Request) => Promise<Response>) | null = null;
    serveAppProtocol({ handle: (_scheme, h) => (handler = h as never) }, rendererDir, quiet);
    const get = (url: string) => handler!(new Request(url));

    const page = await get('app://movelog/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self'; connect-src 'self'; /);
    expect(await page.text()).toContain('<title>Movelog</title>');
    expect((await get('app://movelog/patients/42')).status).toBe(200);
    expect((await get('app://movelog/assets/missing.js')).status).toBe(404);
    const traversal = await get('app://movelog/assets/..%2f..%2fdevice.key');
    expect(traversal.status).toBe(403);
    expect(await traversal.text()).toBe('');
    expect((await get('app://other/index.html')).status).toBe(403);
  });
});
