/**
 * Storage faults a person can act on, told apart from bugs (docs/architecture.md#faults): a full
 * disk and a damaged database file. Each has one message, written for the person at the computer,
 * that every caller (the services' dispatcher, the CLI, the Electron shell) shows as it is.
 */
export type StoreFault = 'full' | 'damaged';

/** SQLite result codes, as better-sqlite3 and the SQLCipher drop-in name them, per fault. */
function faultOfCode(code: unknown): StoreFault | null {
  if (typeof code !== 'string') return null;
  // SQLite maps ENOSPC on a write to SQLITE_FULL; node:fs reports ENOSPC for the key files.
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'full';
  // A damaged page: SQLite's own checks (SQLITE_CORRUPT and its extended codes), or, for an
  // encrypted database, a page whose HMAC does not match (SQLITE_NOTADB, "file is not a database").
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return 'damaged';
  return null;
}

/** Which storage fault `error` (or any error it wraps as `cause`) is, or null for anything else. */
export function storeFault(error: unknown): StoreFault | null {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const fault = faultOfCode((e as { code?: unknown }).code);
    if (fault) return fault;
  }
  return null;
}

export const DISK_FULL_MESSAGE =
  'The disk that holds Movelog’s data is full, so this was not saved. Everything saved before is still there. ' +
  'Free some space on this computer, then try again.';

export const DAMAGED_MESSAGE =
  'Movelog’s database in this data folder is damaged (a part of the file cannot be read back as it was written), ' +
  'so Movelog will not use it and has changed nothing. Restore the data folder from a backup, ' +
  'or set this device up again and let it receive the clinic’s records from its other devices.';

/** The message for a storage fault, or null when `error` is not one. */
export function describeStoreFault(error: unknown): string | null {
  const fault = storeFault(error);
  if (fault === 'full') return DISK_FULL_MESSAGE;
  if (fault === 'damaged') return DAMAGED_MESSAGE;
  return null;
}
