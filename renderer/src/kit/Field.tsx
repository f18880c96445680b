// One labelled control with its hint and its error. The error paragraph has an id and the control
// names it in `aria-describedby` (with the hint), and `aria-invalid` is set while there is an
// error, so a screen reader reads the problem with the field (WCAG 2.2, 3.3.1 Error
// Identification; ARIA 1.2 aria-describedby / aria-invalid).
import type { ReactNode } from 'react';

/** What the control must carry; spread it on the input, select or textarea. */
export interface FieldControl {
  readonly id: string;
  readonly 'aria-invalid': true | undefined;
  readonly 'aria-describedby': string | undefined;
}

/** The ids a field's hint and error get: derived from the control's id. */
export const hintId = (id: string) => `${id}-hint`;
export const errorId = (id: string) => `${id}-error`;

/** The control's accessibility attributes for a field with (or without) a hint and an error. */
export function fieldControl(id: string, opts: { readonly hint: boolean; readonly error: boolean }): FieldControl {
  const describedBy = [opts.hint ? hintId(id) : null, opts.error ? errorId(id) : null].filter((s) => s !== null);
  return { id, 'aria-invalid': opts.error ? true : undefined, 'aria-describedby': describedBy.length > 0 ? describedBy.join(' ') : undefined };
}

const present = (error: string | null | undefined): error is string => error !== null && error !== undefined && error !== '';

export function Field(props: {
  readonly id: string;
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string | null;
  /** "alert" when the error should be announced as soon as it appears (no submit button nearby). */
  readonly errorRole?: 'alert';
  /** A wrapper element's class (e.g. `field`); without it the parts are laid out by the form itself. */
  readonly className?: string;
  /** Renders the control, given the attributes that wire it to its label, hint and error. */
  readonly children: (control: FieldControl) => ReactNode;
}) {
  const { id, hint, error } = props;
  const hasHint = hint !== undefined && hint !== null;
  const parts = (
    <>
      <label htmlFor={id}>{props.label}</label>
      {props.children(fieldControl(id, { hint: hasHint, error: present(error) }))}
      {hasHint && (
        <p id={hintId(id)} className="hint">
          {hint}
        </p>
      )}
      {present(error) && (
        <p id={errorId(id)} className="field-error" role={props.errorRole}>
          {error}
        </p>
      )}
    </>
  );
  return props.className ? <div className={props.className}>{parts}</div> : parts;
}
