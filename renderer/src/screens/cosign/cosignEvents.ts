// The navigation's count of notes awaiting co-signature is told when the queue changed or was
// loaded again here, so it changes at once (docs/architecture.md#co-signature-queue).
const EVENT = 'movelog:cosigned';

export function tellCosigned(): void {
  window.dispatchEvent(new Event(EVENT));
}

export function onCosigned(listener: () => void): () => void {
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}
