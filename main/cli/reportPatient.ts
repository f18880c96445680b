import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { PatientAccessReport } from '../../shared/api/index.js';
import { clinicIdentity } from '../clinic/queries.js';
import type { Movelog } from '../core.js';
import { defaultDataDir } from '../paths.js';
import { writeAtomic } from '../store/atomicFile.js';
import { drawPatientReport } from '../reports/patientReport.js';
import { activeStaffNamed } from '../views/clinic.js';
import { lockFolder } from './network.js';
import { readSecret } from './secret.js';
import { openFolder } from './unlock.js';

/** An error the user can fix (printed as one line by main.ts, exit code 2). */
type UsageErrorClass = new (message: string) => Error;

/** Who may make the report: as `patient.accessReport` allows (docs/architecture.md#the-patients-accounting). */
const MAKERS = ['front_desk', 'manager'] as const;

interface Options {
  readonly data: string;
  readonly patient: string;
  readonly staff: string;
  readonly from?: string;
  readonly to?: string;
  readonly out: string;
}

async function call(movelog: Movelog, name: string, input: unknown, UsageError: UsageErrorClass): Promise<unknown> {
  const result = await movelog.invoke('cli', 'cli', name, input);
  if (!result.ok) throw new UsageError(result.error.message);
  return result.value;
}

/**
 * `movelog report patient`: the patient's access report and accounting of disclosures as a PDF,
 * made by the same call as the app's (so it is recorded as the app's is: a listing by the staff
 * member named), then written through main/reports/atomicFile.ts, so a half-written file never
 * has the name asked for.
 */
export function addPatientReportCommand(report: Command, UsageError: UsageErrorClass): void {
  report
    .command('patient')
    .description("A patient's access report and accounting of disclosures (who accessed the record, what was shared with other clinics), as a PDF.")
    .option('--data <dir>', 'data directory', defaultDataDir())
    .requiredOption('--patient <id>', "the patient's id (shown on the record)")
    .requiredOption('--staff <name>', 'the front desk staff member or manager making the report (name or staff id)')
    .option('--from <YYYY-MM-DD>', 'first day of the period (default: six years before --to)')
    .option('--to <YYYY-MM-DD>', 'last day of the period (default: today)')
    .requiredOption('--out <file>', 'the PDF to write')
    .addHelpText(
      'after',
      "\nDays are the clinic's (its time zone), both included. The staff member's passphrase is read from MOVELOG_PASSPHRASE, or asked for in the terminal.",
    )
    .action(async (opts: Options) => {
      const dir = resolve(opts.data);
      if (!existsSync(join(dir, 'movelog.db'))) throw new UsageError(`There is no Movelog data in ${dir}.`);
      const out = resolve(opts.out);
      if (!existsSync(resolve(out, '..'))) throw new UsageError(`There is no folder ${resolve(out, '..')} to write ${out} in.`);
      // The report records its reading (an entry): one writer per folder.
      const lock = lockFolder(dir, 'movelog report patient', UsageError);
      try {
        const movelog = await openFolder(dir, UsageError);
        try {
          const staff = activeStaffNamed(movelog.db, opts.staff, clinicIdentity(movelog.db)?.id ?? '', MAKERS);
          if (staff.length !== 1)
            throw new UsageError(
              staff.length === 0
                ? `No active front desk staff member or manager named "${opts.staff}".`
                : `Several staff members are named "${opts.staff}"; give the staff id instead.`,
            );
          const passphrase = await readSecret('MOVELOG_PASSPHRASE', `${opts.staff}'s passphrase: `);
          await call(movelog, 'session.signIn', { staffId: staff[0], passphrase }, UsageError);
          const input = { patientId: opts.patient, from: opts.from ?? null, to: opts.to ?? null };
          const made = (await call(movelog, 'patient.accessReport', input, UsageError)) as PatientAccessReport;
          await writeAtomic(out, (target) => drawPatientReport(made, target.stream));
          const name = `${made.patient.givenName} ${made.patient.familyName}`.trim();
          process.stdout.write(
            `Wrote the access report of ${name}, ${made.from} to ${made.to} (${made.accesses.length} accesses, ${made.disclosures.length} disclosures), to ${out}\n`,
          );
        } finally {
          movelog.close();
        }
      } finally {
        lock.release();
      }
    });
}
