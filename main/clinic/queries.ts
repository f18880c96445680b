import type { Clinic } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';
import { homeClinicId } from '../ledger/home.js';
import { clinicWithFirstManager, findClinic } from '../views/clinic.js';

/**
 * This device's clinic (the home clinic: trusted clinics' genesis entries are stored here too):
 * its id and founding device; null before setup (or while joining).
 */
export function clinicIdentity(db: Db): { id: string; founder: string } | null {
  const home = homeClinicId(db);
  return home === null ? null : findClinic(db, home);
}

/** The clinic this data directory belongs to (from the views), or null before first-run setup. */
export function readClinic(db: Db): Clinic | null {
  const home = homeClinicId(db);
  if (home === null) return null;
  const row = clinicWithFirstManager(db, home);
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt,
    manager: { id: row.managerId, name: row.managerName, role: 'manager' },
  };
}
