// "Print note" on a signed note (docs/architecture.md#printed-notes): the `note.pdf` job.
import type { Note } from '../../../../shared/api/index.js';
import { PrintJobButton } from './PrintJobButton.js';

export function PrintNoteButton({ patientId, note }: { readonly patientId: string; readonly note: Note }) {
  // A note this computer cannot open has nothing to print.
  if (!note.readable) return null;
  return <PrintJobButton kind="note.pdf" input={{ patientId, note: note.hash }} label="Print note" doing="Printing the note" what="the note" />;
}
