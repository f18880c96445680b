import { useEffect, useState } from 'react';

/**
 * The time now, refreshed every `everyMs` (render stays pure: the clock is read in an effect, not
 * while rendering). Forms use it to tell whether a chosen time has passed.
 */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
