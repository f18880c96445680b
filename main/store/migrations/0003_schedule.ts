import type { Migration } from '../migrate.js';
import { SCHEDULE_VIEWS } from '../../ledger/viewSchema.js';

/** Rooms, appointment types and appointments (derived views). */
export const m0003Schedule: Migration = {
  version: 3,
  name: '0003_schedule',
  up(db) {
    db.exec(SCHEDULE_VIEWS.sql);
  },
};
