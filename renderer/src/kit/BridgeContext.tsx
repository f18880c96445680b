// The bridge to main for everything below a provider, instead of a `bridge` prop on every
// component. App sets up the raw bridge; Workspace replaces it, for the signed-in app, with one
// that returns to sign-in when a call is answered "unauthenticated".
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import type { Bridge } from '../bridge.js';

const BridgeContext = createContext<Bridge | null>(null);

export function BridgeProvider({ bridge, children }: { readonly bridge: Bridge; readonly children: ReactNode }) {
  return <BridgeContext value={bridge}>{children}</BridgeContext>;
}

/** The nearest provider's bridge; a component used outside one is a programming error. */
export function useBridge(): Bridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge() needs a <BridgeProvider> above it');
  return bridge;
}
