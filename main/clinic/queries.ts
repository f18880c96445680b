import type { Clinic } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';

interface ClinicRow {
  id: string;
  name: string;
  created_at: number;
  manager_id: string;
  manager_name: string;
}

/** The clinic's id and founding device, from its genesis alone; null before setup (or while joining). */
export function clinicIdentity(db: Db): { id: string; founder: string } | null {
  return db.prepare<[], { id: string; founder: string }>('SELECT id, founder FROM view_clinic LIMIT 1').get() ?? null;
}

/** The clinic this data directory belongs to (from the views), or null before first-run setup. */
export function readClinic(db: Db): Clinic | null {
  const row = db
    .prepare<[], ClinicRow>(
      `SELECT c.id, c.name, c.created_at, s.id AS manager_id, s.name AS manager_name
         FROM view_clinic c JOIN view_staff s ON s.clinic_id = c.id AND s.role = 'manager'
        ORDER BY s.created_at, s.id LIMIT 1`,
    )
    .get();
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    manager: { id: row.manager_id, name: row.manager_name, role: 'manager' },
  };
}
