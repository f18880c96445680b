import type { Migration } from '../migrate.js';
import { ACCESS_VIEWS } from '../../ledger/viewSchema.js';

/** The patient access audit (derived view). */
export const m0006Access: Migration = {
  version: 6,
  name: '0006_access',
  up(db) {
    db.exec(ACCESS_VIEWS.sql);
  },
};
