import { describe, expect, it } from 'vitest';
import { decidePermission, decideWindowOpen, isAllowedExternalLink, PREVENTED_EVENTS } from './policy.js';

describe('external links', () => {
  const allowed = ['https://docs.movelog.example'];

  it('opens only https links on an allow-listed origin', () => {
    expect(isAllowedExternalLink('https://docs.movelog.example/help#sync', allowed)).toBe(true);
    expect(isAllowedExternalLink('https://evil.example/', allowed)).toBe(false);
    expect(isAllowedExternalLink('https://docs.movelog.example.evil.example/', allowed)).toBe(false);
    expect(isAllowedExternalLink('http://docs.movelog.example/', allowed)).toBe(false);
    expect(isAllowedExternalLink('https://user:pw@docs.movelog.example/', allowed)).toBe(false);
    for (const url of ['file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'ms-msdt:/id', 'not a url']) {
      expect(isAllowedExternalLink(url, allowed), url).toBe(false);
    }
  });

  it('opens nothing by default: the renderer links nowhere today', () => {
    expect(isAllowedExternalLink('https://example.com/')).toBe(false);
  });

  it('never opens a new Electron window', () => {
    expect(decideWindowOpen('https://docs.movelog.example/', allowed)).toEqual({ action: 'deny', openExternally: true });
    expect(decideWindowOpen('https://evil.example/', allowed)).toEqual({ action: 'deny', openExternally: false });
    expect(decideWindowOpen('app://movelog/index.html', allowed)).toEqual({ action: 'deny', openExternally: false });
  });
});

describe('guards', () => {
  it('prevents every navigation event and webview attachment', () => {
    expect([...PREVENTED_EVENTS].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
  });

  it('grants no permission', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'unknown']) {
      expect(decidePermission(permission).granted).toBe(false);
    }
  });
});
