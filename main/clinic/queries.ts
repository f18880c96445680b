import type { Clinic } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';
import { homeClinicId } from '../ledger/home.js';

interface ClinicRow {
  id: string;
  name: string;
  created_at: number;
  manager_id: string;
  manager_name: string;
}

/**
 * This device's clinic (the home clinic: trusted clinics' genesis entries are stored here too):
 * its id and founding device; null before setup (or while joining).
 */
export function clinicIdentity(db: Db): { id: string; founder: string } | null {
  const home = homeClinicId(db);
  if (home === null) return null;
  return db.prepare<[string], { id: string; founder: string }>('SELECT id, founder FROM view_clinic WHERE id = ?').get(home) ?? null;
}

/** The clinic this data directory belongs to (from the views), or null before first-run setup. */
export function readClinic(db: Db): Clinic | null {
  const home = homeClinicId(db);
  if (home === null) return null;
  const row = db
    .prepare<[string], ClinicRow>(
      `SELECT c.id, c.name, c.created_at, s.id AS manager_id, s.name AS manager_name
         FROM view_clinic c JOIN view_staff s ON s.clinic_id = c.id AND s.role = 'manager'
        WHERE c.id = ? ORDER BY s.created_at, s.id LIMIT 1`,
    )
    .get(home);
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    manager: { id: row.manager_id, name: row.manager_name, role: 'manager' },
  };
}
