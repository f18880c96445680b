import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { AuditFilter } from '../../shared/api/calls/audit.js';
import { findStaff, listStaff } from '../clinic/staffQueries.js';
import { defaultDataDir } from '../paths.js';
import { auditReportPatients, readLastVerify } from '../reports/audit.js';
import { writeAuditCsv, writeAuditPdf } from '../reports/auditFiles.js';
import { writeAuditBundle } from '../reports/bundle.js';
import { ReadLog } from '../services/reads.js';
import { patientExists } from '../views/patients.js';
import { exitSoon, openExisting, signInManager } from './network.js';

type UsageErrorClass = new (message: string) => Error;

interface AuditOptions {
  data: string;
  manager: string;
  from: string;
  to: string;
  staff?: string;
  patient?: string;
  action?: string;
  format: string;
  out: string;
}

const FORMATS = ['csv', 'pdf', 'bundle'] as const;

/**
 * `movelog report audit` (docs/architecture.md#audit-report): the manager's audit report as CSV or
 * PDF, made by the same functions as the app's exports. A manager signs in as for `pair` and
 * `invite` (--manager, passphrase from MOVELOG_PASSPHRASE or the terminal), and the patients the
 * report names are recorded as read by that manager, through the command line, before a byte is
 * written. On a terminal a progress line is drawn on stderr.
 */
/** Adds `movelog report` with its `audit` subcommand and returns it, for the other reports' subcommands. */
export function addReportCommands(program: Command, UsageError: UsageErrorClass): Command {
  const report = program
    .command('report')
    .description(
      "Print reports: the audit report of a period (report audit), a patient's access report and accounting of disclosures (report patient).",
    );
  report
    .command('audit')
    .description(
      "Write the clinic's audit report of a period: who read or wrote what, when, on which computer (CSV, PDF, or a bundle an auditor verifies offline).",
    )
    .option('--data <dir>', 'data directory', defaultDataDir())
    .requiredOption('--manager <name>', 'the manager making the report (name or staff id)')
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD (clinic time)')
    .requiredOption('--to <day>', 'last day, YYYY-MM-DD (clinic time), included')
    .option('--staff <staff>', 'only this staff member (name or staff id)')
    .option('--patient <id>', "only this patient's record and the lists that showed them (patient id)")
    .option('--action <kind>', 'only this action (entry kind, e.g. access.read)')
    .requiredOption('--format <format>', FORMATS.join(' or '))
    .requiredOption('--out <file>', 'file to write')
    .addHelpText('after', "\nThe manager's passphrase is read from MOVELOG_PASSPHRASE, or asked for in the terminal.")
    .action(async (opts: AuditOptions) => {
      const format = opts.format as (typeof FORMATS)[number];
      if (!FORMATS.includes(format)) throw new UsageError(`Unknown report format "${opts.format}". Known: ${FORMATS.join(', ')}.`);
      const out = resolve(opts.out);
      if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory())
        throw new UsageError(`There is no folder ${dirname(out)} to write the report in.`);
      const movelog = await openExisting(opts.data, UsageError);
      try {
        const db = movelog.db;
        const parsed = AuditFilter.safeParse({
          from: opts.from,
          to: opts.to,
          ...(opts.staff === undefined ? {} : { staffId: staffIdOf(db, opts.staff, UsageError) }),
          ...(opts.patient === undefined ? {} : { patientId: opts.patient.trim() }),
          ...(opts.action === undefined ? {} : { action: opts.action.trim() }),
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field =
            { from: '--from', to: '--to', patientId: '--patient', action: '--action', staffId: '--staff' }[String(issue?.path[0] ?? '')] ?? '';
          throw new UsageError(`${field ? `${field}: ` : ''}${issue?.message ?? 'the filter is not valid.'}`);
        }
        const filter = parsed.data;
        if (filter.patientId !== undefined && !patientExists(db, filter.patientId))
          throw new UsageError(`No patient with the id ${filter.patientId} on this computer.`);
        await signInManager(movelog, opts.manager, UsageError);
        const session = movelog.sessions.state('cli');
        if (session.kind !== 'active') throw new UsageError('The manager could not be signed in.');
        const who = { staffId: session.session.staffId, role: session.session.role };
        // The report shows these patients: recorded as read by the manager before it is written (docs/architecture.md#access-audit).
        new ReadLog(movelog.ledger, Date.now).listed({ session: who, bridge: 'cli' }, 'audit.rows', auditReportPatients(db, filter));
        const progress = progressLine(format);
        try {
          const { rows } =
            format === 'csv'
              ? await writeAuditCsv(db, filter, out, { onProgress: progress.update })
              : format === 'pdf'
                ? await writeAuditPdf(db, filter, out, {
                    onProgress: progress.update,
                    integrity: readLastVerify(movelog.dataDir),
                    madeBy: findStaff(db, who.staffId)?.name ?? who.staffId,
                    now: Date.now(),
                  })
                : // The self-verifying bundle (docs/architecture.md#audit-bundle; ledger-format.md §16).
                  await writeAuditBundle(db, filter, out, { onProgress: progress.update });
          progress.done();
          process.stdout.write(`Wrote the audit report of ${filter.from} to ${filter.to} (${rows} ${rows === 1 ? 'entry' : 'entries'}) to ${out}\n`);
        } catch (error) {
          progress.done();
          throw error;
        }
      } finally {
        movelog.close();
        exitSoon();
      }
    });
  return report;
}

/** A staff member given by id or by name (one match, any case). */
function staffIdOf(db: Parameters<typeof listStaff>[0], given: string, UsageError: UsageErrorClass): string {
  const text = given.trim();
  const staff = listStaff(db);
  const byId = staff.find((s) => s.id === text);
  if (byId) return byId.id;
  const named = staff.filter((s) => s.name.toLocaleLowerCase() === text.toLocaleLowerCase());
  if (named.length === 1 && named[0]) return named[0].id;
  throw new UsageError(
    named.length === 0
      ? `--staff: no staff member named "${text}".`
      : `--staff: several staff members are named "${text}"; give the staff id instead.`,
  );
}

/** "Writing the audit report (pdf): 12,000 of 40,000 entries (30 %)" redrawn on stderr, only on a terminal. */
function progressLine(format: string): { update: (done: number, total: number) => void; done: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, done: () => undefined };
  let drawn = false;
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      process.stderr.write(
        `\rWriting the audit report (${format}): ${done.toLocaleString('en')} of ${total.toLocaleString('en')} entries (${percent} %)\x1b[K`,
      );
      drawn = true;
    },
    done() {
      if (drawn) process.stderr.write('\n');
    },
  };
}
