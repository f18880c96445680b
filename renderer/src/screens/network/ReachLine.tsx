import { deviceName } from './format.js';
import type { NetworkDevice, NetworkStatus } from './format.js';

/**
 * What the running sync peer sees of the clinic's room: "can see N devices, connected to M", the
 * devices it sees but is not connected to yet (it keeps retrying them), and the signalling servers up.
 */
export function ReachLine({ reach, devices }: { readonly reach: NetworkStatus['reach']; readonly devices: readonly NetworkDevice[] }) {
  if (!reach) return null;
  const missing = reach.seen.filter((key) => !reach.connected.includes(key));
  const count = (n: number) => `${n} ${n === 1 ? 'device' : 'devices'}`;
  return (
    <p className="reach">
      Can see {count(reach.seen.length)} of the clinic, connected to {reach.connected.length}.
      {missing.length > 0 && ` Not connected yet: ${missing.map((key) => deviceName(key, devices)).join(', ')} (retrying).`}
      {` Signalling servers reachable: ${reach.signalling.connected} of ${reach.signalling.total}.`}
    </p>
  );
}
