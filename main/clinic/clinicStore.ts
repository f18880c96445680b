import type { Db } from '../store/db.js';
import type { Clinic } from '../../shared/api/index.js';

interface ClinicRow {
  id: string;
  name: string;
  created_at: number;
  manager_id: string;
  manager_name: string;
}

/** The clinic this data directory belongs to, or null before first-run setup. */
export function readClinic(db: Db): Clinic | null {
  const row = db
    .prepare<[], ClinicRow>(
      `SELECT c.id, c.name, c.created_at, s.id AS manager_id, s.name AS manager_name
         FROM clinic c JOIN staff s ON s.clinic_id = c.id AND s.role = 'manager'
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

export interface NewClinic {
  readonly clinicId: string;
  readonly clinicName: string;
  readonly managerId: string;
  readonly managerName: string;
  readonly verifier: string;
  readonly at: number;
}

/** Writes the clinic and its first manager in one transaction; returns false if one exists. */
export function insertClinic(db: Db, c: NewClinic): boolean {
  return db.transaction(() => {
    const existing = db.prepare('SELECT 1 FROM clinic LIMIT 1').get();
    if (existing) return false;
    db.prepare('INSERT INTO clinic (id, name, created_at) VALUES (?, ?, ?)').run(c.clinicId, c.clinicName, c.at);
    db.prepare('INSERT INTO staff (id, clinic_id, name, role, verifier, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      c.managerId,
      c.clinicId,
      c.managerName,
      'manager',
      c.verifier,
      c.at,
    );
    return true;
  }).immediate();
}
