/** Staff roles (docs/architecture.md#sign-in-sessions-and-roles). Every call in the contract names which of them may make it. */
export const ROLES = ['manager', 'therapist', 'assistant', 'front_desk'] as const;

export type Role = (typeof ROLES)[number];

/**
 * Who may make a call: `anyone` (no signed-in staff member needed, e.g. first-run setup) or a
 * list of roles.
 */
export type Access = 'anyone' | readonly Role[];
