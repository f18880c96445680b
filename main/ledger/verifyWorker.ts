import { parentPort } from 'node:worker_threads';
import { verifyEntrySignature } from './crypto/index.js';

/** Worker side of the signature pool: verifies a batch and answers with the failing positions. */
export interface SignatureBatch {
  readonly id: number;
  readonly authors: readonly string[];
  readonly hashes: readonly string[];
  readonly sigs: readonly string[];
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (batch: SignatureBatch) => {
    const failed: number[] = [];
    for (let i = 0; i < batch.hashes.length; i++) {
      if (!verifyEntrySignature(batch.authors[i] ?? '', batch.hashes[i] ?? '', batch.sigs[i] ?? '')) failed.push(i);
    }
    port.postMessage({ id: batch.id, failed });
  });
}
