import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkEntryBytes } from './checkEntry.js';
import type { EntryCheckBatch, EntryCheckItem, EntryCheckResult } from './checkEntry.js';

/**
 * Checks entries (canonical form, hash, signature) on worker threads, one per core, so full
 * verification runs near the Ed25519 verify limit × cores. `size: 0` checks on the calling
 * thread (used where the compiled worker is not available, e.g. tests run from TypeScript).
 */
export class CheckPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (results: EntryCheckResult[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private turn = 0;

  constructor(size = availableParallelism()) {
    const script = new URL('./verifyWorker.js', import.meta.url);
    if (size > 0 && !existsSync(script)) size = 0;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script);
      worker.on('message', (reply: { id: number; results: EntryCheckResult[] }) => {
        this.waiting.get(reply.id)?.resolve(reply.results);
        this.waiting.delete(reply.id);
      });
      // A crashed worker fails every batch still out: verification must not report "intact".
      worker.on('error', (error) => {
        for (const pending of this.waiting.values()) pending.reject(error);
        this.waiting.clear();
      });
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  check(items: EntryCheckItem[]): Promise<EntryCheckResult[]> {
    const worker = this.workers[this.turn++ % Math.max(1, this.workers.length)];
    if (!worker) return Promise.resolve(items.map((item) => checkEntryBytes(item)));
    const id = this.nextId++;
    const batch: EntryCheckBatch = { id, items };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(batch);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
