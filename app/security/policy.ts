/**
 * What the Electron shell allows a web page to do, decided here without Electron so each rule is
 * a unit test (docs/architecture.md#electron-hardening). app/main/index.ts applies these to every
 * webContents (the `web-contents-created` guard), not only to the window it made.
 */

/** Events whose default is prevented on every webContents: no page leaves app://, none embeds a <webview>. */
export const PREVENTED_EVENTS = ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview'] as const;

/**
 * Origins a link may open in the system browser. The renderer links nowhere today, so the list is
 * empty and every external link is dropped; an origin added here (exact, https only) is the one
 * way a link leaves the app.
 */
export const EXTERNAL_LINK_ORIGINS: readonly string[] = [];

/** True only for an https URL, without credentials, on an allow-listed origin. */
export function isAllowedExternalLink(url: string, allowed: readonly string[] = EXTERNAL_LINK_ORIGINS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false;
  return allowed.includes(parsed.origin);
}

/** window.open and target=_blank: never a new Electron window; an allow-listed link goes to the system browser. */
export function decideWindowOpen(
  url: string,
  allowed: readonly string[] = EXTERNAL_LINK_ORIGINS,
): { readonly action: 'deny'; readonly openExternally: boolean } {
  return { action: 'deny', openExternally: isAllowedExternalLink(url, allowed) };
}

/** Camera, microphone, notifications, geolocation, clipboard, HID…: Movelog asks for none, so every request and check is refused. */
export function decidePermission(permission: string): { readonly granted: false; readonly reason: string } {
  return { granted: false, reason: `permission ${permission.slice(0, 60)} is never granted` };
}
