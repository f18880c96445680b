import { createHash, createHmac, randomInt, scryptSync, timingSafeEqual } from 'node:crypto';
import * as Y from 'yjs';
import type { SyncNode } from './node.js';
import type { Ledger } from '../ledger/ledger.js';
import { clinicIdentity } from '../clinic/queries.js';
import { decodeBase64url, encodeBase64url } from '../ledger/crypto/index.js';
import { clinicStream } from '../ledger/streams.js';
import { DEVICE_KEY } from './doc.js';
import { openWith, roomKeys, sealWith } from './rooms.js';
import type { RoomKeys } from './rooms.js';
import { clinicSecret, ensureClinicSecret, readSyncSettings, signalingUrl, storeClinicSecret, writeSyncSettings } from './settings.js';
import type { SyncSettings } from './settings.js';
import { openTransport } from './transport.js';
import { deviceKnown } from '../views/clinic.js';

/** Crockford base32 without I, L, O, U: easy to read aloud and type. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 12;
export const PAIRING_TTL_MS = 10 * 60_000;

export class PairingError extends Error {}

/** `ABCD-EFGH-JKMN` from whatever a person typed (case, spaces, dashes, O/0 and I/L/1 confusions). */
export function normalizeCode(text: string, what = 'pairing code'): string {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!new RegExp(`^[${ALPHABET}]{${CODE_CHARS}}$`).test(clean)) {
    throw new PairingError(`That is not a ${what}. It has 12 letters and digits, like 7K3M-Q9TX-2BHD.`);
  }
  return `${clean.slice(0, 4)}-${clean.slice(4, 8)}-${clean.slice(8)}`;
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_CHARS; i++) code += ALPHABET.charAt(randomInt(ALPHABET.length));
  return normalizeCode(code);
}

/** What a one-time code is for: pairing a device, or inviting a clinic to trust this one. */
export type CodePurpose = 'device' | 'clinic';

const CODE_LABEL: Record<CodePurpose, string> = { device: 'movelog/pair/v1', clinic: 'movelog/invite/v1' };

export const codeHash = (code: string, purpose: CodePurpose = 'device') =>
  createHash('sha256').update(`${CODE_LABEL[purpose]}\0${code}`).digest('hex');

/**
 * The pairing room's keys, from the code alone. scrypt makes guessing a code from the room name a
 * signalling server sees expensive; a code also expires in minutes and works once.
 */
function pairingKeys(code: string, purpose: CodePurpose): RoomKeys & { proof: Buffer } {
  const secret = scryptSync(code, CODE_LABEL[purpose], 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return { ...roomKeys(secret), proof: createHmac('sha256', secret).update('proof').digest() };
}

/** The keys each kind of code room may hold (anything else disconnects the peer that wrote it). */
const ROOM_KEYS: Record<CodePurpose, ReadonlySet<string>> = {
  device: new Set(['request', 'grant', 'ack']),
  clinic: new Set(['offer', 'answer', 'decided:inviter', 'decided:accepter']),
};

interface Request {
  device: string;
  label: string;
  proof: string;
}

interface Grant {
  clinicSecret: string;
  signaling: string[];
  iceServers: SyncSettings['iceServers'];
}

/** Issues a one-time code (only its hash is stored) that expires after `ttlMs`. */
export function issuePairingCode(
  ledger: Ledger,
  now: number,
  ttlMs = PAIRING_TTL_MS,
  purpose: CodePurpose = 'device',
): { code: string; expiresAt: number } {
  const code = newCode();
  ledger.db
    .prepare('INSERT INTO pairing_codes (code_hash, issued_by, expires_at, purpose) VALUES (?, ?, ?, ?)')
    .run(codeHash(code, purpose), ledger.device.publicKey, now + ttlMs, purpose);
  return { code, expiresAt: now + ttlMs };
}

/** Spends a code this device issued: true once, while it has not expired. */
export function spendCode(ledger: Ledger, code: string, purpose: CodePurpose, usedBy: string, now: number): boolean {
  return (
    ledger.db
      .prepare('UPDATE pairing_codes SET used_at = ?, used_by = ? WHERE code_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?')
      .run(now, usedBy, codeHash(code, purpose), purpose, now).changes === 1
  );
}

/** Resolves with the first value under `key` that `read` accepts; rejects after `until`. */
export function waitFor<T>(
  map: Y.Map<Uint8Array>,
  key: string,
  read: (value: Uint8Array) => T | null,
  until: number,
  expired = 'The pairing code expired before the other device answered. Make a new code and try again.',
): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = map.get(key);
      const parsed = value ? read(value) : null;
      if (parsed !== null) {
        cleanup();
        resolve(parsed);
      } else if (Date.now() > until) {
        cleanup();
        reject(new PairingError(expired));
      }
    };
    const timer = setInterval(check, 100);
    const cleanup = () => {
      clearInterval(timer);
      map.unobserve(check);
    };
    map.observe(check);
    check();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The new device's acknowledgement of the grant: it stays, or ends its process right after. */
const ACK_STAYING = 1;
const ACK_ENDING = 2;

/** The room of a one-time code: everything in it is derived from the code (and its purpose). */
export function openCodeRoom(code: string, purpose: CodePurpose, settings: SyncSettings, device: string) {
  const keys = pairingKeys(code, purpose);
  const allowed = ROOM_KEYS[purpose];
  const doc = new Y.Doc();
  const transport = openTransport({
    roomName: keys.name,
    password: keys.password,
    doc,
    device,
    signaling: settings.signaling,
    iceServers: settings.iceServers,
    shape: (root, key, value) =>
      root !== 'pair'
        ? `unexpected shared type "${root}"`
        : key === null || !allowed.has(key)
          ? 'unexpected key in a code room'
          : value.length > 8192
            ? 'value too large for a code room'
            : null,
  });
  return {
    keys,
    map: doc.getMap<Uint8Array>('pair'),
    /**
     * Leaves the room: the other side is told and closes its end first, or, when this process is
     * ending, the connection is left to the process's end (transport.ts, `close`).
     */
    async close() {
      await transport.close();
      doc.destroy();
    },
  };
}

/**
 * The enrolled side of pairing: waits in the code's room for the new device, checks its proof of
 * knowing the code, spends the code, enrols the device (`device.enrolled`, by the manager), and
 * hands over the clinic room's secret and network settings, sealed under the code's key.
 */
export async function servePairing(node: SyncNode, code: string, managerId: string): Promise<{ device: string; label: string }> {
  const normal = normalizeCode(code);
  const row = node.db
    .prepare<[string], { expires_at: number; used_at: number | null }>(
      "SELECT expires_at, used_at FROM pairing_codes WHERE code_hash = ? AND purpose = 'device'",
    )
    .get(codeHash(normal));
  if (!row) throw new PairingError('This device did not issue that pairing code.');
  const settings = readSyncSettings(node.db);
  if (settings.signaling.length === 0) throw new PairingError('Set a signalling server first (Network settings, or --signal).');
  const secret = ensureClinicSecret(node.db, node.keystore, node.ledger.device.publicKey, Date.now());
  const clinic = clinicIdentity(node.db);
  if (!secret || !clinic) throw new PairingError("This device cannot pair others: it holds no key for the clinic's network.");
  const room = openCodeRoom(normal, 'device', settings, node.ledger.device.publicKey);
  try {
    const request = await waitFor(
      room.map,
      'request',
      (value) => {
        try {
          const parsed = JSON.parse(Buffer.from(value).toString()) as Request;
          const expected = createHmac('sha256', room.keys.proof).update(parsed.device).digest();
          const proof = decodeBase64url(parsed.proof);
          if (!DEVICE_KEY.test(parsed.device) || typeof parsed.label !== 'string' || parsed.label.length < 1 || parsed.label.length > 120)
            return null;
          return proof.length === expected.length && timingSafeEqual(proof, expected) ? parsed : null;
        } catch {
          return null;
        }
      },
      row.expires_at,
    );
    if (!spendCode(node.ledger, normal, 'device', request.device, Date.now()))
      throw new PairingError('That pairing code was already used or has expired.');
    const known = deviceKnown(node.db, request.device);
    if (!known) {
      node.ledger.append({
        stream: clinicStream(clinic.id, 'public'),
        kind: 'device.enrolled',
        by: managerId,
        body: { device: request.device, label: request.label },
      });
    }
    const grant: Grant = { clinicSecret: encodeBase64url(secret), signaling: [...settings.signaling], iceServers: [...settings.iceServers] };
    room.map.set('grant', new Uint8Array(sealWith(room.keys.keyWrap, `grant:${request.device}`, Buffer.from(JSON.stringify(grant)))));
    // The new device acknowledges the grant; the room then closes in the order transport.ts keeps.
    await waitFor(room.map, 'ack', (value) => value[0] ?? ACK_STAYING, Date.now() + 30_000).catch(() => ACK_STAYING);
    return { device: request.device, label: request.label };
  } finally {
    await room.close();
  }
}

/**
 * The new device's side: proves it knows the code, waits for the grant, and stores the clinic
 * room's secret and network settings. Its ledger then fills from the clinic room ("movelog sync").
 */
export async function joinWithCode(
  node: SyncNode,
  code: string,
  signaling: readonly string[],
  label: string,
  timeoutMs = PAIRING_TTL_MS,
  options: { readonly leaveOpen?: boolean } = {},
): Promise<void> {
  const normal = normalizeCode(code);
  if (clinicIdentity(node.db) || clinicSecret(node.db, node.keystore)) {
    throw new PairingError('This device already belongs to a clinic.');
  }
  const settings = { signaling: signaling.map(signalingUrl), iceServers: readSyncSettings(node.db).iceServers };
  if (settings.signaling.length === 0) throw new PairingError('Give the signalling address shown with the code (ws://HOST:PORT).');
  const device = node.ledger.device.publicKey;
  const room = openCodeRoom(normal, 'device', settings, device);
  try {
    const request: Request = { device, label, proof: encodeBase64url(createHmac('sha256', room.keys.proof).update(device).digest()) };
    room.map.set('request', new TextEncoder().encode(JSON.stringify(request)));
    const grant = await waitFor(
      room.map,
      'grant',
      (value) => {
        const opened = openWith(room.keys.keyWrap, `grant:${device}`, value);
        return opened ? (JSON.parse(opened.toString()) as Grant) : null;
      },
      Date.now() + timeoutMs,
    );
    const secret = Buffer.from(decodeBase64url(grant.clinicSecret));
    node.db.transaction(() => {
      storeClinicSecret(node.db, node.keystore, secret, Date.now());
      writeSyncSettings(node.db, { signaling: [...new Set([...settings.signaling, ...grant.signaling])], iceServers: grant.iceServers });
    })();
    // ACK_ENDING says this process ends right after (`movelog join`); both values mean "received".
    room.map.set('ack', new Uint8Array([options.leaveOpen === true ? ACK_ENDING : ACK_STAYING]));
    await sleep(300);
  } finally {
    await room.close();
  }
}
