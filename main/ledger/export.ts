import { openAtomic } from '../store/atomicFile.js';
import type { Db } from '../store/db.js';

/**
 * Writes the ledger as JSON Lines in local order (docs/ledger-format.md):
 * `{"n":i,"entry":<stored canonical bytes, verbatim>,"hash":"…","sig":"…","chain":"…"}`.
 * The entry is copied byte for byte, never re-encoded. Written to a temporary file and renamed,
 * so a reader never sees half an export. Returns the number of entries written.
 */
export function exportLedger(db: Db, outFile: string): number {
  const target = openAtomic(outFile);
  let count = 0;
  try {
    const page = db.prepare<[number], { local_seq: number; bytes: Buffer; hash: string; sig: string; chain: string }>(
      'SELECT local_seq, bytes, hash, sig, chain FROM entries WHERE local_seq > ? ORDER BY local_seq LIMIT 2000',
    );
    let after = 0;
    for (;;) {
      const rows = page.all(after);
      if (rows.length === 0) break;
      const parts: Buffer[] = [];
      for (const r of rows) {
        const tail = `,"hash":${JSON.stringify(r.hash)},"sig":${JSON.stringify(r.sig)},"chain":${JSON.stringify(r.chain)}}\n`;
        parts.push(Buffer.from(`{"n":${r.local_seq},"entry":`), r.bytes, Buffer.from(tail));
        after = r.local_seq;
        count++;
      }
      target.write(Buffer.concat(parts));
    }
    target.commit();
  } catch (error) {
    target.abort();
    throw error;
  }
  return count;
}
