// Signing a clinical note (issue #15 item 9, docs/benchmarks.md#signing-a-note-benchsignmjs):
// `notes.sign` through dispatch, as the browser host runs it, for a charted daily note (four SOAP
// sections, pain, range of motion, a muscle grade, a LEFS questionnaire and three interventions):
// parse and score the input, fix the day and billing units, seal, sign, append in its own fsync'd
// transaction, reduce into the views and read the note back. Target: p99 ≤ 10 ms.
// Limit, measured in the same run: the same note's stored plaintext sealed (sealedDraft) and
// appended alone (`ledger.append`: sign + fsync + views), without the service around it. The ratio
// is limit p99 / notes.sign p99: 1 means the service adds nothing to the bare signed append.
// Usage: node bench/sign.mjs [--notes N] [--patients N] [--smoke]   (run `npm run build` first)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMovelog } from '../out/node/main/core.js';
import { sealedDraft } from '../out/node/main/ledger/sealedDraft.js';
import { dispatch } from '../out/node/main/services/dispatch.js';
import { benchOptions, ratio } from './options.mjs';

const options = benchOptions('node bench/sign.mjs [--notes N] [--patients N] [--smoke]', {
  notes: { full: 2_000, smoke: 20 },
  patients: { full: 50, smoke: 3 },
});
let clock = Date.UTC(2026, 10, 2, 8);
const movelog = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-bench-sign-')), () => clock, { warn() {}, error() {} });
const cli = { session: null, bridge: 'cli' };
const setup = await movelog.services['clinic.setup']({ clinicName: 'Bench', managerName: 'Bench Manager', passphrase: 'bench passphrase' }, cli);
const manager = { session: { staffId: setup.manager.id, role: 'manager' }, bridge: 'ws' };

async function call(name, input, ctx) {
  const result = await dispatch(movelog.services, name, input, ctx);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value;
}

const pt = await call('staff.add', { name: 'Priya Raman', role: 'therapist', licence: 'PT-1', passphrase: 'bench passphrase' }, manager);
const therapist = { session: { staffId: pt.id, role: 'therapist' }, bridge: 'ws' };
const type = (await call('schedule.defineType', { typeId: null, name: 'Follow-up', minutes: 45, category: 'follow_up', active: true }, manager))
  .typeId;
// Each note documents a visit of its own (billing names its visit), weekly from the first Monday.
const visitsEach = Math.ceil(options.notes / options.patients) + 1;
const patients = [];
for (let i = 0; i < options.patients; i++) {
  const { patientId } = await call(
    'patient.register',
    {
      confirmDuplicate: true,
      details: {
        givenName: `Bench${i}`,
        familyName: 'Patient',
        preferredName: null,
        dateOfBirth: '1980-01-01',
        sex: 'female',
        phone: null,
        email: null,
        address: null,
        emergencyContact: null,
        referralSource: null,
        insurance: null,
      },
    },
    manager,
  );
  const visits = (
    await call(
      'schedule.book',
      { patientId, therapistId: pt.id, roomId: null, typeId: type, start: clock + 3_600_000 + i * 600_000, weeks: visitsEach, allowConflict: true },
      manager,
    )
  ).map((v) => v.appointmentId);
  const episode = await call(
    'episodes.save',
    {
      patientId,
      episode: {
        referral: { provider: 'Dr. Ines Vogel', date: '2026-10-28' },
        diagnoses: [{ code: 'M25.561', text: 'Pain in right knee' }],
        bodyRegion: 'knee',
        start: '2026-11-01',
        end: null,
        plan: { visitsPerWeek: 2, weeks: 8, certFrom: '2026-11-01', certTo: '2026-12-31' },
        payer: { name: 'Medicare', rule: 'cms8' },
        goals: [{ term: 'long', text: 'Climb stairs without a rail', target: 'LEFS 60 or more', targetDate: '2026-12-31' }],
      },
    },
    therapist,
  );
  patients.push({ patientId, episodeId: episode.episode.episode, visits });
}

const note = (episodeId, i, appointmentId) => ({
  type: 'daily',
  appointmentId,
  episodeId,
  sections: {
    subjective: `Knee sore after stairs at work, ${3 + (i % 3)}/10 at worst; sleeping through the night now.`,
    objective: 'Active knee flexion measured supine with a goniometer; quadriceps lag on straight-leg raise has gone. Step-ups 15 cm × 3 × 10.',
    assessment: 'Range and strength improving as expected; stairs remain the limiting activity.',
    plan: 'Progress closed-chain strengthening to 20 cm step; review home program next visit.',
  },
  measures: [
    { kind: 'pain', side: 'right', site: 'knee', value: 3 + (i % 3) },
    { kind: 'rom', joint: 'knee', motion: 'flexion', side: 'right', mode: 'active', degrees: 100 + (i % 30) },
    { kind: 'mmt', muscle: 'knee_extensors', side: 'right', grade: '4' },
    { kind: 'outcome', instrument: 'lefs', items: Array.from({ length: 20 }, (_, k) => (i + k) % 5) },
  ],
  interventions: [
    { code: '97110', minutes: 23 },
    { code: '97140', minutes: 15 },
    { code: '97010', minutes: 10 },
  ],
});

function percentiles(samples) {
  samples.sort((a, b) => a - b);
  const at = (p) => samples[Math.min(samples.length - 1, Math.floor((samples.length * p) / 100))];
  return { p50: at(50), p99: at(99) };
}
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

// Warm both paths up (statement caches, JIT), then interleave them so both see the same machine.
const stored = [];
for (let i = 0; i < 5; i++) {
  const { patientId, episodeId, visits } = patients[i % patients.length];
  // On each patient's last visit (a second note there is confirmed): the measured notes use the others.
  stored.push((await call('notes.sign', { patientId, note: note(episodeId, i, visits.at(-1)), confirmSecondNote: true }, therapist)).body);
}
const signed = [];
const bare = [];
for (let i = 0; i < options.notes; i++) {
  clock += 60_000;
  const { patientId, episodeId, visits } = patients[i % patients.length];
  const visit = visits[Math.floor(i / patients.length)];
  let t = process.hrtime.bigint();
  await call('notes.sign', { patientId, note: note(episodeId, i, visit) }, therapist);
  signed.push(ms(t));
  const key = movelog.keystore.sealingKey(patientId);
  t = process.hrtime.bigint();
  movelog.ledger.append(sealedDraft(key, patientId, 'note.signed', stored[i % stored.length], pt.id));
  bare.push(ms(t));
}
const s = percentiles(signed);
const b = percentiles(bare);
const bytes = Buffer.byteLength(JSON.stringify(stored[0]));
console.log(
  `Note signing — Node ${process.version}, ${options.notes.toLocaleString('en-US')} notes over ${patients.length} patients, a ${bytes}-byte stored note (4 measures, 3 codes)`,
);
console.log(`limit: sealed note appended alone (sign + fsync + views): p50 ${b.p50.toFixed(2)} ms, p99 ${b.p99.toFixed(2)} ms`);
console.log(
  `notes.sign p99 (target ≤ 10 ms): p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, ${ratio(b.p99 / s.p99)} (limit p99 / measured p99)`,
);
movelog.close();
