import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput } from '../../shared/api/index.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../../shared/time.js';
import { hashPassphrase } from '../auth/passphrase.js';
import { readClinic } from '../clinic/queries.js';
import { requireGoodPassphrase } from './staff.js';
import type { SessionStore } from '../auth/sessions.js';
import type { Ledger } from '../ledger/ledger.js';
import type { CallContext } from './context.js';
import type { Db } from '../store/db.js';
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
      ]);
    })
    .immediate();
  const clinic = readClinic(ledger.db);
  if (!clinic) throw new Error('setup wrote its entries but the clinic view is empty');
  // The person who set the clinic up is its manager, signed in on this window.
  if (ctx?.connection !== undefined) deps.sessions.signIn(ctx.connection, { staffId: managerId, name: input.managerName, role: 'manager' });
  return clinic;
}
