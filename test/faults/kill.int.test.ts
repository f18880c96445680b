import { chmodSync, cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { isPlainDatabase } from '../../main/store/db.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { storedViewSchemaVersion, VIEW_SCHEMA_VERSION } from '../../main/views/index.js';
import { runScript } from '../support/cli.js';
import { PACKAGE_ROOT, tempDataDir } from '../support/host.js';
import { lines, openRaw, opensAndVerifies, spawnNode, storedHashes } from './support.js';

/**
 * kill -9 of a process writing a data folder (docs/architecture.md#faults): afterwards the folder
 * opens, `movelog verify` exits 0, every entry the killed process reported committed is there, and
 * each transaction is there whole or not at all.
 */

const LATEST = MIGRATIONS.length;

/** A private copy of an upgrade fixture (test/fixtures/upgrade), keys this user's only. */
function copyFixture(name: string): string {
  const dir = tempDataDir('movelog-fault-migration-');
  cpSync(join(PACKAGE_ROOT, 'test/fixtures/upgrade', name), dir, { recursive: true });
  for (const key of ['device.key', 'keystore.key']) if (existsSync(join(dir, key))) chmodSync(join(dir, key), 0o600);
  return dir;
}

function schema(dir: string): { userVersion: number; names: string[] } {
  // Read-write: a process killed while it encrypted the folder (docs/architecture.md#encryption-at-rest)
  // leaves a hot rollback journal, which the next connection rolls back before it reads.
  const db = openRaw(dir);
  try {
    return {
      userVersion: db.pragma('user_version', { simple: true }) as number,
      names: db.prepare<[], string>('SELECT name FROM sqlite_master ORDER BY name').pluck().all(),
    };
  } finally {
    db.close();
  }
}

describe('kill -9 during append', () => {
  it('keeps every acknowledged entry, each transaction whole or absent, and an intact chain across 20 kills at random points', async () => {
    const data = tempDataDir('movelog-fault-append-');
    const setUp = await runScript(
      `import { setUpClinic } from './test/support/ledger-tools.mjs'; const { movelog } = await setUpClinic(${JSON.stringify(data)}); movelog.close();`,
    );
    expect(setUp.code, setUp.stderr).toBe(0);
    const acked = new Map<number, string>();
    for (let round = 0; round < 20; round++) {
      const before = storedHashes(data).size;
      const target = 1 + Math.floor(Math.random() * 200);
      const child = spawnNode(['test/support/crash-writer.mjs', data]);
      let seen = 0;
      let ackedThisRound = 0;
      // The transaction begun last, and how many of its entries were acknowledged.
      let open = { size: 0, acked: 0 };
      const stderr = await lines(child, (line) => {
        const begin = /^begin (\d+)$/.exec(line);
        if (begin) open = { size: Number(begin[1]), acked: 0 };
        const ack = /^ack (\d+) ([0-9a-f]{64})$/.exec(line);
        if (!ack) return;
        acked.set(Number(ack[1]), ack[2] ?? '');
        ackedThisRound++;
        open.acked++;
        if (++seen === target) child.kill('SIGKILL');
      });
      expect(child.signalCode, stderr).toBe('SIGKILL');
      // Its acknowledgements are written in one piece after the commit: a transaction was either
      // acknowledged whole, or killed before (absent) or after (present whole) its commit.
      expect([0, open.size]).toContain(open.acked);
      const added = storedHashes(data).size - before;
      expect(open.acked === open.size ? [ackedThisRound] : [ackedThisRound, ackedThisRound + open.size]).toContain(added);
    }
    expect(acked.size).toBeGreaterThan(20);
    const stored = storedHashes(data);
    for (const [localSeq, hash] of acked) expect(stored.get(localSeq)).toBe(hash);
    const clean = await opensAndVerifies(data);
    expect(clean.entries).toBe(stored.size);
    expect(clean.verify).toMatch(/Views: all \d+ tables compared with a rebuild from the entries and equal\./);
  });
});

describe('kill -9 during migration', () => {
  const fixture = 'v1';
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test/fixtures/upgrade', fixture, 'manifest.json'), 'utf8')) as {
    schemaVersion: number;
    entries: number;
  };
  const pending = MIGRATIONS.filter((m) => m.version > manifest.schemaVersion);

  it(`killed inside each migration of a schema ${String(manifest.schemaVersion)} folder, before it commits: none of it is applied, and the next open finishes the upgrade`, async () => {
    expect(pending.length).toBeGreaterThan(5);
    const original = storedHashes(copyFixture(fixture));
    expect(original.size).toBe(manifest.entries);
    for (const migration of pending) {
      const dir = copyFixture(fixture);
      const child = spawnNode(['test/support/migrating-open.mjs', dir, String(migration.version)]);
      const reported: { created: string[] | null } = { created: null };
      const stderr = await lines(child, (line) => {
        const inside = /^in migration (\d+): (.*)$/.exec(line);
        if (!inside) return;
        expect(Number(inside[1])).toBe(migration.version);
        reported.created = (inside[2] ?? '').split(',').filter(Boolean);
        child.kill('SIGKILL');
      });
      expect(reported.created, `${migration.name}: ${stderr}`).not.toBeNull();
      // Migrations before it committed; nothing of it did.
      const after = schema(dir);
      expect(after.userVersion, migration.name).toBe(migration.version - 1);
      for (const name of reported.created ?? []) expect(after.names, `${migration.name} left ${name}`).not.toContain(name);
      expect(storedHashes(dir)).toEqual(original);
      const clean = await opensAndVerifies(dir);
      expect(schema(dir).userVersion).toBe(LATEST);
      expect(clean.entries).toBe(manifest.entries);
      expect(storedHashes(dir)).toEqual(original);
    }
  });

  it('killed inside the view-schema rebuild of a schema 2 demo folder, after it wrote some rows: it rolls back whole, and the next open rebuilds', async () => {
    const name = 'v2';
    const dir = copyFixture(name);
    const original = storedHashes(dir);
    const child = spawnNode(['test/support/migrating-open.mjs', dir, 'views']);
    const reported: { table: string | null } = { table: null };
    const stderr = await lines(child, (line) => {
      const inside = /^in view rebuild: (view_\w+)$/.exec(line);
      if (!inside) return;
      reported.table = inside[1] ?? '';
      child.kill('SIGKILL');
    });
    expect(reported.table, stderr).not.toBeNull();
    const db = openRaw(dir, { readonly: true });
    try {
      // The migrations committed; the rebuild did not: the views are still those of the old build.
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
      expect(storedViewSchemaVersion(db)).not.toBe(VIEW_SCHEMA_VERSION);
    } finally {
      db.close();
    }
    expect(storedHashes(dir)).toEqual(original);
    const clean = await opensAndVerifies(dir);
    expect(clean.verify).toMatch(/Views: all \d+ tables compared with a rebuild from the entries and equal\./);
    expect(storedHashes(dir)).toEqual(original);
  });

  it('killed while it encrypts a folder of an older build in place: the next open rolls the half-done encryption back and encrypts it whole', async () => {
    // A larger clear folder (a filler table of 24 MB), so that re-keying it takes long enough to be hit.
    const base = copyFixture('v10');
    const original = storedHashes(base);
    const plain = new Database(join(base, 'movelog.db'));
    plain.exec('CREATE TABLE filler (x BLOB)');
    const fill = plain.prepare('INSERT INTO filler VALUES (randomblob(65536))');
    plain.transaction(() => {
      for (let i = 0; i < 384; i++) fill.run();
    })();
    plain.close();
    let interrupted = 0;
    for (let delay = 0; delay <= 600 && interrupted < 2; delay += 25) {
      const dir = tempDataDir('movelog-fault-encrypt-');
      cpSync(base, dir, { recursive: true });
      const child = spawnNode(['test/support/migrating-open.mjs', dir]);
      const done = lines(child, (line) => {
        if (line === 'opening') setTimeout(() => child.kill('SIGKILL'), delay);
      });
      await done;
      // Killed while re-keying: the rollback journal holds the clear pages (docs/architecture.md#encryption-at-rest).
      if (existsSync(join(dir, 'movelog.db-journal')) && statSync(join(dir, 'movelog.db-journal')).size > 0) interrupted++;
      await opensAndVerifies(dir);
      expect(isPlainDatabase(join(dir, 'movelog.db'))).toBe(false);
      expect(storedHashes(dir)).toEqual(original);
    }
    expect(interrupted, 'no kill landed while the folder was being encrypted').toBeGreaterThan(0);
  });

  it('killed at 20 points in the first 100 ms of opening a schema 2 demo folder: every outcome opens and verifies with every entry', async () => {
    const name = 'v2';
    const original = storedHashes(copyFixture(name));
    const outcomes = new Map<string, number>();
    for (let delay = 0; delay < 100; delay += 5) {
      const dir = copyFixture(name);
      const child = spawnNode(['test/support/migrating-open.mjs', dir]);
      const printed: string[] = [];
      // Counted from "opening" (the child's start-up is not part of the open).
      const done = lines(child, (line) => {
        printed.push(line);
        if (line === 'opening') setTimeout(() => child.kill('SIGKILL'), delay);
      });
      await done;
      const version = schema(dir).userVersion;
      const outcome = printed.includes('opened') ? 'opened' : `killed at schema ${String(version)}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      expect(storedHashes(dir), outcome).toEqual(original);
      await opensAndVerifies(dir);
      expect(schema(dir).userVersion).toBe(LATEST);
      expect(storedHashes(dir), outcome).toEqual(original);
    }
    expect(
      [...outcomes.values()].reduce((a, b) => a + b, 0),
      JSON.stringify([...outcomes]),
    ).toBe(20);
    if (process.env.MOVELOG_FAULTS_REPORT) console.log(JSON.stringify([...outcomes]));
  });
});
