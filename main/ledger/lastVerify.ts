import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VerifyOutcome } from '../../shared/api/index.js';
import type { Vault } from '../store/vault.js';
import { brokenCheckpoints } from './checkpoints.js';
import { verifyDatabase } from './verify.js';
import type { VerifyReport } from './verify.js';

/** Where the outcome of the last verification is kept: a local fact of this computer, not a ledger entry. */
export const LAST_VERIFY_FILE = 'last-verify.json';

/** Runs a full verification of this data directory on demand and remembers its outcome (docs/architecture.md#the-clinic-page). */
export interface LedgerVerifier {
  /** The outcome of the last verification run here, or null. */
  last(): VerifyOutcome | null;
  /** Verifies now (read-only, like `movelog verify --data`), keeps and returns the outcome. */
  run(): Promise<VerifyOutcome>;
}

export function outcomeOf(report: VerifyReport, at: number): VerifyOutcome {
  const problem = report.problem
    ? `${report.problem.n === null ? '' : `entry #${String(report.problem.n)}: `}${report.problem.reason}`
    : brokenCheckpoints(report.checkpoints ?? []).length > 0
      ? "a checkpoint other computers witnessed no longer matches this computer's record"
      : report.viewsMatch === false
        ? 'the views differ from a rebuild from the entries'
        : null;
  return { at, intact: problem === null, entries: report.entries, problem, viewsMatch: report.viewsMatch };
}

export function createLedgerVerifier(opts: {
  readonly dataDir: string;
  readonly vault: Vault;
  readonly device: string;
  readonly now: () => number;
  /** Runs before each verification (core copies the newest witnessed checkpoint into the vault). */
  readonly beforeRun?: () => void;
}): LedgerVerifier {
  const file = join(opts.dataDir, LAST_VERIFY_FILE);
  let running: Promise<VerifyOutcome> | null = null;
  const last = (): VerifyOutcome | null => {
    if (!existsSync(file)) return null;
    try {
      const parsed = VerifyOutcome.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };
  const verify = async (): Promise<VerifyOutcome> => {
    const at = opts.now();
    opts.beforeRun?.();
    const { dbKey, masterKey } = opts.vault.secrets;
    // One signature worker thread: the app stays responsive while a large record is checked.
    const report = await verifyDatabase(join(opts.dataDir, 'movelog.db'), { workers: 1, dbKey, keystoreMasterKey: masterKey, device: opts.device });
    const outcome = outcomeOf(report, at);
    writeFileSync(`${file}.tmp`, JSON.stringify(outcome), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    return outcome;
  };
  return {
    last,
    run() {
      // Two managers pressing "Verify now" at once share one run.
      running ??= verify().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
