import { generateDeviceKeyPair } from '../../ledger/crypto/index.js';
import type { Ledger } from '../../ledger/ledger.js';
import { sealedDraft } from '../../ledger/sealedDraft.js';
import { sealingKeyOf } from '../../ledger/seal.js';
import { clinicIdFor, clinicStream } from '../../ledger/streams.js';
import { foundClinic, storedEntries, tempLedger } from '../../ledger/testing/fixtures.js';
import type { TestLedger } from '../../ledger/testing/fixtures.js';
import { checkpointRound } from '../../sync/checkpoints.js';

/** 2026-03-10T09:00:00Z, a Tuesday: the fixture's "now". */
export const MARCH_10 = Date.UTC(2026, 2, 10, 9, 0, 0);
export const PATIENT = '1'.repeat(32);
export const OTHER_PATIENT = '2'.repeat(32);
export const THERAPIST = 'b'.repeat(32);
export const FRONT_DESK = 'c'.repeat(32);
export const PASSPHRASE_VERIFIER = 'scrypt$16384$8$1$c2FsdA$aGFzaA';

export interface BundleFixture {
  /** The founding device of Riverside Physio, whose database the bundles are written from. */
  readonly a: TestLedger;
  /** A second device of Riverside Physio (witnesses a's checkpoint). */
  readonly b: TestLedger;
  /** The founding device of North Clinic, a clinic Riverside trusts (witnesses a's checkpoint too). */
  readonly c: TestLedger;
  readonly clinicId: string;
  readonly northId: string;
  readonly managerId: string;
  /** Advances the shared clock. */
  tick(ms: number): void;
  /** Copies entries between the ledgers as sync would (the other clinic gets public streams only). */
  settle(): void;
  /** The same between a and b only (North Clinic's device is away). */
  settleClinic(): void;
}

/**
 * Two devices of one clinic and the device of a trusted clinic, with staff, a registered patient,
 * readings (access.read, access.listed), a refused request, and checkpoints of a's local chain
 * that b and c witnessed: a realistic ledger to write audit bundles from.
 */
export function bundleFixture(): BundleFixture {
  let now = MARCH_10;
  const clock = () => now;
  const a = tempLedger(generateDeviceKeyPair(), clock);
  const b = tempLedger(generateDeviceKeyPair(), clock);
  const c = tempLedger(generateDeviceKeyPair(), clock);
  const riverside = foundClinic(a, 'Riverside Physio');
  const northNonce = 'fedcba9876543210fedcba9876543210';
  const northId = clinicIdFor(c.device.publicKey, northNonce);
  const northManager = 'e'.repeat(32);
  const north = clinicStream(northId, 'public');
  c.appendMany([
    { stream: north, kind: 'clinic.created', by: northManager, body: { name: 'North Clinic', nonce: northNonce } },
    { stream: north, kind: 'staff.added', by: northManager, body: { staffId: northManager, name: 'Noor Haddad', role: 'manager', licence: null } },
  ]);
  const fingerprint = '12345 67890 12345 67890 12345 67890 12345 67890';
  a.appendMany([
    { stream: riverside.publicStream, kind: 'device.enrolled', by: riverside.managerId, body: { device: b.device.publicKey, label: 'Front desk' } },
    {
      stream: riverside.publicStream,
      kind: 'staff.added',
      by: riverside.managerId,
      body: { staffId: THERAPIST, name: 'Jürgen Ødegård', role: 'therapist', licence: null },
    },
    {
      stream: riverside.publicStream,
      kind: 'staff.added',
      by: riverside.managerId,
      body: { staffId: FRONT_DESK, name: 'Zoé Lefèvre', role: 'front_desk', licence: null },
    },
    { stream: riverside.publicStream, kind: 'clinic.trusted', by: riverside.managerId, body: { clinic: northId, name: 'North Clinic', fingerprint } },
    { stream: riverside.publicStream, kind: 'clinic.timezone.set', by: riverside.managerId, body: { timeZone: 'Europe/Berlin' } },
    // Not an audit action: a passphrase verifier never goes into a bundle.
    { stream: riverside.privateStream, kind: 'staff.passphrase.set', by: THERAPIST, body: { staffId: THERAPIST, verifier: PASSPHRASE_VERIFIER } },
  ]);
  c.append({ stream: north, kind: 'clinic.trusted', by: northManager, body: { clinic: riverside.clinicId, name: 'Riverside Physio', fingerprint } });

  const settle = () => {
    for (let round = 0; round < 2; round++) {
      copy(a, b, () => true);
      copy(b, a, () => true);
      copy(a, c, (s) => s === riverside.publicStream);
      copy(c, a, (s) => s === north);
      copy(a, b, () => true);
    }
  };
  settle();

  const key = a.keystore.createKey(PATIENT, now);
  const sealing = sealingKeyOf(key);
  a.appendMany([
    sealedDraft(sealing, PATIENT, 'patient.registered', { ...profile }, riverside.managerId),
    sealedDraft(sealing, PATIENT, 'access.read', { what: 'profile', purpose: 'care' }, THERAPIST),
  ]);
  now += 60_000;
  a.append(listed(riverside.privateStream, THERAPIST, 'therapist', [PATIENT, OTHER_PATIENT]));
  b.append({ stream: riverside.privateStream, kind: 'access.refused', by: FRONT_DESK, body: { call: 'notes.list', reason: 'role front_desk' } });
  settle();
  // a signs a checkpoint; b and c witness it; a takes their countersignatures back.
  now += 60_000;
  checkpointRound(a);
  settle();
  checkpointRound(b);
  checkpointRound(c);
  settle();
  // After the witnessed checkpoint: signed and chained, not witnessed.
  now += 60_000;
  a.append(listed(riverside.privateStream, FRONT_DESK, 'front_desk', [OTHER_PATIENT]));
  // 1 April 00:30 in Berlin (31 March 22:30 UTC): the next month there, outside a March report.
  now = Date.UTC(2026, 2, 31, 22, 30, 0);
  a.append(listed(riverside.privateStream, THERAPIST, 'therapist', [PATIENT]));
  return {
    a,
    b,
    c,
    clinicId: riverside.clinicId,
    northId,
    managerId: riverside.managerId,
    tick: (ms) => {
      now += ms;
    },
    settle,
    settleClinic: () => {
      copy(a, b, () => true);
      copy(b, a, () => true);
    },
  };
}

function listed(stream: string, by: string, role: string, patients: string[]) {
  return {
    stream,
    kind: 'access.listed' as const,
    by,
    body: { call: 'schedule.range', role, via: 'cli', purpose: 'care', mode: 'ordinary', patients },
  };
}

function copy(from: Ledger, to: Ledger, streams: (stream: string) => boolean): void {
  const wanted = storedEntries(from).filter((e) => streams((JSON.parse(Buffer.from(e.bytes).toString('utf8')) as { stream: string }).stream));
  to.ingestMany(wanted, 'test');
}

const profile = {
  givenName: 'Ada',
  familyName: 'Okafor',
  preferredName: null,
  dateOfBirth: '1975-11-30',
  sex: 'female',
  phone: null,
  email: null,
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
} as const;
