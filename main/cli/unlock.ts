import { resolve } from 'node:path';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { passphraseProblem } from '../auth/passphrasePolicy.js';
import { unlockFromEnvironment, Vault } from '../store/vault.js';
import type { Unlock } from '../store/vault.js';
import { readSecret } from './secret.js';

/** The clinic passphrase's minimum length (the staff passphrases' rule, docs/architecture.md#staff-passphrases). */
const MIN_LENGTH = 10;

/** Thrown for anything the user can fix (main.ts prints it as one line). */
type UsageErrorClass = new (message: string) => Error;

/**
 * How the CLI opens a data folder's vault (docs/architecture.md#the-vault): MOVELOG_KEY_FILE, else
 * MOVELOG_CLINIC_PASSPHRASE, else asked for in a terminal (twice, and checked against the
 * passphrase policy, when it locks a new or not yet encrypted folder).
 */
export async function unlockFor(dataDir: string, UsageError: UsageErrorClass, options: { readonly creating?: boolean } = {}): Promise<Unlock> {
  const creating = options.creating ?? !Vault.exists(resolve(dataDir));
  const fromEnv = unlockFromEnvironment();
  if (fromEnv) {
    if (creating && fromEnv.kind === 'passphrase') await checkNew(fromEnv.passphrase, UsageError);
    return fromEnv;
  }
  if (!process.stdin.isTTY) {
    throw new UsageError(
      'This data folder is locked: give the clinic passphrase in MOVELOG_CLINIC_PASSPHRASE (or run the command in a terminal to be asked for it), or a key file in MOVELOG_KEY_FILE.',
    );
  }
  if (!creating)
    return { kind: 'passphrase', passphrase: await readSecret('MOVELOG_CLINIC_PASSPHRASE', 'Clinic passphrase (unlocks this data folder): ') };
  const prompt = `Choose the clinic passphrase that will lock ${resolve(dataDir)} (at least ${MIN_LENGTH} characters): `;
  return { kind: 'passphrase', passphrase: await askNewTwice('MOVELOG_CLINIC_PASSPHRASE', prompt, 'The clinic passphrase again: ', UsageError) };
}

/** A new clinic passphrase: MOVELOG_NEW_CLINIC_PASSPHRASE, or asked for twice in a terminal; checked like a new staff passphrase. */
export async function newClinicPassphrase(UsageError: UsageErrorClass): Promise<string> {
  const fromEnv = process.env.MOVELOG_NEW_CLINIC_PASSPHRASE;
  if (fromEnv) {
    await checkNew(fromEnv, UsageError);
    return fromEnv;
  }
  const prompt = `New clinic passphrase (at least ${MIN_LENGTH} characters): `;
  return askNewTwice('MOVELOG_NEW_CLINIC_PASSPHRASE', prompt, 'The new clinic passphrase again: ', UsageError);
}

/** Asks in the terminal for a new passphrase, checks it, and asks again to confirm it. */
async function askNewTwice(envName: string, prompt: string, again: string, UsageError: UsageErrorClass): Promise<string> {
  const passphrase = await readSecret(envName, prompt);
  await checkNew(passphrase, UsageError);
  if ((await readSecret(envName, again)) !== passphrase) throw new UsageError('The two passphrases differ; nothing was changed.');
  return passphrase;
}

async function checkNew(passphrase: string, UsageError: UsageErrorClass): Promise<void> {
  if (Array.from(passphrase).length < MIN_LENGTH) throw new UsageError(`The clinic passphrase must be at least ${MIN_LENGTH} characters long.`);
  const problem = await passphraseProblem(passphrase, ['movelog']);
  if (problem) throw new UsageError(problem);
}

/** Opens a data folder from the CLI: the vault unlocked as `unlockFor` says, then everything on it. */
export async function openFolder(
  dataDir: string,
  UsageError: UsageErrorClass,
  now?: () => number,
  options: { readonly checkPages?: boolean } = {},
): Promise<Movelog> {
  return openMovelog(dataDir, now, console, await unlockFor(dataDir, UsageError), options);
}
