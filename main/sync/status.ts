import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { clinicStream } from '../ledger/streams.js';
import { activeDeviceCount, activeStaffNames, connectedDeviceCount } from '../views/clinic.js';
import { trustList } from '../views/trust.js';

/** How many entries this device's local log holds (its last local position). */
export function localLogSize(db: Db): number {
  return statement<[], { n: number | null }>(db, 'SELECT max(local_seq) AS n FROM entries').get()?.n ?? 0;
}

export interface SyncPeerState {
  readonly room: string;
  readonly device: string;
  readonly connected: boolean;
  readonly lastSeen: number;
  readonly theirCursor: number;
  readonly ourCursor: number;
  readonly theirLog: number;
  /** Entries of this device's log the peer still lacks. */
  readonly pendingOut: number;
  /** Entries of the peer's log this device still lacks. */
  readonly pendingIn: number;
}

/** What the running sync peer last recorded of each other device (`sync_peers`), for status and the Network page. */
export function syncPeers(db: Db): SyncPeerState[] {
  const logSize = localLogSize(db);
  return db
    .prepare<[], { room: string; device: string; connected: number; lastSeen: number; theirCursor: number; ourCursor: number; theirLog: number }>(
      'SELECT room, device, connected, last_seen AS lastSeen, their_cursor AS theirCursor, our_cursor AS ourCursor, their_log AS theirLog FROM sync_peers ORDER BY room, device',
    )
    .all()
    .map((p) => ({
      ...p,
      connected: p.connected === 1,
      pendingOut: Math.max(0, logSize - p.theirCursor),
      pendingIn: Math.max(0, p.theirLog - p.ourCursor),
    }));
}

export interface TrustedClinicState {
  readonly id: string;
  readonly name: string;
  readonly fingerprint: string;
  readonly state: 'trusted' | 'withdrawn';
  readonly since: number;
  readonly devices: number;
  readonly staff: { name: string; role: string }[];
  readonly entries: number;
  readonly connected: number;
}

/** The clinics `home` trusts or trusted, with what this device holds of each (status and the Network page). */
export function trustedClinics(db: Db, home: string): TrustedClinicState[] {
  const rows = trustList(db, home);
  const entries = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM entries WHERE stream = ?');
  return rows.map((r) => ({
    id: r.peer,
    name: r.name,
    fingerprint: r.fingerprint,
    state: r.state,
    since: r.since,
    devices: activeDeviceCount(db, r.peer),
    staff: activeStaffNames(db, r.peer),
    entries: entries.get(clinicStream(r.peer, 'public'))?.n ?? 0,
    connected: connectedDeviceCount(db, r.peer),
  }));
}
