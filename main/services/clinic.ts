import { randomBytes } from 'node:crypto';
import { ApiFailure } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput } from '../../shared/api/index.js';
import { hashPassphrase } from '../auth/passphrase.js';
import { insertClinic, readClinic } from '../clinic/clinicStore.js';
import type { Db } from '../store/db.js';

export interface ClinicDeps {
  readonly db: Db;
  readonly now: () => number;
}

export function clinicStatus(deps: ClinicDeps): CallOutput<'clinic.status'> {
  const clinic = readClinic(deps.db);
  return clinic ? { state: 'ready', clinic } : { state: 'setup-required' };
}

export async function setupClinic(deps: ClinicDeps, input: CallParsedInput<'clinic.setup'>): Promise<CallOutput<'clinic.setup'>> {
  if (readClinic(deps.db)) throw new ApiFailure('conflict', 'This Movelog is already set up for a clinic.');
  const verifier = await hashPassphrase(input.passphrase);
  const created = insertClinic(deps.db, {
    clinicId: randomBytes(16).toString('hex'),
    clinicName: input.clinicName,
    managerId: randomBytes(16).toString('hex'),
    managerName: input.managerName,
    verifier,
    at: deps.now(),
  });
  const clinic = readClinic(deps.db);
  if (!created || !clinic) throw new ApiFailure('conflict', 'This Movelog is already set up for a clinic.');
  return clinic;
}
