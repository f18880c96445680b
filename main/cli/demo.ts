import { NoteBody } from '../../shared/api/index.js';
import type { NoteInput, PatientDetails } from '../../shared/api/index.js';
import { instantAt, wallClock } from '../../shared/time.js';
import { clinicTimeZone } from '../clinic/staffQueries.js';
import type { Movelog } from '../core.js';
import { dispatch } from '../services/dispatch.js';
import { registerPatients } from '../services/patients.js';
import { signNote } from '../services/notes.js';
import { book, setStatus } from '../services/schedule.js';

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

const GIVEN = [
  'Olivia',
  'Liam',
  'María José',
  'Noah',
  'Amelia',
  'Mateo',
  'Zoë',
  'Elijah',
  'Aisha',
  'Lucas',
  'Chloé',
  'Ethan',
  'Sofía',
  'Oscar',
  'Mei',
  'Jack',
  'Ingrid',
  'Kwame',
  'Nora',
  'Luca',
];
const FAMILY = [
  'Smith',
  'Núñez-López',
  'Nguyen',
  'Okafor',
  'Johansson',
  'Patel',
  'Müller',
  'García',
  'Kowalski',
  "O'Brien",
  'Rossi',
  'Tanaka',
  'Dubois',
  'Haddad',
  'Fischer',
  'Silva',
  'Kim',
  'Andersen',
  'Moreau',
  'Walker',
];
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
      email:
        r() < 0.6
          ? `${given
              .toLowerCase()
              .normalize('NFD')
              .replace(/[^a-z]/g, '')}.${i}@example.org`
          : null,
      address: `${String(1 + Math.floor(r() * 200))} Harbour Road`,
      emergencyContact:
        r() < 0.7
          ? {
              name: `${pick(GIVEN)} ${family}`,
              phone: `555 ${String(100 + Math.floor(r() * 900))} 0000`,
              relationship: pick(['partner', 'parent', 'sibling', 'friend']),
            }
          : null,
      referralSource: pick(REFERRERS),
      insurance: r() < 0.8 ? { payer: pick(PAYERS), memberId: `M-${String(100000 + i)}` } : null,
    };
  });
}

/**
 * Seeds a realistic clinic through the same services the UI uses: a manager, therapists, an
 * assistant, front-desk staff and `patients` patients. Every staff member signs in with
 * DEMO_PASSPHRASE. Rooms, appointment types and about three weeks of past and future visits
 * (weekly series, with some visits completed, missed or cancelled) fill the schedule.
 */
const COMPLAINTS = [
  { area: 'lower back', finding: 'lumbar flexion limited to mid-shin, pain at end range', plan: 'core stability, walking programme 20 min daily' },
  { area: 'right knee', finding: 'knee flexion 110° active, quadriceps 4/5', plan: 'closed-chain strengthening, step-ups, cycling' },
  {
    area: 'left shoulder',
    finding: 'abduction 140° with painful arc, external rotation 4/5',
    plan: 'rotator cuff loading, posture, scapular setting',
  },
  { area: 'neck', finding: 'cervical rotation 60° both sides, tender upper trapezius', plan: 'deep neck flexor training, workstation advice' },
  { area: 'right ankle', finding: 'dorsiflexion 8°, single-leg balance 12 s', plan: 'balance progression, calf raises, return-to-run plan' },
] as const;

/** A therapist's signed note for a completed demo visit: the first an evaluation, then daily notes with pain easing. */
function demoNote(patient: number, visit: number, appointmentId: string): NoteInput {
  const c = COMPLAINTS[patient % COMPLAINTS.length] ?? COMPLAINTS[0];
  const pain = Math.max(1, 7 - visit * 2 + (patient % 2));
  return visit === 0
    ? {
        type: 'evaluation',
        appointmentId,
        subjective: `Referred for ${c.area} pain for six weeks; worse after sitting and on waking.`,
        objective: `${c.finding[0]?.toUpperCase() ?? ''}${c.finding.slice(1)}.`,
        assessment: `Mechanical ${c.area} pain with reduced function; good prognosis.`,
        plan: `Weekly physiotherapy for 4 weeks: ${c.plan}. Home exercises given.`,
        pain,
      }
    : {
        type: 'daily',
        appointmentId,
        subjective: `Reports ${c.area} easier since last visit; home exercises done most days.`,
        objective: `Reassessed: ${c.finding}. Treatment: manual therapy and exercise progression.`,
        assessment: 'Progressing towards goals.',
        plan: `Continue ${c.plan}.`,
        pain,
      };
}

export async function seedDemo(
  movelog: Movelog,
  patients = 200,
  now = Date.now(),
): Promise<{ clinicId: string; staff: number; patients: number; appointments: number; notes: number }> {
  const ctx = { session: null, bridge: 'cli' as const, connection: 'demo' };
  const setup = await dispatch(
    movelog.services,
    'clinic.setup',
    { clinicName: 'Harbour Physiotherapy & Rehab', managerName: 'Lee Chen', passphrase: DEMO_PASSPHRASE },
    ctx,
  );
  if (!setup.ok) throw new Error(setup.error.message);
  const clinic = setup.value as { id: string; manager: { id: string } };
  const manager = { session: { staffId: clinic.manager.id, role: 'manager' as const }, bridge: 'cli' as const, connection: 'demo' };
  const staffIds: { id: string; role: string }[] = [];
  for (const s of STAFF) {
    const added = await dispatch(movelog.services, 'staff.add', { ...s, passphrase: DEMO_PASSPHRASE }, manager);
    if (!added.ok) throw new Error(added.error.message);
    staffIds.push({ id: (added.value as { id: string }).id, role: s.role });
  }
  const call = async (name: 'schedule.defineRoom' | 'schedule.defineType', input: unknown) => {
    const result = await dispatch(movelog.services, name, input, manager);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as { roomId?: string; typeId?: string };
  };
  const rooms: string[] = [];
  for (const name of ['Table 1', 'Table 2', 'Table 3', 'Gym', 'Hydrotherapy pool'])
    rooms.push((await call('schedule.defineRoom', { roomId: null, name, active: true })).roomId ?? '');
  const evaluation =
    (await call('schedule.defineType', { typeId: null, name: 'Initial evaluation', minutes: 60, category: 'evaluation', active: true })).typeId ?? '';
  const followUp =
    (await call('schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true })).typeId ?? '';
  await call('schedule.defineType', { typeId: null, name: 'Re-evaluation', minutes: 45, category: 're_evaluation', active: true });

  // Opening hours (docs/architecture.md#schedule): weekdays 08:00–18:00 and Saturday mornings,
  // so booking outside them asks for a confirmation and the booking form suggests times inside them.
  const hours = await dispatch(
    movelog.services,
    'settings.update',
    {
      openingHours: [...[1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })), { weekday: 6, start: '09:00', end: '13:00' }],
    },
    manager,
  );
  if (!hours.ok) throw new Error(hours.error.message);

  const deps = { ledger: movelog.ledger, keystore: movelog.keystore, now: () => now };
  const ids = registerPatients(deps, demoPatients(patients), clinic.manager.id);
  const therapists = staffIds.filter((s) => s.role === 'therapist').map((s) => s.id);
  const desk = {
    session: { staffId: staffIds.find((s) => s.role === 'front_desk')?.id ?? clinic.manager.id, role: 'front_desk' as const },
    bridge: 'cli' as const,
  };
  // Each therapist sees patients on the hour, 08:00–16:00 clinic time on weekdays: an evaluation,
  // then a weekly series of follow-ups, starting two weeks ago so the past has history.
  const r = random(99);
  const zone = clinicTimeZone(movelog.db);
  const today = wallClock(now, zone);
  const [y = 1970, m = 1, d = 1] = today.date.split('-').map(Number);
  const monday = Date.UTC(y, m - 1, d) - (today.weekday - 1 + 14) * 86_400_000;
  const dateOf = (day: number) => new Date(monday + day * 86_400_000).toISOString().slice(0, 10);
  let appointments = 0;
  let notes = 0;
  let p = 0;
  for (let t = 0; t < therapists.length; t++) {
    for (let day = 0; day < 5; day++) {
      for (let hour = 8; hour < 16; hour += 1) {
        if (r() < 0.35 || p >= ids.length) continue;
        const start = instantAt(dateOf(day), `${String(hour).padStart(2, '0')}:00`, zone);
        const patient = p++;
        const patientId = ids[patient] ?? '';
        const therapist = { session: { staffId: therapists[t] ?? '', role: 'therapist' as const }, bridge: 'cli' as const };
        const made = book(
          deps,
          {
            patientId,
            therapistId: therapists[t] ?? '',
            roomId: rooms[(t + hour) % 3] ?? null,
            typeId: hour === 8 ? evaluation : followUp,
            start,
            weeks: 4,
            allowConflict: false,
            // The series starts two weeks ago: the demo records those past visits on purpose.
            allowPast: true,
          },
          desk,
        );
        appointments += made.length;
        let charted = 0;
        for (const visit of made.filter((v) => v.end < now)) {
          const outcome = r();
          const status = outcome < 0.85 ? 'completed' : outcome < 0.93 ? 'no_show' : 'cancelled';
          if (status === 'completed') setStatus(deps, { appointmentId: visit.appointmentId, status: 'checked_in', reason: null, scope: 'one' }, desk);
          setStatus(
            deps,
            { appointmentId: visit.appointmentId, status, reason: status === 'cancelled' ? 'Patient unwell' : null, scope: 'one' },
            desk,
          );
          if (status === 'completed') {
            signNote(deps, { patientId, note: NoteBody.parse(demoNote(patient, charted++, visit.appointmentId)) }, therapist);
            notes += 1;
          }
        }
      }
    }
  }
  return { clinicId: clinic.id, staff: STAFF.length + 1, patients: ids.length, appointments, notes };
}
