import type { Db } from '../store/db.js';
import type { Keystore } from '../ledger/keystore.js';
import { clinicIdentity } from '../clinic/queries.js';
import { newRoomSecret } from './rooms.js';

export interface IceServer {
  readonly urls: string | string[];
  readonly username?: string;
  readonly credential?: string;
}

export interface SyncSettings {
  /** Signalling servers, `ws://` or `wss://` URLs. */
  readonly signaling: readonly string[];
  /** The clinic's own STUN/TURN servers, if any. Default none. */
  readonly iceServers: readonly IceServer[];
}

export class SettingsError extends Error {}

/** Checks a signalling URL; returns it normalised or throws a SettingsError a person can act on. */
export function signalingUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new SettingsError(`"${text}" is not a signalling address. Use one like ws://192.168.1.20:4444.`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new SettingsError(`"${text}" must start with ws:// or wss://.`);
  if (url.username || url.password) throw new SettingsError('A signalling address must not contain a user name or password.');
  return url.href.replace(/\/$/, '');
}

export function readSyncSettings(db: Db): SyncSettings {
  const row = db.prepare<[], { value: string }>("SELECT value FROM sync_settings WHERE key = 'network'").get();
  if (!row) return { signaling: [], iceServers: [] };
  const parsed = JSON.parse(row.value) as Partial<SyncSettings>;
  return { signaling: parsed.signaling ?? [], iceServers: parsed.iceServers ?? [] };
}

export function writeSyncSettings(db: Db, settings: SyncSettings): SyncSettings {
  const clean: SyncSettings = { signaling: [...new Set(settings.signaling.map(signalingUrl))], iceServers: settings.iceServers };
  db.prepare("INSERT INTO sync_settings (key, value) VALUES ('network', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
    JSON.stringify(clean),
  );
  return clean;
}

const CLINIC_ROOM = 'clinic';

/** The clinic room's secret on this device, or null (a device that has not paired yet). */
export function clinicSecret(db: Db, keystore: Keystore): Buffer | null {
  const row = db.prepare<[string], { wrapped: Buffer }>('SELECT wrapped FROM sync_secrets WHERE room = ?').get(CLINIC_ROOM);
  return row ? keystore.unwrap(`room:${CLINIC_ROOM}`, row.wrapped) : null;
}

export function storeClinicSecret(db: Db, keystore: Keystore, secret: Buffer, now: number): void {
  db.prepare(
    "INSERT INTO sync_secrets (room, kind, peer_clinic, wrapped, created_at) VALUES (?, 'clinic', NULL, ?, ?) ON CONFLICT (room) DO UPDATE SET wrapped = excluded.wrapped",
  ).run(CLINIC_ROOM, keystore.wrap(`room:${CLINIC_ROOM}`, secret), now);
}

/**
 * The clinic room's secret, made on first use by the device that founded the clinic. Other
 * devices receive it when they pair (pairing.ts); until then they have none.
 */
export function ensureClinicSecret(db: Db, keystore: Keystore, device: string, now: number): Buffer | null {
  const existing = clinicSecret(db, keystore);
  if (existing) return existing;
  if (clinicIdentity(db)?.founder !== device) return null;
  const secret = newRoomSecret();
  storeClinicSecret(db, keystore, secret, now);
  return secret;
}
