import { parentPort } from 'node:worker_threads';
import { checkEntryBytes } from './checkEntry.js';
import type { EntryCheckBatch } from './checkEntry.js';

/** Worker side of the verification pool: checks a batch of stored entries (see checkEntry.ts). */
if (parentPort) {
  const port = parentPort;
  port.on('message', (batch: EntryCheckBatch) => {
    port.postMessage({ id: batch.id, results: batch.items.map((item) => checkEntryBytes(item)) });
  });
}
