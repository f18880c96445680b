import type { NetworkStatus } from './format.js';

export type TrustedClinic = NetworkStatus['clinics'][number];
export type TrustHandshake = NetworkStatus['handshakes'][number];

/**
 * The safety number in groups a person can read aloud over the phone: kept as main spaced it,
 * otherwise digits in fives (as Signal shows them) and anything else in fours.
 */
export function safetyGroups(fingerprint: string): string[] {
  const trimmed = fingerprint.trim();
  if (/\s/.test(trimmed)) return trimmed.split(/\s+/);
  const size = /^\d+$/.test(trimmed) ? 5 : 4;
  return trimmed.match(new RegExp(`.{1,${String(size)}}`, 'g')) ?? [];
}
