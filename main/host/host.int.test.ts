import { afterEach, describe, expect, it } from 'vitest';
import { connectApi, startHostProcess, tempDataDir, upgradeStatus } from '../../test/support/host.js';
import type { HostProcess } from '../../test/support/host.js';

const running: HostProcess[] = [];
async function start(dataDir: string): Promise<HostProcess> {
  const host = await startHostProcess(dataDir);
  running.push(host);
  return host;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((h) => h.stop()));
});

const setup = { clinicName: 'Riverside Physio', managerName: 'Ada Moreno', passphrase: 'correct horse battery' };

describe('browser host (real process, real SQLite file)', () => {
  it('refuses a WebSocket without the right token, a foreign origin and a foreign Host', async () => {
    const host = await start(tempDataDir());
    const base = `ws://127.0.0.1:${host.port}/api`;
    expect(await upgradeStatus(base)).toBe(401);
    expect(await upgradeStatus(`${base}?token=wrong`)).toBe(401);
    const almost = host.token.slice(0, -1) + (host.token.endsWith('A') ? 'B' : 'A');
    expect(await upgradeStatus(`${base}?token=${almost}`)).toBe(401);
    expect(await upgradeStatus(`${base}?token=${host.token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(`${base}?token=${host.token}`, { Host: 'evil.example' })).toBe(421);
    expect(await upgradeStatus(`ws://127.0.0.1:${host.port}/other?token=${host.token}`)).toBe(404);
    expect(await upgradeStatus(`${base}?token=${host.token}`, { Origin: host.origin })).toBe(101);
  });

  it('serves the renderer with a strict content security policy', async () => {
    const host = await start(tempDataDir());
    const res = await fetch(`${host.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<div id="root">');
    expect((await fetch(`${host.origin}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${host.origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('sets up a clinic, refuses bad input without changing anything, and keeps the clinic across a restart', async () => {
    const dataDir = tempDataDir();
    let host = await start(dataDir);
    let api = await connectApi(host);

    expect(await api.call('clinic.status')).toEqual({ ok: true, value: { state: 'setup-required' } });

    const blank = await api.call('clinic.setup', { ...setup, clinicName: '   ' });
    expect(blank).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Clinic name is required.' } });
    const short = await api.call('clinic.setup', { ...setup, passphrase: 'short' });
    expect(short.error?.message).toBe('Passphrase must be at least 10 characters.');
    const extra = await api.call('clinic.setup', { ...setup, role: 'admin' });
    expect(extra.error).toEqual({ code: 'invalid_input', message: 'Unexpected field "role".' });
    const notAnObject = await api.call('clinic.setup', 'drop table clinic');
    expect(notAnObject.error?.code).toBe('invalid_input');
    expect(await api.send('{not json')).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'Malformed request: expected {"id", "call", "input"} as JSON.' },
    });
    const unknown = await api.call('clinic.delete');
    expect(unknown.error?.code).toBe('unknown_call');
    expect(await api.call('clinic.status')).toEqual({ ok: true, value: { state: 'setup-required' } });

    const created = await api.call('clinic.setup', setup);
    expect(created.ok).toBe(true);
    const clinic = created.value as { id: string; name: string; manager: { name: string } };
    expect(clinic.name).toBe('Riverside Physio');
    expect(clinic.manager.name).toBe('Ada Moreno');

    const again = await api.call('clinic.setup', { ...setup, clinicName: 'Second' });
    expect(again.error).toEqual({ code: 'conflict', message: 'This Movelog is already set up for a clinic.' });

    await api.close();
    expect(await host.stop()).toBe(0);

    host = await start(dataDir);
    api = await connectApi(host);
    expect(await api.call('clinic.status')).toEqual({ ok: true, value: { state: 'ready', clinic } });
    await api.close();
  });
});
