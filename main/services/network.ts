import { ApiFailure } from '../../shared/api/index.js';
import type { CallOutput, CallParsedInput } from '../../shared/api/index.js';
import type { Ledger } from '../ledger/ledger.js';
import { clinicIdentity } from '../clinic/queries.js';
import { clinicStream } from '../ledger/streams.js';
import { issuePairingCode, PairingError } from '../sync/pairing.js';
import { withdrawTrust } from '../sync/trust.js';
import type { HandshakeState } from '../sync/trust.js';
import type { Keystore } from '../ledger/keystore.js';
import type { NetworkRuntime } from '../sync/runtime.js';
import { readSyncSettings, SettingsError, writeSyncSettings } from '../sync/settings.js';
import type { CallContext } from './context.js';
import { localLogSize, readReach, syncPeers, trustedClinics } from '../sync/status.js';
import type { NetworkReach } from '../sync/status.js';
import type { SyncPeerState } from '../sync/status.js';
import { actingStaff, requireClinicId } from './guards.js';
import { deviceOfClinic, devicesOfClinic } from '../views/clinic.js';
import { trustList, trustState } from '../views/trust.js';
import { restoreHold } from '../store/restored.js';
import type { SessionStore } from '../auth/sessions.js';

export interface NetworkDeps {
  readonly ledger: Ledger;
  readonly keystore: Keystore;
  readonly sessions: SessionStore;
  readonly network: NetworkRuntime;
  readonly now: () => number;
}

export function networkStatus(deps: NetworkDeps): CallOutput<'network.status'> {
  const db = deps.ledger.db;
  const me = deps.ledger.device.publicKey;
  const logSize = localLogSize(db);
  const home = clinicIdentity(db)?.id ?? '';
  const devices = devicesOfClinic(db, home);
  // One row per device: the room where it was seen last (today every device shares one room).
  const byDevice = new Map<string, SyncPeerState>();
  for (const p of syncPeers(db)) if ((byDevice.get(p.device)?.lastSeen ?? -1) < p.lastSeen) byDevice.set(p.device, p);
  return {
    device: me,
    devices: devices.map((d) => {
      const p = byDevice.get(d.key);
      return {
        key: d.key,
        label: d.label,
        enrolledAt: d.enrolledAt,
        revoked: d.revoked,
        thisDevice: d.key === me,
        peer: p ? { connected: p.connected, lastSeen: p.lastSeen, pendingOut: p.pendingOut, pendingIn: p.pendingIn } : null,
      };
    }),
    signaling: [...readSyncSettings(db).signaling],
    syncing: deps.network.syncing !== null,
    reach: clinicReach(readReach(db, deps.now())),
    logSize,
    waitingAfterRestore: restoreHold(db) !== null,
    clinics: trustedClinics(db, home),
    handshakes: deps.network.handshakes.list().map(toHandshake),
  };
}

/**
 * The clinics trusted now, by name, for the Consent tab's clinic picker: the front desk and
 * therapists record consent but do not see the Network page (docs/architecture.md#consent-screens).
 */
export function trustedClinicNames(deps: Pick<NetworkDeps, 'ledger'>): CallOutput<'network.trustedClinics'> {
  const db = deps.ledger.db;
  const home = clinicIdentity(db)?.id ?? '';
  return trustList(db, home).flatMap((c) => (c.state === 'trusted' ? [{ id: c.peer, name: c.name }] : []));
}

/** The clinic room's part of what the sync peer sees. */
function clinicReach(reach: NetworkReach | null): CallOutput<'network.status'>['reach'] {
  const room = reach?.rooms.find((r) => r.kind === 'clinic');
  return room ? { seen: room.seen, connected: room.connected, signalling: room.signalling } : null;
}

const toHandshake = (h: HandshakeState): CallOutput<'network.invite'> => ({
  id: h.id,
  role: h.role,
  code: h.code,
  state: h.state,
  expiresAt: h.expiresAt,
  peer: h.peer ? { id: h.peer.id, name: h.peer.name } : null,
  fingerprint: h.fingerprint,
  message: h.message,
});

/** Runs `body`, turning what pairing and settings refuse into a readable invalid-input error. */
function readable<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    return asApiFailure(error);
  }
}

/** What pairing and settings refuse, as a readable invalid-input error; anything else rethrown. */
function asApiFailure(error: unknown): never {
  if (error instanceof PairingError || error instanceof SettingsError) throw new ApiFailure('invalid_input', error.message);
  throw error;
}

export function inviteClinic(deps: NetworkDeps, ctx: CallContext): CallOutput<'network.invite'> {
  const staffId = actingStaff(ctx);
  requireClinicId(deps.ledger.db);
  return toHandshake(readable(() => deps.network.handshakes.invite(staffId, deps.now())));
}

export function acceptInvitation(
  deps: NetworkDeps,
  input: CallParsedInput<'network.acceptInvite'>,
  ctx: CallContext,
): CallOutput<'network.acceptInvite'> {
  const staffId = actingStaff(ctx);
  requireClinicId(deps.ledger.db);
  return toHandshake(readable(() => deps.network.handshakes.accept(input.code, input.signaling, staffId, deps.now())));
}

export function confirmTrust(
  deps: NetworkDeps,
  input: CallParsedInput<'network.confirmTrust'>,
  ctx: CallContext,
): CallOutput<'network.confirmTrust'> {
  actingStaff(ctx);
  return toHandshake(readable(() => deps.network.handshakes.decide(input.id, input.matches)));
}

export function withdrawClinicTrust(
  deps: NetworkDeps,
  input: CallParsedInput<'network.withdrawTrust'>,
  ctx: CallContext,
): CallOutput<'network.withdrawTrust'> {
  const staffId = actingStaff(ctx);
  const home = requireClinicId(deps.ledger.db);
  const state = trustState(deps.ledger.db, home, input.clinic);
  if (!state) throw new ApiFailure('not_found', 'This clinic does not trust that clinic.');
  if (state !== 'trusted') throw new ApiFailure('conflict', 'Trust in that clinic was already withdrawn.');
  readable(() => withdrawTrust(deps.ledger, deps.keystore, staffId, input.clinic, input.reason));
  return { clinic: input.clinic };
}

export function setSignaling(deps: NetworkDeps, input: CallParsedInput<'network.setSignaling'>): CallOutput<'network.setSignaling'> {
  try {
    const saved = writeSyncSettings(deps.ledger.db, { ...readSyncSettings(deps.ledger.db), signaling: input.signaling });
    if (deps.network.autoSync) deps.network.startIfConfigured();
    return { signaling: [...saved.signaling] };
  } catch (error) {
    return asApiFailure(error);
  }
}

export function pairDevice(deps: NetworkDeps, ctx: CallContext): CallOutput<'network.pairDevice'> {
  const staffId = actingStaff(ctx);
  requireClinicId(deps.ledger.db);
  const settings = readSyncSettings(deps.ledger.db);
  if (settings.signaling.length === 0)
    throw new ApiFailure('invalid_input', 'Add a signalling server first: the new device finds this one through it.');
  const issued = issuePairingCode(deps.ledger, deps.now());
  deps.network.servePairing(issued.code, staffId);
  return { ...issued, signaling: [...settings.signaling] };
}

export function revokeDevice(
  deps: NetworkDeps,
  input: CallParsedInput<'network.revokeDevice'>,
  ctx: CallContext,
): CallOutput<'network.revokeDevice'> {
  const staffId = actingStaff(ctx);
  const clinicId = requireClinicId(deps.ledger.db);
  if (input.device === deps.ledger.device.publicKey)
    throw new ApiFailure('invalid_input', 'This device cannot remove itself. Remove it from another device of the clinic.');
  const known = deviceOfClinic(deps.ledger.db, input.device, clinicId);
  if (!known) throw new ApiFailure('not_found', 'No such device in this clinic.');
  if (known.revoked) throw new ApiFailure('conflict', 'That device was already removed.');
  deps.ledger.append({
    stream: clinicStream(clinicId, 'public'),
    kind: 'device.revoked',
    by: staffId,
    body: { device: input.device, reason: input.reason },
  });
  return { device: input.device };
}

export async function joinClinic(deps: NetworkDeps, input: CallParsedInput<'network.join'>): Promise<CallOutput<'network.join'>> {
  try {
    await deps.network.join(input.code, [input.signaling], input.label);
    return { joined: true };
  } catch (error) {
    return asApiFailure(error);
  }
}
