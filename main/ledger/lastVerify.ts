import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VerifyOutcome } from '../../shared/api/index.js';
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

/** The report as the Clinic page says it: the first problem, and what could not be checked (docs/architecture.md#verification). */
export function outcomeOf(report: VerifyReport, at: number): VerifyOutcome {
  const problem = report.problem ? `${report.problem.n === null ? '' : `entry #${String(report.problem.n)}: `}${report.problem.reason}` : null;
  const notChecked: string[] = [];
  const skipped = report.views?.notCompared.filter((n) => n.why !== 'the entries did not verify') ?? [];
  if (skipped.length > 0) notChecked.push(`${String(skipped.length)} view table${skipped.length === 1 ? '' : 's'} (${skipped[0]?.why ?? ''})`);
  if (report.witness === null) notChecked.push('removal of the newest entries (no checkpoint witnessed by another computer is kept yet)');
  return { at, intact: problem === null, entries: report.entries, problem, viewsMatch: report.viewsMatch, notChecked };
}

/** Keeps `outcome` as this folder's last verification (written whole: a temporary file renamed over it). */
export function keepOutcome(dataDir: string, outcome: VerifyOutcome): void {
  const file = join(dataDir, LAST_VERIFY_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(outcome), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/**
 * `run` is the `verify` job (main/jobs/kinds.ts): it runs in a worker thread, and keeps its
 * outcome itself (docs/architecture.md#long-work-off-the-main-thread).
 */
export function createLedgerVerifier(opts: { readonly dataDir: string; readonly verify: () => Promise<VerifyOutcome> }): LedgerVerifier {
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
  return {
    last,
    run() {
      // Two managers pressing "Verify now" at once share one run.
      running ??= opts.verify().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
