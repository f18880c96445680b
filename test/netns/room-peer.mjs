// Usage: node test/netns/room-peer.mjs <device key> <signalling ws:// urls, comma-separated>
// One device's side of the simultaneous-start test (starts.int.test.ts), through main/sync's
// transport (compiled code from out/node: run `npx tsc -p tsconfig.node.json` first). Commands on
// stdin, one per line:
//   open ROOM    joins ROOM (password derived from its name); prints "connected ROOM <ms>" once a
//                WebRTC connection in it is up (ms since the open)
//   close ROOM   leaves ROOM (transport close: the members told, the connection closed once)
//                and prints "closed ROOM"
//   quit         exits 0
// Any uncaught error or unhandled rejection prints "UNCAUGHT …" on stderr and exits 70.
import { createInterface } from 'node:readline';
import * as Y from 'yjs';

const OUT = new URL('../../out/node/main/', import.meta.url);
const { openTransport } = await import(new URL('sync/transport.js', OUT).href);

const [device, urls] = process.argv.slice(2);
if (!device || !urls) {
  console.error('usage: room-peer.mjs <device key> <ws-urls>');
  process.exit(2);
}
const die = (error) => {
  console.error(`UNCAUGHT ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(70);
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

const rooms = new Map();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, name] = line.trim().split(/\s+/);
  if (command === 'quit') process.exit(0);
  if (!name) return;
  if (command === 'open' && !rooms.has(name)) {
    const doc = new Y.Doc();
    const transport = openTransport({ roomName: name, password: `password of ${name}`, doc, device, signaling: urls.split(',') });
    const opened = Date.now();
    const timer = setInterval(() => {
      if (transport.links().some((l) => l.connected) && transport.liveMembers().length > 0) {
        clearInterval(timer);
        console.log(`connected ${name} ${Date.now() - opened}`);
      }
    }, 20);
    rooms.set(name, { doc, transport, timer });
  } else if (command === 'close') {
    const room = rooms.get(name);
    if (!room) return;
    rooms.delete(name);
    clearInterval(room.timer);
    void room.transport.close().then(() => {
      room.doc.destroy();
      console.log(`closed ${name}`);
    });
  }
});
