import type { Movelog } from '../core.js';

/** The details of "<given> Tester", born 1980-01-01, with nothing else known. */
export const testPatientDetails = (given: string) => ({
  givenName: given,
  familyName: 'Tester',
  preferredName: null,
  dateOfBirth: '1980-01-01',
  sex: 'female' as const,
  phone: null,
  email: null,
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
});

/** Registers "<given> Tester", born 1980-01-01, through the API on `connection` (signed in as front desk or manager); returns the id. */
export async function registerTestPatient(m: Movelog, connection: string, given: string): Promise<string> {
  const result = await m.invoke(connection, 'ws', 'patient.register', { confirmDuplicate: true, details: testPatientDetails(given) });
  if (!result.ok) throw new Error(`could not register ${given}: ${result.error.message}`);
  return (result.value as { patientId: string }).patientId;
}
