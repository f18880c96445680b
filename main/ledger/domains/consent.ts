import { insertConsent } from '../../views/consent.js';
import type { Entry } from '../entry.js';
import { openEntryBody } from '../seal.js';
import { patientOfStream } from '../streams.js';
import type { KindRule, PolicyContext } from './types.js';

const RECORDERS = new Set(['front_desk', 'therapist', 'manager']);

const recorder = (ctx: PolicyContext): string | null =>
  ctx.actorRole !== null && RECORDERS.has(ctx.actorRole) ? null : 'only the front desk, a therapist or a manager can record consent';

/** The entry's parents inside its stream: the causal order the consent rules read. */
const parentsOf = (entry: Entry): string[] => (entry.prev === null ? [...entry.deps] : [entry.prev, ...entry.deps]);

/**
 * Consent (docs/architecture.md#consent) in `p:<patientId>/consent`. Policy reads the clear fields
 * only: a grant is recorded by the patient's home clinic (its author is a device of `home`, the
 * clinic in `ctx.clinicId`), a revocation by the home clinic or by the clinic whose access ends.
 * The reducers only insert rows; the state (deny wins, periods) is computed from all rows by
 * main/views/consent.ts, so any delivery order gives the same state.
 */
export const consentRules: { readonly [K in 'consent.granted' | 'consent.revoked']: KindRule<K> } = {
  'consent.granted': {
    stream: 'consent',
    policy(ctx, body) {
      if (ctx.clinicId !== body.home) return 'consent is granted by the patient’s home clinic (the author is not one of its devices)';
      return recorder(ctx);
    },
    reduce(ctx, body, entry, at) {
      const patientId = patientOfStream(entry.stream);
      if (patientId === null) return;
      const details = openEntryBody(ctx.keystore, 'consent.granted', entry, body.details);
      insertConsent(ctx.db, {
        hash: at.hash,
        patientId,
        kind: 'granted',
        author: entry.author,
        staffId: entry.by,
        at: entry.at,
        home: body.home,
        clinic: body.grantee,
        categories: body.categories,
        from: body.from,
        until: body.until,
        grant: null,
        parents: parentsOf(entry),
        details: details ? JSON.stringify(details) : null,
        height: at.height,
      });
    },
  },
  'consent.revoked': {
    stream: 'consent',
    policy(ctx, body) {
      if (ctx.clinicId !== body.home && ctx.clinicId !== body.clinic) {
        return 'consent is withdrawn by the patient’s home clinic or by the clinic whose access ends';
      }
      return recorder(ctx);
    },
    reduce(ctx, body, entry, at) {
      const patientId = patientOfStream(entry.stream);
      if (patientId === null) return;
      const details = openEntryBody(ctx.keystore, 'consent.revoked', entry, body.details);
      insertConsent(ctx.db, {
        hash: at.hash,
        patientId,
        kind: 'revoked',
        author: entry.author,
        staffId: entry.by,
        at: entry.at,
        home: body.home,
        clinic: body.clinic,
        categories: body.categories,
        from: null,
        until: null,
        grant: body.grant,
        parents: parentsOf(entry),
        details: details ? JSON.stringify(details) : null,
        height: at.height,
      });
    },
  },
};
