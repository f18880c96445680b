// "Progress report (PDF)" on an episode of care (docs/architecture.md#printed-notes): the
// `progress.pdf` job, a report for the referring physician or the payer.
import { PrintJobButton } from './PrintJobButton.js';

export function ProgressReportButton({ patientId, episodeId }: { readonly patientId: string; readonly episodeId: string }) {
  return (
    <PrintJobButton
      kind="progress.pdf"
      input={{ patientId, episodeId }}
      label="Progress report (PDF)"
      doing="Printing the progress report"
      what="the progress report"
    />
  );
}
