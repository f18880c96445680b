import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../../shared/api/index.js';
import { getPatient, registerPatients } from '../../services/patients.js';
import { findPatient } from '../../views/patients.js';
import { rebuildViews, viewDigest } from '../rebuild.js';
import { foundClinic, tempLedger } from '../testing/fixtures.js';

afterEach(() => {
  vi.useRealTimers();
});

const details = {
  givenName: 'Noor',
  familyName: 'Haddad',
  preferredName: null,
  // Born "today" in the clock used below when registering.
  dateOfBirth: '2026-06-01',
  sex: 'female',
  phone: '+44 20 7946 0000',
  email: null,
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
} as const;

describe('stored patient entries', () => {
  it('reduce to the same view whatever day they are read: a birth date after "today" still opens', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-01T12:00:00Z'));
    const ledger = tempLedger();
    const clinic = foundClinic(ledger);
    const deps = { ledger, keystore: ledger.keystore };
    const [patientId] = registerPatients(deps, [details], clinic.managerId) as [string];
    const written = viewDigest(ledger.db);
    expect(findPatient(ledger.db, patientId)).toMatchObject({ readable: true, dateOfBirth: '2026-06-01', familyName: 'Haddad' });

    // A year earlier, the stored birth date lies in the future; typed in a form it would be refused.
    vi.setSystemTime(new Date('2025-06-01T12:00:00Z'));
    expect(api['patient.register'].input.safeParse({ details, confirmDuplicate: true }).success).toBe(false);
    rebuildViews(ledger.db, ledger.keystore);
    expect(viewDigest(ledger.db)).toBe(written);
    expect(findPatient(ledger.db, patientId)).toMatchObject({ readable: true, dateOfBirth: '2026-06-01' });

    // The record and its history read the same, and fit the call's output contract.
    const record = getPatient(deps, { patientId }, { session: { staffId: clinic.managerId, role: 'manager' }, bridge: 'cli' });
    expect(record.details).toEqual(details);
    expect(record.history.map((v) => v.details)).toEqual([details]);
    expect(api['patient.get'].output.safeParse(record).success).toBe(true);
  });
});
