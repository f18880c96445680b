import { Clinic, ClinicSetupInput, ClinicStatus, LedgerStatus, NoInput } from '../schemas.js';
import { call } from './define.js';

export const clinicCalls = {
  'clinic.status': call({
    input: NoInput,
    output: ClinicStatus,
    access: 'anyone',
    summary: 'Whether this data directory holds a clinic yet, and which.',
  }),
  'clinic.setup': call({
    input: ClinicSetupInput,
    output: Clinic,
    access: 'anyone',
    summary: 'First-run setup: creates the clinic and its first manager. Refused once set up.',
  }),
  'ledger.status': call({
    input: NoInput,
    output: LedgerStatus,
    access: 'anyone',
    summary: 'Entries, chain head, pending and quarantined entries, equivocation proofs and frozen devices.',
  }),
} as const;
