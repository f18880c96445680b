import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderLockedError, lockDataFolder } from './folderLock.js';

describe('data folder lock', () => {
  it('refuses a second holder, naming the first, until the first releases it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'movelog-lock-'));
    const first = lockDataFolder(dir, 'movelog sync', () => 1_700_000_000_000);
    let refused: unknown = null;
    try {
      lockDataFolder(dir, 'movelog serve');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(FolderLockedError);
    const error = refused as FolderLockedError;
    expect(error.holder).toMatchObject({ pid: process.pid, purpose: 'movelog sync', since: 1_700_000_000_000 });
    expect(error.message).toContain(`Another Movelog process is already running on ${dir}: "movelog sync" (process ${process.pid}`);
    first.release();
    first.release();
    const second = lockDataFolder(dir, 'movelog serve');
    expect(second.holder.purpose).toBe('movelog serve');
    second.release();
  });
});
