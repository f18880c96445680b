// The number beside "Co-signature" in the navigation (docs/architecture.md#co-signature-queue):
// how many assistants' notes wait for a therapist's co-signature. Nothing while there are none.
import { useEffect } from 'react';
import { useCall } from '../../useCall.js';
import { onCosigned } from './cosignEvents.js';

export function CosignCount() {
  const { state, reload } = useCall('notes.cosignQueue', {});
  useEffect(() => onCosigned(reload), [reload]);
  if (state.status !== 'ok' || state.value.length === 0) return null;
  const n = state.value.length;
  return (
    <>
      <span className="nav-badge" aria-hidden="true" data-testid="cosign-count">
        {n}
      </span>
      <span className="visually-hidden">
        ({n} {n === 1 ? 'note awaits' : 'notes await'} your co-signature)
      </span>
    </>
  );
}
