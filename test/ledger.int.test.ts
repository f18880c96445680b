import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRawDatabase } from './support/rawDb.js';
import { describe, expect, it } from 'vitest';
import { movelogCli, runNode, runScript } from './support/cli.js';
import { PACKAGE_ROOT, tempDataDir } from './support/host.js';
import { openRaw } from './support/raw.js';

const PASSPHRASE = { MOVELOG_PASSPHRASE: 'correct horse battery staple' };

describe('movelog init / verify / export (real processes, real SQLite files)', () => {
  it('sets up a clinic as signed entries that verify, export and re-verify, also by an outside verifier', async () => {
    const data = tempDataDir();
    const init = await movelogCli(['init', '--data', data, '--clinic', 'Harbour Rehab', '--manager', 'Lee Chen'], PASSPHRASE);
    expect(init.stderr).toBe('');
    expect(init.stdout).toMatch(/^Set up Harbour Rehab \(clinic [0-9a-f]{64}\)/);
    expect(init.code).toBe(0);

    const verify = await movelogCli(['verify', '--data', data]);
    expect(verify.stdout).toMatch(/^Intact: 4 entries/); // genesis, manager, passphrase verifier, time zone
    expect(verify.code).toBe(0);

    const status = await movelogCli(['status', '--data', data, '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as { entries: number; forks: unknown[]; pending: number; heads: { stream: string; seq: number }[] };
    expect(report).toMatchObject({ entries: 4, forks: [], pending: 0 });
    expect(report.heads.map((h) => [h.stream.split('/')[1], h.seq])).toEqual([
      ['private', 1],
      ['public', 3],
    ]);

    const out = join(data, 'ledger.jsonl');
    expect((await movelogCli(['export', '--data', data, '--format', 'ledger', '--out', out])).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { entry: { kind: string } }).entry.kind)).toEqual([
      'clinic.created',
      'staff.added',
      'staff.passphrase.set',
      'clinic.timezone.set',
    ]);
    const fileVerify = await movelogCli(['verify', '--ledger', out]);
    expect(fileVerify.code).toBe(0);
    expect(fileVerify.stdout.split('\n')[1]).toBe(verify.stdout.split('\n')[1]); // same chain head

    const outsider = await runNode([join(PACKAGE_ROOT, 'test/outsider/verify-ledger.mjs'), out]);
    expect(outsider.stdout).toMatch(/intact: 4 entries/);
    expect(outsider.code).toBe(0);

    // The passphrase went into the ledger only as a scrypt verifier.
    expect(readFileSync(out, 'utf8')).not.toContain('correct horse');

    const again = await movelogCli(['init', '--data', data, '--clinic', 'Other', '--manager', 'X'], PASSPHRASE);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('movelog: This Movelog is already set up for a clinic.\n');
  });

  it('init refuses to run without a passphrase source, and never takes it from argv', async () => {
    const data = tempDataDir();
    const result = await movelogCli(['init', '--data', data, '--clinic', 'A', '--manager', 'B']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/set MOVELOG_PASSPHRASE or run this command in a terminal/);
    const withArg = await movelogCli(['init', '--data', data, '--clinic', 'A', '--manager', 'B', '--passphrase', 'x'], PASSPHRASE);
    expect(withArg.code).not.toBe(0);
  });

  it('verify exits 1 naming the entry when the database was tampered with, and 2 when it cannot check', async () => {
    const data = tempDataDir();
    await movelogCli(['init', '--data', data, '--clinic', 'Harbour Rehab', '--manager', 'Lee Chen'], PASSPHRASE);
    const copy = tempDataDir();
    copyFileSync(join(data, 'movelog.db'), join(copy, 'movelog.db'));
    copyFileSync(join(data, 'movelog.vault'), join(copy, 'movelog.vault'));
    const db = openRawDatabase(copy);
    db.exec(
      "DROP TRIGGER entries_append_only_update; UPDATE entries SET bytes = CAST(replace(CAST(bytes AS TEXT), 'Lee Chen', 'Lee Chan') AS BLOB) WHERE local_seq = 2",
    );
    db.close();
    const result = await movelogCli(['verify', '--data', copy]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^TAMPERING OR INCONSISTENCY FOUND: entry #2 \([0-9a-f]{64}\): stored hash does not match/);

    const missing = await movelogCli(['verify', '--data', join(copy, 'nowhere')]);
    expect(missing.code).toBe(2);
    const notLedger = join(copy, 'junk.jsonl');
    writeFileSync(notLedger, '{"hello":1}\n');
    expect((await movelogCli(['verify', '--ledger', notLedger])).code).toBe(1);
    expect((await movelogCli(['verify', '--ledger', join(copy, 'absent.jsonl')])).code).toBe(2);
  });

  it('verify compares what it can without the keystore, says what it cannot, and exits 1 on a dropped trigger alone', async () => {
    const data = tempDataDir();
    expect((await movelogCli(['demo', '--data', data, '--patients', '3'])).code).toBe(0);
    const copy = tempDataDir();
    copyFileSync(join(data, 'movelog.db'), join(copy, 'movelog.db'));
    copyFileSync(join(data, 'movelog.vault'), join(copy, 'movelog.vault'));
    // As an auditor who checks the record without opening patients' sealed data.
    const keyless = await movelogCli(['verify', '--data', copy, '--no-patient-keys']);
    expect(keyless.code).toBe(0);
    expect(keyless.stdout).toMatch(/^Intact: \d+ entries/);
    expect(keyless.stdout).toContain('Who wrote what: the admission policy, replayed over the whole history, allows every entry.');
    expect(keyless.stdout).toContain(
      "Views compared without their sealed patient columns (patients' keys not used): view_patients, view_patient_access, view_notes, view_consent, view_audit.",
    );
    expect(keyless.stdout).toMatch(
      /Views NOT compared: view_patient_tokens, view_appointments, view_note_addenda, view_episodes, view_patient_links, view_emergency_access, view_emergency_reviews \(.*keys were not used\)\./,
    );
    expect(keyless.stdout).toContain('Removal of the newest entries NOT checked');

    const db = openRaw(join(copy, 'movelog.db'));
    db.exec('DROP TRIGGER entries_append_only_delete');
    db.close();
    const dropped = await movelogCli(['verify', '--data', copy, '--no-patient-keys']);
    expect(dropped.code).toBe(1);
    expect(dropped.stdout).toMatch(/^TAMPERING OR INCONSISTENCY FOUND: the append-only trigger entries_append_only_delete is missing/);
  });

  it('verifies a generated ledger of 100,000 entries with worker threads', async () => {
    const data = tempDataDir();
    const gen = await runScript(
      `import { generateLedger } from './test/support/ledger-tools.mjs'; await generateLedger(${JSON.stringify(data)}, 100000);`,
    );
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    const verify = await movelogCli(['verify', '--data', data, '--json']);
    expect(verify.code).toBe(0);
    const report = JSON.parse(verify.stdout) as { entries: number; problem: unknown; viewsMatch: boolean };
    expect(report).toMatchObject({ entries: 100_004, problem: null, viewsMatch: true });
  });
  // kill -9 during append: test/faults/kill.int.test.ts.
});
