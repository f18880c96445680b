import { z } from 'zod';
import type { VerifyOutcome } from '../../shared/api/index.js';
import { keepOutcome } from '../ledger/lastVerify.js';
import { defineJobKind } from './kind.js';
import type { AnyJobKind } from './kind.js';

/**
 * Every kind of job Movelog runs off the main thread; adding one is one entry here
 * (docs/architecture.md#how-to-add-a-job-kind). The module it names exports `run`.
 */
export const JOB_KINDS = {
  verify: defineJobKind<Record<string, never>, VerifyOutcome>({
    title: 'Verifying the record',
    input: z.strictObject({}),
    access: ['manager'],
    module: new URL('./verifyJob.js', import.meta.url),
    file: null,
    // The newest witnessed checkpoint goes into the vault first, as `ledger.verify` always did.
    before(host) {
      host.refreshWitness();
    },
    // Kept as the last verification, whether started from a job or from `ledger.verify`.
    finished(outcome, host) {
      keepOutcome(host.dataDir, outcome);
    },
  }),
} satisfies Record<string, AnyJobKind>;
