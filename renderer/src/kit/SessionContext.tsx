// The signed-in staff member for every screen of the app (Shell provides it), instead of a
// `session` prop passed down: who is signed in, their role, and the clinic's clock.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import type { Session } from '../../../shared/api/index.js';

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { readonly session: Session; readonly children: ReactNode }) {
  return <SessionContext value={session}>{children}</SessionContext>;
}

/** The signed-in session; only the signed-in app (below Shell) may ask. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() needs a <SessionProvider> above it');
  return session;
}
