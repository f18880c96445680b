import { readFile } from 'node:fs/promises';
import type { Protocol, Session, Shell, WebContents } from 'electron';
import { decidePermission, decideWindowOpen } from './policy.js';
import { APP_SCHEME, rendererHeaders, resolveRendererFile } from './protocol.js';

/**
 * The Electron side of the checklist in docs/architecture.md#electron-hardening: each function
 * takes the Electron object it hardens, so app/security/harden.test.ts runs it against fakes of
 * that boundary. The decisions themselves live in policy.ts, protocol.ts and startup.ts.
 */

/** Must run before `app` is ready: app:// is a standard, secure scheme with its own origin. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer on app://movelog; anything outside the folder is refused (protocol.ts). */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string, log: Pick<Console, 'warn'> = console): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const resolved = resolveRendererFile(rendererDir, request.method, request.url);
    if (!resolved.ok) {
      log.warn(`refused ${request.url.slice(0, 120)}: ${resolved.reason}`);
      return new Response(null, { status: resolved.status });
    }
    const body = await readFile(resolved.file).catch(() => null);
    if (body === null) return new Response(null, { status: 404 });
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: rendererHeaders(resolved.contentType) });
  });
}

/** Every permission request and check is refused, and every device selection. */
export function denyPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(decidePermission(permission).granted));
  session.setPermissionCheckHandler((_contents, permission) => decidePermission(permission).granted);
  session.setDevicePermissionHandler(() => false);
}

type Guarded = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Applied to every webContents as it is created (`web-contents-created`): no navigation, redirect
 * or frame navigation away from the loaded page, no <webview>, no new windows; an allow-listed
 * https link opens in the system browser.
 */
export function guardWebContents(contents: Guarded, shell: Pick<Shell, 'openExternal'>, log: Pick<Console, 'warn'> = console): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    log.warn(`refused navigation to ${event.url.slice(0, 120)}`);
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    log.warn(`refused redirect to ${event.url.slice(0, 120)}`);
  });
  contents.on('will-frame-navigate', (event) => {
    event.preventDefault();
    log.warn(`refused frame navigation to ${event.url.slice(0, 120)}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('refused a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) void shell.openExternal(url);
    else log.warn(`refused to open ${url.slice(0, 120)}`);
    return { action: decision.action };
  });
}
