import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput } from '../../shared/api/index.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../../shared/time.js';
import { hashPassphrase } from '../auth/passphrase.js';
import { readClinic } from '../clinic/queries.js';
import { requireGoodPassphrase } from './staff.js';
import type { SessionStore } from '../auth/sessions.js';
import type { LedgerVerifier } from '../ledger/lastVerify.js';
import type { Ledger } from '../ledger/ledger.js';
import { latestWitnessedCheckpoints } from '../views/checkpoints.js';
import { devicesOfClinic } from '../views/clinic.js';
import type { CallContext } from './context.js';
import type { Db } from '../store/db.js';
import { receivedBackAfterRestore, restoreRecords } from '../store/restored.js';
import { clinicIdFor, clinicStream } from '../ledger/streams.js';

/** This computer's time zone, when it is one Movelog knows; else UTC. */
function localTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
}

export interface ClinicDeps {
  readonly ledger: Ledger;
  readonly sessions: SessionStore;
}

/**
 * The Clinic page (docs/architecture.md#the-clinic-page): the clinic, its computers, this
 * computer's last verification and its latest witnessed checkpoints, counted as computers of this
 * clinic and other (trusted) clinics.
 */
export function clinicOverview(deps: ClinicDeps & { readonly verifier: LedgerVerifier }): CallOutput<'clinic.overview'> {
  const db = deps.ledger.db;
  const clinic = readClinic(db);
  if (!clinic) throw new ApiFailure('unavailable', 'This computer does not hold a clinic yet.');
  const here = deps.ledger.device.publicKey;
  const restores = restoreRecords(db);
  const restore = restores.at(-1) ?? null;
  return {
    clinic: { id: clinic.id, name: clinic.name, createdAt: clinic.createdAt, managerName: clinic.manager.name },
    devices: devicesOfClinic(db, clinic.id).map((d) => ({ ...d, thisDevice: d.key === here })),
    checkpoints: latestWitnessedCheckpoints(db, here, 5).map((c) => ({
      hash: c.hash,
      at: c.at,
      size: c.size,
      chain: c.chain,
      devices: c.devices,
      otherClinics: c.otherClinics,
      matches: c.local === c.chain,
      replaced: c.local !== c.chain && receivedBackAfterRestore(restores, c.position),
    })),
    lastVerify: deps.verifier.last(),
    restored: restore ? { at: restore.at, backupAt: restore.backupAt, waiting: restore.resumed === null } : null,
  };
}

export function clinicStatus(deps: ClinicDeps): CallOutput<'clinic.status'> {
  const db = deps.ledger.db;
  const clinic = readClinic(db);
  if (clinic) return { state: 'ready', clinic };
  if (joined(db)) return { state: 'joining', entries: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM entries').get()?.n ?? 0 };
  return { state: 'setup-required' };
}

/** Whether this device joined a clinic with a pairing code (it holds the clinic network's key). */
function joined(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sync_secrets WHERE kind = 'clinic'").get() !== undefined;
}

/**
 * First-run setup, as signed entries in one transaction: `clinic.created` (genesis, public
 * stream), `staff.added` for the first manager (public) and `staff.passphrase.set` with the
 * manager's scrypt verifier (private stream: it never leaves the clinic).
 */
export async function setupClinic(deps: ClinicDeps, input: CallParsedInput<'clinic.setup'>, ctx?: CallContext): Promise<CallOutput<'clinic.setup'>> {
  const { ledger } = deps;
  if (readClinic(ledger.db)) throw new ApiFailure('conflict', 'This Movelog is already set up for a clinic.');
  if (joined(ledger.db)) throw new ApiFailure('conflict', 'This device joined a clinic and is receiving its records; it cannot set up another.');
  await requireGoodPassphrase(input.passphrase, [input.managerName, input.clinicName]);
  const verifier = await hashPassphrase(input.passphrase);
  const nonce = randomBytes(16).toString('hex');
  const clinicId = clinicIdFor(ledger.device.publicKey, nonce);
  const managerId = randomBytes(16).toString('hex');
  const publicStream = clinicStream(clinicId, 'public');
  ledger.db
    .transaction(() => {
      // Checked again inside the write transaction: two setups racing cannot both win.
      if (readClinic(ledger.db)) throw new ApiFailure('conflict', 'This Movelog is already set up for a clinic.');
      ledger.appendMany([
        { stream: publicStream, kind: 'clinic.created', by: managerId, body: { name: input.clinicName, nonce } },
        {
          stream: publicStream,
          kind: 'staff.added',
          by: managerId,
          body: { staffId: managerId, name: input.managerName, role: 'manager', licence: null },
        },
        { stream: clinicStream(clinicId, 'private'), kind: 'staff.passphrase.set', by: managerId, body: { staffId: managerId, verifier } },
        { stream: publicStream, kind: 'clinic.timezone.set', by: managerId, body: { timeZone: input.timeZone ?? localTimeZone() } },
        // docs/architecture.md#dates-times-and-the-clinic-locale: the setup screen sends its computer's
        // locale; without one (the CLI), the clinic reads as the locale of the computer showing it.
        ...(input.locale === undefined
          ? []
          : [{ stream: publicStream, kind: 'clinic.locale.set' as const, by: managerId, body: { locale: input.locale } }]),
      ]);
    })
    .immediate();
  const clinic = readClinic(ledger.db);
  if (!clinic) throw new Error('setup wrote its entries but the clinic view is empty');
  // The person who set the clinic up is its manager, signed in on this window.
  if (ctx?.connection !== undefined)
    deps.sessions.signIn(ctx.connection, { staffId: managerId, name: input.managerName, role: 'manager', credential: verifier });
  return clinic;
}
