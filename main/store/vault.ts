import { createCipheriv, createDecipheriv, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openAtomic } from './atomicFile.js';
import { z } from 'zod';

/**
 * The vault: the one file of a data folder that holds its secrets — the database key, the
 * keystore master key (it wraps every patient's data key), the device's Ed25519 signing key, and
 * the newest witnessed checkpoint this device has seen — encrypted (AES-256-GCM) under a key
 * that is never stored beside it: from the OS keychain through Electron safeStorage, from the
 * clinic passphrase (scrypt), or from an explicit key file (docs/architecture.md#the-vault).
 */
export const VAULT_FILE = 'movelog.vault';

/** The newest checkpoint of this device's chain that other devices witnessed (docs/architecture.md#rollback-and-truncation). */
export interface Witness {
  readonly size: number;
  readonly chain: string;
}

export interface VaultSecrets {
  /** The SQLCipher key of movelog.db (32 bytes). */
  readonly dbKey: Buffer;
  /** The keystore master key that wraps patients' data keys (32 bytes). */
  readonly masterKey: Buffer;
  /** The device's Ed25519 private key, PKCS#8 DER. */
  readonly deviceKey: Buffer;
  readonly witness: Witness | null;
  /**
   * Whether the folder's database was created (false only between writing a new folder's vault and
   * creating its database): a vault whose database went missing after that refuses to start anew.
   */
  readonly established: boolean;
}

/** How this process obtains the key that wraps the vault. */
export type Unlock =
  | { readonly kind: 'passphrase'; readonly passphrase: string }
  | { readonly kind: 'keyFile'; readonly file: string }
  | {
      readonly kind: 'safeStorage';
      /** Electron's safeStorage, backed by a real OS keychain (never Linux basic_text). */
      encrypt(plain: Buffer): Buffer;
      decrypt(sealed: Buffer): Buffer;
    };

export type VaultProblem = 'missing' | 'wrong-secret' | 'damaged' | 'wrong-kind' | 'no-secret' | 'weak';

/** The data folder cannot be opened; the message says why and what to do. Nothing was changed. */
export class VaultError extends Error {
  constructor(
    readonly problem: VaultProblem,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

/** What to do when the vault cannot be opened (docs/architecture.md#the-vault). */
export const RECOVERY =
  'To recover, restore the data folder from a backup ("movelog restore"), or set this computer up again as a new device of the clinic in an empty folder and let it sync back from the clinic\'s other computers.';

/** scrypt cost for the clinic passphrase: N = 2^17, r = 8, p = 1 (128 MiB, as OWASP recommends for scrypt). */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

const WrapHeader = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('passphrase'), kdf: z.literal('scrypt'), N: z.int(), r: z.int(), p: z.int(), salt: z.string() }),
  z.strictObject({ kind: z.literal('keyFile') }),
  z.strictObject({ kind: z.literal('safeStorage'), sealedKey: z.string() }),
]);
type WrapHeader = z.infer<typeof WrapHeader>;

const VaultFile = z.strictObject({
  format: z.literal('movelog-vault'),
  version: z.literal(1),
  wrap: WrapHeader,
  iv: z.string(),
  data: z.string(),
});
type VaultFile = z.infer<typeof VaultFile>;

const Contents = z.strictObject({
  dbKey: z.string().regex(/^[0-9a-f]{64}$/),
  masterKey: z.string().regex(/^[0-9a-f]{64}$/),
  deviceKey: z.string(),
  witness: z.strictObject({ size: z.int().positive(), chain: z.string() }).nullable(),
  established: z.boolean(),
});

const b64 = (b: Buffer) => b.toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64');

const KIND_WORDS: Record<Unlock['kind'], string> = {
  passphrase: 'the clinic passphrase (MOVELOG_CLINIC_PASSPHRASE, or asked for in a terminal)',
  keyFile: 'a key file (MOVELOG_KEY_FILE)',
  safeStorage: "this computer's keychain (the desktop app)",
};

/** Reads a key file: 32 raw bytes, or 64 hex digits (a trailing newline allowed). Readable by its owner only. */
export function readKeyFile(file: string): Buffer {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (error) {
    throw new VaultError('no-secret', `Cannot read the key file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new VaultError('no-secret', `The key file ${file} is readable by other users. Run "chmod 600 ${file}" and start again.`);
  }
  const text = raw.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (raw.length === 32) return raw;
  throw new VaultError('no-secret', `The key file ${file} must hold 32 random bytes (e.g. "head -c 32 /dev/urandom > ${file}") or 64 hex digits.`);
}

/** The key that encrypts the vault's contents, from the unlock source and the vault's header. */
function wrappingKey(unlock: Unlock, wrap: WrapHeader): Buffer {
  if (unlock.kind !== wrap.kind) {
    throw new VaultError('wrong-kind', `This data folder's vault opens with ${KIND_WORDS[wrap.kind]}, not with ${KIND_WORDS[unlock.kind]}.`);
  }
  if (unlock.kind === 'passphrase' && wrap.kind === 'passphrase') {
    if (wrap.N > 2 ** 20 || wrap.r > 16 || wrap.p > 4)
      throw new VaultError('damaged', 'The vault asks for an unreasonable passphrase cost; it was altered.');
    return scryptSync(unlock.passphrase.normalize('NFKC'), unb64(wrap.salt), 32, {
      N: wrap.N,
      r: wrap.r,
      p: wrap.p,
      maxmem: 256 * wrap.N * wrap.r,
    });
  }
  if (unlock.kind === 'keyFile') return readKeyFile(unlock.file);
  if (unlock.kind === 'safeStorage' && wrap.kind === 'safeStorage') {
    try {
      return unlock.decrypt(unb64(wrap.sealedKey));
    } catch (error) {
      throw new VaultError('wrong-secret', `This computer's keychain cannot open the vault (${(error as Error).message}). ${RECOVERY}`);
    }
  }
  throw new VaultError('wrong-kind', 'The vault and the unlock source disagree.');
}

/** A new wrapping header and its key for `unlock`. */
function newWrap(unlock: Unlock): { wrap: WrapHeader; key: Buffer } {
  if (unlock.kind === 'passphrase') {
    const wrap: WrapHeader = { kind: 'passphrase', kdf: 'scrypt', ...SCRYPT, salt: b64(randomBytes(16)) };
    return { wrap, key: wrappingKey(unlock, wrap) };
  }
  if (unlock.kind === 'keyFile') return { wrap: { kind: 'keyFile' }, key: readKeyFile(unlock.file) };
  const key = randomBytes(32);
  return { wrap: { kind: 'safeStorage', sealedKey: b64(unlock.encrypt(key)) }, key };
}

/** The authenticated header: everything but the ciphertext, so an altered cost, salt or kind fails to open. */
const aadOf = (wrap: WrapHeader) => Buffer.from(JSON.stringify({ format: 'movelog-vault', version: 1, wrap }));

function encode(secrets: VaultSecrets): Buffer {
  return Buffer.from(
    JSON.stringify({
      dbKey: secrets.dbKey.toString('hex'),
      masterKey: secrets.masterKey.toString('hex'),
      deviceKey: b64(secrets.deviceKey),
      witness: secrets.witness,
      established: secrets.established,
    }),
  );
}

function decode(plain: Buffer): VaultSecrets {
  const v = Contents.parse(JSON.parse(plain.toString('utf8')));
  return {
    dbKey: Buffer.from(v.dbKey, 'hex'),
    masterKey: Buffer.from(v.masterKey, 'hex'),
    deviceKey: unb64(v.deviceKey),
    witness: v.witness,
    established: v.established,
  };
}

/** Writes `parts` to a new file (0600) and flushes it to the disk before returning. */
export function writeFlushed(file: string, ...parts: (Buffer | string)[]): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    for (const part of parts) writeSync(fd, typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `parts` to `file` atomically (temporary file, fsync, rename, fsync of the folder),
 * readable by its owner only: `file` is either as it was or complete, never half-written.
 */
export function writeFileAtomic(file: string, ...parts: (Buffer | string)[]): void {
  const target = openAtomic(file);
  try {
    for (const part of parts) target.write(part);
    target.commit();
  } catch (error) {
    target.abort();
    throw error;
  }
}

/** An opened vault: its secrets, and the wrapping key (held in memory to record newer witnesses). */
export class Vault {
  private constructor(
    readonly file: string,
    private readonly wrap: WrapHeader,
    private readonly key: Buffer,
    private current: VaultSecrets,
  ) {}

  get secrets(): VaultSecrets {
    return this.current;
  }

  /** How the vault is unlocked (for status and the threat model's honesty about key files). */
  get kind(): Unlock['kind'] {
    return this.wrap.kind;
  }

  static exists(dir: string): boolean {
    return existsSync(join(dir, VAULT_FILE));
  }

  /** How the folder's vault is unlocked, read from its header without unlocking it (null: no readable vault). */
  static kindOf(dir: string): Unlock['kind'] | null {
    try {
      return VaultFile.parse(JSON.parse(readFileSync(join(dir, VAULT_FILE), 'utf8'))).wrap.kind;
    } catch {
      return null;
    }
  }

  /** Creates the vault of a new data folder (never over an existing one). */
  static create(dir: string, unlock: Unlock, secrets: VaultSecrets): Vault {
    const file = join(dir, VAULT_FILE);
    if (existsSync(file)) throw new Error(`${file} already exists`);
    const { wrap, key } = newWrap(unlock);
    const vault = new Vault(file, wrap, key, secrets);
    vault.save();
    return vault;
  }

  /** Opens the folder's vault; throws VaultError (with the recovery path) when it cannot. */
  static open(dir: string, unlock: Unlock): Vault {
    const file = join(dir, VAULT_FILE);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new VaultError(
          'missing',
          `The vault ${file} is missing, so the data in this folder cannot be opened. Movelog will not start a new clinic over it. ${RECOVERY}`,
        );
      }
      throw error;
    }
    return Vault.unseal(Vault.parse(text, file), unlock, file);
  }

  private static parse(text: string, file: string): VaultFile {
    try {
      return VaultFile.parse(JSON.parse(text));
    } catch {
      throw new VaultError('damaged', `The vault ${file} is damaged, or was written by a newer Movelog. ${RECOVERY}`);
    }
  }

  private static unseal(parsed: VaultFile, unlock: Unlock, file: string): Vault {
    const key = wrappingKey(unlock, parsed.wrap);
    let secrets: VaultSecrets;
    try {
      const data = unb64(parsed.data);
      const decipher = createDecipheriv('aes-256-gcm', key, unb64(parsed.iv));
      decipher.setAAD(aadOf(parsed.wrap));
      decipher.setAuthTag(data.subarray(data.length - 16));
      secrets = decode(Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]));
    } catch {
      throw new VaultError(
        'wrong-secret',
        unlock.kind === 'passphrase'
          ? 'The clinic passphrase is not the one this data folder was locked with (or its vault was altered). Check it and try again.'
          : `The vault ${file} does not open with ${KIND_WORDS[unlock.kind]}, or it was altered. ${RECOVERY}`,
      );
    }
    return new Vault(file, parsed.wrap, key, secrets);
  }

  /** Records a newer witnessed checkpoint (the vault is rewritten; an older or equal one is ignored). */
  recordWitness(witness: Witness): boolean {
    if (this.current.witness && this.current.witness.size >= witness.size) return false;
    this.current = { ...this.current, witness };
    this.save();
    return true;
  }

  /** Marks the folder's database as created (see VaultSecrets.established). */
  established(): this {
    this.current = { ...this.current, established: true };
    this.save();
    return this;
  }

  /** Locks the same secrets under another unlock source (a new passphrase, a key file, the keychain). */
  rewrap(unlock: Unlock): Vault {
    const { wrap, key } = newWrap(unlock);
    const vault = new Vault(this.file, wrap, key, this.current);
    vault.save();
    return vault;
  }

  /** The same secrets as the bytes of a vault file locked under `unlock`, without writing them anywhere (a backup's vault). */
  sealedFor(unlock: Unlock): Buffer {
    const { wrap, key } = newWrap(unlock);
    return new Vault(this.file, wrap, key, this.current).bytes();
  }

  /** Writes a vault file (a restored backup's) to `dir` after checking that it opens with `unlock`. */
  static restore(dir: string, bytes: Buffer, unlock: Unlock): Vault {
    const file = join(dir, VAULT_FILE);
    if (existsSync(file)) throw new Error(`${file} already exists`);
    const parsed = Vault.parse(bytes.toString('utf8'), file);
    const vault = Vault.unseal(parsed, unlock, file);
    writeFileAtomic(file, bytes);
    return vault;
  }

  /** Whether `other` holds the same database key (a vault belongs to one database). */
  sameDatabase(other: VaultSecrets): boolean {
    return timingSafeEqual(this.current.dbKey, other.dbKey);
  }

  private bytes(): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aadOf(this.wrap));
    const data = Buffer.concat([cipher.update(encode(this.current)), cipher.final(), cipher.getAuthTag()]);
    const body: VaultFile = { format: 'movelog-vault', version: 1, wrap: this.wrap, iv: b64(iv), data: b64(data) };
    return Buffer.from(JSON.stringify(body) + '\n');
  }

  private save(): void {
    writeFileAtomic(this.file, this.bytes());
  }
}

/**
 * The unlock source from the environment, for the CLI, the browser host and tests:
 * MOVELOG_KEY_FILE (an unattended sync box; docs/architecture.md#the-vault warns about it), else
 * MOVELOG_CLINIC_PASSPHRASE; null when neither is set (the CLI then asks in a terminal).
 */
export function unlockFromEnvironment(env: NodeJS.ProcessEnv = process.env): Unlock | null {
  if (env.MOVELOG_KEY_FILE) return { kind: 'keyFile', file: env.MOVELOG_KEY_FILE };
  if (env.MOVELOG_CLINIC_PASSPHRASE) return { kind: 'passphrase', passphrase: env.MOVELOG_CLINIC_PASSPHRASE };
  return null;
}

/** Overwrites a file with zeros, flushes and removes it (a secret that moved into the vault). */
export function shredFile(file: string): void {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'r+');
  try {
    shredOpenFile(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(file);
}

/** Overwrites an open file's contents with zeros and flushes them (the caller closes it). */
export function shredOpenFile(fd: number): void {
  const size = fstatSync(fd).size;
  const zeros = Buffer.alloc(Math.min(size, 1 << 20));
  for (let at = 0; at < size; at += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
  fsyncSync(fd);
}
