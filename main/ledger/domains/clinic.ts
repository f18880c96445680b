import {
  findClinic,
  insertClinic,
  insertDevice,
  insertRefusal,
  revokeDevice,
  setStaffActive,
  staffCount,
  staffInClinic,
  upsertCredential,
  upsertSettings,
  upsertStaff,
  upsertTimeZone,
  upsertLocale,
  upsertSignIn,
  upsertOpeningHours,
  upsertCheckInWindow,
  deviceOfClinic,
} from '../../views/clinic.js';
import { insertCheckpoint, insertWitness, lastCheckpoint } from '../../views/checkpoints.js';
import { putTrusted, putTrustSecret, putWithdrawn, trustState } from '../../views/trust.js';
import { insertPatientsListed } from '../../views/patients.js';
import type { KindRule, PolicyContext, Reducer } from './types.js';
import { clinicOfStream } from '../streams.js';

type ClinicKind =
  | 'clinic.created'
  | 'device.enrolled'
  | 'device.revoked'
  | 'checkpoint.signed'
  | 'checkpoint.witnessed'
  | 'staff.added'
  | 'staff.deactivated'
  | 'staff.reactivated'
  | 'staff.passphrase.set'
  | 'clinic.settings.set'
  | 'clinic.timezone.set'
  | 'clinic.locale.set'
  | 'clinic.signin.set'
  | 'clinic.hours.set'
  | 'clinic.checkin.set'
  | 'clinic.trusted'
  | 'clinic.untrusted'
  | 'trust.secret'
  | 'access.refused'
  | 'access.listed';

/** Last-writer-wins on the `active` register of a staff row. */
function setActive(active: boolean): Reducer<'staff.deactivated' | 'staff.reactivated'> {
  return ({ db }, body, _entry, at) => setStaffActive(db, body.staffId, active, at);
}

const staffExists = (ctx: PolicyContext, staffId: string): boolean => staffInClinic(ctx.db, staffId, ctx.clinicId);

/** The clinic whose stream an entry is in (null cannot happen for an admitted clinic-stream entry). */
const clinicOf = (stream: string): string | null => clinicOfStream(stream)?.clinicId ?? null;

const managerOnly =
  (what: string) =>
  ({ actorRole }: { actorRole: string | null }): string | null =>
    actorRole === 'manager' ? null : `only a manager can ${what}`;

/** Clinic identity, devices and staff directory (docs/architecture.md#clinic-devices-and-staff). */
export const clinicRules: { readonly [K in ClinicKind]: KindRule<K> } = {
  'clinic.created': {
    stream: 'public',
    // Checked in policy.ts (genesis rules: first entry, id derivation, one clinic per ledger).
    policy: () => null,
    reduce({ db }, body, entry, at) {
      const clinicId = clinicOf(entry.stream);
      insertClinic(db, { id: clinicId, name: body.name, founder: entry.author, createdAt: entry.at, genesisHash: at.hash });
      insertDevice(db, { key: entry.author, clinicId, label: 'First device', enrolledAt: entry.at });
    },
  },
  'device.enrolled': {
    stream: 'public',
    policy: managerOnly('enrol a device'),
    reduce({ db }, body, entry) {
      insertDevice(db, { key: body.device, clinicId: clinicOf(entry.stream), label: body.label, enrolledAt: entry.at });
    },
  },
  'device.revoked': {
    stream: 'public',
    policy(ctx, body) {
      if (ctx.actorRole !== 'manager') return 'only a manager can remove a device';
      if (body.device === ctx.entry.author) return 'a device cannot remove itself';
      return deviceOfClinic(ctx.db, body.device, ctx.clinicId) ? null : 'no such device in this clinic';
    },
    reduce({ db }, body, _entry, at) {
      revokeDevice(db, body.device, at.height);
    },
  },
  'checkpoint.signed': {
    stream: 'public',
    // A device's checkpoints are in its own chain (same author, same stream), so the previous one
    // is always stored first: a checkpoint that does not extend it is refused and kept as proof.
    policy(ctx, body) {
      if (ctx.entry.by !== null) return 'a checkpoint is signed by the device, not on behalf of a person';
      const last = lastCheckpoint(ctx.db, ctx.entry.author);
      if (!last) return null;
      if (body.size < last.size)
        return `checkpoint inconsistent with ${last.hash}: ${body.size} entries is fewer than the ${last.size} it already signed`;
      if (body.size === last.size && body.chain !== last.chain) return `checkpoint inconsistent with ${last.hash}: same size, different chain`;
      return null;
    },
    reduce({ db }, body, entry, at) {
      insertCheckpoint(db, {
        hash: at.hash,
        clinicId: clinicOf(entry.stream),
        device: entry.author,
        size: body.size,
        chain: body.chain,
        at: entry.at,
      });
    },
  },
  'checkpoint.witnessed': {
    stream: 'public',
    policy(ctx, body) {
      if (ctx.entry.by !== null) return 'a checkpoint is witnessed by a device, not on behalf of a person';
      return body.device === ctx.entry.author ? 'a device cannot witness its own checkpoint' : null;
    },
    reduce({ db }, body, entry) {
      insertWitness(db, {
        checkpoint: body.checkpoint,
        witness: entry.author,
        device: body.device,
        size: body.size,
        chain: body.chain,
        at: entry.at,
      });
    },
  },
  'staff.added': {
    stream: 'public',
    policy(ctx, body) {
      if (ctx.actorRole === 'manager') return null;
      // The clinic's first manager adds themself, right after genesis, from the founding device.
      const founder = findClinic(ctx.db, ctx.clinicId)?.founder;
      if (staffCount(ctx.db, ctx.clinicId) === 0 && body.role === 'manager' && ctx.entry.by === body.staffId && ctx.entry.author === founder)
        return null;
      return 'only a manager can add staff';
    },
    reduce({ db }, body, entry, at) {
      upsertStaff(
        db,
        { id: body.staffId, clinicId: clinicOf(entry.stream), name: body.name, role: body.role, licence: body.licence, createdAt: entry.at },
        at,
      );
    },
  },
  'staff.deactivated': {
    stream: 'public',
    policy: (ctx, body) => {
      if (ctx.actorRole !== 'manager') return 'only a manager can deactivate staff';
      if (!staffExists(ctx, body.staffId)) return 'no such staff member';
      return ctx.entry.by === body.staffId ? 'a manager cannot deactivate themself' : null;
    },
    reduce: setActive(false),
  },
  'staff.reactivated': {
    stream: 'public',
    policy: (ctx, body) =>
      ctx.actorRole !== 'manager' ? 'only a manager can reactivate staff' : staffExists(ctx, body.staffId) ? null : 'no such staff member',
    reduce: setActive(true),
  },
  'staff.passphrase.set': {
    stream: 'private',
    policy(ctx, body) {
      if (!staffExists(ctx, body.staffId)) return 'no such staff member';
      if (ctx.entry.by === body.staffId || ctx.actorRole === 'manager') return null;
      return 'only a manager or the staff member can set a passphrase';
    },
    reduce({ db }, body, entry, at) {
      upsertCredential(db, { staffId: body.staffId, clinicId: clinicOf(entry.stream), verifier: body.verifier }, at);
    },
  },
  'clinic.settings.set': {
    stream: 'public',
    policy: managerOnly('change clinic settings'),
    reduce({ db }, body, entry, at) {
      upsertSettings(db, { clinicId: clinicOf(entry.stream), autoLockMinutes: body.autoLockMinutes }, at);
    },
  },
  'clinic.timezone.set': {
    stream: 'public',
    policy: managerOnly("set the clinic's time zone"),
    reduce({ db }, body, entry, at) {
      upsertTimeZone(db, { clinicId: clinicOf(entry.stream), timeZone: body.timeZone }, at);
    },
  },
  'clinic.locale.set': {
    stream: 'public',
    policy: managerOnly("set the clinic's date and time format"),
    reduce({ db }, body, entry, at) {
      upsertLocale(db, { clinicId: clinicOf(entry.stream), locale: body.locale }, at);
    },
  },
  'clinic.signin.set': {
    stream: 'public',
    policy: managerOnly('choose whether sign-in lists staff names'),
    reduce({ db }, body, entry, at) {
      upsertSignIn(db, { clinicId: clinicOf(entry.stream), namesAtSignIn: body.namesAtSignIn }, at);
    },
  },
  'clinic.hours.set': {
    stream: 'public',
    policy: managerOnly("set the clinic's opening hours"),
    reduce({ db }, body, entry, at) {
      upsertOpeningHours(db, { clinicId: clinicOf(entry.stream), weekly: body.weekly }, at);
    },
  },
  'clinic.checkin.set': {
    stream: 'public',
    policy: managerOnly('set when check-in opens'),
    reduce({ db }, body, entry, at) {
      upsertCheckInWindow(db, { clinicId: clinicOf(entry.stream), minutes: body.minutes }, at);
    },
  },
  'clinic.trusted': {
    stream: 'public',
    policy: (ctx, body) =>
      ctx.actorRole !== 'manager' ? 'only a manager can trust another clinic' : body.clinic === ctx.clinicId ? 'a clinic cannot trust itself' : null,
    reduce({ db }, body, entry, at) {
      putTrusted(db, { clinicId: clinicOf(entry.stream), peer: body.clinic, name: body.name, fingerprint: body.fingerprint, since: entry.at }, at);
    },
  },
  'clinic.untrusted': {
    stream: 'public',
    policy(ctx, body) {
      if (ctx.actorRole !== 'manager') return 'only a manager can withdraw trust';
      return trustState(ctx.db, ctx.clinicId, body.clinic) === 'trusted' ? null : 'that clinic is not trusted';
    },
    reduce({ db }, body, entry, at) {
      putWithdrawn(db, { clinicId: clinicOf(entry.stream), peer: body.clinic, since: entry.at }, at);
    },
  },
  'trust.secret': {
    stream: 'private',
    policy: managerOnly("set a trusted clinic's room secret"),
    reduce({ db }, body, entry, at) {
      putTrustSecret(db, { clinicId: clinicOf(entry.stream), peer: body.clinic, sealed: body.sealed }, at);
    },
  },
  'access.refused': {
    stream: 'private',
    // Any device of the clinic records what it refused; the acting person may be anyone or no one.
    policy: () => null,
    reduce({ db }, body, entry, at) {
      insertRefusal(db, { hash: at.hash, clinicId: clinicOf(entry.stream), staffId: entry.by, call: body.call, reason: body.reason, at: entry.at });
    },
  },
  'access.listed': {
    stream: 'private',
    // Someone on the staff saw these patients in a list their role may ask for (dispatch checked
    // the role); the role it names is theirs (a staff member's role never changes).
    policy(ctx, body) {
      if (ctx.actorRole === null) return 'a record of access names the staff member who read';
      return body.role === ctx.actorRole ? null : "the role recorded is not the staff member's role";
    },
    reduce({ db }, body, entry, at) {
      // One row per patient, so each patient's record lists the reading (docs/architecture.md#access-audit).
      if (entry.by === null) return;
      insertPatientsListed(db, {
        hash: at.hash,
        patients: body.patients,
        staffId: entry.by,
        role: body.role,
        device: entry.author,
        at: entry.at,
        call: body.call,
        mode: body.mode,
      });
    },
  },
};
