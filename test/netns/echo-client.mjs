// Usage: node echo-client.mjs <host> <port> [timeoutMs]
// Sends one line to an echo server and prints the reply. Exits 0 on a correct echo, 1 otherwise
// (including when nothing answers within the timeout, default 2000 ms).
import { connect } from 'node:net';

const [host, port, timeoutArg] = process.argv.slice(2);
if (!host || !port) {
  console.error('usage: echo-client.mjs <host> <port> [timeoutMs]');
  process.exit(2);
}
const timeoutMs = Number(timeoutArg ?? 2000);
const message = `hello from ${process.pid}\n`;
let received = '';

const timer = setTimeout(() => fail(`no echo from ${host}:${port} within ${timeoutMs} ms`), timeoutMs);
const socket = connect({ host, port: Number(port) }, () => socket.write(message));
socket.setEncoding('utf8');
socket.on('data', (chunk) => {
  received += chunk;
  if (received.length >= message.length) {
    clearTimeout(timer);
    if (received !== message) fail(`wrong echo: ${JSON.stringify(received)}`);
    console.log(`echo ${received.trim()}`);
    socket.end();
    process.exit(0);
  }
});
socket.on('error', (error) => fail(`${host}:${port}: ${error.message}`));

function fail(reason) {
  console.error(`echo-client: ${reason}`);
  socket.destroy();
  process.exit(1);
}
