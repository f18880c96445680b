import { describe, expect, it } from 'vitest';
import { checkSender } from './guard.js';

const trusted = { appOrigin: 'app://movelog', devServerOrigin: null };

describe('checkSender', () => {
  it('accepts the top-level frame of our renderer', () => {
    expect(checkSender({ url: 'app://movelog/index.html', parent: null }, trusted)).toEqual({ ok: true });
    expect(checkSender({ url: 'app://movelog/patients/42', parent: null }, trusted)).toEqual({ ok: true });
  });

  it('refuses subframes, file:// pages, other hosts and origins and missing frames, with a reason', () => {
    const sub = checkSender({ url: 'app://movelog/index.html', parent: {} }, trusted);
    expect(sub).toEqual({ ok: false, reason: 'sender is not a top-level frame' });
    // file:// is no longer how the renderer loads: any local HTML file would otherwise qualify.
    expect(checkSender({ url: 'file:///opt/Movelog/resources/app/out/renderer/index.html', parent: null }, trusted).ok).toBe(false);
    expect(checkSender({ url: 'app://evil/index.html', parent: null }, trusted).ok).toBe(false);
    expect(checkSender({ url: 'app://user:pw@movelog/index.html', parent: null }, trusted).ok).toBe(false);
    expect(checkSender({ url: 'https://example.com/', parent: null }, trusted).ok).toBe(false);
    expect(checkSender({ url: 'not a url', parent: null }, trusted).ok).toBe(false);
    expect(checkSender(null, trusted)).toEqual({ ok: false, reason: 'no sender frame (the frame was destroyed or navigated)' });
  });

  it('accepts the dev server only when one is configured', () => {
    const frame = { url: 'http://localhost:5173/', parent: null };
    expect(checkSender(frame, trusted).ok).toBe(false);
    expect(checkSender(frame, { ...trusted, devServerOrigin: 'http://localhost:5173' }).ok).toBe(true);
  });
});
