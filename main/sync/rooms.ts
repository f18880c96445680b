import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { encodeBase64url } from '../ledger/crypto/index.js';

/** Room secrets are 32 random bytes; everything a room needs is derived from one. */
export const ROOM_SECRET_BYTES = 32;

export function newRoomSecret(): Buffer {
  return randomBytes(ROOM_SECRET_BYTES);
}

function derive(secret: Uint8Array, label: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `movelog/room/v1/${label}`, length));
}

/**
 * What a room's members derive from its secret (docs/architecture.md#rooms): the y-webrtc room name (what the
 * signalling server sees: it reveals nothing about the clinic), the y-webrtc password (encrypts
 * signalling, so no one without the secret can join), and the key that wraps patients' data keys
 * on their way to the room's other devices.
 */
export interface RoomKeys {
  readonly name: string;
  readonly password: string;
  readonly keyWrap: Buffer;
}

export function roomKeys(secret: Uint8Array): RoomKeys {
  if (secret.length !== ROOM_SECRET_BYTES) throw new RangeError('a room secret is 32 bytes');
  return {
    name: `movelog-${derive(secret, 'name', 16).toString('hex')}`,
    password: encodeBase64url(derive(secret, 'password', 32)),
    keyWrap: derive(secret, 'patient-keys', 32),
  };
}

/**
 * The key that seals the secrets of the rooms shared with trusted clinics (`trust.secret`, in the
 * clinic's private stream), derived from the clinic room's secret: every device of the clinic
 * can open them, no one else.
 */
export function pairSecretKey(clinicSecret: Uint8Array): Buffer {
  return derive(clinicSecret, 'pair-secrets', 32);
}

/** AES-256-GCM under `key` with `label` as associated data; iv ‖ ciphertext ‖ tag. */
export function sealWith(key: Uint8Array, label: string, plain: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(label));
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Opens what `sealWith` made; null when it was altered or the key or label is wrong. */
export function openWith(key: Uint8Array, label: string, sealed: Uint8Array): Buffer | null {
  if (sealed.length < 28) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(label));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}
