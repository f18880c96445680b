import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMovelog } from '../../main/core.js';
import type { Movelog } from '../../main/core.js';
import { bindIpc, INVOKE_CHANNEL } from './bind.js';

// The Electron binary cannot run here, so ipcMain is the one thing faked: a recorder of the
// handlers bindIpc registers. Everything behind it (dispatch, services, SQLite) is real.
type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
const handlers = new Map<string, Handler>();
const fakeIpcMain = { handle: (channel: string, handler: Handler) => handlers.set(channel, handler) } as unknown as IpcMain;

const rendererBase = 'app://movelog/';
const event = (url: string, parent: unknown = null, senderId = 7) =>
  ({ senderFrame: { url, parent }, sender: { id: senderId } }) as unknown as IpcMainInvokeEvent;

let movelog: Movelog;
const quiet = { warn: () => undefined, error: () => undefined };
beforeAll(() => {
  movelog = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-ipc-')), Date.now, quiet);
  bindIpc(fakeIpcMain, movelog, { appOrigin: 'app://movelog', devServerOrigin: null });
});
afterAll(() => movelog.close());

describe('bindIpc', () => {
  it('binds exactly one channel', () => {
    expect([...handlers.keys()]).toEqual([INVOKE_CHANNEL]);
  });

  it('dispatches calls from our renderer, validating input in main', async () => {
    const handler = handlers.get(INVOKE_CHANNEL)!;
    expect(await handler(event(`${rendererBase}index.html`), 'clinic.status', {})).toEqual({ ok: true, value: { state: 'setup-required' } });
    expect(await handler(event(`${rendererBase}index.html`), 'clinic.setup', { clinicName: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('refuses frames that are not our top-level renderer, before any work', async () => {
    const handler = handlers.get(INVOKE_CHANNEL)!;
    const refused = { ok: false, error: { code: 'forbidden', message: 'This request did not come from Movelog.' } };
    expect(await handler(event('https://example.com/'), 'clinic.status', {})).toEqual(refused);
    expect(await handler(event(`${rendererBase}index.html`, {}), 'clinic.status', {})).toEqual(refused);
  });

  it('keeps one session per window', async () => {
    const handler = handlers.get(INVOKE_CHANNEL)!;
    const setup = await handler(event(`${rendererBase}index.html`, null, 1), 'clinic.setup', {
      clinicName: 'Harbour Rehab',
      managerName: 'Lee Chen',
      passphrase: 'manager passphrase 1',
    });
    expect(setup).toMatchObject({ ok: true });
    expect(await handler(event(`${rendererBase}index.html`, null, 1), 'session.current', {})).toMatchObject({
      ok: true,
      value: { name: 'Lee Chen' },
    });
    expect(await handler(event(`${rendererBase}index.html`, null, 2), 'session.current', {})).toEqual({ ok: true, value: null });
  });
});
