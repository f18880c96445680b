import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { Migration } from './migration.js';
import { MIGRATIONS } from './migrations/index.js';

const STORE = dirname(fileURLToPath(import.meta.url));
const MIGRATIONS_DIR = join(STORE, 'migrations');

/**
 * SHA-256 of the SQL each released migration executes, whitespace-normalized, in order, joined by
 * a NUL; computed from git history at the last commit before the next migration was added. A released
 * migration is frozen (docs/architecture.md#migrations-and-view-schema): a database it migrated
 * has exactly this shape, so changing its text would make fresh databases differ from upgraded
 * ones. Change a view's shape by bumping the view-schema version; change anything else with a
 * new migration. Add a line here when adding a migration, never edit one.
 */
const FROZEN: Record<string, string> = {
  '0001_ledger': 'af842d876cba008904fe30af02e6031d858e817c1fe23f0438ddb64bad72cd44',
  '0002_patients': 'fe4c3abf80e6d811718e772446d174a86f2c850c7c883803c01969cbbe0d9464',
  '0003_schedule': 'b85b9738074535180cf3d5d819e40a43547a4322865cacf84b806c928404199e',
  '0004_sync': 'ecef05d86111f5c7c81bb999d2ac8041330d0f32b36262f3eb3356b990e77bd7',
  '0005_checkpoints': '6909c19a18560202e425c72d9408dec1a934656e9ca54f05167d47902cb618b4',
  '0006_access': 'a0aff104bf5f01e5802231bece58c423fcc2c99ea160e6cff776e395029d4d20',
  '0007_trust': '0e1810ccfa02e02ed1f7f0aa6b5ae33ecce98583749ae179dbb0850ad4b0c41a',
  '0008_notes': '7d6f4eaf82b30815cadde49d09eaf2b63756005e1455d7fcbc2adc0231fb78f8',
  '0009_time_zone': 'd5270ed6abfb9619138c9926a75a598b464242d81c0ef46ab5ea83e9554ef736',
  '0010_key_versions': '70b7333c4c2dacaa020fe779fc1bcf397df4627e2c129f4103473f628c907b88',
  '0011_quarantine_hash': 'd116ac0899b80b391cf32a740138d7d7dce40a82b314c6d8eb0c14f7728be960',
  '0012_drafts': '66d0f42f8128d56150e8c632093f7eef98ce8a77a68ebcc198e99756d0bb2640',
};

/** SQL text with runs of whitespace made one space, so a reindent is not a change (comments count). */
const normalize = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** Every module specifier a source imports or re-exports, static or dynamic, type-only included. */
function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

/** Specifiers of `file` that reach outside main/store (relative paths leaving it, or our own folders by alias). */
function outsideStore(file: string): string[] {
  return importSpecifiers(readFileSync(file, 'utf8')).filter((spec) => {
    if (!spec.startsWith('.')) return false;
    const target = relative(STORE, resolve(dirname(file), spec));
    return target.startsWith('..');
  });
}

/** Runs `migration` against `db`, returning the SQL it executed; any other use of the handle fails. */
function executedSql(migration: Migration, db: Database.Database): string[] {
  const seen: string[] = [];
  const recorder = {
    exec(sql: string) {
      seen.push(sql);
      db.exec(sql);
      return recorder;
    },
  };
  migration.up(recorder as unknown as Database.Database);
  return seen;
}

const sourceFiles = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(dir, e.name));

describe('migrations', () => {
  it('the import scan sees every form of import, type-only included', () => {
    const source = [
      "import type { Migration } from '../migration.js';",
      "import { CLINIC_VIEWS } from '../../ledger/viewSchema.js';",
      'import {',
      '  a,',
      "} from '../../services/x.js';",
      "export { b } from '../../sync/y.js';",
      "import '../../host/z.js';",
      "const c = await import('../../core.js');",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([
      '../migration.js',
      '../../ledger/viewSchema.js',
      '../../services/x.js',
      '../../sync/y.js',
      '../../host/z.js',
      '../../core.js',
    ]);
  });

  it('import nothing outside main/store: migrations only the Migration type, store files only packages and store', () => {
    const files = [...sourceFiles(STORE), ...sourceFiles(MIGRATIONS_DIR)];
    expect(files.length).toBeGreaterThan(MIGRATIONS.length);
    const offending = files.flatMap((file) => outsideStore(file).map((spec) => `${relative(STORE, file)} imports ${spec}`));
    expect(offending).toEqual([]);
    for (const file of sourceFiles(MIGRATIONS_DIR)) {
      const specs = importSpecifiers(readFileSync(file, 'utf8'));
      const allowed = file.endsWith('index.ts')
        ? (s: string) => s === '../migration.js' || /^\.\/\d{4}_[a-z_]+\.js$/.test(s)
        : (s: string) => s === '../migration.js';
      expect(
        specs.filter((s) => !allowed(s)),
        relative(STORE, file),
      ).toEqual([]);
    }
  });

  it('are numbered 1..N without gaps, each named after its file, one file per migration', async () => {
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{4}_.*\.ts$/.test(f) && !f.endsWith('.test.ts'))
      .sort();
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(MIGRATIONS.map((m) => `${m.name}.ts`)).toEqual(files);
    for (const [i, file] of files.entries()) {
      expect(Number(file.slice(0, 4)), file).toBe(i + 1);
      const exported = Object.values((await import(join(MIGRATIONS_DIR, file))) as Record<string, unknown>);
      expect(exported, file).toEqual([MIGRATIONS[i]]);
    }
  });

  it('are frozen: each released migration executes exactly the SQL it was released with', () => {
    const db = new Database(':memory:');
    const digests = Object.fromEntries(
      MIGRATIONS.map((m) => [m.name, createHash('sha256').update(executedSql(m, db).map(normalize).join('\0')).digest('hex')]),
    );
    db.close();
    expect(digests).toEqual(FROZEN);
  });
});
