// Usage: node echo-server.mjs <host> <port>
// A TCP echo server for the netns harness test. Prints "listening <host>:<port>" once ready.
import { createServer } from 'node:net';

const [host, port] = process.argv.slice(2);
if (!host || !port) {
  console.error('usage: echo-server.mjs <host> <port>');
  process.exit(2);
}
const server = createServer((socket) => {
  socket.on('error', () => socket.destroy());
  socket.pipe(socket);
});
server.on('error', (error) => {
  console.error(`echo-server: ${error.message}`);
  process.exit(1);
});
server.listen(Number(port), host, () => console.log(`listening ${host}:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
