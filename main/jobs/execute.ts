import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Witness } from '../ledger/checkpoints.js';
import { openExistingDatabase } from '../store/db.js';
import type { JobModule } from './kind.js';

/** What the main thread hands a job's worker (in memory, as workerData; the keys are never written anywhere). */
export interface JobWork {
  /** The kind's module (file URL). */
  readonly module: string;
  readonly dbFile: string;
  readonly dbKey: Uint8Array | null;
  readonly input: unknown;
  readonly out: string | null;
  readonly folder: {
    readonly masterKey: Uint8Array | null;
    readonly device: string;
    readonly witness: Witness | null;
    readonly startedAt: number;
  };
}

/** Messages from a job to the main thread; exactly one of the last three ends it. */
export type JobMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly result: unknown }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'cancelled' };

/**
 * The module to import: the compiled `.js` beside this file, or, when Movelog runs from its
 * TypeScript sources (the unit tests), the `.ts` of the same name.
 */
function moduleUrl(href: string): string {
  if (!href.startsWith('file:') || !href.endsWith('.js')) return href;
  const path = fileURLToPath(href);
  if (existsSync(path)) return href;
  const ts = `${path.slice(0, -3)}.ts`;
  return existsSync(ts) ? pathToFileURL(ts).href : href;
}

/**
 * Runs one job where it is called (a worker thread, or this thread when no compiled worker
 * exists): its own read-only connection, the kind's `run`, and one final message.
 */
export async function executeJob(work: JobWork, signal: AbortSignal, post: (message: JobMessage) => void): Promise<void> {
  let db: ReturnType<typeof openExistingDatabase> | null = null;
  try {
    const mod = (await import(moduleUrl(work.module))) as Partial<JobModule>;
    if (typeof mod.run !== 'function') throw new Error(`${work.module} exports no run function`);
    signal.throwIfAborted();
    db = openExistingDatabase(work.dbFile, work.dbKey ? Buffer.from(work.dbKey) : null, { readonly: true });
    const result = await mod.run(db, work.input, work.out, {
      signal,
      onProgress: (done, total) => post({ type: 'progress', done, total }),
      folder: {
        masterKey: work.folder.masterKey ? Buffer.from(work.folder.masterKey) : null,
        device: work.folder.device,
        witness: work.folder.witness,
        startedAt: work.folder.startedAt,
      },
    });
    if (signal.aborted) post({ type: 'cancelled' });
    else post({ type: 'done', result });
  } catch (error) {
    if (signal.aborted) post({ type: 'cancelled' });
    else post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    db?.close();
  }
}
