import { useMemo } from 'react';
import { isClinician } from '../../roles.js';
import { useCall } from '../../useCall.js';
import type { Bookable } from './BookForm.js';

/** What a booking form offers: clinicians, and the rooms and appointment types not retired. */
export function useBookable(): Bookable {
  const { state: staff } = useCall('session.choices', {});
  const { state: rooms } = useCall('schedule.rooms', {});
  const { state: types } = useCall('schedule.types', {});
  return useMemo(
    () => ({
      therapists: staff.status === 'ok' ? staff.value.filter((s) => isClinician(s.role)) : [],
      rooms: rooms.status === 'ok' ? rooms.value.filter((r) => r.active) : [],
      types: types.status === 'ok' ? types.value.filter((t) => t.active) : [],
    }),
    [staff, rooms, types],
  );
}
