// A React context that must have a provider above its readers: its provider, and a hook that
// throws (a programming error) instead of handing out a default. BridgeContext and
// SessionContext are two of these.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';

export function requiredContext<T>(hookName: string, providerName: string) {
  const Context = createContext<T | null>(null);
  function Provider({ value, children }: { readonly value: T; readonly children: ReactNode }) {
    return <Context value={value}>{children}</Context>;
  }
  Provider.displayName = providerName;
  function useRequired(): T {
    const value = useContext(Context);
    if (value === null) throw new Error(`${hookName}() needs a <${providerName}> above it`);
    return value;
  }
  return [Provider, useRequired] as const;
}
