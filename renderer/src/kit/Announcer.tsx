// One polite live region for the whole window (docs/architecture.md#accessibility): what an action
// achieved ("Visit booked …", "Patient registered.") is said once, wherever focus went, without
// each screen growing its own region. It is a bare `aria-live="polite"` element, not
// role="status", so the screens' own status lines stay the only `status` roles on the page.
// WAI-ARIA 1.2 §6.6 live regions; WCAG 2.2 SC 4.1.3 Status Messages.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

type Announce = (message: string) => void;

// Without a provider (server-rendered markup tests) announcing does nothing.
const AnnounceContext = createContext<Announce>(() => undefined);

/** Says `message` through the window's live region. */
export const useAnnounce = (): Announce => useContext(AnnounceContext);

/**
 * The live region and its provider. A message replaces the last one; the region is emptied first
 * and filled a moment later so the same words said twice ("Checked in.") are heard twice.
 */
export function AnnouncerProvider({ children }: { readonly children: ReactNode }) {
  const [message, setMessage] = useState('');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const announce = useCallback<Announce>((next) => {
    window.clearTimeout(timer.current);
    setMessage('');
    timer.current = window.setTimeout(() => setMessage(next), 60);
  }, []);
  return (
    <AnnounceContext value={announce}>
      {children}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {message}
      </div>
    </AnnounceContext>
  );
}
