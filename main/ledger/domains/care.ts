import { putEmergencyReview, upsertCareWindow } from '../../views/care.js';
import { openEntryBody } from '../seal.js';
import { clinicOfStream, patientOfStream } from '../streams.js';
import type { KindRule } from './types.js';

type CareKind = 'clinic.carewindow.set' | 'access.reviewed';

/** Break-the-glass (docs/architecture.md#break-the-glass): the care window and the managers' reviews. */
export const careRules: { readonly [K in CareKind]: KindRule<K> } = {
  'clinic.carewindow.set': {
    stream: 'public',
    policy: ({ actorRole }) => (actorRole === 'manager' ? null : "only a manager can set the clinic's care window"),
    reduce({ db }, body, entry, at) {
      upsertCareWindow(db, { clinicId: clinicOfStream(entry.stream)?.clinicId ?? null, months: body.months }, at);
    },
  },
  'access.reviewed': {
    stream: 'access',
    // Judged on the clear `by` only: which access it reviews is sealed with the record, and the
    // access may arrive after its review (streams are delivered independently); the service checks
    // that it exists and is not reviewed yet before signing.
    policy: ({ actorRole }) => (actorRole === 'manager' ? null : 'only a manager can review an emergency access'),
    reduce(ctx, body, entry, at) {
      const patientId = patientOfStream(entry.stream);
      const review = openEntryBody(ctx.keystore, 'access.reviewed', entry, body);
      if (patientId === null || review === null) return;
      putEmergencyReview(
        ctx.db,
        { accessHash: review.access, patientId, hash: at.hash, verdict: review.verdict, note: review.note, by: entry.by, at: entry.at },
        at,
      );
    },
  },
};
