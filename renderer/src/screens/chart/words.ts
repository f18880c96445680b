// How the chart view writes its days and statuses (docs/architecture.md#dates-times-and-the-clinic-locale).
import type { GoalStatus } from '../../../../shared/ledger/kinds/notes.js';
import { dateOnly } from '../../format.js';

/** A `YYYY-MM-DD` day of service in the clinic's locale; read at noon UTC, so it is that day wherever this computer is. */
export const dayText = (day: string): string => dateOnly.format(Date.parse(`${day}T12:00:00Z`));

export const GOAL_STATUS_NAMES: Readonly<Record<GoalStatus, string>> = {
  progressing: 'Progressing',
  met: 'Met',
  not_met: 'Not met',
  discontinued: 'Discontinued',
};
