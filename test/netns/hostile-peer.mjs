// Usage: node test/netns/hostile-peer.mjs <data dir> <peer keys, comma-separated> <mode>...
// A malicious member of a clinic room, for hostile.int.test.ts. It opens a paired device's data
// directory (compiled code from out/node: run `npx tsc -p tsconfig.node.json` first), joins the
// clinic room with y-webrtc directly (not through main/sync, which would refuse to misbehave),
// waits until it is connected to every honest peer named on the command line, and attacks once
// per mode, in order:
//
//   forged      a batch under its own key whose entry (by this device) has a signature that does
//               not verify: one bit of a real signature flipped
//   revoked     a batch with a correctly signed entry by this device (made on its own copy of the
//               ledger, which does not know it was revoked)
//   equivocate  a batch with two different, correctly signed entries at the same (stream, author, seq)
//   oversized   a y-webrtc sync-update message, sent raw on the data channel, carrying a real Yjs
//               update over the 16 KiB limit
//   malformed   a sync-update message whose "update" is random bytes
//
// Batch attacks end when every honest peer's frontier shows it took the batch; raw attacks end
// when every peer the message went to has closed the connection (or after 30 s). Prints
// `PEER ID <y-webrtc peer id>`, `ENTRY <hash>` for each entry it published, `CLOSED n/m` for raw
// attacks and `ATTACK DONE <mode>` after each. Exits 0 when every attack was delivered, 1 on error.
import { randomBytes } from 'node:crypto';
import wrtc from '@roamhq/wrtc';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';

const OUT = new URL('../../out/node/main/', import.meta.url);
const load = (path) => import(new URL(path, OUT).href);
const { openMovelog } = await load('core.js');
const { entryHash, decodeBase64url, encodeBase64url } = await load('ledger/crypto/index.js');
const { encodeEntry } = await load('ledger/entry.js');
const { clinicStream } = await load('ledger/streams.js');
const { BATCH_KEY, SLOTS, decodeFrontier, docMaps, encodeBatch } = await load('sync/doc.js');
const { messageProblem } = await load('sync/guard.js');
const { roomKeys } = await load('sync/rooms.js');
const { clinicSecret, readSyncSettings } = await load('sync/settings.js');

const MODES = ['forged', 'revoked', 'equivocate', 'oversized', 'malformed'];
const [dataDir, peerList, ...modes] = process.argv.slice(2);
if (!dataDir || !peerList || modes.length === 0 || modes.some((m) => !MODES.includes(m))) {
  console.error(`usage: hostile-peer.mjs <data dir> <peer keys,…> <${MODES.join('|')}>...`);
  process.exit(2);
}
const honest = peerList.split(',').filter((k) => k !== '');
const STEP_TIMEOUT_MS = 60_000;

const fail = (message) => {
  console.error(`hostile-peer: ${message}`);
  process.exit(1);
};
process.on('unhandledRejection', (error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));

/** Resolves when `check()` is true (polled); rejects naming `what` after `timeoutMs`. */
async function until(check, what, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ------------------------------------------------------------------ this device and its room

const movelog = openMovelog(dataDir, Date.now, { warn: () => undefined, error: () => undefined });
const { db, ledger, keystore } = movelog;
const me = ledger.device.publicKey;
const secret = clinicSecret(db, keystore);
if (!secret) fail(`${dataDir} holds no clinic room secret (not paired)`);
const clinic = db.prepare('SELECT id FROM view_clinic LIMIT 1').get();
if (!clinic) fail('this device has no clinic yet (sync it once before turning it hostile)');
const manager = db.prepare("SELECT id FROM view_staff WHERE role = 'manager' ORDER BY created_at LIMIT 1").get();
const settings = readSyncSettings(db);
const keys = roomKeys(secret);

globalThis.WebSocket = WebSocket;
const doc = new Y.Doc();
const maps = docMaps(doc);
const provider = new WebrtcProvider(keys.name, doc, {
  signaling: [...settings.signaling],
  password: keys.password,
  peerOpts: { wrtc, config: { iceServers: [] } },
});
// y-webrtc opens the room once it has derived the room key from the password (asynchronously).
await until(() => provider.room !== null, 'y-webrtc to open the room', 10_000).catch((error) => fail(error.message));
const room = provider.room;
console.log(`PEER ID ${room.peerId}`);

const connected = () => [...room.webrtcConns.values()].filter((c) => c.connected);
/** Each honest peer's cursor into this device's log, from the frontiers it published (null until all are here). */
function honestCursors() {
  const cursors = [];
  for (const key of honest) {
    const value = maps.frontiers.get(key);
    if (!value) return null;
    cursors.push(decodeFrontier(value).cursors.get(me) ?? 0);
  }
  return cursors;
}

// ------------------------------------------------------------------ entries

class Rollback extends Error {}

/** A correctly signed entry by this device that its own ledger does not keep (the transaction is rolled back). */
function unsaved(draft) {
  let made;
  try {
    db.transaction(() => {
      made = ledger.append(draft);
      throw new Rollback();
    })();
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return { ...made, localSeq: null };
}

const settingsDraft = (minutes) => ({
  stream: clinicStream(clinic.id, 'public'),
  kind: 'clinic.settings.set',
  by: manager.id,
  body: { autoLockMinutes: minutes },
});

/** The batch item of a made entry, with its canonical bytes (checked against its hash). */
function item(made, sig = made.sig) {
  const bytes = encodeEntry(made.entry);
  if (entryHash(bytes) !== made.hash) throw new Error('re-encoded entry does not match its hash');
  return { hash: made.hash, carried: 'bytes', sig, bytes };
}

/** Publishes one batch under this device's key and waits until every honest peer took it. */
async function publishBatch(items, localSeqs) {
  await until(() => honestCursors() !== null, "the honest peers' frontiers");
  const cursors = honestCursors();
  const from = Math.min(...cursors) + 1;
  const to = Math.max(from, ...cursors.map((c) => c + 1), ...localSeqs.filter((s) => s !== null));
  const used = new Set();
  maps.batches.forEach((_value, key) => {
    const match = BATCH_KEY.exec(key);
    if (match?.[1] === me) used.add(Number(match[2]));
  });
  let slot = 0;
  while (used.has(slot)) slot++;
  if (slot >= SLOTS) throw new Error('no free slot');
  doc.transact(() => maps.batches.set(`${me}:${slot}`, encodeBatch({ from, to, items, keys: new Map() })));
  for (const i of items) console.log(`ENTRY ${i.hash}`);
  console.log(`BATCH ${me}:${slot} positions ${from}-${to}`);
  await until(() => (honestCursors() ?? []).every((c) => c >= to), 'every honest peer to take the batch');
}

// ------------------------------------------------------------------ raw messages

/** A y-webrtc sync-update message (messageSync, messageYjsUpdate, bytes). */
function syncUpdateMessage(update) {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** Sends `message` raw to every connected peer; resolves with how many of them closed the connection. */
async function sendRaw(message) {
  const targets = connected();
  let closed = 0;
  const closes = targets.map(
    (conn) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, 30_000);
        conn.peer.once('close', () => {
          closed += 1;
          clearTimeout(timer);
          resolve();
        });
      }),
  );
  for (const conn of targets) conn.peer.send(message);
  await Promise.all(closes);
  console.log(`CLOSED ${closed}/${targets.length}`);
}

// ------------------------------------------------------------------ attacks

const attacks = {
  async forged() {
    const made = unsaved(settingsDraft(17));
    const sig = decodeBase64url(made.sig);
    sig[10] ^= 0x01;
    await publishBatch([item(made, encodeBase64url(sig))], [made.localSeq]);
  },
  async revoked() {
    const made = ledger.append(settingsDraft(23));
    await publishBatch([item(made)], [made.localSeq]);
  },
  async equivocate() {
    // Same stream, author, seq, prev and deps; different body, so a different hash. Both verify.
    const first = unsaved(settingsDraft(31));
    const second = ledger.append(settingsDraft(37));
    if (first.entry.seq !== second.entry.seq || first.entry.prev !== second.entry.prev) throw new Error('the two entries are not at the same place');
    await publishBatch([item(first), item(second)], [second.localSeq]);
  },
  async oversized() {
    const scratch = new Y.Doc();
    scratch.getMap('batches').set(`${me}:0`, new Uint8Array(40 * 1024).fill(7));
    const update = Y.encodeStateAsUpdate(scratch);
    console.log(`UPDATE ${update.length} bytes`);
    await sendRaw(syncUpdateMessage(update));
  },
  async malformed() {
    // Random bytes that the guard itself calls malformed (random bytes could, very rarely, decode).
    let message;
    do message = syncUpdateMessage(randomBytes(200));
    while (!/^malformed/.test(messageProblem(message) ?? ''));
    await sendRaw(message);
  },
};

try {
  await until(() => connected().length >= honest.length, `WebRTC connections to ${honest.length} peers`);
  console.log(`CONNECTED ${connected().length}`);
  for (const mode of modes) {
    await attacks[mode]();
    console.log(`ATTACK DONE ${mode}`);
  }
} catch (error) {
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
provider.destroy();
await new Promise((resolve) => setTimeout(resolve, 200));
doc.destroy();
movelog.close();
process.exit(0);
