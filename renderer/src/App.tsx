import { useCallback, useEffect, useState } from 'react';
import type { ApiError, Clinic } from '../../shared/api/index.js';
import type { Bridge } from './bridge.js';
import { useBridge } from './kit/BridgeContext.js';
import { Loading } from './kit/Loading.js';
import { ErrorPanel } from './screens/ErrorPanel.js';
import { Workspace } from './shell/Workspace.js';
import { Setup } from './screens/Setup.js';
import { JoinClinic, Joining } from './screens/JoinClinic.js';

type View =
  | { readonly kind: 'loading' }
  | { readonly kind: 'setup' }
  | { readonly kind: 'join' }
  | { readonly kind: 'joining' }
  | { readonly kind: 'home'; readonly clinic: Clinic }
  | { readonly kind: 'error'; readonly error: ApiError };

/** Opened without the token: there is no bridge to main. */
export function NoBridge() {
  return (
    <ErrorPanel
      title="Open Movelog from the address it printed"
      message="This page was opened without its access key. Use the full address Movelog printed when it started (it ends in #token=…)."
    />
  );
}

export function App() {
  const bridge = useBridge();
  const [view, setView] = useState<View>({ kind: 'loading' });
  const onReady = useCallback((clinic: Clinic) => setView({ kind: 'home', clinic }), []);

  useEffect(() => {
    let live = true;
    void loadView(bridge).then((next) => {
      if (live) setView(next);
    });
    return () => {
      live = false;
    };
  }, [bridge]);

  switch (view.kind) {
    case 'loading':
      return <Loading page>Opening Movelog…</Loading>;
    case 'error':
      return <ErrorPanel title="Movelog cannot continue" message={view.error.message} onRetry={() => void loadView(bridge).then(setView)} />;
    case 'setup':
      return <Setup onDone={(clinic) => setView({ kind: 'home', clinic })} onJoin={() => setView({ kind: 'join' })} />;
    case 'join':
      return <JoinClinic onJoined={() => setView({ kind: 'joining' })} onCancel={() => setView({ kind: 'setup' })} />;
    case 'joining':
      return <Joining onReady={onReady} />;
    case 'home':
      return <Workspace clinic={view.clinic} />;
  }
}

async function loadView(bridge: Bridge): Promise<View> {
  const result = await bridge.invoke('clinic.status', {});
  if (!result.ok) return { kind: 'error', error: result.error };
  switch (result.value.state) {
    case 'ready':
      return { kind: 'home', clinic: result.value.clinic };
    case 'joining':
      return { kind: 'joining' };
    case 'setup-required':
      return { kind: 'setup' };
  }
}
