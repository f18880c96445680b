import type { Movelog } from '../core.js';

/** Registers "<given> Tester", born 1980-01-01, through the API on `connection` (signed in as front desk or manager); returns the id. */
export async function registerTestPatient(m: Movelog, connection: string, given: string): Promise<string> {
  const result = await m.invoke(connection, 'ws', 'patient.register', {
    confirmDuplicate: true,
    details: {
      givenName: given,
      familyName: 'Tester',
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
  });
  if (!result.ok) throw new Error(`could not register ${given}: ${result.error.message}`);
  return (result.value as { patientId: string }).patientId;
}
