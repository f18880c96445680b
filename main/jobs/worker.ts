import { parentPort, workerData } from 'node:worker_threads';
import { executeJob } from './execute.js';
import type { JobWork } from './execute.js';

/**
 * A job's worker thread (docs/architecture.md#long-work-off-the-main-thread): runs one job and
 * ends. "cancel" from the main thread aborts the job's signal; the main thread terminates the
 * worker only if it does not stop by itself.
 */
if (parentPort) {
  const port = parentPort;
  const controller = new AbortController();
  const onMessage = (message: unknown) => {
    if (message === 'cancel') controller.abort(new Error('The job was cancelled.'));
  };
  port.on('message', onMessage);
  await executeJob(workerData as JobWork, controller.signal, (message) => port.postMessage(message));
  port.off('message', onMessage);
  port.unref();
}
