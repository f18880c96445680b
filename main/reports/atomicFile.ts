import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes into the partial file; resolves once the bytes are handed to the file system. */
export interface AtomicWriter {
  write(chunk: Buffer | Uint8Array | string): Promise<void>;
}

/** Thrown when the signal aborted the writing: nothing was left under the final name. */
export class WriteAborted extends Error {
  constructor() {
    super('Cancelled: nothing was written.');
    this.name = 'AbortError';
  }
}

/**
 * Writes a report file so that a half-written one never has the final name
 * (docs/architecture.md#audit-bundle): `fill` writes into `<name>.partial-<pid>-<random>` beside
 * `out` (mode 0600: reports name patients and staff), which is flushed to the disk and renamed to
 * `out`, then the folder is flushed so the rename survives a crash. On an error or an abort the
 * partial file is removed and `out` is left as it was (absent, or the previous file).
 */
export async function writeAtomic<T>(out: string, fill: (writer: AtomicWriter) => Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) throw new WriteAborted();
  const partial = join(dirname(out), `${basename(out)}.partial-${process.pid}-${randomBytes(6).toString('hex')}`);
  let handle: FileHandle | null = await open(partial, 'wx', 0o600);
  try {
    const file = handle;
    const result = await fill({
      write: async (chunk) => {
        if (signal?.aborted) throw new WriteAborted();
        await file.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      },
    });
    if (signal?.aborted) throw new WriteAborted();
    await file.sync();
    await file.close();
    handle = null;
    await rename(partial, out);
    await syncFolder(dirname(out));
    return result;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}

async function syncFolder(folder: string): Promise<void> {
  const dir = await open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
