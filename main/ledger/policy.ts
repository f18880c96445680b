import { ENTRY_BODIES, isEntryKind } from '../../shared/ledger/kinds/index.js';
import type { EntryKind } from '../../shared/ledger/kinds/index.js';
import type { Db } from '../store/db.js';
import { clinicOfDevice, deviceOfClinic, findClinic, findStaffInClinic, staffKnown, staffRole } from '../views/clinic.js';
import { consentNames } from '../views/consent.js';
import { trustState } from '../views/trust.js';
import { KIND_RULES } from './domains/index.js';
import type { Policy } from './domains/types.js';
import type { Entry } from './entry.js';
import { patientErasure } from './erasure.js';
import { homeClinicId } from './home.js';
import { clinicIdFor, clinicOfStream, patientOfStream } from './streams.js';

/** Whether the home clinic trusts (or once trusted) `clinicId`: its genesis may then be stored. */
function trustedByHome(db: Db, home: string, clinicId: string): boolean {
  return trustState(db, home, clinicId) !== null;
}

/**
 * Who may write what (docs/architecture.md#who-may-write-what), judged
 * against the views as they stand once the entry's causal past is stored. Returns null when the
 * entry is allowed, else the reason, in words, for the quarantine.
 *
 * Common rules here (known kind, valid body, right stream, author a non-revoked device of the
 * clinic that owns the stream); each kind's own rule lives with its reducer in main/ledger/domains.
 */
export function refusalReason(db: Db, entry: Entry): string | null {
  if (!isEntryKind(entry.kind)) return `unknown entry kind "${entry.kind}"`;
  const kind: EntryKind = entry.kind;
  const parsed = ENTRY_BODIES[kind].safeParse(entry.body);
  if (!parsed.success)
    return `body does not match ${kind}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`;
  const rule = KIND_RULES[kind];

  const clinic = clinicOfStream(entry.stream);
  const part = clinic ? clinic.part : entry.stream.slice(entry.stream.indexOf('/') + 1);
  if (part !== rule.stream) return `${kind} belongs in a ${rule.stream} stream, not ${part}`;

  if (kind === 'clinic.created') {
    const nonce = (parsed.data as { nonce: string }).nonce;
    if (entry.seq !== 1 || entry.deps.length > 0) return 'clinic.created must be the first entry of its stream';
    if (clinicIdFor(entry.author, nonce) !== clinic?.clinicId) return 'clinic id does not match the founder and nonce';
    // The first genesis makes the ledger's home clinic; another clinic's only once home trusts it.
    const home = homeClinicId(db);
    if (home === null || home === clinic.clinicId || trustedByHome(db, home, clinic.clinicId)) return null;
    return 'this ledger belongs to another clinic, which does not trust this one';
  }

  if (clinic?.part === 'private' && clinic.clinicId !== homeClinicId(db)) return "another clinic's private stream never leaves that clinic";

  // A patient stream is written by this ledger's clinic, and by the clinics the patient's consent
  // names (docs/architecture.md#who-writes-a-patients-record); the acting role is the author's clinic's.
  const clinicId = clinic ? clinic.clinicId : patientWriter(db, entry);
  if (clinicId === null || !findClinic(db, clinicId)) return 'the clinic of this stream is not known here';
  if (!clinic && !mayWritePatient(db, entry, clinicId)) return "this clinic has no consent to write this patient's record";
  const device = deviceOfClinic(db, entry.author, clinicId);
  if (!device) return 'author is not a device of this clinic';
  if (device.revoked) return 'author device has been revoked';
  const actorRole = entry.by === null ? null : staffRole(db, entry.by, clinicId);
  return (rule.policy as Policy<EntryKind>)({ db, entry, clinicId, actorRole }, parsed.data);
}

/**
 * The rules for entries this data folder's OWN device writes, on top of `refusalReason`
 * (docs/architecture.md#what-this-device-may-write): a frozen device writes nothing (someone
 * signed two different entries at one place with its key), and an entry on behalf of a staff
 * member who is deactivated in the device's clinic is refused (another window or process may
 * still hold their session). Entries received from other devices are not judged by these rules:
 * they may have been written before their device learned of the deactivation, and refusing them
 * would make admission depend on delivery order. `frozen` is the reason this device was frozen,
 * or null. `access.refused` is exempt: it records what someone tried, not an act on their behalf.
 * Nothing at all is written into the streams of a patient whose record was erased.
 */
export function ownDeviceRefusal(db: Db, entry: Entry, frozen: string | null): string | null {
  if (frozen !== null) return `this computer is frozen and may not write (${frozen})`;
  // Nothing more goes into an erased record (docs/architecture.md#erasure). Judged here, not in
  // the shared policy: an entry another device wrote before it heard of the erasure is admitted
  // (sealed under a key no device keeps), or admission would depend on delivery order.
  const patientId = patientOfStream(entry.stream);
  const erased = patientId === null ? null : patientErasure(db, patientId);
  if (erased) return `this patient's record was erased on ${new Date(erased.at).toISOString().slice(0, 10)}; nothing more can be written into it`;
  if (entry.by === null || entry.kind === 'access.refused') return null;
  const clinicId = clinicOfDevice(db, entry.author);
  if (clinicId === null) return null;
  const staff = findStaffInClinic(db, entry.by, clinicId);
  return staff && !staff.active ? `staff member ${entry.by} has been deactivated in this clinic` : null;
}

/**
 * The clinic whose device wrote a patient-stream entry: this ledger's home clinic when the author
 * is one of its devices (as before consent existed), else the clinic that enrolled the author, or
 * null when the author is not known here.
 */
function patientWriter(db: Db, entry: Entry): string | null {
  const home = homeClinicId(db);
  if (home !== null && deviceOfClinic(db, entry.author, home)) return home;
  return clinicOfDevice(db, entry.author) ?? home;
}

/**
 * Whether `clinicId` may write in this patient's streams on this ledger
 * (docs/architecture.md#who-writes-a-patients-record): this ledger's own clinic; a clinic a stored
 * grant for the patient names as grantor or grantee; or a grant itself, from its home clinic to
 * this ledger's clinic (the grant that makes the patient shared here). Monotonic (grants are
 * never removed), so an entry that waits for its grant (`writer:` in `pending`) is judged the
 * same on every device whatever the delivery order.
 */
function mayWritePatient(db: Db, entry: Entry, clinicId: string): boolean {
  const home = homeClinicId(db);
  const patientId = patientOfStream(entry.stream);
  if (patientId === null) return false;
  if (clinicId === home) return true;
  if (entry.kind === 'consent.granted') {
    const body = entry.body as { home?: unknown; grantee?: unknown } | null;
    if (body?.home === clinicId && body.grantee === home) return true;
  }
  return consentNames(db, patientId, clinicId);
}

/**
 * What an entry needs from OTHER streams before it can be judged, when that is not here yet:
 * `clinic` (the home clinic's genesis, for a patient stream), `clinic:<id>` (that clinic's
 * genesis), `trust:<id>` (for another clinic's genesis: the home clinic's trust in it),
 * `device:<key>` (the author's enrolment) or `staff:<id>` (the acting staff member). prev/deps order entries only within a stream, so an entry can arrive
 * before the enrolment that entitles its author; it then waits in `pending` instead of being
 * refused, and any delivery order gives the same result. Returns null when nothing is missing.
 */
export function missingContext(db: Db, entry: Entry): string | null {
  if (!isEntryKind(entry.kind)) return null;
  const clinic = clinicOfStream(entry.stream);
  if (entry.kind === 'clinic.created') {
    // Another clinic's genesis waits for this clinic's trust in it (`clinic.trusted`).
    const home = homeClinicId(db);
    if (home === null || clinic === null || home === clinic.clinicId || trustedByHome(db, home, clinic.clinicId)) return null;
    return `trust:${clinic.clinicId}`;
  }
  if (clinic?.part === 'private') {
    const home = homeClinicId(db);
    if (home !== null && home !== clinic.clinicId) return null; // refused outright (refusalReason)
  }
  const clinicId = clinic ? clinic.clinicId : homeClinicId(db) === null ? null : patientWriter(db, entry);
  if (clinicId === null) return 'clinic';
  if (!findClinic(db, clinicId)) return `clinic:${clinicId}`;
  if (!deviceOfClinic(db, entry.author, clinicId)) return `device:${entry.author}`;
  // Another clinic's entry in a patient's record waits for the grant that lets that clinic write.
  const patientId = clinic ? null : patientOfStream(entry.stream);
  if (patientId !== null && !mayWritePatient(db, entry, clinicId)) return `writer:${patientId}:${clinicId}`;
  const subject = (entry.body as { staffId?: unknown } | null)?.staffId;
  if (entry.by !== null && !staffKnown(db, entry.by)) {
    const selfAdded = entry.kind === 'staff.added' && subject === entry.by;
    if (!selfAdded) return `staff:${entry.by}`;
  }
  // Entries about a staff member (passphrase, deactivation) need that member's staff.added, which
  // lives in the public stream while a passphrase lives in the private one.
  if (entry.kind !== 'staff.added' && typeof subject === 'string' && entry.kind.startsWith('staff.') && !staffKnown(db, subject)) {
    return `staff:${subject}`;
  }
  return null;
}

/** The `missingContext` tokens an entry supplies once it is stored. */
export function contextSupplied(entry: Entry): string[] {
  const body = entry.body as Record<string, unknown> | null;
  switch (entry.kind) {
    case 'clinic.created': {
      const clinic = clinicOfStream(entry.stream);
      return ['clinic', ...(clinic ? [`clinic:${clinic.clinicId}`] : []), `device:${entry.author}`];
    }
    case 'device.enrolled':
      return typeof body?.device === 'string' ? [`device:${body.device}`] : [];
    case 'staff.added':
      return typeof body?.staffId === 'string' ? [`staff:${body.staffId}`] : [];
    case 'clinic.trusted':
      return typeof body?.clinic === 'string' ? [`trust:${body.clinic}`] : [];
    case 'consent.granted': {
      const patientId = patientOfStream(entry.stream);
      if (patientId === null) return [];
      return [body?.home, body?.grantee].filter((c): c is string => typeof c === 'string').map((c) => `writer:${patientId}:${c}`);
    }
    default:
      return [];
  }
}
