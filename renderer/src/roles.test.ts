import { describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/api/index.js';
import { actsForOthers, isClinician, mayCall } from './roles.js';

describe('role checks', () => {
  it('follow shared/api access lists', () => {
    expect(ROLES.filter((r) => mayCall(r, 'patient.register'))).toEqual(['manager', 'front_desk']);
    expect(ROLES.filter((r) => mayCall(r, 'schedule.book'))).toEqual(['manager', 'front_desk']);
    expect(ROLES.filter((r) => mayCall(r, 'network.status'))).toEqual(['manager']);
    expect(ROLES.every((r) => mayCall(r, 'ledger.status'))).toBe(true);
  });

  it('name clinicians (therapists and assistants) and the role that acts for others (managers)', () => {
    expect(ROLES.filter(isClinician)).toEqual(['therapist', 'assistant']);
    expect(ROLES.filter(actsForOthers)).toEqual(['manager']);
  });
});
