import * as Y from 'yjs';
import type { SyncNode } from './node.js';
import { clinicIdentity } from '../clinic/queries.js';
import { checkpointRound } from './checkpoints.js';
import { mayShare } from './entitlement.js';
import { LOCAL_ORIGIN, Replicator } from './replicator.js';
import { roomKeys } from './rooms.js';
import { ensureClinicSecret, readSyncSettings } from './settings.js';
import { openTransport } from './transport.js';
import { trustedPairs } from './trust.js';
import { trustState } from '../views/trust.js';
import { ConsentFollower } from './consentFollow.js';
import { writeReach } from './status.js';
import type { RoomReach } from './status.js';
import type { Transport } from './transport.js';
import type { RestoredHooks } from './replicator.js';
import { restoreHold, resumeAfterRestore } from '../store/restored.js';

export interface SyncPeer {
  /** The clinic room's name. */
  readonly room: string;
  readonly replicator: Replicator;
  readonly transport: Transport;
  /** The rooms shared with trusted clinics open now, by the other clinic's id. */
  pairRooms(): ReadonlyMap<string, RoomPeer>;
  /** Runs one step now in every room (normally steps run on document changes and on a short timer). */
  step(): void;
  /** Size of the clinic room document's state (what a joining peer downloads; tracks its memory). */
  docBytes(): number;
  stop(): Promise<void>;
}

/** One room this device is a member of: its transport, replicator and bookkeeping. */
export interface RoomPeer {
  readonly room: string;
  readonly replicator: Replicator;
  readonly transport: Transport;
  step(): void;
  docBytes(): number;
  stop(): Promise<void>;
}

export class SyncSetupError extends Error {}

/** How often the sync peer re-reads which clinics are trusted (to open or close their rooms). */
const TRUST_CHECK_MS = 2_000;

/**
 * Runs this device as a peer of its clinic's room, and of one room per trusted clinic, until
 * stopped: y-webrtc transport, the replicator, and the bookkeeping `status` and the Network page
 * read (sync_peers). Rooms of clinics trusted or withdrawn while it runs open and close within
 * seconds.
 */
export function startSync(node: SyncNode, options: { readonly intervalMs?: number; readonly checkpointMs?: number } = {}): SyncPeer {
  const { db, ledger, keystore } = node;
  const secret = ensureClinicSecret(db, keystore, ledger.device.publicKey, Date.now());
  if (!secret) {
    throw new SyncSetupError(
      clinicIdentity(db)
        ? 'This device has no key for its clinic\'s network. Pair it again from a device of the clinic ("movelog pair" there, "movelog join CODE" here).'
        : 'This device belongs to no clinic yet. Set one up ("movelog init") or join one ("movelog join CODE").',
    );
  }
  const settings = readSyncSettings(db);
  if (settings.signaling.length === 0)
    throw new SyncSetupError('No signalling server is set. Add one with --signal ws://HOST:PORT (see "movelog signal").');
  // Fixed once known (a device that joined learns it when the genesis arrives).
  let clinicId: string | null = null;
  const home = () => (clinicId ??= clinicIdentity(db)?.id ?? null);
  // Which clinics are trusted, re-read with the pair rooms rather than for every row shared.
  let trusted = new Set<string>();
  // A restored folder takes back what it wrote after its backup before it writes again; its
  // clinic's room ends the hold once caught up (docs/architecture.md#backups).
  const waiting = () => restoreHold(db) !== null;
  const clinicRoom = openRoom(
    node,
    secret,
    options.intervalMs,
    (stream) => {
      const id = home();
      return id !== null && mayShare(db, stream, { kind: 'clinic', clinicId: id, trusted });
    },
    () => followConsent(),
    { waiting, caughtUp: (logSize) => resumeAfterRestore(db, logSize) },
  );

  const pairs = new Map<string, { room: RoomPeer; secret: Buffer }>();
  let stopped = false;

  // Consent (docs/architecture.md#consent-scoped-replication): when it changes (an entry arrives,
  // a grant starts or ends), pair rooms withdraw their window and publish again under the new
  // consent; a new grant to this clinic makes its pair rooms rewind, so the other clinics send
  // what they passed over before; and keys and views follow (enforceConsent).
  const consent = new ConsentFollower(db, keystore);
  let lastConsentError = 0;
  const followConsent = () => {
    const id = home();
    if (stopped || id === null) return;
    let change;
    try {
      change = consent.check(id, Date.now());
    } catch (error) {
      // The database is busy with another process's writes (the app beside `movelog sync`): the
      // next step tries again. Anything else is a bug, said once per minute rather than ending sync.
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' && Date.now() - lastConsentError > 60_000) {
        lastConsentError = Date.now();
        console.error('movelog sync: could not apply consent:', error);
      }
      return;
    }
    if (!change) return;
    for (const p of pairs.values()) {
      p.room.replicator.republish();
      if (change.rewind) p.room.replicator.requestRewind();
    }
  };

  const reconcile = () => {
    if (stopped) return;
    const id = home();
    const wanted = new Map(trustedPairs(db, keystore).map((p) => [p.peer, p.secret]));
    trusted = new Set(wanted.keys());
    for (const [peer, open] of pairs) {
      const secretNow = wanted.get(peer);
      if (secretNow && secretNow.equals(open.secret)) continue;
      pairs.delete(peer);
      void open.room.stop();
    }
    if (id === null) return;
    for (const [peer, pairSecret] of wanted) {
      if (pairs.has(peer)) continue;
      const audience = { kind: 'pair', clinicId: id, peerClinicId: peer } as const;
      // Asked per entry, not per reconcile: nothing more goes out once a withdrawal is stored,
      // even in the seconds before this room closes.
      const share = (stream: string) => trustState(db, id, peer) === 'trusted' && mayShare(db, stream, audience);
      pairs.set(peer, { secret: pairSecret, room: openRoom(node, pairSecret, options.intervalMs, share, () => followConsent(), { waiting }) });
    }
    followConsent();
  };
  reconcile();
  const trustTimer = setInterval(reconcile, TRUST_CHECK_MS);

  // What each room sees (devices heard, connected, signalling servers up), for `movelog status`
  // and the Network page: written when it changes, and every 10 s so readers know it is current.
  let lastReach = '';
  let lastReachAt = 0;
  const reachTimer = setInterval(() => {
    if (stopped) return;
    const rooms: RoomReach[] = [
      { room: clinicRoom.room, kind: 'clinic', clinic: null, ...clinicRoom.transport.view() },
      ...[...pairs].map(([peer, p]) => ({ room: p.room.room, kind: 'pair' as const, clinic: peer, ...p.room.transport.view() })),
    ];
    const text = JSON.stringify(rooms);
    const now = Date.now();
    if (text === lastReach && now - lastReachAt < 10_000) return;
    lastReach = text;
    lastReachAt = now;
    writeReach(db, { at: now, rooms });
  }, 2_000);

  // Checkpoints of the local chain, and countersignatures of the other devices' (checkpoints.ts).
  const checkpointTimer = setInterval(() => {
    if (!stopped) checkpointRound(ledger);
  }, options.checkpointMs ?? 60_000);

  return {
    room: clinicRoom.room,
    replicator: clinicRoom.replicator,
    transport: clinicRoom.transport,
    pairRooms: () => new Map([...pairs].map(([peer, p]) => [peer, p.room])),
    step() {
      clinicRoom.step();
      for (const p of pairs.values()) p.room.step();
    },
    docBytes: () => clinicRoom.docBytes(),
    async stop() {
      stopped = true;
      clearInterval(trustTimer);
      clearInterval(checkpointTimer);
      clearInterval(reachTimer);
      writeReach(db, { at: 0, rooms: [] });
      await Promise.all([clinicRoom.stop(), ...[...pairs.values()].map((p) => p.room.stop())]);
      pairs.clear();
    },
  };
}

/** Joins the room of `secret` and replicates the streams `share` allows through it. */
function openRoom(
  node: SyncNode,
  secret: Uint8Array,
  intervalMs: number | undefined,
  share: (stream: string) => boolean,
  afterStep: () => void,
  restored: RestoredHooks,
): RoomPeer {
  const { db, ledger, keystore } = node;
  const settings = readSyncSettings(db);
  const keys = roomKeys(secret);
  const doc = new Y.Doc();
  const transport = openTransport({
    roomName: keys.name,
    password: keys.password,
    doc,
    device: ledger.device.publicKey,
    signaling: settings.signaling,
    iceServers: settings.iceServers,
    onRejected: (peer, reason, sample) => ledger.recordRefusal(sample, reason, `peer:${peer}`),
  });
  const replicator = new Replicator({
    ledger,
    keystore,
    doc,
    room: keys.name,
    keyWrap: keys.keyWrap,
    share,
    liveMembers: () => transport.liveMembers(),
    restored,
  });
  const recordPeers = db.prepare(
    `INSERT INTO sync_peers (room, device, connected, last_seen, their_cursor, our_cursor, their_log) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (room, device) DO UPDATE SET connected = excluded.connected, last_seen = CASE WHEN excluded.connected = 1 THEN excluded.last_seen ELSE sync_peers.last_seen END,
       their_cursor = excluded.their_cursor, our_cursor = excluded.our_cursor, their_log = excluded.their_log`,
  );

  let scheduled = false;
  let stopped = false;
  const step = () => {
    scheduled = false;
    if (stopped) return;
    replicator.step();
    afterStep();
  };
  const schedule = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(step);
  };
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin !== LOCAL_ORIGIN) schedule();
  });
  const timer = setInterval(schedule, intervalMs ?? 200);
  // A row changes when a peer connects, leaves or advances; an unchanged connected peer's
  // "last seen" is refreshed every 10 s rather than every second, so an idle clinic does not
  // commit (and fsync) a write transaction each second.
  const written = new Map<string, { state: string; at: number }>();
  const peersTimer = setInterval(() => {
    const live = new Set(transport.liveMembers());
    const now = Date.now();
    const me = ledger.device.publicKey;
    const rows: [string, number, number, number, number][] = [];
    for (const [device, frontier] of replicator.frontiers()) {
      if (device === me) continue;
      const row: [string, number, number, number, number] = [
        device,
        live.has(device) ? 1 : 0,
        frontier.cursors.get(me) ?? 0,
        replicator.cursor(device),
        frontier.logSize,
      ];
      const state = row.join(' ');
      const last = written.get(device);
      if (last?.state === state && (row[1] === 0 || now - last.at < 10_000)) continue;
      written.set(device, { state, at: now });
      rows.push(row);
    }
    if (rows.length === 0) return;
    db.transaction(() => {
      for (const [device, connected, theirCursor, ourCursor, theirLog] of rows)
        recordPeers.run(keys.name, device, connected, now, theirCursor, ourCursor, theirLog);
    })();
  }, 1_000);

  return {
    room: keys.name,
    replicator,
    transport,
    step,
    docBytes: () => Y.encodeStateAsUpdate(doc).length,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(peersTimer);
      db.prepare('UPDATE sync_peers SET connected = 0 WHERE room = ?').run(keys.name);
      await transport.close();
      doc.destroy();
    },
  };
}
