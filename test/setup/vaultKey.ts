import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every data folder a test opens (in-process or through a spawned CLI, which inherits the
 * environment) is unlocked with one key file made for this run: the unattended-computer path of
 * docs/architecture.md#the-vault, which costs no scrypt per open. Tests of the clinic passphrase
 * set MOVELOG_CLINIC_PASSPHRASE and remove MOVELOG_KEY_FILE for their own processes.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'movelog-test-key-'));
  const file = join(dir, 'vault.key');
  writeFileSync(file, randomBytes(32), { mode: 0o600 });
  process.env.MOVELOG_KEY_FILE = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
