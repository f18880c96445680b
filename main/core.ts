import { api } from '../shared/api/index.js';
import type { ApiResult } from '../shared/api/index.js';
import { SessionStore } from './auth/sessions.js';
import { autoLockMinutes, findStaff, staffVerifier } from './clinic/staffQueries.js';
import { cryptoSelfTest } from './ledger/crypto/selfTest.js';
import { deviceKeyFromPkcs8 } from './ledger/deviceKey.js';
import { Keystore } from './ledger/keystore.js';
import { newestWitness, witnessedCheckpoints } from './ledger/checkpoints.js';
import { Ledger } from './ledger/ledger.js';
import { createLedgerVerifier } from './ledger/lastVerify.js';
import { JobRunner } from './jobs/runner.js';
import { VerifyOutcome } from '../shared/api/index.js';
import { enforceConsent } from './ledger/consentLock.js';
import { openViews } from './ledger/rebuild.js';
import type { CallContext } from './services/context.js';
import { dispatch } from './services/dispatch.js';
import type { DispatchLog } from './services/dispatch.js';
import { createServices } from './services/index.js';
import type { ServiceTable } from './services/index.js';
import { requireCare } from './services/care.js';
import { requirePatientKey } from './services/patients.js';
import { RefusalLog } from './services/refusals.js';
import { ReadLog } from './services/reads.js';
import { openDataFolder } from './store/dataFolder.js';
import { unlockFromEnvironment } from './store/vault.js';
import type { Unlock, Vault } from './store/vault.js';
import { NetworkRuntime } from './sync/runtime.js';
import type { Db } from './store/db.js';

export interface Movelog {
  readonly dataDir: string;
  readonly db: Db;
  readonly ledger: Ledger;
  readonly services: ServiceTable;
  readonly sessions: SessionStore;
  readonly keystore: Keystore;
  /** The folder's secrets (docs/architecture.md#the-vault). */
  readonly vault: Vault;
  /** Sync and pairing for this process (started only when asked). */
  readonly network: NetworkRuntime;
  /** Long work off the main thread (docs/architecture.md#long-work-off-the-main-thread). */
  readonly jobs: JobRunner;
  /**
   * What both bridges call: resolves the connection's session (locking it when idle), dispatches
   * (validation and role checks), keeps the session alive, and records refused requests.
   */
  invoke(connection: string, bridge: CallContext['bridge'], name: unknown, input: unknown): Promise<ApiResult<unknown>>;
  close(): void;
}

const LOCKED_MESSAGE = 'Movelog locked itself after a period without activity. Sign in again to continue.';

/** How often a running process copies the newest witnessed checkpoint into the vault (also at open, close and verify). */
const WITNESS_EVERY_MS = 5 * 60_000;

/**
 * Opens a data directory (creating it, readable only by this user) and everything that runs on
 * it. Both bridges and the CLI start here, so they share one implementation. `unlock` opens the
 * folder's vault (docs/architecture.md#the-vault); by default it comes from the environment.
 */
export function openMovelog(
  dataDir: string,
  now: () => number = Date.now,
  log: DispatchLog = console,
  unlock: Unlock | null = unlockFromEnvironment(),
  options: { readonly checkPages?: boolean } = {},
): Movelog {
  cryptoSelfTest();
  const { dir, db, vault } = openDataFolder(dataDir, unlock, options);
  const device = deviceKeyFromPkcs8(vault.secrets.deviceKey);
  const masterKey = vault.secrets.masterKey;
  const keystore = new Keystore(db, masterKey);
  // Views of another view schema are rebuilt before anything reads them (docs/architecture.md#views).
  openViews(db, keystore);
  // A shared record whose consent ended while this computer was off is locked before anything reads it
  // (docs/architecture.md#revocation-that-holds).
  enforceConsent(db, keystore, now());
  const ledger = new Ledger(db, device, { now, keystore });
  const sessions = new SessionStore(now, () => autoLockMinutes(db) * 60_000);
  const network = new NetworkRuntime({ db, ledger, keystore });
  // The newest checkpoint other devices witnessed goes into the vault, where a rollback of the
  // database cannot take it back (docs/architecture.md#rollback-and-truncation).
  const keepWitness = () => {
    const kept = vault.secrets.witness;
    // Only checkpoints newer than the one kept can change it (there is one a minute while syncing).
    const newest = newestWitness(witnessedCheckpoints(db, device.publicKey, kept?.size ?? 0), kept);
    if (newest && newest !== kept) vault.recordWitness(newest);
  };
  keepWitness();
  const witnessTimer = setInterval(keepWitness, WITNESS_EVERY_MS);
  witnessTimer.unref();
  const refusals = new RefusalLog(ledger, now);
  const reads = new ReadLog(ledger, now);
  const jobs = new JobRunner({
    dataDir: dir,
    host: {
      dataDir: dir,
      refreshWitness: keepWitness,
      openRecord: (patientId, ctx) => {
        requirePatientKey({ ledger, keystore, now }, patientId);
        requireCare({ ledger, now }, patientId, ctx, { supervision: true });
      },
    },
    secrets: () => ({ dbKey: vault.secrets.dbKey, masterKey: vault.secrets.masterKey, device: device.publicKey, witness: vault.secrets.witness }),
    now,
    reads,
    ownerSignedIn: (owner) => {
      if (owner.connection === null) return false;
      const state = sessions.state(owner.connection);
      return state.kind === 'active' && state.session.staffId === owner.staffId;
    },
    log,
  });
  // `ledger.verify` is the verify job, run for Movelog itself and awaited (its outcome is kept by the kind).
  const verifier = createLedgerVerifier({ dataDir: dir, verify: async () => VerifyOutcome.parse(await jobs.run('verify', {})) });
  const services = createServices({ ledger, sessions, keystore, now, network, verifier, refusals, reads, jobs });

  /**
   * A session whose staff member was deactivated, or whose passphrase was reset, since it signed in
   * ends here, whichever device or process wrote that entry (docs/architecture.md#sign-in-sessions-and-roles).
   */
  function stillValid(session: { staffId: string; credential: string | null }): boolean {
    const staff = findStaff(db, session.staffId);
    return staff !== null && staff.active && staffVerifier(db, session.staffId) === session.credential;
  }

  async function invoke(connection: string, bridge: CallContext['bridge'], name: unknown, input: unknown): Promise<ApiResult<unknown>> {
    let state = sessions.state(connection);
    if (state.kind === 'active' && !stillValid(state.session)) {
      sessions.signOutEverywhere(state.session.staffId);
      state = { kind: 'none' };
    }
    const session = state.kind === 'active' ? { staffId: state.session.staffId, role: state.session.role } : null;
    const needsSession = typeof name === 'string' && Object.hasOwn(api, name) && api[name as keyof typeof api].access !== 'anyone';
    if (state.kind === 'locked' && needsSession) return { ok: false, error: { code: 'unauthenticated', message: LOCKED_MESSAGE } };
    const result = await dispatch(services, name, input, { session, bridge, connection }, log);
    if (session && result.ok) sessions.touch(connection);
    // Bounded by time for the whole process, however many connections make them (refusals.ts).
    if (!result.ok && result.error.code === 'forbidden' && session) refusals.record(session.staffId, String(name), result.error.message);
    return result;
  }

  return {
    dataDir: dir,
    db,
    ledger,
    services,
    sessions,
    keystore,
    vault,
    network,
    jobs,
    invoke,
    close: () => {
      // Closing twice is harmless, as closing the database twice is.
      if (!db.open) return;
      clearInterval(witnessTimer);
      // Workers hold their own connections; they are stopped, and jobs' files shredded, before the folder closes.
      void jobs.close();
      try {
        refusals.flush(true);
        keepWitness();
      } finally {
        db.close();
      }
    },
  };
}
