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

/** One room as the running sync peer sees it (transport.ts `RoomView`), with what the room is. */
export interface RoomReach {
  readonly room: string;
  /** The clinic's own room, or the room shared with a trusted clinic (its id). */
  readonly kind: 'clinic' | 'pair';
  readonly clinic: string | null;
  /** Devices heard in the room lately (through signalling or a connection). */
  readonly seen: string[];
  /** Devices connected now. */
  readonly connected: string[];
  readonly signalling: { readonly connected: number; readonly total: number };
}

export interface NetworkReach {
  /** When the sync peer wrote it. */
  readonly at: number;
  readonly rooms: RoomReach[];
}

const REACH_KEY = 'reach';
/** The sync peer rewrites its reach at least this often; older means it is not running. */
export const REACH_FRESH_MS = 20_000;

/** Stores what the sync peer sees now (for `movelog status` and the Network page, which may run in another process). */
export function writeReach(db: Db, reach: NetworkReach): void {
  db.prepare('INSERT INTO sync_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    REACH_KEY,
    JSON.stringify(reach),
  );
}

/** What the running sync peer last saw, or null when none wrote it lately. */
export function readReach(db: Db, now: number): NetworkReach | null {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM sync_settings WHERE key = ?').get(REACH_KEY);
  if (!row) return null;
  try {
    const reach = JSON.parse(row.value) as NetworkReach;
    return typeof reach.at === 'number' && now - reach.at <= REACH_FRESH_MS && Array.isArray(reach.rooms) ? reach : null;
  } catch {
    return null;
  }
}

/** "can see 2 devices, connected to 1 (not connected: ab12…)" */
export function describeReach(room: RoomReach): string {
  const missing = room.seen.filter((d) => !room.connected.includes(d));
  const devices = (n: number) => `${n} device${n === 1 ? '' : 's'}`;
  return (
    `can see ${devices(room.seen.length)}, connected to ${room.connected.length}` +
    (missing.length > 0 ? ` (not connected yet: ${missing.map((d) => `${d.slice(0, 8)}…`).join(', ')}; retrying)` : '') +
    `; signalling servers connected: ${room.signalling.connected} of ${room.signalling.total}`
  );
}
