import type { PatientDetails } from '../../shared/api/index.js';
import type { Movelog } from '../core.js';
import { dispatch } from '../services/dispatch.js';
import { registerPatients } from '../services/patients.js';

/** The passphrase every demo staff member signs in with (printed by `movelog demo`). */
export const DEMO_PASSPHRASE = 'movelog demo passphrase';

const STAFF = [
  { name: 'Priya Raman', role: 'therapist', licence: 'PT-204417' },
  { name: 'Tomás Okafor', role: 'therapist', licence: 'PT-198342' },
  { name: 'Hannah Lindqvist', role: 'therapist', licence: 'PT-221903' },
  { name: 'Jordan Reyes', role: 'assistant', licence: 'PTA-55120' },
  { name: 'Fran Ortiz', role: 'front_desk', licence: null },
  { name: 'Sam Whitaker', role: 'front_desk', licence: null },
] as const;

const GIVEN = ['Olivia', 'Liam', 'María José', 'Noah', 'Amelia', 'Mateo', 'Zoë', 'Elijah', 'Aisha', 'Lucas', 'Chloé', 'Ethan', 'Sofía', 'Oscar', 'Mei', 'Jack', 'Ingrid', 'Kwame', 'Nora', 'Luca'];
const FAMILY = ['Smith', 'Núñez-López', 'Nguyen', 'Okafor', 'Johansson', 'Patel', 'Müller', 'García', 'Kowalski', "O'Brien", 'Rossi', 'Tanaka', 'Dubois', 'Haddad', 'Fischer', 'Silva', 'Kim', 'Andersen', 'Moreau', 'Walker'];
const REFERRERS = ['Dr Patel (GP)', 'Dr Lindgren (orthopaedics)', 'Self-referred', 'Harbour Sports Club', 'Dr Mensah (neurology)'];
const PAYERS = ['Northwind Health', 'Contoso Mutual', 'Fabrikam Care'];

/** A deterministic pseudo-random sequence (mulberry32), so every demo clinic looks the same. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function demoPatients(count: number, seed = 2026): PatientDetails[] {
  const r = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const year = 1940 + Math.floor(r() * 66);
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    const phone = `555 ${String(100 + Math.floor(r() * 900))} ${String(1000 + i).padStart(4, '0')}`;
    return {
      givenName: given,
      familyName: family,
      preferredName: r() < 0.1 ? given.slice(0, 3) : null,
      dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      sex: r() < 0.5 ? 'female' : 'male',
      phone,
      email: r() < 0.6 ? `${given.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${i}@example.org` : null,
      address: `${String(1 + Math.floor(r() * 200))} Harbour Road`,
      emergencyContact: r() < 0.7 ? { name: `${pick(GIVEN)} ${family}`, phone: `555 ${String(100 + Math.floor(r() * 900))} 0000`, relationship: pick(['partner', 'parent', 'sibling', 'friend']) } : null,
      referralSource: pick(REFERRERS),
      insurance: r() < 0.8 ? { payer: pick(PAYERS), memberId: `M-${String(100000 + i)}` } : null,
    };
  });
}

/**
 * Seeds a realistic clinic through the same services the UI uses: a manager, therapists, an
 * assistant, front-desk staff and `patients` patients. Every staff member signs in with
 * DEMO_PASSPHRASE. (Appointments join when the schedule lands.)
 */
export async function seedDemo(movelog: Movelog, patients = 200): Promise<{ clinicId: string; staff: number; patients: number }> {
  const ctx = { session: null, bridge: 'cli' as const, connection: 'demo' };
  const setup = await dispatch(movelog.services, 'clinic.setup', { clinicName: 'Harbour Physiotherapy & Rehab', managerName: 'Lee Chen', passphrase: DEMO_PASSPHRASE }, ctx);
  if (!setup.ok) throw new Error(setup.error.message);
  const clinic = setup.value as { id: string; manager: { id: string } };
  const manager = { session: { staffId: clinic.manager.id, role: 'manager' as const }, bridge: 'cli' as const, connection: 'demo' };
  for (const s of STAFF) {
    const added = await dispatch(movelog.services, 'staff.add', { ...s, passphrase: DEMO_PASSPHRASE }, manager);
    if (!added.ok) throw new Error(added.error.message);
  }
  const ids = registerPatients({ ledger: movelog.ledger, keystore: movelog.keystore }, demoPatients(patients), clinic.manager.id);
  return { clinicId: clinic.id, staff: STAFF.length + 1, patients: ids.length };
}
