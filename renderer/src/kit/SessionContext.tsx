// The signed-in staff member for every screen of the app (Shell provides it), instead of a
// `session` prop passed down: who is signed in, their role, and the clinic's clock.
import type { Session } from '../../../shared/api/index.js';
import { requiredContext } from './requiredContext.js';

/** `<SessionProvider value={session}>` and `useSession()`; only the signed-in app (below Shell) may ask. */
export const [SessionProvider, useSession] = requiredContext<Session>('useSession', 'SessionProvider');
