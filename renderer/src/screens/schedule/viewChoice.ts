// The Schedule screen's view (day or week) and columns (all together, by therapist, by room),
// remembered per staff member on this computer (docs/architecture.md#remembered-view).
import { z } from 'zod';

export const ViewChoice = z.object({
  view: z.enum(['day', 'week']),
  groupBy: z.enum(['none', 'therapist', 'room']),
});
export type ViewChoice = z.infer<typeof ViewChoice>;

/** What a person sees until they choose otherwise: the whole clinic's week. */
export const DEFAULT_CHOICE: ViewChoice = { view: 'week', groupBy: 'none' };

/** The part of the Web Storage API used here (localStorage in the app; a stand-in in tests). */
export type ChoiceStorage = Pick<Storage, 'getItem' | 'setItem'>;

const key = (staffId: string) => `movelog.schedule.view.${staffId}`;

/** This staff member's last choice, or the default when there is none or it cannot be read. */
export function loadViewChoice(storage: ChoiceStorage | null, staffId: string): ViewChoice {
  let stored: string | null = null;
  try {
    stored = storage?.getItem(key(staffId)) ?? null;
  } catch {
    // Storage refused (disabled, or a sandboxed page): the default is a fine answer.
  }
  if (stored === null) return DEFAULT_CHOICE;
  try {
    const parsed = ViewChoice.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULT_CHOICE;
  } catch {
    return DEFAULT_CHOICE;
  }
}

/** Remembers the choice; a storage that refuses (full, disabled) only means it is not remembered. */
export function saveViewChoice(storage: ChoiceStorage | null, staffId: string, choice: ViewChoice): void {
  try {
    storage?.setItem(key(staffId), JSON.stringify(choice));
  } catch {
    // Not remembered; the screen works the same.
  }
}

/** The page's localStorage, or null where there is none. */
export function browserStorage(): ChoiceStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
