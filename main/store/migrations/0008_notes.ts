import type { Migration } from '../migrate.js';
import { NOTE_VIEWS } from '../../ledger/viewSchema.js';

/** Clinical notes and their addenda (derived views). */
export const m0008Notes: Migration = {
  version: 8,
  name: '0008_notes',
  up(db) {
    db.exec(NOTE_VIEWS.sql);
  },
};
