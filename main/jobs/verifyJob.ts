import { outcomeOf } from '../ledger/lastVerify.js';
import { verifyOpenDatabase } from '../ledger/verify.js';
import type { VerifyOutcome } from '../../shared/api/index.js';
import type { JobRun } from './kind.js';

/**
 * The `verify` job: the whole verification behind "Verify now" and `ledger.verify` (as
 * `movelog verify --data` does), in a job's worker, on its own read-only connection
 * (docs/architecture.md#long-work-off-the-main-thread). One signature thread of its own.
 */
export const run: JobRun<Record<string, never>, VerifyOutcome> = async (db, _input, _out, { onProgress, signal, folder }) => {
  const report = await verifyOpenDatabase(db, {
    workers: 1,
    keystoreMasterKey: folder.masterKey,
    device: folder.device,
    witness: folder.witness,
    signal,
    progressEveryMs: 0,
    onProgress: onProgress ? (checked, total) => onProgress(checked, total ?? 0) : undefined,
  });
  return outcomeOf(report, folder.startedAt);
};
