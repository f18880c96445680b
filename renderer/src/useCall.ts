import { useCallback, useEffect, useState } from 'react';
import type { ApiError, CallInput, CallName, CallOutput } from '../../shared/api/index.js';
import { useBridge } from './kit/BridgeContext.js';

export type CallState<T> =
  { readonly status: 'loading' } | { readonly status: 'ok'; readonly value: T } | { readonly status: 'error'; readonly error: ApiError };

/**
 * Makes one API call through the nearest bridge when the component mounts (and again when `key`
 * changes or `reload` is called), ignoring answers that arrive after unmount. `input` is read when
 * the call is made; pass a `key` that changes with it.
 */
export function useCall<K extends CallName>(name: K, input: CallInput<K>, key = ''): { state: CallState<CallOutput<K>>; reload: () => void } {
  const bridge = useBridge();
  const [state, setState] = useState<CallState<CallOutput<K>>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const inputJson = JSON.stringify(input);

  useEffect(() => {
    let live = true;
    void bridge.invoke(name, JSON.parse(inputJson) as CallInput<K>).then((result) => {
      if (live) setState(result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      live = false;
    };
  }, [bridge, name, inputJson, key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  return { state, reload };
}
