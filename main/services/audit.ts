import type { CallOutput, CallParsedInput } from '../../shared/api/index.js';
import { AUDIT_ACTIONS } from '../../shared/api/calls/audit.js';
import { listStaff } from '../clinic/staffQueries.js';
import { auditRowsPage, auditSummary } from '../reports/audit.js';
import { auditClinics } from '../views/audit.js';
import type { LedgerVerifier } from '../ledger/lastVerify.js';
import type { Ledger } from '../ledger/ledger.js';

/** What the audit calls use of the services' dependencies. */
interface AuditDeps {
  readonly ledger: Ledger;
  readonly verifier: LedgerVerifier;
}

/**
 * The manager's audit report on screen (docs/architecture.md#audit-report): pages of rows, the
 * summary and the filters' choices. The rows name patients, so `audit.rows` is a `listed` call:
 * the patients on each page are recorded by `recordingReads` before the page goes back.
 */
export function auditRows(deps: AuditDeps, input: CallParsedInput<'audit.rows'>): CallOutput<'audit.rows'> {
  return auditRowsPage(deps.ledger.db, input.filter, input.after, input.limit);
}

export function auditTotals(deps: AuditDeps, input: CallParsedInput<'audit.summary'>): CallOutput<'audit.summary'> {
  return auditSummary(deps.ledger.db, input.filter, deps.verifier.last());
}

export function auditChoices(deps: AuditDeps): CallOutput<'audit.choices'> {
  const db = deps.ledger.db;
  return {
    actions: [...AUDIT_ACTIONS],
    clinics: auditClinics(db),
    staff: listStaff(db).map((s) => ({ id: s.id, name: s.name, role: s.role })),
  };
}
