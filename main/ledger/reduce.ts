import { assertNever, ENTRY_BODIES } from '../../shared/ledger/kinds.js';
import type { EntryBody, EntryKind } from '../../shared/ledger/kinds.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { Entry } from './entry.js';
import { clinicOfStream } from './streams.js';

/** Where an entry sits in the canonical order: (height, hash). */
export interface OrderKey {
  readonly height: number;
  readonly hash: string;
}

/**
 * Applies one admitted entry to the views. Reducers are written so that entries that are
 * concurrent (neither in the other's past) give the same views in any order: inserts are
 * idempotent and updates are last-writer-wins on (height, hash).
 */
export function applyEntry(db: Db, entry: Entry, at: OrderKey): void {
  const kind = entry.kind as EntryKind;
  const clinicId = clinicOfStream(entry.stream)?.clinicId ?? null;
  switch (kind) {
    case 'clinic.created': {
      const body = ENTRY_BODIES[kind].parse(entry.body);
      statement(db, 'INSERT OR IGNORE INTO view_clinic (id, name, founder, created_at, genesis_hash) VALUES (?, ?, ?, ?, ?)').run(
        clinicId,
        body.name,
        entry.author,
        entry.at,
        at.hash,
      );
      statement(db, 'INSERT OR IGNORE INTO view_devices (key, clinic_id, label, enrolled_at) VALUES (?, ?, ?, ?)').run(
        entry.author,
        clinicId,
        'First device',
        entry.at,
      );
      return;
    }
    case 'device.enrolled': {
      const body: EntryBody<typeof kind> = ENTRY_BODIES[kind].parse(entry.body);
      statement(db, 'INSERT OR IGNORE INTO view_devices (key, clinic_id, label, enrolled_at) VALUES (?, ?, ?, ?)').run(
        body.device,
        clinicId,
        body.label,
        entry.at,
      );
      return;
    }
    case 'staff.added': {
      const body = ENTRY_BODIES[kind].parse(entry.body);
      statement(db, 
        `INSERT INTO view_staff (id, clinic_id, name, role, licence, created_at, v_height, v_hash)
         VALUES (@id, @clinicId, @name, @role, @licence, @at, @height, @hash)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, licence = excluded.licence,
           v_height = excluded.v_height, v_hash = excluded.v_hash
         WHERE (excluded.v_height, excluded.v_hash) > (view_staff.v_height, view_staff.v_hash)`,
      ).run({ id: body.staffId, clinicId, name: body.name, role: body.role, licence: body.licence, at: entry.at, height: at.height, hash: at.hash });
      return;
    }
    case 'staff.passphrase.set': {
      const body = ENTRY_BODIES[kind].parse(entry.body);
      statement(db, 
        `INSERT INTO view_credentials (staff_id, clinic_id, verifier, v_height, v_hash) VALUES (@id, @clinicId, @verifier, @height, @hash)
         ON CONFLICT (staff_id) DO UPDATE SET verifier = excluded.verifier, v_height = excluded.v_height, v_hash = excluded.v_hash
         WHERE (excluded.v_height, excluded.v_hash) > (view_credentials.v_height, view_credentials.v_hash)`,
      ).run({ id: body.staffId, clinicId, verifier: body.verifier, height: at.height, hash: at.hash });
      return;
    }
    default:
      return assertNever(kind, 'entry kind');
  }
}
