import { useEffect, useState } from 'react';

/** Under this width (a phone, or a 1280 px laptop at 200 % zoom) a week of time columns is unreadable. */
const NARROW = '(max-width: 760px)';

/** Whether the window is narrow, following it as it is resized or zoomed. */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const change = () => setNarrow(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, []);
  return narrow;
}
