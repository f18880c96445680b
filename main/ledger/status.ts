import type { LedgerStatus } from '../../shared/api/index.js';
import type { Db } from '../store/db.js';
import { CHAIN_ZERO } from './crypto/index.js';

/** What the UI and CLI show about the ledger's health: counts, chain head, forks, quarantine. */
export function ledgerStatus(db: Db): LedgerStatus {
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const last = db.prepare<[], { local_seq: number; chain: string }>('SELECT local_seq, chain FROM entries ORDER BY local_seq DESC LIMIT 1').get();
  return {
    entries: last?.local_seq ?? 0,
    chainHead: last?.chain ?? CHAIN_ZERO,
    pending: count('pending'),
    quarantined: count('quarantine'),
    recentQuarantine: db
      .prepare<[], { hash: string | null; reason: string; source: string; receivedAt: number }>(
        'SELECT hash, reason, source, received_at AS receivedAt FROM quarantine ORDER BY id DESC LIMIT 20',
      )
      .all(),
    forks: db
      .prepare<[], LedgerStatus['forks'][number]>(
        'SELECT stream, author, seq, stored_hash AS storedHash, other_hash AS otherHash, detected_at AS detectedAt FROM forks ORDER BY id',
      )
      .all(),
    frozenAuthors: db.prepare<[], LedgerStatus['frozenAuthors'][number]>('SELECT author, reason, since FROM frozen_authors ORDER BY since').all(),
  };
}
