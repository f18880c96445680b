// The re-certification reminder (docs/architecture.md#episodes-of-care): an open episode whose plan
// of care is certified until a day within the next 7, or already past, says so wherever it shows.
import type { StoredEpisode } from '../../../../shared/ledger/kinds/notes.js';
import { count, formatIsoDate } from '../../format.js';
import { recertification } from './model.js';

export function recertInWords(episode: StoredEpisode, today: string): string | null {
  const due = recertification(episode, today);
  if (!due) return null;
  const by = formatIsoDate(due.certTo);
  if (due.daysLeft < 0) return `Re-certification is overdue: the plan of care was certified until ${by}. Re-certify it with the referring provider.`;
  if (due.daysLeft === 0) return `Re-certification is due today: the plan of care is certified until ${by}.`;
  return `Re-certification is due in ${count(due.daysLeft, 'day', 'days')}: the plan of care is certified until ${by}.`;
}

export function RecertReminder({ episode, today }: { readonly episode: StoredEpisode; readonly today: string }) {
  const words = recertInWords(episode, today);
  if (!words) return null;
  return (
    <p className="recert-reminder" role="note" data-testid="recert-reminder">
      {words}
    </p>
  );
}
