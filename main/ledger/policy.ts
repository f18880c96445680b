import { ENTRY_BODIES, isEntryKind } from '../../shared/ledger/kinds.js';
import type { EntryKind } from '../../shared/ledger/kinds.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { Entry } from './entry.js';
import { clinicIdFor, clinicOfStream } from './streams.js';

/**
 * Who may write what (DESIGN.md §2, ingest step "author entitled to write this stream"), judged
 * against the views as they stand once the entry's causal past is stored. Returns null when the
 * entry is allowed, else the reason, in words, for the quarantine.
 *
 * One function so the sync and consent issues extend it in one place.
 */
export function refusalReason(db: Db, entry: Entry): string | null {
  if (!isEntryKind(entry.kind)) return `unknown entry kind "${entry.kind}"`;
  const kind: EntryKind = entry.kind;
  const body = ENTRY_BODIES[kind].safeParse(entry.body);
  if (!body.success) return `body does not match ${kind}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`;

  const clinic = clinicOfStream(entry.stream);
  if (!clinic) return `${kind} cannot be written to a patient stream`;
  const wantPart = kind === 'staff.passphrase.set' ? 'private' : 'public';
  if (clinic.part !== wantPart) return `${kind} belongs in the clinic's ${wantPart} stream`;

  if (kind === 'clinic.created') {
    const nonce = (entry.body as { nonce: string }).nonce;
    if (entry.seq !== 1 || entry.deps.length > 0) return 'clinic.created must be the first entry of its stream';
    if (clinicIdFor(entry.author, nonce) !== clinic.clinicId) return 'clinic id does not match the founder and nonce';
    const existing = statement<[], { id: string }>(db, 'SELECT id FROM view_clinic LIMIT 1').get();
    if (existing) return 'this ledger already belongs to a clinic';
    return null;
  }

  const known = statement<[string], { id: string }>(db, 'SELECT id FROM view_clinic WHERE id = ?').get(clinic.clinicId);
  if (!known) return 'the clinic of this stream is not known here';
  const device = statement<[string, string], { revoked: number }>(db, 'SELECT revoked FROM view_devices WHERE key = ? AND clinic_id = ?').get(
    entry.author,
    clinic.clinicId,
  );
  if (!device) return 'author is not a device of this clinic';
  if (device.revoked) return 'author device has been revoked';

  const actorRole = (id: string | null) =>
    id === null
      ? null
      : (statement<[string, string], { role: string }>(db, 'SELECT role FROM view_staff WHERE id = ? AND clinic_id = ?').get(id, clinic.clinicId)
          ?.role ?? null);

  switch (kind) {
    case 'device.enrolled':
      return actorRole(entry.by) === 'manager' ? null : 'only a manager can enrol a device';
    case 'staff.added': {
      if (actorRole(entry.by) === 'manager') return null;
      // The clinic's first manager adds themself, right after genesis, from the founding device.
      const staffCount = statement<[string], { n: number }>(db, 'SELECT count(*) AS n FROM view_staff WHERE clinic_id = ?').get(clinic.clinicId)?.n ?? 0;
      const added = entry.body as { staffId: string; role: string };
      const founder = statement<[string], { founder: string }>(db, 'SELECT founder FROM view_clinic WHERE id = ?').get(clinic.clinicId)?.founder;
      if (staffCount === 0 && added.role === 'manager' && entry.by === added.staffId && entry.author === founder) return null;
      return 'only a manager can add staff';
    }
    case 'staff.passphrase.set': {
      const target = (entry.body as { staffId: string }).staffId;
      if (entry.by === target && actorRole(target) !== null) return null;
      return actorRole(entry.by) === 'manager' ? null : "only a manager or the staff member can set a passphrase";
    }
  }
}
