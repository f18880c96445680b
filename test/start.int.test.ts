import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { connectApi, PACKAGE_ROOT, tempDataDir } from './support/host.js';

it('npm start falls back to the browser host with a clear message when the Electron binary is missing', async () => {
  // An empty folder where the electron package looks for its binary: the real "not downloaded" case.
  const noElectron = mkdtempSync(join(tmpdir(), 'no-electron-'));
  const child = spawn(process.execPath, ['scripts/start.mjs', '--data', tempDataDir(), '--port', '0'], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, MOVELOG_SKIP_BUILD: '1', ELECTRON_OVERRIDE_DIST_PATH: noElectron, MOVELOG_DATA: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(stdout);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`start exited ${String(code)}: ${stdout}${stderr}`)));
  });
  expect(stdout).toMatch(/Electron desktop window is not available on this computer/);
  expect(stdout).toMatch(/browser mode/);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack traces for an expected situation
  const parsed = new URL(url);
  const api = await connectApi({ port: Number(parsed.port), token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '' });
  expect(await api.call('clinic.status')).toEqual({ ok: true, value: { state: 'setup-required' } });
  await api.close();
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  expect((await exited)[0]).toBe(0);
});
