// The end of a form: the server's refusal (announced, role="alert"), optional lines below it
// (what the last submit achieved, announced politely; a reminder), and the submit button, disabled and relabelled while the call runs.
// Further buttons (Cancel, Back) come as children, in a `.row` with the submit when `row` is set.
import type { ReactNode } from 'react';
import { FormError } from './FormError.js';

export function SubmitBlock(props: {
  readonly error?: string | null;
  /** What the last submit achieved ("Saved."), as a status line. */
  readonly status?: string | null;
  /** Shown between the error (and status) and the buttons. */
  readonly note?: ReactNode;
  readonly label: string;
  readonly busy?: boolean;
  readonly busyLabel?: string;
  /** A destructive action (the red button). */
  readonly danger?: boolean;
  /** Lays the submit and the children out side by side. */
  readonly row?: boolean;
  readonly children?: ReactNode;
}) {
  const busy = props.busy ?? false;
  const buttons = (
    <>
      <button type="submit" className={props.danger ? 'danger' : undefined} disabled={busy}>
        {busy ? (props.busyLabel ?? props.label) : props.label}
      </button>
      {props.children}
    </>
  );
  return (
    <>
      <FormError message={props.error} />
      {props.status && <p role="status">{props.status}</p>}
      {props.note}
      {props.row ? <div className="row">{buttons}</div> : buttons}
    </>
  );
}
