// Builds real ledgers with the compiled core (out/node), for integration tests and benchmarks.
import { randomBytes } from 'node:crypto';
import { openMovelog } from '../../out/node/main/core.js';
import { clinicStream } from '../../out/node/main/ledger/streams.js';

export const PASSPHRASE = 'correct horse battery staple';

/** Sets up a clinic in `dataDir` through the real service. Returns the open Movelog and ids. */
export async function setUpClinic(dataDir, name = 'Riverside Physio') {
  const movelog = openMovelog(dataDir);
  const clinic = await movelog.services['clinic.setup'](
    { clinicName: name, managerName: 'Ada Moreno', passphrase: PASSPHRASE },
    { session: null, bridge: 'cli' },
  );
  return { movelog, clinic, stream: clinicStream(clinic.id, 'public') };
}

/**
 * Appends `count` realistic directory entries (staff added and renamed, cycling over 500 staff
 * ids so later entries overwrite earlier ones) in transactions of `batch` entries.
 */
export function appendStaffEntries(movelog, clinic, stream, count, batch = 1000) {
  const ids = Array.from({ length: 500 }, () => randomBytes(16).toString('hex'));
  const roles = ['therapist', 'assistant', 'front_desk', 'therapist'];
  let written = 0;
  while (written < count) {
    const n = Math.min(batch, count - written);
    const drafts = [];
    for (let i = 0; i < n; i++) {
      const k = written + i;
      drafts.push({
        stream,
        kind: 'staff.added',
        by: clinic.manager.id,
        body: {
          staffId: ids[k % ids.length],
          name: `Staff member ${k}`,
          role: roles[k % roles.length],
          licence: k % 3 === 0 ? `PT-${100000 + k}` : null,
        },
      });
    }
    movelog.ledger.appendMany(drafts);
    written += n;
  }
  return written;
}

/** A data directory holding a clinic plus `count` more entries; returns when it is closed. */
export async function generateLedger(dataDir, count, batch = 1000) {
  const { movelog, clinic, stream } = await setUpClinic(dataDir);
  try {
    appendStaffEntries(movelog, clinic, stream, count, batch);
  } finally {
    movelog.close();
  }
}
