import type { JobState } from '../../../shared/api/index.js';

/**
 * A running job's progress with its Cancel button (docs/architecture.md#long-work-off-the-main-thread):
 * a progressbar with aria-valuenow (or without it while the total is not known yet, which assistive
 * technology reads as "busy"), and `unit` words for its text ("1,200 of 6,000 entries").
 */
export function JobProgress({
  label,
  state,
  unit,
  onCancel,
}: {
  readonly label: string;
  readonly state: JobState;
  readonly unit: string;
  readonly onCancel: () => void;
}) {
  const known = state.total > 0;
  const done = Math.min(state.done, state.total);
  const text = known ? `${done.toLocaleString()} of ${state.total.toLocaleString()} ${unit}` : 'Starting…';
  return (
    <div className="job-progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? state.total : undefined}
        aria-valuenow={known ? done : undefined}
        aria-valuetext={text}
        className="job-progress-bar"
      >
        <div className="job-progress-fill" style={{ width: known ? `${String((100 * done) / state.total)}%` : '0%' }} />
      </div>
      <span className="job-progress-text">{text}</span>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
