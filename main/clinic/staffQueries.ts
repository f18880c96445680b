import type { StaffRow } from '../../shared/api/index.js';
import type { Role } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';

interface Row {
  id: string;
  name: string;
  role: Role;
  licence: string | null;
  active: number;
  created_at: number;
}

const toStaff = (r: Row): StaffRow => ({ id: r.id, name: r.name, role: r.role, licence: r.licence, active: r.active === 1, createdAt: r.created_at });

export function listStaff(db: Db): StaffRow[] {
  return db.prepare<[], Row>('SELECT id, name, role, licence, active, created_at FROM view_staff ORDER BY active DESC, name COLLATE NOCASE, id').all().map(toStaff);
}

export function findStaff(db: Db, id: string): StaffRow | null {
  const row = db.prepare<[string], Row>('SELECT id, name, role, licence, active, created_at FROM view_staff WHERE id = ?').get(id);
  return row ? toStaff(row) : null;
}

export function staffVerifier(db: Db, id: string): string | null {
  return db.prepare<[string], { verifier: string }>('SELECT verifier FROM view_credentials WHERE staff_id = ?').get(id)?.verifier ?? null;
}

export const DEFAULT_AUTO_LOCK_MINUTES = 5;

export function autoLockMinutes(db: Db): number {
  return db.prepare<[], { m: number }>('SELECT auto_lock_minutes AS m FROM view_settings LIMIT 1').get()?.m ?? DEFAULT_AUTO_LOCK_MINUTES;
}
