import { useMemo } from 'react';
import type { ComponentProps } from 'react';
import { timeZones, zoneName } from '../../../shared/time.js';

/** Every time zone this browser knows, by IANA name (type to jump: "Eur…", "America/N…"). */
export function TimeZoneSelect(props: ComponentProps<'select'>) {
  const zones = useMemo(() => timeZones(), []);
  return (
    <select {...props}>
      {zones.map((z) => (
        <option key={z} value={z}>
          {zoneName(z)}
        </option>
      ))}
    </select>
  );
}
