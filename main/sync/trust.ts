import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SyncNode } from './node.js';
import { clinicIdentity, readClinic } from '../clinic/queries.js';
import { decodeBase64url, encodeBase64url } from '../ledger/crypto/index.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Ledger } from '../ledger/ledger.js';
import { clinicStream } from '../ledger/streams.js';
import type { Db } from '../store/db.js';
import { trustedPeerSecrets } from '../views/trust.js';
import { issuePairingCode, normalizeCode, openCodeRoom, PAIRING_TTL_MS, PairingError, spendCode, waitFor } from './pairing.js';
import { newRoomSecret, openWith, pairSecretKey, ROOM_SECRET_BYTES, sealWith } from './rooms.js';
import { clinicSecret, ensureClinicSecret, readSyncSettings, signalingUrl, writeSyncSettings } from './settings.js';

/**
 * Trust between clinics (docs/architecture.md#trust-between-clinics): a manager makes a one-time invitation code; the other
 * clinic's manager answers it; the inviting device makes the pair room's secret and sends it
 * sealed under the code's key; both sides show a safety number computed from both clinic ids and
 * that secret, and each manager confirms only after comparing it with the other (by phone). Each
 * side then records `clinic.trusted` (public stream) and the pair secret sealed for its own
 * devices (`trust.secret`, private stream). Someone who intercepted the code and sat in the middle
 * would hold different secrets with each side, so the two safety numbers would differ.
 */

const CLINIC_ID = /^[0-9a-f]{64}$/;
const NAME_MAX = 120;

/** The safety number of a pair of clinics and their room secret: 8 groups of 5 digits. */
export function safetyNumber(clinicA: string, clinicB: string, secret: Uint8Array): string {
  const [lo, hi] = clinicA < clinicB ? [clinicA, clinicB] : [clinicB, clinicA];
  const digest = createHash('sha512').update('movelog/trust/v1\0').update(lo).update(hi).update(secret).digest();
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push((digest.readUIntBE(i * 5, 5) % 100_000).toString().padStart(5, '0'));
  return groups.join(' ');
}

const sealLabel = (home: string, peer: string) => `pair-secret:${home}:${peer}`;

/** A pair room's secret sealed for this clinic's devices (the body of `trust.secret`). */
const sealPairSecret = (clinicKey: Uint8Array, home: string, peer: string, secret: Uint8Array) =>
  encodeBase64url(sealWith(pairSecretKey(clinicKey), sealLabel(home, peer), secret));

/** Records trust in `peer`: `clinic.trusted` and the pair secret sealed for this clinic's devices. */
export function recordTrust(
  ledger: Ledger,
  keystore: Keystore,
  managerId: string,
  peer: { id: string; name: string },
  fingerprint: string,
  secret: Uint8Array,
): void {
  const home = clinicIdentity(ledger.db);
  const clinicKey = clinicSecret(ledger.db, keystore);
  if (!home || !clinicKey)
    throw new PairingError("This device holds no key for its clinic's network, so it cannot keep a trusted clinic's room secret.");
  const sealed = sealPairSecret(clinicKey, home.id, peer.id, secret);
  ledger.appendMany([
    {
      stream: clinicStream(home.id, 'public'),
      kind: 'clinic.trusted',
      by: managerId,
      body: { clinic: peer.id, name: peer.name.slice(0, NAME_MAX) || 'Clinic', fingerprint },
    },
    { stream: clinicStream(home.id, 'private'), kind: 'trust.secret', by: managerId, body: { clinic: peer.id, sealed } },
  ]);
}

/**
 * Withdraws trust in `peer`: `clinic.untrusted`, and the pair secret is replaced by a fresh one
 * the other clinic never sees, so the old room is abandoned for good (renewed trust goes through
 * a new invitation and a new secret).
 */
export function withdrawTrust(ledger: Ledger, keystore: Keystore, managerId: string, peer: string, reason: string): void {
  const home = clinicIdentity(ledger.db);
  const clinicKey = clinicSecret(ledger.db, keystore);
  if (!home) throw new PairingError('This device belongs to no clinic.');
  const drafts: Parameters<Ledger['appendMany']>[0][number][] = [
    { stream: clinicStream(home.id, 'public'), kind: 'clinic.untrusted', by: managerId, body: { clinic: peer, reason } },
  ];
  if (clinicKey) {
    const sealed = sealPairSecret(clinicKey, home.id, peer, newRoomSecret());
    drafts.push({ stream: clinicStream(home.id, 'private'), kind: 'trust.secret', by: managerId, body: { clinic: peer, sealed } });
  }
  ledger.appendMany(drafts);
}

/** The clinics this clinic trusts now, with their pair rooms' secrets (when this device can open them). */
export function trustedPairs(db: Db, keystore: Keystore | null): { peer: string; secret: Buffer }[] {
  const home = clinicIdentity(db);
  const clinicKey = keystore ? clinicSecret(db, keystore) : null;
  if (!home || !clinicKey) return [];
  const key = pairSecretKey(clinicKey);
  const rows = trustedPeerSecrets(db, home.id);
  const result: { peer: string; secret: Buffer }[] = [];
  for (const row of rows) {
    const secret = openWith(key, sealLabel(home.id, row.peer), decodeBase64url(row.sealed));
    if (secret?.length === ROOM_SECRET_BYTES) result.push({ peer: row.peer, secret });
  }
  return result;
}

// ------------------------------------------------------------------ the handshake

export interface HandshakeState {
  readonly id: string;
  readonly role: 'inviter' | 'accepter';
  readonly code: string | null;
  readonly state: 'waiting' | 'confirm' | 'trusted' | 'declined' | 'failed';
  readonly expiresAt: number;
  readonly peer: { readonly id: string; readonly name: string } | null;
  readonly fingerprint: string | null;
  readonly message: string | null;
}

interface Offer {
  clinic: string;
  name: string;
  proof: string;
}

interface Answer {
  clinic: string;
  name: string;
  secret: string;
  signaling: string[];
}

const DECISION_MS = 10 * 60_000;

/** A JSON object from a code room's value, or null; its fields are checked by the caller. */
function parseJson(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const validPeer = (clinic: unknown, name: unknown, home: string): boolean =>
  typeof clinic === 'string' && CLINIC_ID.test(clinic) && clinic !== home && typeof name === 'string' && name.length >= 1 && name.length <= NAME_MAX;

/**
 * Invitations in progress on this device, made or answered, until each manager has compared the
 * safety number. The UI polls `list()`; the CLI waits on `done(id)`.
 */
export class TrustHandshakes {
  private readonly states = new Map<string, HandshakeState>();
  private readonly decisions = new Map<string, (matches: boolean) => void>();
  private readonly finished = new Map<string, Promise<void>>();

  constructor(private readonly node: SyncNode) {}

  list(): HandshakeState[] {
    return [...this.states.values()];
  }

  get(id: string): HandshakeState | null {
    return this.states.get(id) ?? null;
  }

  /** Resolves when the handshake has ended (trusted, declined or failed). */
  done(id: string): Promise<void> {
    return this.finished.get(id) ?? Promise.resolve();
  }

  /** Makes an invitation code and waits in its room for the other clinic, in the background. */
  invite(managerId: string, now = Date.now()): HandshakeState {
    const m = this.node;
    const home = readClinic(m.db);
    if (!home) throw new PairingError('Set up this clinic first.');
    const settings = readSyncSettings(m.db);
    if (settings.signaling.length === 0) throw new PairingError('Add a signalling server first: the other clinic finds this one through it.');
    // The clinic's first device makes the network key on first use (a clinic that has only run
    // `init` invites straight away); any other device received it when it paired.
    if (!ensureClinicSecret(m.db, m.keystore, m.ledger.device.publicKey, now))
      throw new PairingError("This device holds no key for its clinic's network. Pair it again, or invite from the clinic's first device.");
    const issued = issuePairingCode(m.ledger, now, PAIRING_TTL_MS, 'clinic');
    const state = this.start('inviter', issued.code, issued.expiresAt);
    this.run(state.id, async (update, decision) => {
      const room = openCodeRoom(issued.code, 'clinic', settings, m.ledger.device.publicKey);
      try {
        const expired = 'The invitation code expired before the other clinic answered. Make a new one and try again.';
        const offer = await waitFor(
          room.map,
          'offer',
          (value) => {
            const parsed = parseJson(value);
            if (!parsed || !validPeer(parsed.clinic, parsed.name, home.id) || typeof parsed.proof !== 'string') return null;
            const expected = createHmac('sha256', room.keys.proof)
              .update(`offer:${String(parsed.clinic)}`)
              .digest();
            const proof = decodeBase64url(parsed.proof);
            return proof.length === expected.length && timingSafeEqual(proof, expected) ? (parsed as unknown as Offer) : null;
          },
          issued.expiresAt,
          expired,
        );
        if (!spendCode(m.ledger, issued.code, 'clinic', offer.clinic, Date.now()))
          throw new PairingError('That invitation code was already used or has expired.');
        const secret = newRoomSecret();
        const answer: Answer = { clinic: home.id, name: home.name, secret: encodeBase64url(secret), signaling: [...settings.signaling] };
        room.map.set('answer', new Uint8Array(sealWith(room.keys.keyWrap, `answer:${offer.clinic}`, Buffer.from(JSON.stringify(answer)))));
        const peer = { id: offer.clinic, name: offer.name };
        const fingerprint = safetyNumber(home.id, peer.id, secret);
        update({ state: 'confirm', peer, fingerprint, expiresAt: Date.now() + DECISION_MS });
        await this.conclude(m, room.map, 'decided:inviter', decision, managerId, peer, fingerprint, secret, update);
        await waitFor(room.map, 'decided:accepter', () => true, Date.now() + 30_000).catch(() => undefined);
      } finally {
        await room.close();
      }
    });
    return state;
  }

  /** Answers another clinic's invitation code, in the background. */
  accept(code: string, signaling: string, managerId: string, now = Date.now()): HandshakeState {
    const m = this.node;
    const normal = normalizeCode(code, 'invitation code');
    const home = readClinic(m.db);
    if (!home) throw new PairingError('Set up this clinic first.');
    if (!ensureClinicSecret(m.db, m.keystore, m.ledger.device.publicKey, now))
      throw new PairingError("This device holds no key for its clinic's network. Pair it again, or accept from the clinic's first device.");
    const url = signalingUrl(signaling);
    const settings = { ...readSyncSettings(m.db), signaling: [url] };
    const state = this.start('accepter', null, now + PAIRING_TTL_MS);
    this.run(state.id, async (update, decision) => {
      const room = openCodeRoom(normal, 'clinic', settings, m.ledger.device.publicKey);
      try {
        const proof = encodeBase64url(createHmac('sha256', room.keys.proof).update(`offer:${home.id}`).digest());
        const offer: Offer = { clinic: home.id, name: home.name, proof };
        room.map.set('offer', new TextEncoder().encode(JSON.stringify(offer)));
        const answer = await waitFor(
          room.map,
          'answer',
          (value) => {
            const opened = openWith(room.keys.keyWrap, `answer:${home.id}`, value);
            const parsed = opened ? parseJson(opened) : null;
            if (!parsed || !validPeer(parsed.clinic, parsed.name, home.id) || typeof parsed.secret !== 'string' || !Array.isArray(parsed.signaling))
              return null;
            return decodeBase64url(parsed.secret).length === ROOM_SECRET_BYTES ? (parsed as unknown as Answer) : null;
          },
          state.expiresAt,
          'No clinic answered that invitation code before it expired. Check the code and the signalling address, or ask for a new code.',
        );
        const secret = Buffer.from(decodeBase64url(answer.secret));
        const peer = { id: answer.clinic, name: answer.name };
        const fingerprint = safetyNumber(home.id, peer.id, secret);
        update({ state: 'confirm', peer, fingerprint, expiresAt: Date.now() + DECISION_MS });
        const trusted = await this.conclude(m, room.map, 'decided:accepter', decision, managerId, peer, fingerprint, secret, update);
        if (trusted) {
          // Keep the inviter's signalling servers too: its devices are found through them.
          const current = readSyncSettings(m.db);
          const extra = answer.signaling
            .filter((u): u is string => typeof u === 'string')
            .flatMap((u) => {
              try {
                return [signalingUrl(u)];
              } catch {
                return [];
              }
            });
          writeSyncSettings(m.db, { ...current, signaling: [...new Set([...current.signaling, url, ...extra])].slice(0, 8) });
        }
        await waitFor(room.map, 'decided:inviter', () => true, Date.now() + 30_000).catch(() => undefined);
      } finally {
        await room.close();
      }
    });
    return state;
  }

  /** The manager's answer to "do the safety numbers match?". */
  decide(id: string, matches: boolean): HandshakeState {
    const state = this.states.get(id);
    const resolve = this.decisions.get(id);
    if (!state) throw new PairingError('There is no such invitation in progress.');
    if (state.state !== 'confirm' || !resolve)
      throw new PairingError(state.state === 'waiting' ? 'The other clinic has not answered yet.' : 'This invitation is already settled.');
    resolve(matches);
    return state;
  }

  private start(role: HandshakeState['role'], code: string | null, expiresAt: number): HandshakeState {
    const state: HandshakeState = {
      id: randomBytes(16).toString('hex'),
      role,
      code,
      state: 'waiting',
      expiresAt,
      peer: null,
      fingerprint: null,
      message: null,
    };
    this.states.set(state.id, state);
    return state;
  }

  private run(id: string, body: (update: (patch: Partial<HandshakeState>) => void, decision: Promise<boolean>) => Promise<void>): void {
    const update = (patch: Partial<HandshakeState>) => {
      const current = this.states.get(id);
      if (current) this.states.set(id, { ...current, ...patch });
    };
    const decision = new Promise<boolean>((resolve) => this.decisions.set(id, resolve));
    const task = body(update, decision)
      .catch((error: unknown) =>
        update({ state: 'failed', message: error instanceof PairingError ? error.message : `The invitation failed: ${(error as Error).message}` }),
      )
      .finally(() => this.decisions.delete(id));
    this.finished.set(id, task);
  }

  /** Waits for this manager's decision and records trust when the numbers match. */
  private async conclude(
    m: SyncNode,
    map: { set(key: string, value: Uint8Array): void },
    key: string,
    decision: Promise<boolean>,
    managerId: string,
    peer: { id: string; name: string },
    fingerprint: string,
    secret: Uint8Array,
    update: (patch: Partial<HandshakeState>) => void,
  ): Promise<boolean> {
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), DECISION_MS).unref());
    const matches = await Promise.race([decision, timeout]);
    if (matches === null) throw new PairingError('No one confirmed the safety number in time. Start again with a new invitation.');
    map.set(key, new Uint8Array([matches ? 1 : 0]));
    if (!matches) {
      update({
        state: 'declined',
        message: `Not trusted: the safety numbers differ. Do not trust "${peer.name}" until a new invitation shows the same numbers at both clinics.`,
      });
      return false;
    }
    recordTrust(m.ledger, m.keystore, managerId, peer, fingerprint, secret);
    update({ state: 'trusted', message: `"${peer.name}" is trusted. Its public records reach this clinic, and this clinic's reach it.` });
    return true;
  }
}
