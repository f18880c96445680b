/** One API request on the browser host's WebSocket: `{ "id": n, "call": "name", "input": … }`. */
export interface WireRequest {
  readonly id: number;
  readonly call: string;
  readonly input: unknown;
}

/** Parses a request frame; null when it is not JSON of that shape. */
export function parseRequest(text: string): WireRequest | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { id, call, input } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof call !== 'string') return null;
  return { id, call, input };
}
