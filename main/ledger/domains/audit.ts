import { NOT_AUDITED_KINDS } from '../../../shared/api/calls/audit.js';
import type { EntryBody, EntryKind } from '../../../shared/ledger/kinds/index.js';
import { insertAudit } from '../../views/audit.js';
import type { Entry } from '../entry.js';
import { openEntryBody } from '../seal.js';
import { patientOfStream } from '../streams.js';
import type { OrderKey, ReduceContext } from './types.js';

/** Kinds that are not audit rows (NOT_AUDITED_KINDS, docs/architecture.md#audit-report). */
const NOT_AUDITED: ReadonlySet<string> = new Set(NOT_AUDITED_KINDS);

/**
 * The audit view's hook (main/views/audit.ts): every admitted entry of an audited kind leaves one
 * row, whatever its kind's own reducer does. Reads only the entry itself (and, for a sealed
 * `access.read`, its body with the patient's key), so the row is the same in any delivery order.
 */
export function reduceAudit(ctx: ReduceContext, kind: EntryKind, body: EntryBody<EntryKind>, entry: Entry, at: OrderKey): void {
  if (NOT_AUDITED.has(kind)) return;
  let role: string | null = null;
  let patients: number | null = null;
  let mode: string | null = null;
  let via: string | null = null;
  let call: string | null = null;
  let what: string | null = null;
  let purpose: string | null = null;
  if (kind === 'access.listed') {
    const b = body as EntryBody<'access.listed'>;
    ({ role, mode, via, call, purpose } = b);
    patients = b.patients.length;
  } else if (kind === 'access.refused') {
    call = (body as EntryBody<'access.refused'>).call;
  } else if (kind === 'access.read') {
    const opened = openEntryBody(ctx.keystore, 'access.read', entry, body as EntryBody<'access.read'>);
    if (opened !== null) {
      what = opened.what;
      purpose = opened.purpose;
      mode = opened.mode ?? 'ordinary';
    }
  }
  insertAudit(ctx.db, {
    hash: at.hash,
    at: entry.at,
    kind,
    staffId: entry.by,
    role,
    device: entry.author,
    stream: entry.stream,
    patientId: patientOfStream(entry.stream),
    patients,
    mode,
    via,
    call,
    what,
    purpose,
  });
}
