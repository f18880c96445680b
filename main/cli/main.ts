import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dispatch } from '../services/dispatch.js';
import { exportLedger } from '../ledger/export.js';
import { deviceKeyFromPkcs8 } from '../ledger/deviceKey.js';
import { readKeyFile, Vault } from '../store/vault.js';
import { BackupError, restoreBackup, writeBackup } from '../store/backup.js';
import { newClinicPassphrase, openFolder, unlockFor } from './unlock.js';
import { ledgerStatus } from '../ledger/status.js';
import { viewDigest } from '../ledger/rebuild.js';
import { brokenCheckpoints, witnessedCheckpoints } from '../ledger/checkpoints.js';
import { restoreRecords } from '../store/restored.js';
import { CannotVerifyError, verifyDatabase, verifyLedgerFile } from '../ledger/verify.js';
import type { VerifyReport } from '../ledger/verify.js';
import { describeBundleReport, verifyAuditBundle } from '../reports/verifyBundle.js';
import type { BundleReport } from '../reports/verifyBundle.js';
import { DEMO_PASSPHRASE, seedDemo } from './demo.js';
import { readSecret } from './secret.js';
import { startHost } from '../host/server.js';
import { defaultDataDir } from '../paths.js';
import { addNetworkCommands, lockFolder } from './network.js';
import { addReportCommands } from './report.js';
import { addPatientReportCommand } from './reportPatient.js';
import { describeReach, readReach, syncPeers, trustedClinics } from '../sync/status.js';
import { clinicIdentity } from '../clinic/queries.js';
import { endingProcess } from '../sync/transport.js';
import { describeStoreFault, storeFault } from '../store/faults.js';
import { checkPages, DamagedDatabaseError } from '../store/db.js';

/** The package root, from out/node/main/cli/main.js. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const RENDERER_DIR = `${PACKAGE_ROOT}out/renderer`;

/** An error the user can fix; printed as one line, without a stack trace. */
export class UsageError extends Error {}

function parseClock(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError('Give a time like 2026-12-01T08:00:00Z.');
  return ms;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a whole number from 0 to 65535.');
  return port;
}

export function buildProgram(): Command {
  const program = new Command('movelog')
    .description('Movelog: signed, peer-to-peer records for physical-therapy clinics.')
    .showHelpAfterError('(run "movelog --help" for usage)');

  program
    .command('serve')
    .description('Run the browser host: the app in your browser, on this computer only (127.0.0.1).')
    .option('--data <dir>', 'data directory', defaultDataDir())
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, 4173)
    .option(
      '--clock <time>',
      'start the clock at this ISO 8601 time and let it run from there (rehearsals and the e2e journeys, which play a fixed day)',
      parseClock,
    )
    .action(async (opts: { data: string; port: number; clock?: number }) => {
      const offset = opts.clock === undefined ? 0 : opts.clock - Date.now();
      const lock = lockFolder(opts.data, 'movelog serve', UsageError);
      let movelog;
      try {
        // A damaged page is refused before anything is served (docs/architecture.md#faults).
        movelog = await openFolder(opts.data, UsageError, offset === 0 ? Date.now : () => Date.now() + offset, { checkPages: true });
      } catch (error) {
        lock.release();
        throw error;
      }
      movelog.network.autoSync = true;
      movelog.network.startIfConfigured();
      let host;
      try {
        host = await startHost({ movelog, rendererDir: RENDERER_DIR, port: opts.port });
      } catch (error) {
        await movelog.network.stop();
        movelog.close();
        lock.release();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(`Port ${opts.port} is already in use. Choose another with --port, or --port 0 for any free port.`);
        }
        throw error;
      }
      // Listening for SIGINT/SIGTERM before saying it runs (see `movelog sync`).
      const stop = () => {
        endingProcess();
        host
          .close()
          .then(() => movelog.network.stop())
          .then(() => movelog.close())
          .then(() => process.exit(0))
          .catch((error: unknown) => {
            console.error(error);
            process.exit(1);
          });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.stdout.write(
        `Movelog is running for ${movelog.dataDir}\n` +
          `Open this address in your browser (it works only on this computer and only until Movelog stops):\n\n` +
          `  ${host.url}\n\n` +
          `Press Ctrl+C to stop.\n`,
      );
    });

  program
    .command('init')
    .description('Set up a clinic without the UI (the same service as the setup screen).')
    .option('--data <dir>', 'data directory', defaultDataDir())
    .requiredOption('--clinic <name>', "the clinic's name")
    .requiredOption('--manager <name>', "the first manager's name")
    .addHelpText('after', "\nThe manager's passphrase is read from MOVELOG_PASSPHRASE, or asked for in the terminal.")
    .action(async (opts: { data: string; clinic: string; manager: string }) => {
      const passphrase = await readSecret('MOVELOG_PASSPHRASE', "Manager's passphrase (at least 10 characters): ");
      // Two set-ups racing on one folder would make two clinics (docs/architecture.md#runtime).
      const lock = lockFolder(opts.data, 'movelog init', UsageError);
      const movelog = await openFolder(opts.data, UsageError);
      try {
        const result = await dispatch(
          movelog.services,
          'clinic.setup',
          { clinicName: opts.clinic, managerName: opts.manager, passphrase },
          { session: null, bridge: 'cli' },
        );
        if (!result.ok) throw new UsageError(result.error.message);
        const clinic = result.value as { id: string; name: string };
        process.stdout.write(`Set up ${clinic.name} (clinic ${clinic.id}) in ${movelog.dataDir}\n`);
      } finally {
        movelog.close();
        lock.release();
      }
    });

  program
    .command('verify')
    .description('Check that nothing was altered or removed: hashes, signatures, chains, views.')
    .option('--data <dir>', 'verify the database in this data directory')
    .option('--ledger <file>', 'verify a ledger export (JSON Lines) instead')
    .option('--bundle <file>', 'verify an audit bundle (movelog report audit --format bundle) instead')
    .option('--workers <n>', 'signature-checking threads (default: one per core)', parsePort)
    .option('--json', 'print the report as JSON')
    .option(
      '--no-patient-keys',
      "check without opening patients' sealed data (an auditor's check): views that need a patient key are compared on their clear columns only, or not at all, and the report says which",
    )
    .addHelpText('after', '\nExit status: 0 intact, 1 tampering, inconsistency or a damaged database file found, 2 could not check.')
    .action(async (opts: { data?: string; ledger?: string; bundle?: string; workers?: number; json?: boolean; patientKeys: boolean }) => {
      if ([opts.data, opts.ledger, opts.bundle].filter((o) => o !== undefined).length !== 1)
        throw new UsageError('Give exactly one of --data DIR, --ledger FILE or --bundle FILE.');
      if (opts.bundle !== undefined) {
        await verifyBundleCommand(resolve(opts.bundle), opts.json === true, opts.workers);
        return;
      }
      const started = Date.now();
      const progress = (checked: number, total: number | null) => {
        if (Date.now() - started < 1000) return;
        process.stderr.write(`verified ${checked}${total === null ? '' : ` of ${total}`} entries\n`);
      };
      let report: VerifyReport;
      try {
        if (opts.data !== undefined) {
          const file = join(resolve(opts.data), 'movelog.db');
          if (!existsSync(file)) throw new CannotVerifyError(`There is no Movelog data in ${resolve(opts.data)}.`);
          // The vault holds the database key; without it nothing can be read (docs/architecture.md#the-vault).
          if (!Vault.exists(resolve(opts.data)))
            throw new CannotVerifyError(`${resolve(opts.data)} has no vault (movelog.vault), so its encrypted database cannot be read.`);
          const { dbKey, masterKey, deviceKey, witness } = Vault.open(resolve(opts.data), await unlockFor(opts.data, UsageError)).secrets;
          const device = deviceKeyFromPkcs8(deviceKey).publicKey;
          // The newest witnessed checkpoint comes from the vault, which a rollback of the database
          // does not take back (docs/architecture.md#rollback-and-truncation).
          const keystoreMasterKey = opts.patientKeys ? masterKey : null;
          // Every page first: a damaged one is reported as damage, whichever table it holds.
          checkPages(file, dbKey);
          report = await verifyDatabase(file, { workers: opts.workers, onProgress: progress, dbKey, keystoreMasterKey, device, witness });
        } else {
          report = await verifyLedgerFile(resolve(opts.ledger ?? ''), { workers: opts.workers, onProgress: progress });
        }
      } catch (error) {
        if (error instanceof CannotVerifyError) {
          process.stderr.write(`movelog verify: could not check: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        // A page that cannot be read back is damage found, not a failure to check (docs/architecture.md#faults).
        if (storeFault(error) === 'damaged') {
          const found = error instanceof DamagedDatabaseError ? error.findings.join('; ') : (error as Error).message;
          process.stdout.write(`DAMAGED: ${describeStoreFault(error) ?? ''}\nFound: ${found}\n`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
      if (opts.json) process.stdout.write(JSON.stringify(report) + '\n');
      else process.stdout.write(describeReport(report));
      process.exitCode = report.problem ? 1 : 0;
    });

  program
    .command('demo')
    .description('Create a realistic demo clinic (staff, rooms, patients, weeks of appointments) in an empty data directory.')
    .requiredOption('--data <dir>', 'an empty data directory')
    .option('--patients <n>', 'how many patients', parsePort, 200)
    .action(async (opts: { data: string; patients: number }) => {
      if (existsSync(join(resolve(opts.data), 'movelog.db')))
        throw new UsageError(`${resolve(opts.data)} already holds Movelog data; choose an empty directory.`);
      const lock = lockFolder(opts.data, 'movelog demo', UsageError);
      const movelog = await openFolder(opts.data, UsageError);
      try {
        const made = await seedDemo(movelog, opts.patients);
        process.stdout.write(
          `Demo clinic created in ${movelog.dataDir}: ${made.staff} staff, ${made.patients} patients, ${made.appointments} appointments, ${made.notes} signed clinical notes.\n` +
            `Every staff member signs in with the passphrase "${DEMO_PASSPHRASE}".\n` +
            `Start it with: movelog serve --data ${movelog.dataDir}\n`,
        );
      } finally {
        movelog.close();
        lock.release();
      }
    });

  program
    .command('status')
    .description("The ledger's state: entries per stream and author, pending, quarantined, equivocations, frozen devices.")
    .option('--data <dir>', 'data directory', defaultDataDir())
    .option('--json', 'print as JSON')
    .action(async (opts: { data: string; json?: boolean }) => {
      if (!existsSync(join(resolve(opts.data), 'movelog.db'))) throw new UsageError(`There is no Movelog data in ${resolve(opts.data)}.`);
      const movelog = await openFolder(opts.data, UsageError);
      try {
        const status = ledgerStatus(movelog.db);
        const streams = movelog.db
          .prepare<[], { stream: string; author: string; seq: number; hash: string }>(
            'SELECT stream, author, seq, hash FROM heads ORDER BY stream, author',
          )
          .all();
        const perStream = movelog.db
          .prepare<[], { stream: string; n: number }>('SELECT stream, count(*) AS n FROM entries GROUP BY stream ORDER BY stream')
          .all();
        const peers = syncPeers(movelog.db);
        const reach = readReach(movelog.db, Date.now());
        const restore = restoreRecords(movelog.db).at(-1) ?? null;
        const report = {
          device: movelog.ledger.device.publicKey,
          ...status,
          viewDigest: viewDigest(movelog.db),
          witnessedCheckpoints: witnessedCheckpoints(movelog.db, movelog.ledger.device.publicKey),
          streams: Object.fromEntries(perStream.map((r) => [r.stream, r.n])),
          heads: streams,
          peers,
          reach,
          trustedClinics: trustedClinics(movelog.db, clinicIdentity(movelog.db)?.id ?? ''),
          restored: restore ? { ...restore, waiting: restore.resumed === null } : null,
        };
        if (opts.json) {
          process.stdout.write(JSON.stringify(report) + '\n');
          return;
        }
        const lines = [
          `Device ${report.device}`,
          `${status.entries} entries, chain head ${status.chainHead}`,
          `${status.pending} waiting for earlier entries, ${status.quarantined} quarantined, ${status.forks.length} equivocation proofs, ${status.frozenAuthors.length} frozen devices`,
          ...(restore
            ? [
                `Restored on ${new Date(restore.at).toISOString()} from a backup of ${new Date(restore.backupAt).toISOString()} (${restore.size} entries)` +
                  (restore.resumed === null
                    ? ': WAITING TO CATCH UP. This device writes nothing until it has taken back from the clinic\'s other computers what it wrote after that backup; run "movelog sync" while another computer of the clinic is on.'
                    : restore.noPeers
                      ? ', with --no-peers: writing resumed at once.'
                      : `; caught up with the clinic and writing again since entry ${restore.resumed}.`),
              ]
            : []),
          ...streams.map((h) => `  ${h.stream}  ${h.author}  seq ${h.seq}`),
          ...peers.map(
            (p) =>
              `  peer ${p.device} ${p.connected ? 'connected' : 'not connected'}, last seen ${new Date(p.lastSeen).toISOString()}, ${p.pendingOut} to send, ${p.pendingIn} to receive`,
          ),
          ...(reach
            ? reach.rooms.map((r) => `  network (${r.kind === 'pair' ? `trusted clinic ${r.clinic ?? ''}` : 'this clinic'}): ${describeReach(r)}`)
            : ['  network: no sync peer is running on this data folder']),
          ...report.trustedClinics.map(
            (c) =>
              `  clinic "${c.name}" ${c.id}: ${c.state}, safety number ${c.fingerprint}, ${c.entries} public entries held, ${c.connected} of its devices connected`,
          ),
          ...report.witnessedCheckpoints.map(
            (c) =>
              `  checkpoint after ${c.size} entries, witnessed by ${c.witnesses} device(s) (${c.clinics} clinic(s)): ${c.matches ? 'matches this chain' : c.replaced ? "names this device's log before the restore (expected)" : 'DOES NOT MATCH this chain'}`,
          ),
          ...status.forks.map((f) => `  FORK: device ${f.author} signed two entries at ${f.stream} seq ${f.seq}`),
        ];
        process.stdout.write(lines.join('\n') + '\n');
      } finally {
        movelog.close();
      }
    });

  program
    .command('export')
    .description('Export data: the signed ledger as JSON Lines (--format ledger).')
    .option('--data <dir>', 'data directory', defaultDataDir())
    .requiredOption('--format <format>', 'ledger')
    .requiredOption('--out <file>', 'file to write')
    .action(async (opts: { data: string; format: string; out: string }) => {
      if (opts.format !== 'ledger') throw new UsageError(`Unknown export format "${opts.format}". Known: ledger.`);
      if (!existsSync(join(resolve(opts.data), 'movelog.db'))) throw new UsageError(`There is no Movelog data in ${resolve(opts.data)}.`);
      const movelog = await openFolder(opts.data, UsageError);
      try {
        const count = exportLedger(movelog.db, resolve(opts.out));
        process.stdout.write(`Exported ${count} entries to ${resolve(opts.out)}\n`);
      } finally {
        movelog.close();
      }
    });

  program
    .command('lock')
    .description('Change what unlocks a data folder: a new clinic passphrase, or a key file for an unattended computer.')
    .option('--data <dir>', 'data directory', defaultDataDir())
    .option('--key-file <file>', 'lock with this key file instead of a passphrase (32 random bytes, mode 0600, kept off the data disk)')
    .addHelpText(
      'after',
      '\nThe folder is unlocked as usual (MOVELOG_CLINIC_PASSPHRASE, MOVELOG_KEY_FILE, or asked for); the new passphrase comes from MOVELOG_NEW_CLINIC_PASSPHRASE or is asked for twice.',
    )
    .action(async (opts: { data: string; keyFile?: string }) => {
      const dir = resolve(opts.data);
      if (!Vault.exists(dir)) throw new UsageError(`There is no Movelog data folder in ${dir}.`);
      const lock = lockFolder(dir, 'movelog lock', UsageError);
      try {
        const vault = Vault.open(dir, await unlockFor(dir, UsageError));
        const next = opts.keyFile
          ? ({ kind: 'keyFile', file: resolve(opts.keyFile) } as const)
          : ({ kind: 'passphrase', passphrase: await newClinicPassphrase(UsageError) } as const);
        if (next.kind === 'keyFile') readKeyFile(next.file);
        vault.rewrap(next);
        process.stdout.write(
          next.kind === 'keyFile'
            ? `${dir} now opens with the key file ${next.file}. Whoever holds that file and the folder can read everything: keep it off the data disk.\n`
            : `${dir} now opens with the new clinic passphrase. Backups made before keep the passphrase they were made with.\n`,
        );
      } finally {
        lock.release();
      }
    });

  program
    .command('backup')
    .description('Write an encrypted backup of a data folder (consistent while Movelog runs on it).')
    .option('--data <dir>', 'data directory', defaultDataDir())
    .requiredOption('--out <file>', 'the backup file to write (outside the data folder)')
    .addHelpText(
      'after',
      '\nThe backup is locked with the clinic passphrase (MOVELOG_CLINIC_PASSPHRASE, or asked for) or the key file (MOVELOG_KEY_FILE) the folder opens with; restoring needs the same.',
    )
    .action(async (opts: { data: string; out: string }) => {
      const dir = resolve(opts.data);
      if (!existsSync(join(dir, 'movelog.db'))) throw new UsageError(`There is no Movelog data in ${dir}.`);
      const unlock = await unlockFor(dir, UsageError);
      const vault = Vault.open(dir, unlock);
      const header = writeBackup(dir, vault, unlock, opts.out, Date.now());
      process.stdout.write(
        `Backed up ${header.entries} entries${header.clinic ? ` of ${header.clinic}` : ''} to ${resolve(opts.out)} (${(header.databaseBytes / 1e6).toFixed(1)} MB, encrypted).\n` +
          `Chain head ${header.chainHead}\n`,
      );
    });

  program
    .command('restore')
    .description('Restore a backup into a new, empty data folder, verify it, and hold its writes until it has synced.')
    .requiredOption('--from <file>', 'the backup file')
    .requiredOption('--data <dir>', 'a new, empty data directory')
    .option(
      '--no-peers',
      'the clinic has no other computer: write at once (entries written after the backup that never reached another computer are lost)',
    )
    .addHelpText(
      'after',
      '\nThe backup opens with the clinic passphrase (MOVELOG_CLINIC_PASSPHRASE, or asked for) or key file it was written with.\n' +
        "Until the restored folder has synced with another computer of the clinic, it writes nothing: this device's key may have signed\n" +
        'entries after the backup that those computers hold, and signing again in their place would get this device frozen.',
    )
    .action(async (opts: { from: string; data: string; peers: boolean }) => {
      const dir = resolve(opts.data);
      const unlock = await unlockFor(dir, UsageError, { creating: false });
      let header;
      try {
        header = restoreBackup(resolve(opts.from), dir, unlock, { noPeers: !opts.peers });
      } catch (error) {
        if (error instanceof BackupError) throw new UsageError(error.message);
        throw error;
      }
      const { dbKey, masterKey, deviceKey } = Vault.open(dir, unlock).secrets;
      const report = await verifyDatabase(join(dir, 'movelog.db'), {
        dbKey,
        keystoreMasterKey: masterKey,
        device: deviceKeyFromPkcs8(deviceKey).publicKey,
      });
      process.stdout.write(
        `Restored ${header.entries} entries${header.clinic ? ` of ${header.clinic}` : ''} from a backup of ${new Date(header.createdAt).toISOString()} into ${dir}.\n` +
          describeReport(report) +
          (opts.peers
            ? 'Writing is held until this computer has caught up: start "movelog sync" while another computer of the clinic is on; it takes back what this device wrote after the backup, then writing resumes by itself.\n'
            : 'Writing resumes now (--no-peers): entries this device wrote after the backup that never reached another computer are lost.\n'),
      );
      process.exitCode = report.problem ? 1 : 0;
    });

  addNetworkCommands(program, UsageError);
  addPatientReportCommand(addReportCommands(program, UsageError), UsageError);
  return program;
}

/** `movelog verify --bundle FILE` (docs/architecture.md#audit-bundle): exit 0 intact, 1 a problem found, 2 could not check. */
async function verifyBundleCommand(file: string, json: boolean, workers: number | undefined): Promise<void> {
  let report: BundleReport;
  try {
    report = await verifyAuditBundle(file, { workers });
  } catch (error) {
    if (error instanceof CannotVerifyError) {
      process.stderr.write(`movelog verify: could not check: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  process.stdout.write(json ? JSON.stringify(report) + '\n' : describeBundleReport(report));
  process.exitCode = report.problem ? 1 : 0;
}

/** The report in words (docs/architecture.md#verification): what was checked, what was found, and what could not be checked. */
export function describeReport(report: VerifyReport): string {
  const lines: string[] = [];
  if (report.problem) {
    for (const p of report.problems) {
      const where = p.n === null ? '' : `entry #${p.n}${p.hash ? ` (${p.hash})` : ''}: `;
      lines.push(`TAMPERING OR INCONSISTENCY FOUND: ${where}${p.reason}`);
    }
    lines.push(`Checked ${report.entries} ${report.entries === 1 ? 'entry' : 'entries'} in order before stopping or finishing.`);
  } else {
    lines.push(`Intact: ${report.entries} entries; hashes, signatures, author chains and the local chain verify.`);
    lines.push(`Chain head: ${report.chainHead}`);
  }
  if (report.policyReplayed) lines.push('Who wrote what: the admission policy, replayed over the whole history, allows every entry.');
  if (report.views) {
    const v = report.views;
    const all = v.compared.length + v.clearColumnsOnly.length + v.notCompared.length;
    if (v.compared.length === all)
      lines.push(`Views: all ${all} tables compared with a rebuild from the entries${v.differ.length === 0 ? ' and equal' : ''}.`);
    else {
      if (v.compared.length > 0) lines.push(`Views compared in full with a rebuild: ${v.compared.length} of ${all} tables.`);
      if (v.clearColumnsOnly.length > 0)
        lines.push(`Views compared without their sealed patient columns (patients' keys not used): ${v.clearColumnsOnly.join(', ')}.`);
      const byWhy = new Map<string, string[]>();
      for (const n of v.notCompared) byWhy.set(n.why, [...(byWhy.get(n.why) ?? []), n.table]);
      for (const [why, tables] of byWhy) lines.push(`Views NOT compared: ${tables.join(', ')} (${why}).`);
    }
    if (report.witness?.holds)
      lines.push(
        `Removal: the newest checkpoint other devices witnessed (${report.witness.size} entries) still holds, so no entry up to it was removed.`,
      );
    else if (!report.witness)
      lines.push(
        'Removal of the newest entries NOT checked: no witnessed checkpoint kept outside the database was given, and without one, entries deleted from the end cannot be told from entries never written.',
      );
  }
  if (report.checkpoints && report.checkpoints.length > 0) {
    const replaced = report.checkpoints.filter((c) => c.replaced);
    const broken = brokenCheckpoints(report.checkpoints);
    if (replaced.length > 0)
      lines.push(
        `Witnessed checkpoints that name this device's log before it was restored from a backup: ${replaced.length} (expected after a restore; not an alteration).`,
      );
    if (broken.length > 0)
      lines.push(`Witnessed checkpoints this device's chain no longer matches: ${broken.length} (entries were removed or replaced).`);
    const matching = report.checkpoints.filter((c) => c.matches);
    const last = matching[matching.length - 1];
    lines.push(
      `Witnessed checkpoints: ${matching.length} of ${report.checkpoints.length} match this device's chain` +
        (last
          ? ` (latest: ${last.size} entries, witnessed by ${last.witnesses} other device${last.witnesses === 1 ? '' : 's'} of ${last.clinics} clinic${last.clinics === 1 ? '' : 's'}).`
          : '.'),
    );
  } else if (report.checkpoints) lines.push('Witnessed checkpoints: none yet (they are made while the device syncs).');
  if (report.forks > 0) lines.push(`Equivocation proofs held: ${report.forks} (a device signed two different entries at one place).`);
  if (report.quarantined > 0) lines.push(`Quarantined entries (refused on receipt, kept for review): ${report.quarantined}.`);
  return lines.join('\n') + '\n';
}

export async function run(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // A full disk or a damaged database gets its own message, naming what to do (docs/architecture.md#faults).
    const message = describeStoreFault(error) ?? (error instanceof Error ? error.message : String(error));
    process.stderr.write(`movelog: ${message}\n`);
    if (!(error instanceof UsageError) && process.env.MOVELOG_DEBUG) console.error(error);
    process.exitCode = 2;
  }
}
