import type { Ledger } from '../ledger/ledger.js';
import { LedgerError } from '../ledger/ledger.js';
import { clinicStream } from '../ledger/streams.js';

const OWN_KINDS = "('checkpoint.signed', 'checkpoint.witnessed')";

/**
 * Witnessed checkpoints (docs/architecture.md#witnessed-checkpoints): this device countersigns the latest checkpoint of every
 * other device it has not witnessed yet, then signs a checkpoint of its own local chain when
 * anything but checkpoints arrived since its last one (so an idle clinic writes nothing). A
 * device that later rewrote its history could not sign a checkpoint extending the witnessed one,
 * and its witnessed checkpoint no longer matches its chain (`movelog verify` reports both).
 * Returns how many entries it wrote.
 */
export function checkpointRound(ledger: Ledger): number {
  const db = ledger.db;
  const me = ledger.device.publicKey;
  const clinic = db.prepare<[string], { id: string }>('SELECT clinic_id AS id FROM view_devices WHERE key = ? AND revoked = 0').get(me);
  if (!clinic) return 0;
  const stream = clinicStream(clinic.id, 'public');
  const unwitnessed = db
    .prepare<[string, string], { hash: string; device: string; size: number; chain: string }>(
      `SELECT c.hash, c.device, c.size, c.chain FROM view_checkpoints c
        WHERE c.device != ? AND c.size = (SELECT max(size) FROM view_checkpoints WHERE device = c.device)
          AND NOT EXISTS (SELECT 1 FROM view_witnesses w WHERE w.checkpoint = c.hash AND w.witness = ?)`,
    )
    .all(me, me);
  const last = db.prepare<[string], { size: number }>('SELECT max(size) AS size FROM view_checkpoints WHERE device = ?').get(me)?.size ?? 0;
  const grew =
    db.prepare<[number], { x: number }>(`SELECT 1 AS x FROM entries WHERE local_seq > ? AND kind NOT IN ${OWN_KINDS} LIMIT 1`).get(last) !==
    undefined;
  try {
    const witnessed = ledger.appendMany(
      unwitnessed.map((c) => ({
        stream,
        kind: 'checkpoint.witnessed' as const,
        by: null,
        body: { checkpoint: c.hash, device: c.device, size: c.size, chain: c.chain },
      })),
    );
    if (!grew) return witnessed.length;
    const head = db
      .prepare<[], { size: number; chain: string }>('SELECT local_seq AS size, chain FROM entries ORDER BY local_seq DESC LIMIT 1')
      .get();
    if (!head) return witnessed.length;
    ledger.append({ stream, kind: 'checkpoint.signed', by: null, body: { size: head.size, chain: head.chain } });
    return witnessed.length + 1;
  } catch (error) {
    // A device removed meanwhile, or a policy refusal: nothing to do this round.
    if (error instanceof LedgerError) return 0;
    throw error;
  }
}
