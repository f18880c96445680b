import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput, StaffRow } from '../../shared/api/index.js';
import { hashPassphrase, verifyPassphrase } from '../auth/passphrase.js';
import { passphraseProblem } from '../auth/passphrasePolicy.js';
import type { SessionStore } from '../auth/sessions.js';
import { readClinic } from '../clinic/queries.js';
import { clinicSettings, findStaff, listStaff, namesAtSignIn, staffVerifier } from '../clinic/staffQueries.js';
import type { Draft, Ledger } from '../ledger/ledger.js';
import { clinicStream } from '../ledger/streams.js';
import type { CallContext } from './context.js';
import { actingStaff, requireClinicId } from './guards.js';
import type { RefusalLog } from './refusals.js';

export interface StaffDeps {
  readonly ledger: Ledger;
  readonly sessions: SessionStore;
  readonly refusals: RefusalLog;
}

function requireConnection(ctx: CallContext): string {
  if (ctx.connection === undefined) throw new ApiFailure('unavailable', 'Signing in needs an app window or browser tab.');
  return ctx.connection;
}

/** Refuses a new passphrase that the policy does not accept (docs/architecture.md#staff-passphrases). */
export async function requireGoodPassphrase(passphrase: string, names: readonly string[]): Promise<void> {
  const problem = await passphraseProblem(passphrase, names);
  if (problem) throw new ApiFailure('invalid_input', problem);
}

/** A name as compared: without case or extra spaces. */
const nameKey = (name: string) => name.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
const sameName = (a: string, b: string) => nameKey(a) === nameKey(b);

/** Two active staff members with the same name would be two identical choices at sign-in. */
function refuseDuplicateActiveName(deps: StaffDeps, name: string, except: string | null): void {
  const twin = listStaff(deps.ledger.db).find((s) => s.active && s.id !== except && sameName(s.name, name));
  if (twin) {
    throw new ApiFailure(
      'conflict',
      `${twin.name} is already on the active staff. Add something that tells them apart, such as "${twin.name} (PT)" or a middle initial.`,
    );
  }
}

function mustFind(deps: StaffDeps, staffId: string): StaffRow {
  const staff = findStaff(deps.ledger.db, staffId);
  if (!staff) throw new ApiFailure('not_found', 'There is no such staff member.');
  return staff;
}

/** Records a refused request or failed sign-in, at a cost bounded by time (refusals.ts). */
function recordRefusal(deps: StaffDeps, by: string | null, call: string, reason: string): void {
  deps.refusals.record(by, call, reason);
}

/** The active staff who can sign in, by name; none when the clinic lists no names (then people type theirs). */
export function sessionChoices(deps: StaffDeps): CallOutput<'session.choices'> {
  if (!namesAtSignIn(deps.ledger.db)) return [];
  return listStaff(deps.ledger.db)
    .filter((s) => s.active && staffVerifier(deps.ledger.db, s.id) !== null)
    .map((s) => ({ id: s.id, name: s.name, role: s.role }));
}

export async function signIn(deps: StaffDeps, input: CallParsedInput<'session.signIn'>, ctx: CallContext): Promise<CallOutput<'session.signIn'>> {
  const connection = requireConnection(ctx);
  // A typed name stands for the active staff member of that name; an unknown name is throttled
  // and hashed like an unknown id, so neither tells who exists.
  const staffId = input.staffId ?? staffIdByName(deps, input.name ?? '');
  // Counted before the slow hash, so guesses sent together are refused without being hashed.
  const admitted = deps.sessions.gate.admit(connection, staffId);
  if (!admitted.ok) {
    throw new ApiFailure(
      'forbidden',
      admitted.why === 'busy'
        ? 'A sign-in is already being checked. Wait for it, then try again.'
        : `Too many wrong passphrases. Try again in ${Math.ceil(admitted.waitMs / 1000)} seconds.`,
    );
  }
  const staff = findStaff(deps.ledger.db, staffId);
  const verifier = staff ? staffVerifier(deps.ledger.db, staff.id) : null;
  let matches: boolean;
  try {
    // Hash even when the staff member is unknown, so timing does not tell who exists.
    matches = verifier ? await verifyPassphrase(input.passphrase, verifier) : (await verifyPassphrase(input.passphrase, DUMMY_VERIFIER), false);
  } finally {
    deps.sessions.gate.finished(admitted.attempt);
  }
  if (!staff || !matches) {
    recordRefusal(deps, staff?.id ?? null, 'session.signIn', 'wrong passphrase');
    throw new ApiFailure('unauthenticated', 'That passphrase is not right. Check it and try again.');
  }
  deps.sessions.gate.succeeded(admitted.attempt);
  if (!staff.active) {
    recordRefusal(deps, staff.id, 'session.signIn', 'staff member is deactivated');
    throw new ApiFailure('forbidden', 'This account has been deactivated. Ask a manager.');
  }
  deps.sessions.signIn(connection, { staffId: staff.id, name: staff.name, role: staff.role, credential: verifier });
  return { staffId: staff.id, name: staff.name, role: staff.role, ...clinicSettings(deps.ledger.db) };
}

/** The active staff member with this name (compared like duplicate names), else a stand-in key for the throttle. */
function staffIdByName(deps: StaffDeps, name: string): string {
  return listStaff(deps.ledger.db).find((s) => s.active && sameName(s.name, name))?.id ?? `name:${nameKey(name)}`;
}

// A verifier for no one, computed once, so failed look-ups cost the same as wrong passphrases.
let DUMMY_VERIFIER = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
void hashPassphrase('no one').then((v) => (DUMMY_VERIFIER = v));

export function currentSession(deps: StaffDeps, ctx: CallContext): CallOutput<'session.current'> {
  if (!ctx.session) return null;
  const staff = findStaff(deps.ledger.db, ctx.session.staffId);
  if (!staff) return null;
  return { staffId: staff.id, name: staff.name, role: staff.role, ...clinicSettings(deps.ledger.db) };
}

export function signOut(deps: StaffDeps, ctx: CallContext): null {
  if (ctx.connection !== undefined) deps.sessions.signOut(ctx.connection);
  return null;
}

export async function addStaff(deps: StaffDeps, input: CallParsedInput<'staff.add'>, ctx: CallContext): Promise<StaffRow> {
  const by = actingStaff(ctx);
  const id = requireClinicId(deps.ledger.db);
  refuseDuplicateActiveName(deps, input.name, null);
  await requireGoodPassphrase(input.passphrase, [input.name, readClinic(deps.ledger.db)?.name ?? '']);
  const verifier = await hashPassphrase(input.passphrase);
  const staffId = randomBytes(16).toString('hex');
  deps.ledger.appendMany([
    { stream: clinicStream(id, 'public'), kind: 'staff.added', by, body: { staffId, name: input.name, role: input.role, licence: input.licence } },
    { stream: clinicStream(id, 'private'), kind: 'staff.passphrase.set', by, body: { staffId, verifier } },
  ]);
  return mustFind(deps, staffId);
}

export function setActive(deps: StaffDeps, staffId: string, active: boolean, ctx: CallContext): StaffRow {
  const by = actingStaff(ctx);
  const staff = mustFind(deps, staffId);
  if (!active && staffId === by) throw new ApiFailure('conflict', 'You cannot deactivate yourself. Ask another manager.');
  if (active && !staff.active) refuseDuplicateActiveName(deps, staff.name, staffId);
  if (staff.active !== active) {
    deps.ledger.append({
      stream: clinicStream(requireClinicId(deps.ledger.db), 'public'),
      kind: active ? 'staff.reactivated' : 'staff.deactivated',
      by,
      body: { staffId },
    });
  }
  if (!active) deps.sessions.signOutEverywhere(staffId);
  return mustFind(deps, staffId);
}

export async function setPassphrase(deps: StaffDeps, input: CallParsedInput<'staff.setPassphrase'>, ctx: CallContext): Promise<null> {
  const by = actingStaff(ctx);
  if (ctx.session?.role !== 'manager' && input.staffId !== by) {
    recordRefusal(deps, by, 'staff.setPassphrase', "tried to set another staff member's passphrase");
    throw new ApiFailure('forbidden', 'You can only change your own passphrase.');
  }
  const staff = mustFind(deps, input.staffId);
  await requireGoodPassphrase(input.passphrase, [staff.name, readClinic(deps.ledger.db)?.name ?? '']);
  const verifier = await hashPassphrase(input.passphrase);
  deps.ledger.append({
    stream: clinicStream(requireClinicId(deps.ledger.db), 'private'),
    kind: 'staff.passphrase.set',
    by,
    body: { staffId: input.staffId, verifier },
  });
  // A reset ends the person's sessions everywhere in this process; a change of one's own passphrase
  // keeps the session that made it and ends the others.
  const own = input.staffId === by ? ctx.connection : undefined;
  deps.sessions.signOutEverywhere(input.staffId, own);
  if (own !== undefined) deps.sessions.renewCredential(own, verifier);
  return null;
}

/**
 * Writes only the settings that change: auto-lock (`clinic.settings.set`), the time zone
 * (`clinic.timezone.set`), opening hours (`clinic.hours.set`), the check-in window (`clinic.checkin.set`)
 * the locale (`clinic.locale.set`), whether sign-in lists names (`clinic.signin.set`) and the care
 * window (`clinic.carewindow.set`).
 */
export function updateSettings(deps: StaffDeps, input: CallParsedInput<'settings.update'>, ctx: CallContext): CallOutput<'settings.update'> {
  const by = actingStaff(ctx);
  const db = deps.ledger.db;
  const stream = clinicStream(requireClinicId(db), 'public');
  const current = clinicSettings(db);
  const drafts: Draft[] = [];
  if (input.autoLockMinutes !== undefined && input.autoLockMinutes !== current.autoLockMinutes) {
    drafts.push({ stream, kind: 'clinic.settings.set', by, body: { autoLockMinutes: input.autoLockMinutes } });
  }
  if (input.timeZone !== undefined && input.timeZone !== current.timeZone)
    drafts.push({ stream, kind: 'clinic.timezone.set', by, body: { timeZone: input.timeZone } });
  if (input.locale !== undefined && input.locale !== current.locale)
    drafts.push({ stream, kind: 'clinic.locale.set', by, body: { locale: input.locale } });
  if (input.openingHours !== undefined && JSON.stringify(input.openingHours) !== JSON.stringify(current.openingHours))
    drafts.push({ stream, kind: 'clinic.hours.set', by, body: { weekly: input.openingHours } });
  if (input.checkInMinutes !== undefined && input.checkInMinutes !== current.checkInMinutes)
    drafts.push({ stream, kind: 'clinic.checkin.set', by, body: { minutes: input.checkInMinutes } });
  if (input.namesAtSignIn !== undefined && input.namesAtSignIn !== current.namesAtSignIn)
    drafts.push({ stream, kind: 'clinic.signin.set', by, body: { namesAtSignIn: input.namesAtSignIn } });
  if (input.careWindowMonths !== undefined && input.careWindowMonths !== current.careWindowMonths)
    drafts.push({ stream, kind: 'clinic.carewindow.set', by, body: { months: input.careWindowMonths } });
  if (drafts.length > 0) deps.ledger.appendMany(drafts);
  return clinicSettings(db);
}
