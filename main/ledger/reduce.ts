import { ENTRY_BODIES } from '../../shared/ledger/kinds/index.js';
import type { EntryKind } from '../../shared/ledger/kinds/index.js';
import { KIND_RULES } from './domains/index.js';
import type { OrderKey, ReduceContext, Reducer } from './domains/types.js';
import type { Entry } from './entry.js';
import { reduceAudit } from './domains/audit.js';

export type { OrderKey, ReduceContext } from './domains/types.js';

/**
 * Applies one admitted entry to the views through its kind's reducer (main/ledger/domains), and
 * to the audit view, which every audited entry joins whatever its kind (docs/architecture.md#audit-report).
 */
export function applyEntry(ctx: ReduceContext, entry: Entry, at: OrderKey): void {
  const kind = entry.kind as EntryKind;
  const body = ENTRY_BODIES[kind].parse(entry.body);
  (KIND_RULES[kind].reduce as Reducer<EntryKind>)(ctx, body, entry, at);
  reduceAudit(ctx, kind, body, entry, at);
}
