import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { openFolder } from './unlock.js';
import { FolderLockedError, lockDataFolder } from '../folderLock.js';
import type { FolderLock } from '../folderLock.js';
import { clinicIdentity } from '../clinic/queries.js';
import type { Movelog } from '../core.js';
import { startSync, SyncSetupError } from '../sync/peer.js';
import { endingProcess } from '../sync/transport.js';
import { readSyncSettings, SettingsError, writeSyncSettings } from '../sync/settings.js';
import { startSignalServer } from '../sync/signalServer.js';
import { defaultDataDir } from '../paths.js';
import { readAnswer, readSecret } from './secret.js';
import { restoreHold } from '../store/restored.js';
import { activeManagersNamed } from '../views/clinic.js';

/** An error the user can fix (printed as one line by main.ts). */
type UsageErrorClass = new (message: string) => Error;

const collect = (value: string, previous: string[]) => [...previous, value];

export async function openExisting(data: string, UsageError: UsageErrorClass): Promise<Movelog> {
  if (!existsSync(join(resolve(data), 'movelog.db'))) throw new UsageError(`There is no Movelog data in ${resolve(data)}.`);
  return openFolder(data, UsageError);
}

function saveSignaling(movelog: Movelog, urls: readonly string[], UsageError: UsageErrorClass): void {
  if (urls.length === 0) return;
  try {
    writeSyncSettings(movelog.db, { ...readSyncSettings(movelog.db), signaling: urls });
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Ends the process soon after a one-shot network command finished, even if native WebRTC handles
 * linger after their connections closed (they would keep Node running). Unref'd: a process that
 * ends by itself ends first.
 */
export function exitSoon(): void {
  setTimeout(() => process.exit(), 500).unref();
}

/**
 * Takes the data folder for a command that writes it as its one writer (`serve`, `sync`, `init`,
 * `demo`, `join`): another on the same folder is refused, naming the first (docs/architecture.md#runtime).
 */
export function lockFolder(data: string, purpose: string, UsageError: UsageErrorClass): FolderLock {
  const dir = resolve(data);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    return lockDataFolder(dir, purpose);
  } catch (error) {
    if (error instanceof FolderLockedError) throw new UsageError(error.message);
    throw error;
  }
}

/** Runs until SIGINT or SIGTERM, then runs `stop` and exits 0. */
function untilStopped(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolveStop) => {
    const handler = () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      stop()
        .catch((error: unknown) => {
          console.error(error);
          process.exitCode = 1;
        })
        .finally(() => resolveStop());
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

/** One service call as the CLI; a refusal becomes a usage error carrying the service's message. */
async function call(movelog: Movelog, name: string, input: unknown, UsageError: UsageErrorClass): Promise<unknown> {
  const result = await movelog.invoke('cli', 'cli', name, input);
  if (!result.ok) throw new UsageError(result.error.message);
  return result.value;
}

/**
 * A one-shot command run by a manager: opens the data, saves any --signal given, signs the
 * manager in (passphrase from the environment or a prompt), runs, then closes and exits.
 */
async function asManager(
  opts: { readonly data: string; readonly manager: string; readonly signal?: readonly string[] },
  UsageError: UsageErrorClass,
  run: (movelog: Movelog) => Promise<void>,
): Promise<void> {
  // The process ends when the command is done: rooms it leaves keep their connections to the end.
  endingProcess();
  const movelog = await openExisting(opts.data, UsageError);
  try {
    saveSignaling(movelog, opts.signal ?? [], UsageError);
    await signInManager(movelog, opts.manager, UsageError);
    await run(movelog);
  } finally {
    movelog.close();
    exitSoon();
  }
}

export async function signInManager(movelog: Movelog, manager: string, UsageError: UsageErrorClass): Promise<void> {
  const staff = activeManagersNamed(movelog.db, manager, clinicIdentity(movelog.db)?.id ?? '');
  if (staff.length !== 1)
    throw new UsageError(
      staff.length === 0 ? `No active manager named "${manager}".` : `Several managers are named "${manager}"; give the staff id instead.`,
    );
  const passphrase = await readSecret('MOVELOG_PASSPHRASE', `${manager}'s passphrase: `);
  await call(movelog, 'session.signIn', { staffId: staff[0], passphrase }, UsageError);
}

/**
 * Follows an invitation until the safety number shows, asks the manager whether it matches the
 * other clinic's (a line on stdin: yes or no), and reports the outcome. Declined or failed: an error.
 */
async function settleTrust(movelog: Movelog, id: string, UsageError: UsageErrorClass): Promise<void> {
  const handshakes = movelog.network.handshakes;
  while (handshakes.get(id)?.state === 'waiting') await new Promise((resolve) => setTimeout(resolve, 200));
  const shown = handshakes.get(id);
  if (shown?.state !== 'confirm') throw new UsageError(shown?.message ?? 'The invitation failed.');
  process.stdout.write(
    `Clinic: ${shown.peer?.name ?? ''} (${shown.peer?.id ?? ''})\nSafety number: ${shown.fingerprint ?? ''}\n` +
      "Compare it with the other clinic's manager (by phone, not by e-mail). It must be the same digits at both clinics.\n",
  );
  const answer = await readAnswer('Do the safety numbers match? [yes/no] ');
  const matches = answer !== null && /^y(es)?$/i.test(answer);
  await call(movelog, 'network.confirmTrust', { id, matches }, UsageError);
  await handshakes.done(id);
  const outcome = handshakes.get(id);
  if (outcome?.state !== 'trusted') throw new UsageError(outcome?.message ?? 'Not trusted.');
  process.stdout.write(`${outcome.message ?? 'Trusted.'} Run "movelog sync" to exchange records with it.\n`);
}

/** `signal`, `sync`, `pair` and `join`: the network, headless, through the same services as the UI. */
export function addNetworkCommands(program: Command, UsageError: UsageErrorClass): void {
  program
    .command('signal')
    .description("Run a signalling server so the clinic's devices and trusted clinics can find each other.")
    .option('--port <n>', 'port to listen on (0 picks a free one)', '4444')
    .option('--host <address>', 'address to listen on (default: every address of this computer)', '0.0.0.0')
    .action(async (opts: { port: string; host: string }) => {
      if (!/^\d{1,5}$/.test(opts.port) || Number(opts.port) > 65535) throw new UsageError('--port must be a number from 0 to 65535.');
      let server;
      try {
        server = await startSignalServer({ port: Number(opts.port), host: opts.host });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`Port ${opts.port} is already in use. Choose another with --port.`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
          throw new UsageError(`This computer has no address ${opts.host}. Leave out --host to listen on every address.`);
        throw error;
      }
      const where =
        server.host === '0.0.0.0' || server.host === '::' ? `port ${server.port}, every address of this computer` : `${server.host}:${server.port}`;
      process.stdout.write(
        `Signaling server running on ${where}. Devices use:\n${server
          .urls()
          .map((u) => `  ${u}\n`)
          .join('')}Press Ctrl+C to stop.\n`,
      );
      const running = server;
      await untilStopped(() => running.close());
    });

  program
    .command('sync')
    .description("Run this device as a peer of its clinic's network until stopped (Ctrl+C).")
    .option('--data <dir>', 'data directory', defaultDataDir())
    .option('--signal <url>', 'a signalling server (repeatable; saved for next time)', collect, [])
    .option('--quiet', 'print nothing while running')
    .option('--stats <file>', 'on exit, write sync figures as JSON to this file (benchmarks)')
    .option('--checkpoint-seconds <n>', 'how often to sign and witness checkpoints', '60')
    .action(async (opts: { data: string; signal: string[]; quiet?: boolean; stats?: string; checkpointSeconds: string }) => {
      const checkpointSeconds = Number(opts.checkpointSeconds);
      if (!Number.isFinite(checkpointSeconds) || checkpointSeconds < 1)
        throw new UsageError('--checkpoint-seconds must be a number of seconds, at least 1.');
      if (!existsSync(join(resolve(opts.data), 'movelog.db'))) throw new UsageError(`There is no Movelog data in ${resolve(opts.data)}.`);
      const lock = lockFolder(opts.data, 'movelog sync', UsageError);
      let movelog: Movelog;
      try {
        // A damaged page is refused before anything is synced (docs/architecture.md#faults).
        movelog = await openFolder(opts.data, UsageError, undefined, { checkPages: true });
      } catch (error) {
        lock.release();
        throw error;
      }
      let peer;
      try {
        saveSignaling(movelog, opts.signal, UsageError);
        peer = startSync(movelog, { checkpointMs: checkpointSeconds * 1000 });
      } catch (error) {
        movelog.close();
        lock.release();
        if (error instanceof SyncSetupError) throw new UsageError(error.message);
        throw error;
      }
      // A restored folder (docs/architecture.md#backups): said when it waits, and when it is done.
      let held = restoreHold(movelog.db) !== null;
      if (held && !opts.quiet)
        process.stdout.write(
          "Restored from a backup: this computer writes nothing until it has taken back, from the clinic's other computers, what it wrote after that backup.\n",
        );
      let peakDocBytes = 0;
      const sample = opts.stats
        ? setInterval(() => {
            peakDocBytes = Math.max(peakDocBytes, peer.docBytes());
          }, 250)
        : null;
      const report = setInterval(() => {
        if (held && restoreHold(movelog.db) === null) {
          held = false;
          if (!opts.quiet) process.stdout.write('Caught up with the clinic after the restore: this computer writes again.\n');
        }
        if (opts.quiet) return;
        const s = peer.replicator.stats;
        const view = peer.transport.view();
        process.stdout.write(
          `peers ${view.connected.length} (can see ${view.seen.length}); log ${peer.replicator.logSize()}; received ${s.received.stored} stored, ${s.received.quarantined} quarantined; sent ${s.sent.entries} entries\n`,
        );
      }, 5_000);
      // Listening for SIGINT/SIGTERM before saying it runs: a stop asked for the moment it said so
      // would otherwise end the process without stopping (Node's default action).
      const stopped = untilStopped(async () => {
        endingProcess();
        clearInterval(report);
        if (sample) clearInterval(sample);
        if (opts.stats) {
          const figures = { peakDocBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024, ...peer.replicator.stats };
          writeFileSync(opts.stats, JSON.stringify(figures));
        }
        await peer.stop();
        movelog.close();
        lock.release();
      });
      process.stdout.write(`Syncing device ${movelog.ledger.device.publicKey} (room ${peer.room}). Press Ctrl+C to stop.\n`);
      await stopped;
      exitSoon();
    });

  program
    .command('pair')
    .description('Show a one-time pairing code for a new device of this clinic, and enrol it when it joins.')
    .option('--data <dir>', 'data directory', defaultDataDir())
    .requiredOption('--manager <name>', 'the manager authorising the new device (name or staff id)')
    .option('--signal <url>', 'a signalling server (repeatable; saved for next time)', collect, [])
    .addHelpText('after', "\nThe manager's passphrase is read from MOVELOG_PASSPHRASE, or asked for in the terminal.")
    .action((opts: { data: string; manager: string; signal: string[] }) =>
      asManager(opts, UsageError, async (movelog) => {
        const { code, expiresAt, signaling } = (await call(movelog, 'network.pairDevice', {}, UsageError)) as {
          code: string;
          expiresAt: number;
          signaling: string[];
        };
        process.stdout.write(
          `Pairing code: ${code}\nOn the new device run:  movelog join ${code} --signal ${signaling[0] ?? ''}\n` +
            `The code works once, until ${new Date(expiresAt).toISOString()}. Waiting for the new device…\n`,
        );
        await movelog.network.settled();
        const outcome = movelog.network.pairings.get(code);
        if (outcome?.state !== 'paired') throw new UsageError(outcome?.message ?? 'Pairing did not complete.');
        process.stdout.write(`${outcome.message ?? 'Paired.'} Run "movelog sync" on both devices to bring it up to date.\n`);
      }),
    );

  program
    .command('invite')
    .description('Invite another clinic to trust this one: shows a one-time invitation code, then the safety number to compare.')
    .option('--data <dir>', 'data directory', defaultDataDir())
    .requiredOption('--manager <name>', 'the manager making the invitation (name or staff id)')
    .option('--signal <url>', 'a signalling server (repeatable; saved for next time)', collect, [])
    .addHelpText('after', "\nThe manager's passphrase is read from MOVELOG_PASSPHRASE, or asked for in the terminal.")
    .action((opts: { data: string; manager: string; signal: string[] }) =>
      asManager(opts, UsageError, async (movelog) => {
        const handshake = (await call(movelog, 'network.invite', {}, UsageError)) as { id: string; code: string; expiresAt: number };
        const signal = readSyncSettings(movelog.db).signaling[0] ?? '';
        process.stdout.write(
          `Invitation code: ${handshake.code}\nAt the other clinic, a manager runs:  movelog trust ${handshake.code} --signal ${signal} --manager NAME\n` +
            `The code works once, until ${new Date(handshake.expiresAt).toISOString()}. Waiting for the other clinic…\n`,
        );
        await settleTrust(movelog, handshake.id, UsageError);
      }),
    );

  program
    .command('trust')
    .description("Answer another clinic's invitation code, compare the safety number, and trust that clinic.")
    .argument('<code>', 'the invitation code, like 7K3M-Q9TX-2BHD')
    .option('--data <dir>', 'data directory', defaultDataDir())
    .requiredOption('--signal <url>', 'the signalling server shown with the code')
    .requiredOption('--manager <name>', 'the manager accepting the invitation (name or staff id)')
    .addHelpText('after', "\nThe manager's passphrase is read from MOVELOG_PASSPHRASE, or asked for in the terminal.")
    .action((code: string, opts: { data: string; signal: string; manager: string }) =>
      // --signal here is where the invitation waits, not a setting to save (trust adds it once accepted).
      asManager({ data: opts.data, manager: opts.manager }, UsageError, async (movelog) => {
        const accepted = (await call(movelog, 'network.acceptInvite', { code, signaling: opts.signal }, UsageError)) as { id: string };
        process.stdout.write('Waiting for the inviting clinic…\n');
        await settleTrust(movelog, accepted.id, UsageError);
      }),
    );

  program
    .command('join')
    .description('Join a clinic with the pairing code shown on one of its devices (on a new device, before it has a clinic).')
    .argument('<code>', 'the pairing code, like 7K3M-Q9TX-2BHD')
    .option('--data <dir>', 'data directory', defaultDataDir())
    .requiredOption('--signal <url>', 'the signalling server shown with the code')
    .option('--label <name>', 'a name for this device, as the clinic will see it', 'New device')
    .action(async (code: string, opts: { data: string; signal: string; label: string }) => {
      endingProcess();
      const lock = lockFolder(opts.data, 'movelog join', UsageError);
      const movelog = await openFolder(opts.data, UsageError);
      movelog.network.endsAfterJoin = true;
      try {
        await call(movelog, 'network.join', { code, signaling: opts.signal, label: opts.label }, UsageError);
        process.stdout.write(`Joined. Run "movelog sync --data ${movelog.dataDir}" to receive the clinic's records.\n`);
        movelog.close();
        lock.release();
        process.exit(0);
      } finally {
        if (movelog.db.open) movelog.close();
        lock.release();
        exitSoon();
      }
    });
}
