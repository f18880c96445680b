import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { openMovelog } from '../main/core.js';
import type { Movelog } from '../main/core.js';
import { deviceKeyFromPkcs8 } from '../main/ledger/deviceKey.js';
import { rebuildViews, viewDigest } from '../main/ledger/rebuild.js';
import { isPlainDatabase, openExistingDatabase } from '../main/store/db.js';
import { LEGACY_DEVICE_KEY_FILE, LEGACY_KEYSTORE_FILE } from '../main/store/dataFolder.js';
import { unlockFromEnvironment, Vault, VAULT_FILE } from '../main/store/vault.js';
import type { Unlock } from '../main/store/vault.js';
import { openRawDatabase } from './support/rawDb.js';
import { verifyDatabase } from '../main/ledger/verify.js';
import { MIGRATIONS } from '../main/store/migrations/index.js';
import { PACKAGE_ROOT, tempDataDir } from './support/host.js';

/**
 * Upgrades: each fixture in test/fixtures/upgrade/vN is a data folder written by the Movelog build
 * that had schema N last; vN-first by the first build of schema N, whose view tables were shaped
 * differently (scripts/make-upgrade-fixtures.mjs; manifest.json records the commit).
 * Today's code must open it, migrate it to the current schema without touching the entries, and
 * end with views equal to a fresh rebuild (docs/architecture.md#migrations-and-view-schema).
 */
const FIXTURES = join(PACKAGE_ROOT, 'test/fixtures/upgrade');
const LATEST = MIGRATIONS.length;

interface Manifest {
  readonly schemaVersion: number;
  readonly commit: string;
  readonly manager: { readonly name: string; readonly passphrase: string };
  readonly entries: number;
  readonly kinds: Record<string, number>;
}

const fixtures = readdirSync(FIXTURES)
  .filter((name) => /^v\d+(-first)?$/.test(name))
  .map((name) => ({ name, manifest: JSON.parse(readFileSync(join(FIXTURES, name, 'manifest.json'), 'utf8')) as Manifest }))
  .sort((a, b) => a.manifest.schemaVersion - b.manifest.schemaVersion || a.name.localeCompare(b.name));

/**
 * How an encrypted fixture's vault opens: builds from schema 11 on encrypt every folder, so their
 * fixtures keep the vault, locked with the key file they carry (scripts/make-upgrade-fixtures.mjs).
 * Null for a plain fixture (a build before encryption at rest).
 */
function fixtureUnlock(dir: string): (Unlock & { kind: 'keyFile' }) | null {
  const file = join(dir, 'fixture.key');
  return existsSync(file) ? { kind: 'keyFile', file } : null;
}

/**
 * A private copy of a fixture, so the committed files are never written to. An encrypted one's
 * vault is locked anew with this run's key file, as `movelog lock` would, so it opens like every
 * folder of the run (test/setup/vaultKey.ts).
 */
function copyFixture(name: string): string {
  const dir = tempDataDir('movelog-upgrade-');
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  // Git keeps no permissions beyond the executable bit; a data folder's keys are this user's only.
  for (const key of [LEGACY_DEVICE_KEY_FILE, LEGACY_KEYSTORE_FILE, VAULT_FILE, 'fixture.key'])
    if (existsSync(join(dir, key))) chmodSync(join(dir, key), 0o600);
  const unlock = fixtureUnlock(dir);
  if (unlock) {
    const run = unlockFromEnvironment();
    if (!run) throw new Error('no unlock source in this test run');
    Vault.open(dir, unlock).rewrap(run);
    rmSync(unlock.file);
  }
  return dir;
}

function vaultOf(dir: string) {
  const unlock = unlockFromEnvironment();
  if (!unlock) throw new Error('no unlock source in this test run');
  return Vault.open(dir, unlock).secrets;
}

function rawCounts(dir: string): { userVersion: number; entries: number } {
  // Encrypted once today's build opened it (docs/architecture.md#encryption-at-rest); plain before.
  const unlock = fixtureUnlock(dir);
  const db = isPlainDatabase(join(dir, 'movelog.db'))
    ? new Database(join(dir, 'movelog.db'), { readonly: true, fileMustExist: true })
    : unlock
      ? openExistingDatabase(join(dir, 'movelog.db'), Vault.open(dir, unlock).secrets.dbKey, { readonly: true })
      : openRawDatabase(dir, { readonly: true });
  try {
    return {
      userVersion: db.pragma('user_version', { simple: true }) as number,
      entries: (db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

/**
 * The shape of every view table and index: columns (name, type, not null, default, key) and
 * indexed columns. Compared by meaning, not by the CREATE text (whose spacing differs by build).
 */
function viewShapes(db: Movelog['db']): Record<string, unknown> {
  const objects = db
    .prepare<[], { type: string; name: string; tbl_name: string }>(
      "SELECT type, name, tbl_name FROM sqlite_master WHERE tbl_name LIKE 'view\\_%' ESCAPE '\\' AND type IN ('table', 'index') ORDER BY name",
    )
    .all();
  return Object.fromEntries(
    objects.map((o) => [
      `${o.type} ${o.name}`,
      o.type === 'table'
        ? db.prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`).all(o.name)
        : { on: o.tbl_name, columns: db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(o.name) },
    ]),
  );
}

/** Today's view tables, and `source`'s entries rebuilt into them, in a brand-new data folder. */
function freshRebuild(source: Movelog): { shapes: Record<string, unknown>; digest: string } {
  const fresh = openMovelog(tempDataDir('movelog-fresh-'));
  try {
    rebuildViews(source.db, source.keystore, fresh.db);
    return { shapes: viewShapes(fresh.db), digest: viewDigest(fresh.db) };
  } finally {
    fresh.close();
  }
}

const open: Movelog[] = [];
afterEach(() => {
  for (const m of open.splice(0)) m.close();
});

describe('upgrade fixtures', () => {
  it('cover every earlier schema version, each written by the build that had it', () => {
    const versions = fixtures.map((f) => f.manifest.schemaVersion);
    expect(versions).toEqual(fixtures.map((f) => Number(/^v(\d+)/.exec(f.name)?.[1])));
    for (let v = 1; v < LATEST; v++) expect(versions).toContain(v);
    expect(Math.max(...versions)).toBeLessThanOrEqual(LATEST);
    for (const { name, manifest } of fixtures) {
      // A private copy: git checks the fixture's key file out readable by others, which the vault refuses.
      expect(rawCounts(copyFixture(name)), name).toEqual({ userVersion: manifest.schemaVersion, entries: manifest.entries });
      expect(manifest.commit, name).toMatch(/^[0-9a-f]{40}$/);
    }
  });
});

describe.each(fixtures)('a database made at schema $manifest.schemaVersion ($name)', ({ name, manifest }) => {
  it('opens with today’s code, migrates to the current schema and keeps every entry', () => {
    const dir = copyFixture(name);
    const before = rawCounts(dir);
    expect(before.userVersion).toBe(manifest.schemaVersion);
    const movelog = openMovelog(dir);
    open.push(movelog);
    expect(movelog.db.pragma('user_version', { simple: true })).toBe(LATEST);
    const kinds = Object.fromEntries(
      movelog.db
        .prepare<[], { kind: string; n: number }>('SELECT kind, count(*) AS n FROM entries GROUP BY kind ORDER BY kind')
        .all()
        .map((r) => [r.kind, r.n]),
    );
    expect(kinds).toEqual(manifest.kinds);
  });

  it('has views equal to a fresh rebuild of its entries, and passes full verification', async () => {
    const dir = copyFixture(name);
    const legacyDeviceKey = join(dir, LEGACY_DEVICE_KEY_FILE);
    const deviceBefore = deviceKeyFromPkcs8(existsSync(legacyDeviceKey) ? readFileSync(legacyDeviceKey) : vaultOf(dir).deviceKey).publicKey;
    const movelog = openMovelog(dir);
    open.push(movelog);
    // The folder is encrypted now; its keys moved into the vault, and the device kept its identity.
    expect(isPlainDatabase(join(dir, 'movelog.db'))).toBe(false);
    expect(existsSync(join(dir, LEGACY_DEVICE_KEY_FILE)) || existsSync(join(dir, LEGACY_KEYSTORE_FILE))).toBe(false);
    expect(movelog.ledger.device.publicKey).toBe(deviceBefore);
    const fresh = freshRebuild(movelog);
    // Fails for a database whose view tables its build shaped differently (the vN-first fixtures)
    // until the views are dropped and rebuilt on a view-schema change.
    expect(viewShapes(movelog.db), 'view tables shaped as in a fresh database').toEqual(fresh.shapes);
    expect(viewDigest(movelog.db)).toBe(fresh.digest);
    movelog.close();
    open.pop();

    // What `movelog verify --data` runs: hashes, signatures, author and local chains, parents,
    // views against a rebuild (with the keystore, so sealed patient data is compared too).
    const secrets = vaultOf(dir);
    const report = await verifyDatabase(join(dir, 'movelog.db'), {
      workers: 1,
      dbKey: secrets.dbKey,
      keystoreMasterKey: secrets.masterKey,
      device: deviceKeyFromPkcs8(secrets.deviceKey).publicKey,
    });
    expect(report.problem).toBeNull();
    expect(report.entries).toBe(manifest.entries);
    expect(report.viewsMatch).toBe(true);
    expect(rawCounts(dir)).toEqual({ userVersion: LATEST, entries: manifest.entries });
  });

  it('serves reads: the manager signs in with the passphrase of that day and lists staff and patients', async () => {
    const movelog = openMovelog(copyFixture(name));
    open.push(movelog);
    const call = async (callName: string, input: unknown) => {
      const result = await movelog.invoke('upgrade', 'cli', callName, input);
      if (!result.ok) throw new Error(`${callName}: ${result.error.message}`);
      return result.value;
    };
    const choices = (await call('session.choices', {})) as { id: string; name: string; role: string }[];
    const manager = choices.find((c) => c.name === manifest.manager.name && c.role === 'manager');
    expect(manager).toBeDefined();
    await call('session.signIn', { staffId: manager?.id, passphrase: manifest.manager.passphrase });
    const staff = (await call('staff.list', {})) as { name: string }[];
    expect(staff.length).toBe(manifest.kinds['staff.added']);
    const patients = (await call('patient.search', { query: '' })) as { patientId: string }[];
    expect(patients.length).toBe(manifest.kinds['patient.registered'] ?? 0);
  });
});

describe('patients sealed before key ids (docs/architecture.md#key-rotation)', () => {
  it('open with their original key after the upgrade; a rotated key seals what comes next, and every version stays readable', async () => {
    // The last schema before key ids (schema 10 added them): its bodies carry no kid.
    const fixture = fixtures.filter((f) => f.manifest.schemaVersion < 10 && (f.manifest.kinds['patient.registered'] ?? 0) > 0).at(-1);
    if (!fixture) throw new Error('no upgrade fixture with patients');
    const dir = copyFixture(fixture.name);
    // Verified as it is, read-only and not migrated (no patient_key_versions yet), as `movelog verify` does.
    const unmigrated = await verifyDatabase(join(dir, 'movelog.db'), {
      workers: 1,
      keystoreMasterKey: readFileSync(join(dir, LEGACY_KEYSTORE_FILE)),
    });
    expect(unmigrated.problem).toBeNull();
    const movelog = openMovelog(dir);
    open.push(movelog);
    const bodies = movelog.db
      .prepare<[], { bytes: Buffer }>("SELECT bytes FROM entries WHERE stream LIKE 'p:%'")
      .all()
      .map((r) => (JSON.parse(r.bytes.toString('utf8')) as { body: Record<string, unknown> }).body);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((b) => b['sealed'] === 'A256GCM' && !('kid' in b))).toBe(true);
    const call = async (callName: string, input: unknown) => {
      const result = await movelog.invoke('upgrade', 'cli', callName, input);
      if (!result.ok) throw new Error(`${callName}: ${result.error.message}`);
      return result.value;
    };
    const choices = (await call('session.choices', {})) as { id: string; name: string; role: string }[];
    const manager = choices.find((c) => c.name === fixture.manifest.manager.name && c.role === 'manager');
    await call('session.signIn', { staffId: manager?.id, passphrase: fixture.manifest.manager.passphrase });
    const patients = (await call('patient.search', { query: '' })) as { patientId: string; readable: boolean }[];
    expect(patients.every((p) => p.readable)).toBe(true);

    const patientId = patients[0]?.patientId ?? '';
    const original = movelog.keystore.keyFor(patientId);
    expect(original).not.toBeNull();
    expect(movelog.keystore.sealingKey(patientId)?.key).toEqual(original);
    const rotated = movelog.keystore.rotate(patientId, Date.now());
    const before = (await call('patient.get', { patientId })) as { details: Record<string, unknown> };
    await call('patient.update', { patientId, details: { ...before.details, givenName: 'Rotated' } });
    const latest = movelog.db
      .prepare<[string], { bytes: Buffer }>("SELECT bytes FROM entries WHERE stream = ? AND kind = 'patient.updated' ORDER BY local_seq DESC LIMIT 1")
      .get(`p:${patientId}/profile`);
    expect((JSON.parse(latest?.bytes.toString('utf8') ?? '{}') as { body: { kid?: string } }).body.kid).toBe(rotated.kid);
    const after = (await call('patient.get', { patientId })) as { details: { givenName: string }; history: { details: unknown }[] };
    expect(after.details.givenName).toBe('Rotated');
    expect(after.history.length).toBeGreaterThanOrEqual(2);
    expect(after.history.every((h) => h.details !== null)).toBe(true);
    expect(viewDigest(movelog.db)).toBe(freshRebuild(movelog).digest);
    movelog.close();
    open.pop();
    const { dbKey, masterKey } = vaultOf(dir);
    const report = await verifyDatabase(join(dir, 'movelog.db'), { workers: 1, dbKey, keystoreMasterKey: masterKey });
    expect(report.problem).toBeNull();
    expect(report.viewsMatch).toBe(true);
  });
});

describe('a database newer than this build', () => {
  it('is refused with a readable message, and left as it was', () => {
    const last = fixtures.filter((f) => !existsSync(join(FIXTURES, f.name, 'fixture.key'))).at(-1);
    if (!last) throw new Error('no upgrade fixtures');
    const dir = copyFixture(last.name);
    const raw = new Database(join(dir, 'movelog.db'));
    raw.pragma(`user_version = ${LATEST + 1}`);
    raw.close();
    expect(() => openMovelog(dir)).toThrow(
      `This data was written by a newer Movelog (schema ${LATEST + 1}; this build knows up to ${LATEST}). Update Movelog to open it.`,
    );
    expect(rawCounts(dir)).toEqual({ userVersion: LATEST + 1, entries: last.manifest.entries });
    // Nothing was written: no vault, and the clear keys are still where that build left them.
    expect(Vault.exists(dir)).toBe(false);
    expect(existsSync(join(dir, LEGACY_KEYSTORE_FILE))).toBe(true);
  });

  it('is refused the same way when the folder is encrypted, and neither the database nor the vault is written', () => {
    const last = fixtures.filter((f) => existsSync(join(FIXTURES, f.name, 'fixture.key'))).at(-1);
    if (!last) throw new Error('no encrypted upgrade fixture');
    const dir = copyFixture(last.name);
    const raw = openRawDatabase(dir);
    raw.pragma(`user_version = ${LATEST + 1}`);
    raw.close();
    const vault = readFileSync(join(dir, VAULT_FILE));
    expect(() => openMovelog(dir)).toThrow(
      `This data was written by a newer Movelog (schema ${LATEST + 1}; this build knows up to ${LATEST}). Update Movelog to open it.`,
    );
    expect(rawCounts(dir)).toEqual({ userVersion: LATEST + 1, entries: last.manifest.entries });
    expect(readFileSync(join(dir, VAULT_FILE))).toEqual(vault);
  });
});
