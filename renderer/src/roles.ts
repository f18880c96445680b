import type { Role } from '../../shared/api/index.js';

/** How each role is named on screen. */
export const ROLE_NAMES: Readonly<Record<Role, string>> = { manager: 'Manager', therapist: 'Therapist', assistant: 'Assistant', front_desk: 'Front desk' };
