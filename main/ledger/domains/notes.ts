import { NoteAddendum, NoteBody, NoteCosign } from '../../../shared/api/calls/notes.js';
import type { Db } from '../../store/db.js';
import { statement } from '../../store/statements.js';
import type { Entry } from '../entry.js';
import { keystoreOf } from '../keystore.js';
import { tryOpenBody } from '../seal.js';
import type { SealedBody } from '../seal.js';
import { patientOfStream } from './patients.js';
import type { KindRule, PolicyContext } from './types.js';

type NoteKind = 'note.signed' | 'note.addendum' | 'note.cosigned';

const clinicians = (ctx: PolicyContext) =>
  ctx.actorRole === 'therapist' || ctx.actorRole === 'assistant' ? null : 'only a therapist or an assistant can sign clinical notes';

/** Opens and checks a note-stream body; null when this device lacks the key or the plaintext is not valid. */
function opened<T>(
  db: Db,
  entry: Entry,
  body: SealedBody,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
): T | null {
  const patientId = patientOfStream(entry.stream);
  const plain = patientId === null ? null : tryOpenBody(keystoreOf(db)?.keyFor(patientId) ?? null, entry.stream, entry.kind, body);
  if (plain === null) return null;
  const parsed = schema.safeParse(plain);
  return parsed.success ? parsed.data : null;
}

/**
 * Clinical notes (docs/architecture.md#clinical-notes) in `p:<patientId>/clinical`. Who may write is judged on
 * the clear fields (the acting staff member's role); what a note says is sealed, so the checks
 * that need it (the named note exists, is an assistant's, is not co-signed yet) are made by the
 * service before signing, and the reducers keep only what is consistent: an addendum or
 * co-signature of a note this stream does not hold changes nothing. Addenda and co-signatures name
 * a note the author had seen, so the note is in their causal past and replays before them.
 */
export const noteRules: { readonly [K in NoteKind]: KindRule<K> } = {
  'note.signed': {
    stream: 'clinical',
    policy: clinicians,
    reduce(db, body, entry, at) {
      const note = opened(db, entry, body, NoteBody);
      statement(
        db,
        'INSERT OR IGNORE INTO view_notes (hash, patient_id, author_staff, at, body, appointment_id, v_height) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(at.hash, patientOfStream(entry.stream), entry.by, entry.at, note ? JSON.stringify(note) : null, note?.appointmentId ?? null, at.height);
    },
  },
  'note.addendum': {
    stream: 'clinical',
    policy: clinicians,
    reduce(db, body, entry, at) {
      const addendum = opened(db, entry, body, NoteAddendum);
      if (!addendum || !statement(db, 'SELECT 1 FROM view_notes WHERE hash = ?').get(addendum.note)) return;
      statement(db, 'INSERT OR IGNORE INTO view_note_addenda (hash, note_hash, staff_id, at, text, v_height) VALUES (?, ?, ?, ?, ?, ?)').run(
        at.hash,
        addendum.note,
        entry.by,
        entry.at,
        addendum.text,
        at.height,
      );
    },
  },
  'note.cosigned': {
    stream: 'clinical',
    policy: (ctx) => (ctx.actorRole === 'therapist' ? null : "only a therapist can co-sign an assistant's note"),
    reduce(db, body, entry, at) {
      const cosign = opened(db, entry, body, NoteCosign);
      if (!cosign) return;
      // Two co-signatures made at once on two computers: the first in (height, hash) order counts.
      statement(
        db,
        `UPDATE view_notes SET cosign_hash = ?, cosigned_by = ?, cosigned_at = ?, c_height = ?
          WHERE hash = ? AND (cosign_hash IS NULL OR (c_height, cosign_hash) > (?, ?))`,
      ).run(at.hash, entry.by, entry.at, at.height, cosign.note, at.height, at.hash);
    },
  },
};
