import { insertErasure, upsertRetention } from '../../views/erasure.js';
import { clinicOfStream, patientOfStream } from '../streams.js';
import type { KindRule } from './types.js';

/**
 * Erasure (docs/architecture.md#erasure). `patient.erasure` lives in the patient's consent stream,
 * the one stream every clinic that ever held the patient's key goes on receiving. Its policy reads
 * clear fields only: the author is a device of `home` (the clinic in `ctx.clinicId`) and the
 * acting staff member a manager there. Whether `home` is really the patient's home is decided
 * when the state is read (main/ledger/erasure.ts), as for consent, so any delivery order gives the
 * same outcome. The reducer only inserts a row; the keys and views follow outside the reducers
 * (main/ledger/consentLock.ts), because a rebuild or a verification replays reducers and must
 * never destroy anything.
 */
export const erasureRules: { readonly [K in 'patient.erasure' | 'clinic.retention.set']: KindRule<K> } = {
  'patient.erasure': {
    stream: 'consent',
    policy(ctx, body) {
      if (ctx.clinicId !== body.home) return 'a patient’s record is erased by their home clinic (the author is not one of its devices)';
      return ctx.actorRole === 'manager' ? null : 'only a manager can erase a patient’s record';
    },
    reduce(ctx, body, entry, at) {
      const patientId = patientOfStream(entry.stream);
      if (patientId === null) return;
      insertErasure(ctx.db, {
        hash: at.hash,
        patientId,
        home: body.home,
        author: entry.author,
        staffId: entry.by,
        at: entry.at,
        requestedOn: body.requestedOn,
        receivedVia: body.receivedVia,
        override: body.override,
        height: at.height,
      });
    },
  },
  'clinic.retention.set': {
    stream: 'public',
    policy: ({ actorRole }) => (actorRole === 'manager' ? null : 'only a manager can set the retention period'),
    reduce({ db }, body, entry, at) {
      upsertRetention(db, { clinicId: clinicOfStream(entry.stream)?.clinicId ?? null, years: body.years }, at);
    },
  },
};
