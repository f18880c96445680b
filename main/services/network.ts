import { ApiFailure } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput } from '../../shared/api/index.js';
import type { Ledger } from '../ledger/ledger.js';
import { clinicStream } from '../ledger/streams.js';
import { issuePairingCode, PairingError } from '../sync/pairing.js';
import type { NetworkRuntime } from '../sync/runtime.js';
import { readSyncSettings, SettingsError, writeSyncSettings } from '../sync/settings.js';
import type { CallContext } from './context.js';
import { actingStaff, requireClinicId } from './guards.js';
import type { SessionStore } from '../auth/sessions.js';

export interface NetworkDeps {
  readonly ledger: Ledger;
  readonly sessions: SessionStore;
  readonly network: NetworkRuntime;
  readonly now: () => number;
}

export function networkStatus(deps: NetworkDeps): CallOutput<'network.status'> {
  const db = deps.ledger.db;
  const me = deps.ledger.device.publicKey;
  const logSize = db.prepare<[], { n: number | null }>('SELECT max(local_seq) AS n FROM entries').get()?.n ?? 0;
  const devices = db
    .prepare<[], { key: string; label: string; enrolled_at: number; revoked: number }>('SELECT key, label, enrolled_at, revoked FROM view_devices ORDER BY enrolled_at, key')
    .all();
  const peers = db
    .prepare<[], { device: string; connected: number; last_seen: number; their_cursor: number; our_cursor: number; their_log: number }>(
      'SELECT device, max(connected) AS connected, max(last_seen) AS last_seen, max(their_cursor) AS their_cursor, max(our_cursor) AS our_cursor, max(their_log) AS their_log FROM sync_peers GROUP BY device',
    )
    .all();
  const byDevice = new Map(peers.map((p) => [p.device, p]));
  return {
    device: me,
    devices: devices.map((d) => {
      const p = byDevice.get(d.key);
      return {
        key: d.key,
        label: d.label,
        enrolledAt: d.enrolled_at,
        revoked: d.revoked === 1,
        thisDevice: d.key === me,
        peer: p
          ? { connected: p.connected === 1, lastSeen: p.last_seen, pendingOut: Math.max(0, logSize - p.their_cursor), pendingIn: Math.max(0, p.their_log - p.our_cursor) }
          : null,
      };
    }),
    signaling: [...readSyncSettings(db).signaling],
    syncing: deps.network.syncing !== null,
    logSize,
  };
}

export function setSignaling(deps: NetworkDeps, input: CallParsedInput<'network.setSignaling'>): CallOutput<'network.setSignaling'> {
  try {
    const saved = writeSyncSettings(deps.ledger.db, { ...readSyncSettings(deps.ledger.db), signaling: input.signaling });
    if (deps.network.autoSync) deps.network.startIfConfigured();
    return { signaling: [...saved.signaling] };
  } catch (error) {
    if (error instanceof SettingsError) throw new ApiFailure('invalid_input', error.message);
    throw error;
  }
}

export function pairDevice(deps: NetworkDeps, ctx: CallContext): CallOutput<'network.pairDevice'> {
  const staffId = actingStaff(ctx);
  requireClinicId(deps.ledger.db);
  const settings = readSyncSettings(deps.ledger.db);
  if (settings.signaling.length === 0) throw new ApiFailure('invalid_input', 'Add a signalling server first: the new device finds this one through it.');
  const issued = issuePairingCode(deps.ledger, deps.now());
  deps.network.servePairing(issued.code, staffId);
  return { ...issued, signaling: [...settings.signaling] };
}

export function revokeDevice(deps: NetworkDeps, input: CallParsedInput<'network.revokeDevice'>, ctx: CallContext): CallOutput<'network.revokeDevice'> {
  const staffId = actingStaff(ctx);
  const clinicId = requireClinicId(deps.ledger.db);
  if (input.device === deps.ledger.device.publicKey) throw new ApiFailure('invalid_input', 'This device cannot remove itself. Remove it from another device of the clinic.');
  const known = deps.ledger.db.prepare<[string], { revoked: number }>('SELECT revoked FROM view_devices WHERE key = ?').get(input.device);
  if (!known) throw new ApiFailure('not_found', 'No such device in this clinic.');
  if (known.revoked) throw new ApiFailure('conflict', 'That device was already removed.');
  deps.ledger.append({ stream: clinicStream(clinicId, 'public'), kind: 'device.revoked', by: staffId, body: { device: input.device, reason: input.reason } });
  return { device: input.device };
}

export async function joinClinic(deps: NetworkDeps, input: CallParsedInput<'network.join'>): Promise<CallOutput<'network.join'>> {
  try {
    await deps.network.join(input.code, [input.signaling], input.label);
    return { joined: true };
  } catch (error) {
    if (error instanceof PairingError || error instanceof SettingsError) throw new ApiFailure('invalid_input', error.message);
    throw error;
  }
}
