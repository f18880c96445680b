#!/usr/bin/env node
// Makes the upgrade fixtures in test/fixtures/upgrade/: one small data folder per earlier schema
// version, written by the Movelog build that had that schema (real old code, not today's code
// pretending). See docs/architecture.md#migrations-and-view-schema.
//
//   node scripts/make-upgrade-fixtures.mjs              every fixture
//   node scripts/make-upgrade-fixtures.mjs v3 v1-first  only these
//
// For each fixture: `git worktree add` of the pinned commit into a temporary folder, node_modules
// symlinked from this checkout, the node side compiled (`tsc -p tsconfig.node.json`, which writes
// out/node, where that commit's bin/movelog.js looks), then that commit's CLI run on a fresh data
// folder with MOVELOG_PASSPHRASE set. The database is copied with `VACUUM INTO` (one file, no WAL)
// beside the device key and the keystore key, and a manifest.json records how it was made.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'test/fixtures/upgrade');

/** The manager passphrase of `movelog init`, and the one `movelog demo` gives every staff member. */
const INIT_PASSPHRASE = 'upgrade fixture passphrase';
const DEMO_PASSPHRASE = 'movelog demo passphrase';

/**
 * `vN`: schema N as the last commit before the next migration was added left it. That final state
 * is the text each migration is frozen at: a migration was edited only while it was the newest,
 * never after (main/store/migrations.test.ts checks the digests).
 *
 * `vN-first`: the first build of schema N, where the view tables that migration created were
 * shaped differently from its final text (columns and tables added while it was still the newest).
 * Databases like these exist; only the view-schema rebuild brings their views to today's shape.
 * (Schema 1 as first committed, a4a6284, had no `heads` table and no CLI; not covered.)
 *
 * `run` is what that commit's CLI could do; `calls` are made afterwards through that build's own
 * services, as the manager, where the CLI had no command for them.
 */
const STAFF_CALLS = [
  ['staff.add', { name: 'Priya Raman', role: 'therapist', licence: 'PT-204417', passphrase: INIT_PASSPHRASE }],
  ['staff.add', { name: 'Fran Ortiz', role: 'front_desk', licence: null, passphrase: INIT_PASSPHRASE }, 'desk'],
  ['staff.deactivate', { staffId: '$desk' }],
  ['settings.update', { autoLockMinutes: 10 }],
];
const PATIENT = {
  givenName: 'Zoë',
  familyName: 'Núñez-López',
  preferredName: null,
  dateOfBirth: '1961-04-12',
  sex: 'female',
  phone: '555 123 4567',
  email: null,
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
};
const FIXTURES = [
  { name: 'v1', version: 1, commit: '1434589', run: 'init', calls: STAFF_CALLS }, // before 0002_patients (19d3695); no `demo` yet
  { name: 'v1-first', version: 1, commit: 'c65d58d', run: 'init', calls: [] }, // first `init`; view_staff without active, no view_settings, view_refusals
  { name: 'v2', version: 2, commit: '22346a6', run: 'demo' }, // before 0003_schedule (66e4383)
  {
    name: 'v2-first',
    version: 2,
    commit: '19d3695',
    run: 'init',
    calls: [...STAFF_CALLS, ['patient.register', { details: PATIENT, confirmDuplicate: false }]],
  }, // view_patients without phone_rev
  { name: 'v3', version: 3, commit: 'd4610b6', run: 'demo' }, // before 0004_sync (dc5ac98)
  { name: 'v3-first', version: 3, commit: '66e4383', run: 'demo' }, // no view_availability, view_timeoff
  { name: 'v4', version: 4, commit: '6c99035', run: 'demo' }, // before 0005_checkpoints (123d812)
  { name: 'v5', version: 5, commit: 'bfb3233', run: 'demo' }, // before 0006_access (919ae04)
  { name: 'v6', version: 6, commit: '8134525', run: 'demo' }, // before 0007_trust (999be21)
  { name: 'v7', version: 7, commit: '224056e', run: 'demo' }, // before 0008_notes (3c636a1)
  { name: 'v8', version: 8, commit: '3dc6446', run: 'demo' }, // before 0009_time_zone (f533b86)
  { name: 'v9', version: 9, commit: 'b574a91', run: 'demo' }, // schema 9 as of the Prettier reformat
  { name: 'v10', version: 10, commit: 'ea765ac', run: 'demo' }, // before 0011_quarantine_hash: key versions, consent, links
  // Builds from schema 11 on encrypt every folder (docs/architecture.md#encryption-at-rest): the
  // fixture keeps its vault, locked with the key file `fixture.key` it carries (a test secret).
  { name: 'v11', version: 11, commit: 'ed0c08f', run: 'demo', encrypted: true }, // before 0012_drafts
];

/** The key file an encrypted fixture's vault is locked with, kept beside it (test data, no real secret). */
const FIXTURE_KEY = 'fixture.key';

/** Patients in each demo clinic: enough for every kind the demo writes, small enough to commit. */
const DEMO_PATIENTS = 3;

/** Makes `calls` (JSON in argv) through the old build's services with the manager's session. */
const DRIVER = `
const [dir, json] = process.argv.slice(2);
const base = 'file://' + process.cwd() + '/';
const { openMovelog } = await import(new URL('out/node/main/core.js', base).href);
const { dispatch } = await import(new URL('out/node/main/services/dispatch.js', base).href);
const movelog = openMovelog(dir);
try {
  const manager = movelog.db.prepare("SELECT id FROM view_staff WHERE role = 'manager'").get();
  const ctx = { session: { staffId: manager.id, role: 'manager' }, bridge: 'cli' };
  const saved = {};
  for (const [name, input, saveAs] of JSON.parse(json)) {
    const resolved = JSON.parse(JSON.stringify(input), (_, v) => (typeof v === 'string' && v.startsWith('$') ? saved[v.slice(1)] : v));
    const result = await dispatch(movelog.services, name, resolved, ctx);
    if (!result.ok) throw new Error(name + ': ' + result.error.message);
    if (saveAs) saved[saveAs] = result.value.id;
  }
} finally {
  movelog.close();
}
`;

/** The database of an encrypted folder, opened with the key its vault holds, through that build's own code. */
async function openEncrypted(tree, data, keyFile) {
  const base = new URL(`file://${tree}/out/node/main/store/`);
  const { Vault } = await import(new URL('vault.js', base).href);
  const { openExistingDatabase } = await import(new URL('db.js', base).href);
  const { dbKey } = Vault.open(data, { kind: 'keyFile', file: keyFile }).secrets;
  return openExistingDatabase(join(data, 'movelog.db'), dbKey);
}

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

async function make({ name, version, commit, run, calls = [], encrypted = false }) {
  const full = git('rev-parse', `${commit}^{commit}`);
  const work = mkdtempSync(join(tmpdir(), `movelog-fixture-${name}-`));
  const tree = join(work, 'src');
  const data = join(work, 'data');
  process.stdout.write(`${name} (schema ${version}): ${commit} …\n`);
  git('worktree', 'add', '--detach', tree, full);
  try {
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(tree, 'node_modules'), 'dir');
    // Today's TypeScript and packages (node_modules is this checkout's) with that commit's
    // tsconfig; out/node/main/cli/main.js is what its bin/movelog.js loads.
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.node.json'], { cwd: tree, stdio: 'inherit' });
    const keyFile = join(work, FIXTURE_KEY);
    if (encrypted) writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
    const env = { ...process.env, MOVELOG_PASSPHRASE: INIT_PASSPHRASE };
    if (encrypted) {
      env.MOVELOG_KEY_FILE = keyFile;
      delete env.MOVELOG_CLINIC_PASSPHRASE;
    }
    const cli = (...args) =>
      execFileSync(process.execPath, [join(tree, 'bin/movelog.js'), ...args], {
        cwd: tree,
        encoding: 'utf8',
        env,
      });
    if (run === 'init') cli('init', '--data', data, '--clinic', 'Upgrade Fixture Clinic', '--manager', 'Lee Chen');
    else cli('demo', '--data', data, '--patients', String(DEMO_PATIENTS));
    if (calls.length > 0) {
      writeFileSync(join(tree, 'fixture-calls.mjs'), DRIVER);
      execFileSync(process.execPath, ['fixture-calls.mjs', data, JSON.stringify(calls)], { cwd: tree, stdio: 'inherit', env });
    }
    // The build that wrote it must find it intact (exit 0), so a fixture never starts out broken.
    cli('verify', '--data', data);
    const help = cli('--help');
    const status = /^\s+status\b/m.test(help) ? JSON.parse(cli('status', '--data', data, '--json')) : {};

    const target = join(OUT, name);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    const db = encrypted ? await openEncrypted(tree, data, keyFile) : new Database(join(data, 'movelog.db'));
    const userVersion = db.pragma('user_version', { simple: true });
    if (userVersion !== version) throw new Error(`commit ${commit} wrote schema ${userVersion}, expected ${version}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.prepare('VACUUM INTO ?').run(join(target, 'movelog.db'));
    const entries = db.prepare('SELECT count(*) AS n FROM entries').get().n;
    const kinds = Object.fromEntries(
      db
        .prepare('SELECT kind, count(*) AS n FROM entries GROUP BY kind ORDER BY kind')
        .all()
        .map((r) => [r.kind, r.n]),
    );
    db.close();
    if (encrypted) {
      // VACUUM INTO encrypts the copy with the same database key (as a backup does), so the vault
      // opens it; SQLCipher's page size stays 4 KiB.
      copyFileSync(join(data, 'movelog.vault'), join(target, 'movelog.vault'));
      copyFileSync(keyFile, join(target, FIXTURE_KEY));
    } else {
      // 1 KiB pages instead of 4 KiB: every table and index takes at least one page, and the
      // fixtures are committed. Contents, schema and user_version are unchanged by a VACUUM.
      const copy = new Database(join(target, 'movelog.db'));
      copy.pragma('page_size = 1024');
      copy.exec('VACUUM');
      if (copy.pragma('user_version', { simple: true }) !== version) throw new Error('the copy lost user_version');
      copy.close();
    }
    for (const file of ['device.key', 'keystore.key']) if (existsSync(join(data, file))) copyFileSync(join(data, file), join(target, file));
    const manifest = {
      schemaVersion: version,
      commit: full,
      name,
      command: run === 'init' ? 'movelog init --clinic "Upgrade Fixture Clinic" --manager "Lee Chen"' : `movelog demo --patients ${DEMO_PATIENTS}`,
      calls: calls.map(([call]) => call),
      manager: { name: 'Lee Chen', passphrase: run === 'init' ? INIT_PASSPHRASE : DEMO_PASSPHRASE },
      entries,
      kinds,
      viewDigest: status.viewDigest ?? null,
      ...(encrypted ? { unlock: { kind: 'keyFile', file: FIXTURE_KEY } } : {}),
      madeAt: new Date().toISOString(),
    };
    writeFileSync(join(target, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    process.stdout.write(`${name}: ${entries} entries\n`);
  } finally {
    git('worktree', 'remove', '--force', tree);
    rmSync(work, { recursive: true, force: true });
  }
}

const only = process.argv.slice(2);
const unknown = only.filter((n) => !FIXTURES.some((f) => f.name === n));
if (unknown.length > 0) throw new Error(`Unknown fixture ${unknown.join(', ')}; known: ${FIXTURES.map((f) => f.name).join(', ')}`);
for (const f of FIXTURES) if (only.length === 0 || only.includes(f.name)) await make(f);
