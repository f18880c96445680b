import { statement } from '../../store/statements.js';
import type { Db } from '../../store/db.js';
import type { Entry } from '../entry.js';
import { upsertLatest } from './lww.js';
import type { KindRule, OrderKey, PolicyContext } from './types.js';
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
  | 'clinic.trusted'
  | 'clinic.untrusted'
  | 'trust.secret'
  | 'access.refused';

/** Last-writer-wins on the `active` register of a staff row. */
function setActive(active: 0 | 1): (db: Db, body: { staffId: string }, entry: Entry, at: OrderKey) => void {
  return (db, body, _entry, at) => {
    statement(db, `UPDATE view_staff SET active = ?, a_height = ?, a_hash = ? WHERE id = ? AND (?, ?) > (a_height, a_hash)`).run(
      active,
      at.height,
      at.hash,
      body.staffId,
      at.height,
      at.hash,
    );
  };
}

function staffExists(ctx: PolicyContext, staffId: string): boolean {
  return statement(ctx.db, 'SELECT 1 FROM view_staff WHERE id = ? AND clinic_id = ?').get(staffId, ctx.clinicId) !== undefined;
}

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
    reduce(db, body, entry, at) {
      const clinicId = clinicOfStream(entry.stream)?.clinicId ?? null;
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
    },
  },
  'device.enrolled': {
    stream: 'public',
    policy: managerOnly('enrol a device'),
    reduce(db, body, entry) {
      statement(db, 'INSERT OR IGNORE INTO view_devices (key, clinic_id, label, enrolled_at) VALUES (?, ?, ?, ?)').run(
        body.device,
        clinicOfStream(entry.stream)?.clinicId ?? null,
        body.label,
        entry.at,
      );
    },
  },
  'device.revoked': {
    stream: 'public',
    policy(ctx, body) {
      if (ctx.actorRole !== 'manager') return 'only a manager can remove a device';
      if (body.device === ctx.entry.author) return 'a device cannot remove itself';
      return statement(ctx.db, 'SELECT 1 FROM view_devices WHERE key = ? AND clinic_id = ?').get(body.device, ctx.clinicId)
        ? null
        : 'no such device in this clinic';
    },
    reduce(db, body, _entry, at) {
      statement(db, 'UPDATE view_devices SET revoked = 1, revoked_at_height = min(coalesce(revoked_at_height, ?), ?) WHERE key = ?').run(
        at.height,
        at.height,
        body.device,
      );
    },
  },
  'checkpoint.signed': {
    stream: 'public',
    // A device's checkpoints are in its own chain (same author, same stream), so the previous one
    // is always stored first: a checkpoint that does not extend it is refused and kept as proof.
    policy(ctx, body) {
      if (ctx.entry.by !== null) return 'a checkpoint is signed by the device, not on behalf of a person';
      const last = statement<[string], { size: number; chain: string; hash: string }>(
        ctx.db,
        'SELECT size, chain, hash FROM view_checkpoints WHERE device = ? ORDER BY size DESC LIMIT 1',
      ).get(ctx.entry.author);
      if (!last) return null;
      if (body.size < last.size)
        return `checkpoint inconsistent with ${last.hash}: ${body.size} entries is fewer than the ${last.size} it already signed`;
      if (body.size === last.size && body.chain !== last.chain) return `checkpoint inconsistent with ${last.hash}: same size, different chain`;
      return null;
    },
    reduce(db, body, entry, at) {
      statement(db, 'INSERT OR IGNORE INTO view_checkpoints (hash, clinic_id, device, size, chain, at) VALUES (?, ?, ?, ?, ?, ?)').run(
        at.hash,
        clinicOfStream(entry.stream)?.clinicId ?? null,
        entry.author,
        body.size,
        body.chain,
        entry.at,
      );
    },
  },
  'checkpoint.witnessed': {
    stream: 'public',
    policy(ctx, body) {
      if (ctx.entry.by !== null) return 'a checkpoint is witnessed by a device, not on behalf of a person';
      return body.device === ctx.entry.author ? 'a device cannot witness its own checkpoint' : null;
    },
    reduce(db, body, entry) {
      statement(db, 'INSERT OR IGNORE INTO view_witnesses (checkpoint, witness, device, size, chain, at) VALUES (?, ?, ?, ?, ?, ?)').run(
        body.checkpoint,
        entry.author,
        body.device,
        body.size,
        body.chain,
        entry.at,
      );
    },
  },
  'staff.added': {
    stream: 'public',
    policy(ctx, body) {
      if (ctx.actorRole === 'manager') return null;
      // The clinic's first manager adds themself, right after genesis, from the founding device.
      const staffCount =
        statement<[string], { n: number }>(ctx.db, 'SELECT count(*) AS n FROM view_staff WHERE clinic_id = ?').get(ctx.clinicId)?.n ?? 0;
      const founder = statement<[string], { founder: string }>(ctx.db, 'SELECT founder FROM view_clinic WHERE id = ?').get(ctx.clinicId)?.founder;
      if (staffCount === 0 && body.role === 'manager' && ctx.entry.by === body.staffId && ctx.entry.author === founder) return null;
      return 'only a manager can add staff';
    },
    reduce(db, body, entry, at) {
      upsertLatest(
        db,
        'view_staff',
        'id',
        {
          id: body.staffId,
          clinic_id: clinicOfStream(entry.stream)?.clinicId ?? null,
          name: body.name,
          role: body.role,
          licence: body.licence,
          created_at: entry.at,
        },
        at,
        ['clinic_id', 'created_at'],
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
    reduce: setActive(0),
  },
  'staff.reactivated': {
    stream: 'public',
    policy: (ctx, body) =>
      ctx.actorRole !== 'manager' ? 'only a manager can reactivate staff' : staffExists(ctx, body.staffId) ? null : 'no such staff member',
    reduce: setActive(1),
  },
  'staff.passphrase.set': {
    stream: 'private',
    policy(ctx, body) {
      const targetExists = statement<[string, string], { id: string }>(ctx.db, 'SELECT id FROM view_staff WHERE id = ? AND clinic_id = ?').get(
        body.staffId,
        ctx.clinicId,
      );
      if (!targetExists) return 'no such staff member';
      if (ctx.entry.by === body.staffId || ctx.actorRole === 'manager') return null;
      return 'only a manager or the staff member can set a passphrase';
    },
    reduce(db, body, entry, at) {
      upsertLatest(
        db,
        'view_credentials',
        'staff_id',
        { staff_id: body.staffId, clinic_id: clinicOfStream(entry.stream)?.clinicId ?? null, verifier: body.verifier },
        at,
      );
    },
  },
  'clinic.settings.set': {
    stream: 'public',
    policy: managerOnly('change clinic settings'),
    reduce(db, body, entry, at) {
      upsertLatest(
        db,
        'view_settings',
        'clinic_id',
        { clinic_id: clinicOfStream(entry.stream)?.clinicId ?? null, auto_lock_minutes: body.autoLockMinutes },
        at,
      );
    },
  },
  'clinic.timezone.set': {
    stream: 'public',
    policy: managerOnly("set the clinic's time zone"),
    reduce(db, body, entry, at) {
      upsertLatest(db, 'view_time_zone', 'clinic_id', { clinic_id: clinicOfStream(entry.stream)?.clinicId ?? null, time_zone: body.timeZone }, at);
    },
  },
  'clinic.trusted': {
    stream: 'public',
    policy: (ctx, body) =>
      ctx.actorRole !== 'manager' ? 'only a manager can trust another clinic' : body.clinic === ctx.clinicId ? 'a clinic cannot trust itself' : null,
    reduce(db, body, entry, at) {
      upsertLatest(
        db,
        'view_trust',
        'clinic_id, peer',
        {
          clinic_id: clinicOfStream(entry.stream)?.clinicId ?? null,
          peer: body.clinic,
          name: body.name,
          fingerprint: body.fingerprint,
          state: 'trusted',
          since: entry.at,
        },
        at,
      );
    },
  },
  'clinic.untrusted': {
    stream: 'public',
    policy(ctx, body) {
      if (ctx.actorRole !== 'manager') return 'only a manager can withdraw trust';
      const row = statement<[string, string], { state: string }>(ctx.db, 'SELECT state FROM view_trust WHERE clinic_id = ? AND peer = ?').get(
        ctx.clinicId,
        body.clinic,
      );
      return row?.state === 'trusted' ? null : 'that clinic is not trusted';
    },
    reduce(db, body, entry, at) {
      statement(
        db,
        `UPDATE view_trust SET state = 'withdrawn', since = ?, v_height = ?, v_hash = ?
          WHERE clinic_id = ? AND peer = ? AND (?, ?) > (v_height, v_hash)`,
      ).run(entry.at, at.height, at.hash, clinicOfStream(entry.stream)?.clinicId ?? null, body.clinic, at.height, at.hash);
    },
  },
  'trust.secret': {
    stream: 'private',
    policy: managerOnly("set a trusted clinic's room secret"),
    reduce(db, body, entry, at) {
      upsertLatest(
        db,
        'view_trust_secrets',
        'clinic_id, peer',
        { clinic_id: clinicOfStream(entry.stream)?.clinicId ?? null, peer: body.clinic, sealed: body.sealed },
        at,
      );
    },
  },
  'access.refused': {
    stream: 'private',
    // Any device of the clinic records what it refused; the acting person may be anyone or no one.
    policy: () => null,
    reduce(db, body, entry, at) {
      statement(db, 'INSERT OR IGNORE INTO view_refusals (hash, clinic_id, staff_id, call, reason, at) VALUES (?, ?, ?, ?, ?, ?)').run(
        at.hash,
        clinicOfStream(entry.stream)?.clinicId ?? null,
        entry.by,
        body.call,
        body.reason,
        entry.at,
      );
    },
  },
};
