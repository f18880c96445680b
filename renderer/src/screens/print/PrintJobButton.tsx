// A button that prints part of the record to a PDF as a job off main's thread
// (docs/architecture.md#printed-notes): its progress with Cancel while it runs, then the
// browser's download of the file, once, and a line saying what was printed or why not.
import { useState } from 'react';
import { JobProgress } from '../../kit/JobProgress.js';
import { Outcome } from '../../kit/Notice.js';
import type { OutcomeMessage } from '../../kit/Notice.js';
import { useJob } from '../../useJob.js';
import './print.css';

export function PrintJobButton(props: {
  readonly kind: 'note.pdf' | 'progress.pdf';
  readonly input: object;
  readonly label: string;
  /** What the job does, for the progress bar ("Printing the note"). */
  readonly doing: string;
  /** What was printed, for the line after it ("the note"). */
  readonly what: string;
}) {
  const [message, setMessage] = useState<OutcomeMessage>(null);
  const job = useJob(props.kind, props.input, (end) => {
    if (end.status === 'done')
      setMessage({
        error: false,
        text: end.download
          ? `Printed ${props.what} to a PDF (${end.download.name}).`
          : `Printed ${props.what}, but this window cannot download files.`,
      });
    else if (end.status === 'failed') setMessage({ error: true, text: end.message ?? `Could not print ${props.what}.` });
    else setMessage({ error: false, text: 'Printing cancelled.' });
  });
  const error: OutcomeMessage = job.error ? { error: true, text: job.error } : null;
  return (
    <div className="print-job">
      <button
        type="button"
        className="secondary"
        disabled={job.running}
        onClick={() => {
          setMessage(null);
          void job.start();
        }}
      >
        {job.running ? 'Printing…' : props.label}
      </button>
      {job.running && job.state && <JobProgress label={props.doing} state={job.state} unit="pages" onCancel={() => void job.cancel()} />}
      <Outcome message={error ?? message} />
    </div>
  );
}
