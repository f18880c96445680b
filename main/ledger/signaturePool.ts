import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { verifyEntrySignature } from './crypto/index.js';
import type { SignatureBatch } from './verifyWorker.js';

/**
 * Verifies entry signatures on worker threads, one per core, so full verification runs at the
 * Ed25519 verify limit × cores. `size: 0` verifies on the calling thread (used where the compiled
 * worker is not available, e.g. tests run from TypeScript sources).
 */
export class SignaturePool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (failed: number[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private turn = 0;

  constructor(size = defaultPoolSize()) {
    const script = new URL('./verifyWorker.js', import.meta.url);
    if (size > 0 && !existsSync(script)) size = 0;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script);
      worker.on('message', (reply: { id: number; failed: number[] }) => {
        this.waiting.get(reply.id)?.resolve(reply.failed);
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

  /** Resolves with the positions (in the batch) whose signatures do not verify. */
  verify(authors: string[], hashes: string[], sigs: string[]): Promise<number[]> {
    const worker = this.workers[this.turn++ % Math.max(1, this.workers.length)];
    if (!worker) {
      const failed: number[] = [];
      for (let i = 0; i < hashes.length; i++) if (!verifyEntrySignature(authors[i] ?? '', hashes[i] ?? '', sigs[i] ?? '')) failed.push(i);
      return Promise.resolve(failed);
    }
    const id = this.nextId++;
    const batch: SignatureBatch = { id, authors, hashes, sigs };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(batch);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export function defaultPoolSize(): number {
  return availableParallelism();
}
