import { describe, expect, it } from 'vitest';
import { checkSender } from './guard.js';

const trusted = { rendererFileBase: 'file:///opt/Movelog/resources/app/out/renderer/', devServerOrigin: null };

describe('checkSender', () => {
  it('accepts the top-level frame of our renderer', () => {
    expect(checkSender({ url: 'file:///opt/Movelog/resources/app/out/renderer/index.html', parent: null }, trusted)).toEqual({ ok: true });
  });

  it('refuses subframes, other files, other origins and missing frames, with a reason', () => {
    const sub = checkSender({ url: 'file:///opt/Movelog/resources/app/out/renderer/index.html', parent: {} }, trusted);
    expect(sub).toEqual({ ok: false, reason: 'sender is not a top-level frame' });
    const escape = checkSender({ url: 'file:///opt/Movelog/resources/app/out/renderer/../../evil.html', parent: null }, trusted);
    expect(escape.ok).toBe(false);
    expect(checkSender({ url: 'file:///tmp/index.html', parent: null }, trusted).ok).toBe(false);
    expect(checkSender({ url: 'https://example.com/', parent: null }, trusted).ok).toBe(false);
    expect(checkSender({ url: 'file://remote-host/opt/Movelog/resources/app/out/renderer/index.html', parent: null }, trusted).ok).toBe(false);
    expect(checkSender({ url: 'not a url', parent: null }, trusted).ok).toBe(false);
    expect(checkSender(null, trusted)).toEqual({ ok: false, reason: 'no sender frame (the frame was destroyed or navigated)' });
  });

  it('accepts the dev server only when one is configured', () => {
    const frame = { url: 'http://localhost:5173/', parent: null };
    expect(checkSender(frame, trusted).ok).toBe(false);
    expect(checkSender(frame, { ...trusted, devServerOrigin: 'http://localhost:5173' }).ok).toBe(true);
  });
});
