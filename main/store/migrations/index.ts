import type { Migration } from '../migrate.js';
import { m0001Ledger } from './0001_ledger.js';

/** Every migration, in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [m0001Ledger];
