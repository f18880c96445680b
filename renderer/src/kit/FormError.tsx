// A form's or a panel's error: the red box (`.form-error`), announced at once (role="alert").
// Renders nothing without a message, so callers pass the error state as it is.
import type { ReactNode } from 'react';

export function FormError(props: {
  /** The message; `children` instead when it has more than text (a button, a list). */
  readonly message?: string | null;
  readonly children?: ReactNode;
  /** `div` when the content holds block elements (a list). */
  readonly as?: 'p' | 'div';
}) {
  const content = props.children ?? props.message;
  if (content === null || content === undefined || content === '' || content === false) return null;
  const Tag = props.as ?? 'p';
  return (
    <Tag className="form-error" role="alert">
      {content}
    </Tag>
  );
}
