import { z } from 'zod';
import { Clinic, ClinicSetupInput, ClinicStatus, LedgerStatus, Millis, NoInput } from '../schemas.js';
import { call } from './define.js';

/** The outcome of the last full verification of this computer's record (docs/architecture.md#the-clinic-page). */
export const VerifyOutcome = z.object({
  at: Millis,
  /** Nothing was altered or removed: hashes, signatures, chains (and the views, when compared). */
  intact: z.boolean(),
  entries: z.number().int().nonnegative(),
  /** The first problem found, in words; null when intact. */
  problem: z.string().nullable(),
  /** Whether the views equal a rebuild from the entries; null when they could not be compared. */
  viewsMatch: z.boolean().nullable(),
  /**
   * What this verification could not check, in words (docs/architecture.md#verification): e.g.
   * removal of the newest entries when no witnessed checkpoint was kept; empty when everything was.
   * Absent from outcomes kept by earlier versions.
   */
  notChecked: z.array(z.string()).default([]),
});
export type VerifyOutcome = z.infer<typeof VerifyOutcome>;

/** What the Clinic page shows: the clinic, its computers, the last verification and witnessed checkpoints. */
export const ClinicOverview = z.object({
  clinic: z.object({ id: z.string(), name: z.string(), createdAt: Millis, managerName: z.string() }),
  devices: z.array(z.object({ key: z.string(), label: z.string(), enrolledAt: Millis, revoked: z.boolean(), thisDevice: z.boolean() })),
  /** This computer's latest checkpoints that other computers witnessed, newest first (at most 5). */
  checkpoints: z.array(
    z.object({
      hash: z.string(),
      at: Millis,
      size: z.number().int(),
      chain: z.string(),
      /** Witnessing computers of this clinic. */
      devices: z.number().int(),
      /** Trusted clinics whose computers witnessed it. */
      otherClinics: z.number().int(),
      /** Whether this computer's record still has that chain head after `size` entries. */
      matches: z.boolean(),
      /** It does not match because it names this computer's record before a restore from a backup (docs/architecture.md#backups). */
      replaced: z.boolean(),
    }),
  ),
  lastVerify: VerifyOutcome.nullable(),
  /**
   * This computer's data was restored from a backup (the latest restore), and whether it still
   * waits to take back from the clinic's other computers what it wrote after that backup (its
   * writes are held until then; docs/architecture.md#backups). Null: never restored.
   */
  restored: z.object({ at: Millis, backupAt: Millis, waiting: z.boolean() }).nullable(),
});
export type ClinicOverview = z.infer<typeof ClinicOverview>;

export const clinicCalls = {
  'clinic.status': call({
    input: NoInput,
    output: ClinicStatus,
    access: 'anyone',
    reads: null,
    summary: 'Whether this data directory holds a clinic yet, and which.',
  }),
  'clinic.setup': call({
    input: ClinicSetupInput,
    output: Clinic,
    access: 'anyone',
    reads: null,
    summary: 'First-run setup: creates the clinic and its first manager. Refused once set up.',
  }),
  'ledger.status': call({
    input: NoInput,
    output: LedgerStatus,
    access: 'anyone',
    reads: null,
    summary: 'Entries, chain head, pending and quarantined entries, equivocation proofs and frozen devices.',
  }),
  'clinic.overview': call({
    input: NoInput,
    output: ClinicOverview,
    access: ['manager', 'therapist', 'assistant', 'front_desk'],
    reads: null,
    summary: "The clinic's name, its computers, the last verification of this computer's record and its witnessed checkpoints.",
  }),
  'ledger.verify': call({
    input: NoInput,
    output: VerifyOutcome,
    access: ['manager'],
    reads: null,
    summary: "Verifies this computer's whole record now (as `movelog verify --data` does) and keeps the outcome.",
  }),
} as const;
