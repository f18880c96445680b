import type { Migration } from '../migrate.js';
import { TIME_ZONE_VIEWS } from '../../ledger/viewSchema.js';

/** The clinic's time zone (derived view). */
export const m0009TimeZone: Migration = {
  version: 9,
  name: '0009_time_zone',
  up(db) {
    db.exec(TIME_ZONE_VIEWS.sql);
  },
};
