// The bridge to main for everything below a provider, instead of a `bridge` prop on every
// component. main.tsx sets up the raw bridge; Workspace replaces it, for the signed-in app, with
// one that returns to sign-in when a call is answered "unauthenticated".
import type { Bridge } from '../bridge.js';
import { requiredContext } from './requiredContext.js';

/** `<BridgeProvider value={bridge}>` and `useBridge()`, the nearest provider's bridge. */
export const [BridgeProvider, useBridge] = requiredContext<Bridge>('useBridge', 'BridgeProvider');
