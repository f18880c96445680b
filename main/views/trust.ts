import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { upsertLatest } from './support.js';
import type { OrderKey, ViewSet } from './support.js';

/**
 * Trust between clinics: one row per (trusting clinic, trusted clinic), last writer wins between
 * `clinic.trusted` and `clinic.untrusted`. A row is never deleted: a clinic trusted at some point
 * keeps its entries acceptable whatever order entries arrive in. The pair room's secret, sealed,
 * latest per pair.
 */
export const TRUST_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_trust (
    clinic_id     TEXT NOT NULL,
    peer          TEXT NOT NULL,
    name          TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('trusted', 'withdrawn')),
    since         INTEGER NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL,
    PRIMARY KEY (clinic_id, peer)
  ) STRICT;
  CREATE TABLE view_trust_secrets (
    clinic_id     TEXT NOT NULL,
    peer          TEXT NOT NULL,
    sealed        TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL,
    PRIMARY KEY (clinic_id, peer)
  ) STRICT;
`,
  tables: [
    { name: 'view_trust', key: 'clinic_id, peer' },
    { name: 'view_trust_secrets', key: 'clinic_id, peer' },
  ],
};

export type TrustState = 'trusted' | 'withdrawn';

export function putTrusted(
  db: Db,
  t: { clinicId: string | null; peer: string; name: string; fingerprint: string; since: number },
  at: OrderKey,
): void {
  upsertLatest(
    db,
    'view_trust',
    'clinic_id, peer',
    { clinic_id: t.clinicId, peer: t.peer, name: t.name, fingerprint: t.fingerprint, state: 'trusted', since: t.since },
    at,
  );
}

export function putWithdrawn(db: Db, t: { clinicId: string | null; peer: string; since: number }, at: OrderKey): void {
  statement(
    db,
    `UPDATE view_trust SET state = 'withdrawn', since = ?, v_height = ?, v_hash = ?
      WHERE clinic_id = ? AND peer = ? AND (?, ?) > (v_height, v_hash)`,
  ).run(t.since, at.height, at.hash, t.clinicId, t.peer, at.height, at.hash);
}

export function putTrustSecret(db: Db, s: { clinicId: string | null; peer: string; sealed: string }, at: OrderKey): void {
  upsertLatest(db, 'view_trust_secrets', 'clinic_id, peer', { clinic_id: s.clinicId, peer: s.peer, sealed: s.sealed }, at);
}

/** Whether `clinicId` trusts `peer` now ('trusted'), did once ('withdrawn'), or never (null). */
export function trustState(db: Db, clinicId: string, peer: string): TrustState | null {
  return (
    statement<[string, string], { state: TrustState }>(db, 'SELECT state FROM view_trust WHERE clinic_id = ? AND peer = ?').get(clinicId, peer)
      ?.state ?? null
  );
}

/** The clinics `clinicId` trusts now, with the sealed secrets of their pair rooms, by peer id. */
export function trustedPeerSecrets(db: Db, clinicId: string): { peer: string; sealed: string }[] {
  return statement<[string], { peer: string; sealed: string }>(
    db,
    `SELECT t.peer, s.sealed FROM view_trust t JOIN view_trust_secrets s ON s.clinic_id = t.clinic_id AND s.peer = t.peer
      WHERE t.clinic_id = ? AND t.state = 'trusted' ORDER BY t.peer`,
  ).all(clinicId);
}

/** Every clinic `clinicId` trusts or trusted, by name. */
export function trustList(db: Db, clinicId: string): { peer: string; name: string; fingerprint: string; state: TrustState; since: number }[] {
  return statement<[string], { peer: string; name: string; fingerprint: string; state: TrustState; since: number }>(
    db,
    'SELECT peer, name, fingerprint, state, since FROM view_trust WHERE clinic_id = ? ORDER BY name COLLATE NOCASE, peer',
  ).all(clinicId);
}
