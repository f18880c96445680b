// What just happened, announced politely (role="status"): "Note signed.", "Removed …".
// `Outcome` is the one-line result of an action that may have failed: an error box, or a status.
import type { ReactNode } from 'react';
import { FormError } from './FormError.js';

/** A highlighted notice (`.notice`); nothing when there is none. */
export function Notice({ children }: { readonly children?: ReactNode }) {
  if (children === null || children === undefined || children === '' || children === false) return null;
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

/** An action's result: `{ error: true }` shows as a FormError, otherwise as a plain status line. */
export type OutcomeMessage = { readonly error: boolean; readonly text: string } | null;

export function Outcome({ message }: { readonly message: OutcomeMessage }) {
  if (!message) return null;
  return message.error ? <FormError message={message.text} /> : <p role="status">{message.text}</p>;
}
