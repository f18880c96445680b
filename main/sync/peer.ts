import * as Y from 'yjs';
import type { Movelog } from '../core.js';
import { clinicIdentity } from '../clinic/queries.js';
import { checkpointRound } from './checkpoints.js';
import { mayShare } from './entitlement.js';
import { LOCAL_ORIGIN, Replicator } from './replicator.js';
import { roomKeys } from './rooms.js';
import { ensureClinicSecret, readSyncSettings } from './settings.js';
import { openTransport } from './transport.js';
import type { Transport } from './transport.js';

export interface SyncPeer {
  readonly room: string;
  readonly replicator: Replicator;
  readonly transport: Transport;
  /** Runs one step now (normally steps run on document changes and on a short timer). */
  step(): void;
  /** Size of the room document's state (what a joining peer downloads; tracks its memory). */
  docBytes(): number;
  stop(): Promise<void>;
}

export class SyncSetupError extends Error {}

/**
 * Runs this device as a peer of its clinic's room until stopped: y-webrtc transport, the
 * replicator, and the bookkeeping `status` and the Network page read (sync_peers).
 */
export function startSync(movelog: Movelog, options: { readonly intervalMs?: number; readonly checkpointMs?: number } = {}): SyncPeer {
  const { db, ledger, keystore } = movelog;
  const secret = ensureClinicSecret(db, keystore, ledger.device.publicKey, Date.now());
  if (!secret) {
    throw new SyncSetupError(
      clinicIdentity(db)
        ? 'This device has no key for its clinic\'s network. Pair it again from a device of the clinic ("movelog pair" there, "movelog join CODE" here).'
        : 'This device belongs to no clinic yet. Set one up ("movelog init") or join one ("movelog join CODE").',
    );
  }
  const settings = readSyncSettings(db);
  if (settings.signaling.length === 0) throw new SyncSetupError('No signalling server is set. Add one with --signal ws://HOST:PORT (see "movelog signal").');
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
  // Fixed once known (a device that joined learns it when the genesis arrives); asked per row shared.
  let clinicId: string | null = null;
  const replicator = new Replicator({
    ledger,
    keystore,
    doc,
    room: keys.name,
    keyWrap: keys.keyWrap,
    // A device that joined has no clinic until the genesis arrives: it shares nothing before that.
    share: (stream) => {
      clinicId ??= clinicIdentity(db)?.id ?? null;
      return clinicId !== null && mayShare(db, stream, { kind: 'clinic', clinicId });
    },
    liveMembers: () => transport.liveMembers(),
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
  };
  const schedule = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(step);
  };
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin !== LOCAL_ORIGIN) schedule();
  });
  const timer = setInterval(schedule, options.intervalMs ?? 200);
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
      const row: [string, number, number, number, number] = [device, live.has(device) ? 1 : 0, frontier.cursors.get(me) ?? 0, replicator.cursor(device), frontier.logSize];
      const state = row.join(' ');
      const last = written.get(device);
      if (last?.state === state && (row[1] === 0 || now - last.at < 10_000)) continue;
      written.set(device, { state, at: now });
      rows.push(row);
    }
    if (rows.length === 0) return;
    db.transaction(() => {
      for (const [device, connected, theirCursor, ourCursor, theirLog] of rows) recordPeers.run(keys.name, device, connected, now, theirCursor, ourCursor, theirLog);
    })();
  }, 1_000);

  // Checkpoints of the local chain, and countersignatures of the other devices' (checkpoints.ts).
  const checkpointTimer = setInterval(() => {
    if (!stopped) checkpointRound(ledger);
  }, options.checkpointMs ?? 60_000);

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
      clearInterval(checkpointTimer);
      db.prepare('UPDATE sync_peers SET connected = 0 WHERE room = ?').run(keys.name);
      transport.destroy();
      // Let y-webrtc close its connections before the caller closes the database or exits.
      await new Promise((resolve) => setTimeout(resolve, 100));
      doc.destroy();
    },
  };
}
