import { EpisodeInput, NoteBody } from '../../shared/api/index.js';
import { ICD10_CODES } from '../../shared/charting/icd10.js';
import { INSTRUMENTS } from '../../shared/charting/outcomes.js';
import type { NoteInput, PatientDetails } from '../../shared/api/index.js';
import { instantAt, wallClock } from '../../shared/time.js';
import { clinicTimeZone } from '../clinic/staffQueries.js';
import type { Movelog } from '../core.js';
import { dispatch } from '../services/dispatch.js';
import { registerPatients } from '../services/patients.js';
import { saveEpisode } from '../services/charting.js';
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

/**
 * How each complaint is charted (docs/architecture.md#episodes-of-care): its body region and
 * ICD-10-CM diagnosis (from the bundled list), the range of motion, muscle group and outcome
 * measure followed, from where to where over an episode, and its goals.
 */
const CHARTING = [
  {
    region: 'lumbar',
    diagnosis: 'M54.50',
    rom: { joint: 'thoracolumbar', motion: 'flexion', side: 'none', from: 50, to: 75 },
    mmt: { muscle: 'trunk_extensors', side: 'none' },
    outcome: 'odi',
    goals: ['Sit through a working morning without needing to stand', 'ODI 20% or less'],
  },
  {
    region: 'knee',
    diagnosis: 'M25.561',
    rom: { joint: 'knee', motion: 'flexion', side: 'right', from: 105, to: 130 },
    mmt: { muscle: 'knee_extensors', side: 'right' },
    outcome: 'lefs',
    goals: ['Climb a flight of stairs step over step without a rail', 'LEFS 60 or more'],
  },
  {
    region: 'shoulder',
    diagnosis: 'M75.42',
    rom: { joint: 'shoulder', motion: 'abduction', side: 'left', from: 140, to: 170 },
    mmt: { muscle: 'shoulder_abductors', side: 'left' },
    outcome: 'quickdash',
    goals: ['Reach the top kitchen shelf without pain', 'QuickDASH 20 or less'],
  },
  {
    region: 'cervical',
    diagnosis: 'M54.2',
    rom: { joint: 'cervical', motion: 'rotation', side: 'left', from: 55, to: 75 },
    mmt: { muscle: 'neck_flexors', side: 'none' },
    outcome: 'ndi',
    goals: ['Check the blind spot when driving without pain', 'NDI 10% or less'],
  },
  {
    region: 'ankle_foot',
    diagnosis: 'M25.571',
    rom: { joint: 'ankle', motion: 'dorsiflexion', side: 'right', from: 8, to: 18 },
    mmt: { muscle: 'ankle_dorsiflexors', side: 'right' },
    outcome: 'lefs',
    goals: ['Run 5 km without ankle pain', 'LEFS 70 or more'],
  },
] as const;

const GRADES = ['4-', '4-', '4', '4', '4+', '5'] as const;

/** YYYY-MM-DD `days` after `date`. */
const dayAfter = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The `n`th of a list, round and round. */
const pickFrom = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

/** The episode a patient's evaluation opens, starting on its day. */
function demoEpisode(patient: number, start: string) {
  const c = CHARTING[patient % CHARTING.length] ?? CHARTING[0];
  const diagnosis = ICD10_CODES.find((d) => d.code === c.diagnosis);
  return EpisodeInput.parse({
    referral: { provider: pickFrom(['Dr. Ines Vogel', 'Dr. Samuel Adeyemi', 'Dr. Mei Tanaka'], patient), date: dayAfter(start, -7) },
    diagnoses: [{ code: c.diagnosis, text: diagnosis?.text ?? c.diagnosis }],
    bodyRegion: c.region,
    start,
    end: null,
    plan: { visitsPerWeek: 1, weeks: 6, certFrom: start, certTo: dayAfter(start, 41) },
    payer: patient % 4 === 0 ? { name: 'Acme Health', rule: 'eights' } : { name: 'Medicare', rule: 'cms8' },
    goals: [
      { term: 'short', text: c.goals[0], target: 'Pain 3/10 or less while doing it', targetDate: dayAfter(start, 21) },
      { term: 'long', text: 'Back to usual activity without limitation', target: c.goals[1], targetDate: dayAfter(start, 41) },
    ],
  });
}

/** Item responses of an outcome measure at `level` of the way from worst (0) to best (1), varied by item. */
function outcomeItems(instrument: 'lefs' | 'odi' | 'ndi' | 'quickdash', level: number): number[] {
  const spec = INSTRUMENTS[instrument];
  const ability = instrument === 'lefs'; // LEFS counts what the patient can do; the others what they cannot
  return spec.items.map((_, k) => {
    const wobble = ((k * 7) % 5) / 10 - 0.2;
    const good = Math.min(1, Math.max(0, level + wobble));
    const x = ability ? good : 1 - good;
    return Math.round(spec.minResponse + x * (spec.maxResponse - spec.minResponse));
  });
}

/**
 * A therapist's signed note for a completed demo visit: the first an evaluation, the third a
 * progress note that sets the goals' statuses, the others daily notes; pain, range of motion,
 * strength and the outcome measure get better visit by visit, and each visit bills its minutes.
 */
function demoNote(patient: number, visit: number, appointmentId: string, episode: { id: string; goals: readonly string[] }): NoteInput {
  const c = COMPLAINTS[patient % COMPLAINTS.length] ?? COMPLAINTS[0];
  const k = CHARTING[patient % CHARTING.length] ?? CHARTING[0];
  const progress = Math.min(1, visit / 4);
  const pain = Math.max(1, 7 - visit * 2 + (patient % 2));
  const measures = [
    { kind: 'pain', side: k.rom.side, site: c.area, value: pain },
    {
      kind: 'rom',
      joint: k.rom.joint,
      motion: k.rom.motion,
      side: k.rom.side,
      mode: 'active',
      degrees: Math.round(k.rom.from + (k.rom.to - k.rom.from) * progress),
    },
    { kind: 'mmt', muscle: k.mmt.muscle, side: k.mmt.side, grade: GRADES[Math.min(GRADES.length - 1, visit + (patient % 2))] ?? '4' },
    { kind: 'outcome', instrument: k.outcome, items: outcomeItems(k.outcome, 0.25 + 0.5 * progress) },
  ];
  const base = { appointmentId, episodeId: episode.id, measures };
  if (visit === 0)
    return {
      ...base,
      type: 'evaluation',
      sections: {
        history: `Referred for ${c.area} pain for six weeks; worse after sitting and on waking. No red flags.`,
        systems: 'Cardiovascular and pulmonary unremarkable; skin intact; alert and oriented.',
        tests: `${c.finding[0]?.toUpperCase() ?? ''}${c.finding.slice(1)}.`,
        assessment: `Mechanical ${c.area} pain with reduced function; good prognosis.`,
        plan: `Weekly physiotherapy for 6 weeks: ${c.plan}. Home exercises given.`,
      },
      interventions: [
        { code: '97162', minutes: 30 },
        { code: '97110', minutes: 15 },
      ],
    };
  if (visit === 2)
    return {
      ...base,
      type: 'progress',
      sections: {
        subjective: `Reports ${c.area} much easier; back to most daily activities.`,
        objective: 'Re-measured; see measures.',
        assessment: 'Short-term goal met; progressing towards the long-term goal.',
        goals: 'Short-term goal met at this visit.',
        plan: `Continue ${c.plan}; reduce to fortnightly if progress holds.`,
      },
      goals: [
        { goal: episode.goals[0] ?? '', status: 'met' },
        { goal: episode.goals[1] ?? '', status: 'progressing' },
      ],
      interventions: [
        { code: '97110', minutes: 20 },
        { code: '97530', minutes: 10 },
      ],
    };
  return {
    ...base,
    type: 'daily',
    sections: {
      subjective: `Reports ${c.area} easier since last visit; home exercises done most days.`,
      objective: `Reassessed: ${c.finding}. Treatment: manual therapy and exercise progression.`,
      assessment: 'Progressing towards goals.',
      plan: `Continue ${c.plan}.`,
    },
    interventions: [
      { code: '97110', minutes: 23 },
      { code: '97140', minutes: 15 },
      { code: '97010', minutes: 10 },
    ],
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
        let episode: { id: string; goals: readonly string[] } | null = null;
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
            // The evaluation opens the episode of care on its day (docs/architecture.md#episodes-of-care).
            if (!episode) {
              const saved = saveEpisode(deps, { patientId, episode: demoEpisode(patient, wallClock(visit.start, zone).date) }, therapist).episode;
              episode = { id: saved?.episode ?? '', goals: saved?.goals.map((g) => g.id) ?? [] };
            }
            signNote(deps, { patientId, note: NoteBody.parse(demoNote(patient, charted++, visit.appointmentId, episode)) }, therapist);
            notes += 1;
          }
        }
      }
    }
  }
  return { clinicId: clinic.id, staff: STAFF.length + 1, patients: ids.length, appointments, notes };
}
