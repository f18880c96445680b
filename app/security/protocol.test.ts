import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, rendererHeaders, resolveRendererFile } from './protocol.js';

const dir = '/opt/Movelog/resources/app.asar/out/renderer';

describe('resolveRendererFile', () => {
  it('serves files inside the renderer folder, and index.html for client routes', () => {
    expect(resolveRendererFile(dir, 'GET', APP_ENTRY_URL)).toEqual({ ok: true, file: `${dir}/index.html`, contentType: 'text/html; charset=utf-8' });
    expect(resolveRendererFile(dir, 'GET', 'app://movelog/assets/index-abc.js')).toMatchObject({ ok: true, file: `${dir}/assets/index-abc.js` });
    expect(resolveRendererFile(dir, 'HEAD', 'app://movelog/patients/42')).toMatchObject({ ok: true, file: `${dir}/index.html` });
    expect(resolveRendererFile(dir, 'GET', 'app://movelog/')).toMatchObject({ ok: true, file: `${dir}/index.html` });
  });

  it('never resolves outside the renderer folder, however the path is spelled', () => {
    // Plain and %2e dots are collapsed by the URL parser before we see them: the path stays inside.
    expect(resolveRendererFile(dir, 'GET', 'app://movelog/../../device.key')).toMatchObject({ ok: true, file: `${dir}/device.key` });
    expect(resolveRendererFile(dir, 'GET', 'app://movelog/%2e%2e/%2e%2e/device.key')).toMatchObject({ ok: true, file: `${dir}/device.key` });
    // Encoded separators survive the parser and are refused after decoding.
    for (const url of [
      'app://movelog/assets/%2e%2e%2f%2e%2e%2f..%2fetc%2fpasswd',
      'app://movelog/assets/..%2f..%2f..%2fdevice.key',
      'app://movelog/assets/..%5c..%5cdevice.key',
      'app://movelog/assets/x.js%00.png',
      'app://movelog/%2e%2e%2frenderer-evil/index.html',
    ]) {
      expect(resolveRendererFile(dir, 'GET', url), url).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('refuses other hosts, schemes, methods and malformed paths', () => {
    expect(resolveRendererFile(dir, 'GET', 'app://evil/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveRendererFile(dir, 'GET', 'file:///etc/passwd')).toMatchObject({ ok: false, status: 403 });
    expect(resolveRendererFile(dir, 'POST', APP_ENTRY_URL)).toMatchObject({ ok: false, status: 405 });
    expect(resolveRendererFile(dir, 'GET', 'app://movelog/%E0%A4%A.js')).toMatchObject({ ok: false, status: 400 });
    expect(resolveRendererFile(dir, 'GET', 'not a url')).toMatchObject({ ok: false, status: 400 });
    expect(() => resolveRendererFile('relative/dir', 'GET', APP_ENTRY_URL)).toThrow(RangeError);
  });
});

describe('rendererHeaders', () => {
  it('carries the shared CSP with nothing to connect to', () => {
    const headers = rendererHeaders('text/html; charset=utf-8');
    expect(headers['Content-Security-Policy']).toMatch(/^default-src 'self'; connect-src 'self'; /);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
  });
});
