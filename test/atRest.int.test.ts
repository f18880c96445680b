import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSPHRASE, seedDemo } from '../main/cli/demo.js';
import { openMovelog } from '../main/core.js';
import { tempDataDir } from './support/host.js';

/**
 * The attack of issue "Hold up against a stolen laptop": a copy of the data folder, read byte by
 * byte. The demo clinic's names, phone numbers and note words must appear in no file of the
 * folder — the database, its WAL and shared memory while Movelog runs, the vault, anything else
 * (docs/architecture.md#encryption-at-rest).
 */
function needles(movelog: ReturnType<typeof openMovelog>): string[] {
  const db = movelog.db;
  const words = new Set<string>();
  for (const p of db
    .prepare<[], { given: string | null; family: string | null; phone: string | null }>('SELECT given, family, phone FROM view_patients')
    .all()) {
    for (const v of [p.given, p.family, p.phone]) if (v && v.length >= 5) words.add(v);
  }
  for (const s of db.prepare<[], { name: string }>('SELECT name FROM view_staff').all()) words.add(s.name);
  words.add('Harbour Physiotherapy');
  // Note text: every longer word of the signed notes.
  for (const n of db.prepare<[], { body: string | null }>('SELECT body FROM view_notes WHERE body IS NOT NULL LIMIT 40').all()) {
    for (const w of (n.body ?? '').match(/\p{L}{9,}/gu) ?? []) words.add(w);
  }
  return [...words];
}

function scan(dir: string, words: readonly string[]): { file: string; word: string }[] {
  const found: { file: string; word: string }[] = [];
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    const bytes = readFileSync(file);
    for (const word of words) {
      if (bytes.includes(Buffer.from(word, 'utf8')) || bytes.includes(Buffer.from(word, 'utf16le'))) found.push({ file: name, word });
    }
  }
  return found;
}

describe('the demo clinic at rest', () => {
  it('holds no patient, staff or note text in any byte of its data folder, while running and after', async () => {
    const dir = tempDataDir('movelog-at-rest-');
    const movelog = openMovelog(dir);
    let words: string[] = [];
    try {
      const made = await seedDemo(movelog, 40);
      expect(made.notes).toBeGreaterThan(0);
      words = needles(movelog);
      // The views do hold the plaintext (the app reads them), so the check below is not empty.
      expect(words.length).toBeGreaterThan(60);
      expect(words.some((w) => /\p{L}{9,}/u.test(w) && !w.includes(' '))).toBe(true);
      // A verification leaves its outcome in the folder too (last-verify.json).
      const manager = movelog.db.prepare<[], { id: string }>("SELECT id FROM view_staff WHERE name = 'Lee Chen'").get();
      const signIn = await movelog.invoke('scan', 'cli', 'session.signIn', { staffId: manager?.id, passphrase: DEMO_PASSPHRASE });
      expect(signIn.ok).toBe(true);
      expect(await movelog.invoke('scan', 'cli', 'ledger.verify', {})).toMatchObject({ ok: true, value: { intact: true } });
      expect(readdirSync(dir).some((f) => f.endsWith('-wal'))).toBe(true);
      expect(scan(dir, words)).toEqual([]);
    } finally {
      movelog.close();
    }
    expect(scan(dir, words)).toEqual([]);
  });
});
