// A modal dialog on the native <dialog> element (docs/architecture.md#accessibility; WAI-ARIA
// Authoring Practices, Dialog (Modal) pattern): showModal() makes the rest of the window inert, so
// Tab stays inside, Escape ("cancel") closes it through `onClose`, and on closing focus goes back
// to where the person was: the element focused when it opened, or when that is gone (the calendar
// drew the visit anew) the one `returnFocus` finds.
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ReactNode, RefObject } from 'react';

export function Dialog(props: {
  /** The dialog's accessible name. */
  readonly label: string;
  readonly onClose: () => void;
  /** The element to focus on opening; else one marked `data-autofocus` inside; else the browser's choice, the first focusable one. */
  readonly initialFocus?: RefObject<HTMLElement | null>;
  /** Where focus goes after closing when the element focused before opening is gone. */
  readonly returnFocus?: () => HTMLElement | null;
  readonly className?: string;
  readonly children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  const returnFocus = useRef(props.returnFocus);
  useLayoutEffect(() => {
    onClose.current = props.onClose;
    returnFocus.current = props.returnFocus;
  });
  const initialFocus = props.initialFocus;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    (initialFocus?.current ?? dialog.querySelector<HTMLElement>('[data-autofocus]'))?.focus();
    const cancel = (event: Event) => {
      // Escape: React unmounts the dialog rather than the browser closing it behind React's back.
      event.preventDefault();
      onClose.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      // After React has removed the dialog (and the calendar has had its render), go back: to the
      // opener when it is still there, else to what `returnFocus` finds in its place.
      window.requestAnimationFrame(() => {
        // Unless the screen has already put focus somewhere (the visit just booked).
        if (document.activeElement && document.activeElement !== document.body) return;
        const target = opener?.isConnected && opener !== document.body ? opener : (returnFocus.current?.() ?? null);
        target?.focus();
      });
    };
  }, [initialFocus]);

  return (
    <dialog ref={ref} aria-label={props.label} className={['dialog', props.className].filter(Boolean).join(' ')}>
      {props.children}
    </dialog>
  );
}
