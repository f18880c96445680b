import type { CallOutput } from '../../../../shared/api/index.js';

export type NetworkStatus = CallOutput<'network.status'>;
export type NetworkDevice = NetworkStatus['devices'][number];

export { dateOnly, timeOnly, when } from '../../format.js';

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** The first 10 characters of a device key; show the whole key in a title next to it. */
export const shortKey = (key: string) => `${key.slice(0, 10)}…`;

/** "just now", "3 minutes ago", "yesterday", … for a moment before `now`. */
export function ago(then: number, now: number): string {
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relative.format(-hours, 'hour');
  return relative.format(-Math.round(hours / 24), 'day');
}

/** A device's label when the key is one of the clinic's devices, otherwise its short key. */
export function deviceName(key: string, devices: readonly NetworkDevice[]): string {
  return devices.find((d) => d.key === key)?.label ?? shortKey(key);
}
