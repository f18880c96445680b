import { useEffect, useMemo, useState } from 'react';
import type { Clinic, Session } from '../../../shared/api/index.js';
import type { Bridge } from '../bridge.js';
import { BridgeProvider, useBridge } from '../kit/BridgeContext.js';
import { Loading } from '../kit/Loading.js';
import { Shell } from './Shell.js';
import { SignIn } from './SignIn.js';

type State =
  | { readonly kind: 'loading' }
  | { readonly kind: 'signedOut'; readonly notice: string | null }
  | { readonly kind: 'signedIn'; readonly session: Session };

/**
 * Everything after setup: sign-in, then the app. Any call answered "unauthenticated" (the
 * session locked itself in main, or was ended by a manager) returns to sign-in, and unmounting
 * the app clears every patient's data from the screen.
 */
export function Workspace({ clinic }: { readonly clinic: Clinic }) {
  const bridge = useBridge();
  const [state, setState] = useState<State>({ kind: 'loading' });

  const guarded = useMemo<Bridge>(
    () => ({
      async invoke(name, input) {
        const result = await bridge.invoke(name, input);
        if (!result.ok && result.error.code === 'unauthenticated' && name !== 'session.signIn') {
          setState({ kind: 'signedOut', notice: result.error.message });
        }
        return result;
      },
    }),
    [bridge],
  );

  useEffect(() => {
    let live = true;
    void bridge.invoke('session.current', {}).then((result) => {
      if (!live) return;
      if (result.ok && result.value) setState({ kind: 'signedIn', session: result.value });
      else setState({ kind: 'signedOut', notice: result.ok ? null : result.error.message });
    });
    return () => {
      live = false;
    };
  }, [bridge]);

  switch (state.kind) {
    case 'loading':
      return <Loading page>Opening Movelog…</Loading>;
    case 'signedOut':
      return <SignIn clinic={clinic} notice={state.notice} onSignedIn={(session) => setState({ kind: 'signedIn', session })} />;
    case 'signedIn':
      return (
        <BridgeProvider key={state.session.staffId} value={guarded}>
          <Shell clinic={clinic} session={state.session} onSignedOut={(notice) => setState({ kind: 'signedOut', notice })} />
        </BridgeProvider>
      );
  }
}
