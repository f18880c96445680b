// Appends entries one transaction at a time (each fsync'd): prints "begin <n>" before a
// transaction of n entries, and "ack <local_seq> <hash>" for each only after the commit returned.
// Every acknowledged entry must survive a SIGKILL, and a transaction is there whole or not at all
// (test/faults/kill.int.test.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openMovelog } from '../../out/node/main/core.js';
import { clinicStream } from '../../out/node/main/ledger/streams.js';
import { setUpClinic } from './ledger-tools.mjs';

const dataDir = process.argv[2];
let movelog, clinic, stream;
if (existsSync(join(dataDir, 'movelog.db'))) {
  movelog = openMovelog(dataDir);
  const status = movelog.services['clinic.status']({}, { session: null, bridge: 'cli' });
  clinic = status.clinic;
  stream = clinicStream(clinic.id, 'public');
} else {
  ({ movelog, clinic, stream } = await setUpClinic(dataDir));
}
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const batch = i % 5 === 0 ? 20 : 1;
  const drafts = Array.from({ length: batch }, (_, j) => ({
    stream,
    kind: 'staff.added',
    by: clinic.manager.id,
    body: { staffId: 'f'.repeat(31) + String((i + j) % 10), name: `Entry ${i}.${j}`, role: 'therapist', licence: null },
  }));
  process.stdout.write(`begin ${drafts.length}\n`);
  const stored = movelog.ledger.appendMany(drafts);
  process.stdout.write(stored.map((s) => `ack ${s.localSeq} ${s.hash}\n`).join(''));
}
