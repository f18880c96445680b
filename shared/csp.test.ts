import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp.js';

describe('contentSecurityPolicy', () => {
  it('is one policy: only connect-src changes with the host', () => {
    const electron = contentSecurityPolicy([]);
    const browser = contentSecurityPolicy(['ws://127.0.0.1:4173', 'ws://localhost:4173']);
    expect(electron).toContain("connect-src 'self';");
    expect(browser).toContain("connect-src 'self' ws://127.0.0.1:4173 ws://localhost:4173;");
    const withoutConnect = (policy: string) => policy.split('; ').filter((d) => !d.startsWith('connect-src'));
    expect(withoutConnect(electron)).toEqual(withoutConnect(browser));
  });

  it('allows no inline or remote script, no plugins, no framing, no forms', () => {
    const policy = contentSecurityPolicy([]);
    expect(policy).toMatch(/^default-src 'self'/);
    expect(policy).not.toMatch(/script-src|unsafe-eval|\*/);
    for (const directive of ["object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"]) {
      expect(policy).toContain(directive);
    }
  });

  it('refuses a source that would smuggle in another directive', () => {
    expect(() => contentSecurityPolicy(["ws://a; script-src 'unsafe-inline'"])).toThrow(RangeError);
    expect(() => contentSecurityPolicy(['*'])).toThrow(RangeError);
  });
});
