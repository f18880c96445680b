import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../main/store/vault.js';
import { movelogCli } from './support/cli.js';
import { tempDataDir } from './support/host.js';

/** The CLI with the clinic passphrase only (the test run's key file removed from its environment). */
const withPassphrase = (args: string[], passphrase: string | null, more: Record<string, string> = {}) =>
  movelogCli(args, { MOVELOG_KEY_FILE: '', MOVELOG_CLINIC_PASSPHRASE: passphrase ?? '', MOVELOG_PASSPHRASE: 'tide pool lantern 42', ...more });

describe('the clinic passphrase from the command line (docs/architecture.md#the-vault)', () => {
  it('locks a new folder, refuses a weak one, a missing one and a wrong one, and can be changed', async () => {
    const data = tempDataDir('movelog-passphrase-');
    const init = ['init', '--data', data, '--clinic', 'Harbour Rehab', '--manager', 'Lee Chen'];

    const weak = await withPassphrase(init, 'password123');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/commonly used/);
    expect(existsSync(join(data, 'movelog.vault')) || existsSync(join(data, 'movelog.db'))).toBe(false);

    expect((await withPassphrase(init, 'harbour lantern cobble')).code).toBe(0);
    expect(Vault.kindOf(data)).toBe('passphrase');

    const none = await withPassphrase(['status', '--data', data], null);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/This data folder is locked: give the clinic passphrase in MOVELOG_CLINIC_PASSPHRASE/);
    const wrong = await withPassphrase(['status', '--data', data], 'harbour lantern cobbles');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/not the one this data folder was locked with/);
    expect((await withPassphrase(['status', '--data', data], 'harbour lantern cobble')).code).toBe(0);

    const changed = await withPassphrase(['lock', '--data', data], 'harbour lantern cobble', { MOVELOG_NEW_CLINIC_PASSPHRASE: 'quay bollard heron' });
    expect(changed.stderr).toBe('');
    expect(changed.code).toBe(0);
    expect((await withPassphrase(['status', '--data', data], 'harbour lantern cobble')).code).toBe(2);
    expect((await withPassphrase(['verify', '--data', data], 'quay bollard heron')).code).toBe(0);

    // An unattended sync computer: the same folder moved to a key file.
    const keyFile = join(tempDataDir('movelog-keyfile-'), 'box.key');
    writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
    expect((await withPassphrase(['lock', '--data', data, '--key-file', keyFile], 'quay bollard heron')).code).toBe(0);
    expect((await movelogCli(['status', '--data', data], { MOVELOG_KEY_FILE: keyFile })).code).toBe(0);
    const asPassphrase = await withPassphrase(['status', '--data', data], 'quay bollard heron');
    expect(asPassphrase.stderr).toMatch(/opens with a key file/);
  });
});
