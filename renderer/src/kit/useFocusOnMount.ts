// A view that replaces the one the person was in (a patient's record after the list, the
// registration form after its button) takes focus on its heading, so the keyboard and the screen
// reader start at the top of what is new instead of on a button that no longer exists
// (docs/architecture.md#accessibility; WCAG 2.2 SC 2.4.3 Focus Order). The heading needs
// tabIndex={-1}.
import { useEffect, useRef } from 'react';

export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
