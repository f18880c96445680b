import { describe, expect, it } from 'vitest';
import { rendererSource } from './startup.js';

describe('rendererSource', () => {
  it('loads app://movelog when no dev server is set', () => {
    expect(rendererSource(false, undefined)).toEqual({
      url: 'app://movelog/index.html',
      trusted: { appOrigin: 'app://movelog', devServerOrigin: null },
      ignored: null,
    });
  });

  it('honours a loopback dev server only in an unpackaged build', () => {
    const dev = rendererSource(false, 'http://localhost:5173');
    expect(dev.url).toBe('http://localhost:5173/');
    expect(dev.trusted.devServerOrigin).toBe('http://localhost:5173');
    const packaged = rendererSource(true, 'http://localhost:5173');
    expect(packaged.url).toBe('app://movelog/index.html');
    expect(packaged.trusted.devServerOrigin).toBeNull();
    expect(packaged.ignored).toMatch(/packaged/);
  });

  it('ignores a dev server URL that is not http on loopback, and never trusts it for IPC', () => {
    for (const url of ['https://evil.example', 'http://192.168.1.5:5173', 'file:///tmp/x.html', 'nonsense']) {
      const source = rendererSource(false, url);
      expect(source.url, url).toBe('app://movelog/index.html');
      expect(source.trusted.devServerOrigin, url).toBeNull();
      expect(source.ignored, url).not.toBeNull();
    }
  });
});
