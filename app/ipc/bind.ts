import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { fail } from '../../shared/api/index.js';
import type { ApiResult } from '../../shared/api/index.js';
import type { Movelog } from '../../main/core.js';
import { checkSender } from './guard.js';
import type { TrustedOrigins } from './guard.js';

/** The one IPC channel the preload uses. Every other channel is unbound and so refused. */
export const INVOKE_CHANNEL = 'movelog:invoke';

/**
 * Binds the API to Electron IPC: the sender frame is checked first (refusals are logged with the
 * reason), then the shared dispatcher validates name, role and input exactly as the browser host
 * does.
 */
export function bindIpc(ipcMain: IpcMain, movelog: Movelog, trusted: TrustedOrigins): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<ApiResult<unknown>> => {
    const verdict = checkSender(event.senderFrame, trusted);
    if (!verdict.ok) {
      console.warn(`refused IPC ${String(name).slice(0, 60)}: ${verdict.reason}`);
      return fail('forbidden', 'This request did not come from Movelog.');
    }
    // One connection (and so one session) per window.
    return movelog.invoke(`ipc:${String(event.sender.id)}`, 'ipc', name, input);
  });
}
