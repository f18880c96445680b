import { clinicStatus, setupClinic } from './clinic.js';
import type { ClinicDeps } from './clinic.js';
import type { ServiceTable } from './table.js';
import { ledgerStatus } from '../ledger/status.js';

export type ServiceDeps = ClinicDeps;

/** The implementation of every call in shared/api, bound to one open data directory. */
export function createServices(deps: ServiceDeps): ServiceTable {
  return {
    'clinic.status': () => clinicStatus(deps),
    'clinic.setup': (input) => setupClinic(deps, input),
    'ledger.status': () => ledgerStatus(deps.ledger.db),
  } satisfies ServiceTable;
}

export type { ServiceTable } from './table.js';
export type { CallContext } from './context.js';
