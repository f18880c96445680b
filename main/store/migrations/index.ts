import type { Migration } from '../migrate.js';
import { m0001Clinic } from './0001_clinic.js';

/** Every migration, in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [m0001Clinic];
