import { api } from '../../shared/api/index.js';
import type { CallName, Role } from '../../shared/api/index.js';

/** How each role is named on screen. */
export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  manager: 'Manager',
  therapist: 'Therapist',
  assistant: 'Assistant',
  front_desk: 'Front desk',
};

/** A role as stored (any text, e.g. from another clinic's directory) named on screen. */
export function roleName(role: string): string {
  return Object.hasOwn(ROLE_NAMES, role) ? ROLE_NAMES[role as Role] : role;
}

/** Whether main lets this role make the call (shared/api's access list): for showing only what will work. */
export function mayCall(role: Role, name: CallName): boolean {
  const access = api[name].access;
  return access === 'anyone' || access.includes(role);
}

/**
 * Clinicians (therapists, assistants): the staff who sign clinical notes, so the ones with visits
 * of their own, weekly hours and a day of their own on the Today screen.
 */
export function isClinician(role: Role): boolean {
  return mayCall(role, 'notes.sign');
}

/**
 * Whether this role keeps other people's hours and time off, not only its own. Main's rule for
 * `schedule.setAvailability` / `addTimeOff` ("managers for anyone, therapists for themselves",
 * main/services/schedule.ts) is not an access list, so it is written here once.
 */
export function actsForOthers(role: Role): boolean {
  return role === 'manager';
}
