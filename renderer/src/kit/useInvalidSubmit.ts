// After a submit that found problems: focus goes to the first invalid field (its error is read
// with it, through the Field's aria-describedby) and the count is announced, so nobody is left on
// a submit button that did nothing (docs/architecture.md#accessibility; WCAG 2.2 SC 3.3.1 Error
// Identification, 3.3.3 Error Suggestion; GOV.UK-style "focus the first error").
import { useCallback, useEffect, useRef, useState } from 'react';
import { useAnnounce } from './Announcer.js';

/** `problems(n)` after a refused submit: `n` fields marked invalid (0 when the form shows one error of its own). */
export function useInvalidSubmit<T extends HTMLElement = HTMLFormElement>() {
  const formRef = useRef<T>(null);
  const announce = useAnnounce();
  const [tick, setTick] = useState<{ n: number; count: number } | null>(null);
  useEffect(() => {
    if (!tick) return;
    const form = formRef.current;
    const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('.form-error') ?? null;
    if (first) {
      if (!first.matches('input, select, textarea, button')) first.tabIndex = -1;
      first.focus();
    }
    // A form-level error is a role=alert of its own; fields are counted here.
    if (tick.count > 0) announce(tick.count === 1 ? 'One field needs attention.' : `${tick.count} fields need attention.`);
  }, [tick, announce]);
  const problems = useCallback((count: number) => setTick((t) => ({ n: (t?.n ?? 0) + 1, count })), []);
  return { formRef, problems };
}
