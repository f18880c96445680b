import type { Migration } from '../migrate.js';
import { CHECKPOINT_VIEWS } from '../../ledger/viewSchema.js';

/** Signed checkpoints of devices' local chains and their witnesses (derived views). */
export const m0005Checkpoints: Migration = {
  version: 5,
  name: '0005_checkpoints',
  up(db) {
    db.exec(CHECKPOINT_VIEWS.sql);
  },
};
