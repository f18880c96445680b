// Fills a data directory with a clinic, 40 therapists and N appointments in the week starting on
// `monday` (UTC), 40 therapists × 5 days × half-hour slots, through the same service code as the UI.
import { demoPatients } from '../out/node/main/cli/demo.js';
import { openMovelog } from '../out/node/main/core.js';
import { registerPatients } from '../out/node/main/services/patients.js';
import { book } from '../out/node/main/services/schedule.js';

export const BENCH_PASSPHRASE = 'bench passphrase';

export async function seedWeek(dir, count, monday) {
  const m = openMovelog(dir, Date.now, { warn() {}, error() {} });
  const clinic = await m.services['clinic.setup'](
    { clinicName: 'Bench', managerName: 'Bench Manager', passphrase: BENCH_PASSPHRASE },
    { session: null, bridge: 'cli' },
  );
  const manager = { session: { staffId: clinic.manager.id, role: 'manager' }, bridge: 'cli' };
  const therapists = [];
  for (let i = 0; i < 40; i++)
    therapists.push(
      (await m.services['staff.add']({ name: `Therapist ${i}`, role: 'therapist', licence: null, passphrase: BENCH_PASSPHRASE }, manager)).id,
    );
  const type = m.services['schedule.defineType'](
    { typeId: null, name: 'Follow-up', minutes: 30, category: 'follow_up', active: true },
    manager,
  ).typeId;
  const deps = { ledger: m.ledger, keystore: m.keystore, now: Date.now };
  const patients = registerPatients(deps, demoPatients(count, 3), clinic.manager.id);
  for (let i = 0; i < count; i++) {
    const slot = Math.floor(i / 40);
    const start = monday + (slot % 5) * 86_400_000 + 8 * 3_600_000 + Math.floor(slot / 5) * 1_800_000;
    book(
      deps,
      { patientId: patients[i], therapistId: therapists[i % 40], roomId: null, typeId: type, start, weeks: 1, allowConflict: true },
      manager,
    );
  }
  return { movelog: m, therapists };
}
