// Fills a data directory with a clinic, `therapists` therapists (default 40) and `count`
// appointments in the week starting on `monday` (UTC): all therapists at once, in half-hour slots
// from 08:00, Monday to Friday; through the same services as the UI. Used by schedule.mjs and ui.mjs.
import { demoPatients } from '../out/node/main/cli/demo.js';
import { openMovelog } from '../out/node/main/core.js';
import { registerPatients } from '../out/node/main/services/patients.js';

export const BENCH_PASSPHRASE = 'bench passphrase';

export async function seedWeek(dir, count, monday, { therapists: therapistCount = 40 } = {}) {
  const m = openMovelog(dir, Date.now, { warn() {}, error() {} });
  const clinic = await m.services['clinic.setup'](
    { clinicName: 'Bench', managerName: 'Bench Manager', passphrase: BENCH_PASSPHRASE },
    { session: null, bridge: 'cli' },
  );
  const manager = { session: { staffId: clinic.manager.id, role: 'manager' }, bridge: 'cli' };
  const therapists = [];
  for (let i = 0; i < therapistCount; i++)
    therapists.push(
      (await m.services['staff.add']({ name: `Therapist ${i}`, role: 'therapist', licence: null, passphrase: BENCH_PASSPHRASE }, manager)).id,
    );
  const type = m.services['schedule.defineType'](
    { typeId: null, name: 'Follow-up', minutes: 30, category: 'follow_up', active: true },
    manager,
  ).typeId;
  const patients = registerPatients({ ledger: m.ledger, keystore: m.keystore }, demoPatients(count, 3), clinic.manager.id);
  for (let i = 0; i < count; i++) {
    const slot = Math.floor(i / therapistCount);
    const start = monday + (slot % 5) * 86_400_000 + 8 * 3_600_000 + Math.floor(slot / 5) * 1_800_000;
    // The week may have begun already (ui.mjs seeds this week): its past visits are recorded on purpose.
    m.services['schedule.book'](
      {
        patientId: patients[i],
        therapistId: therapists[i % therapistCount],
        roomId: null,
        typeId: type,
        start,
        weeks: 1,
        allowConflict: true,
        allowPast: true,
      },
      manager,
    );
  }
  return { movelog: m, therapists };
}
