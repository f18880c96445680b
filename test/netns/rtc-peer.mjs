// Usage: node rtc-peer.mjs <offer|answer> <signalling ws:// url> <topic>
// One side of a WebRTC data-channel check for the netns harness test. Signalling goes through
// y-webrtc's signalling server (publish/subscribe on <topic>); SDP is exchanged without trickle
// (each side waits for ICE gathering to complete). No STUN/TURN: { iceServers: [] }.
// The offerer sends "ping", the answerer replies "pong"; each prints "got <message>" and its
// local candidates, and exits 0. Exits 1 on error.
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';

const [role, url, topic] = process.argv.slice(2);
if ((role !== 'offer' && role !== 'answer') || !url || !topic) {
  console.error('usage: rtc-peer.mjs <offer|answer> <ws-url> <topic>');
  process.exit(2);
}
const me = `${role}-${process.pid}`;
const log = (line) => console.log(`[${role}] ${line}`);
const fail = (reason) => {
  console.error(`[${role}] ${reason}`);
  process.exit(1);
};

const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
pc.onconnectionstatechange = () => {
  log(`connection ${pc.connectionState}`);
  if (pc.connectionState === 'failed') fail('peer connection failed');
};
pc.onicecandidate = (event) => {
  if (event.candidate) log(`candidate ${event.candidate.candidate}`);
};

function gathered() {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
}

function useChannel(channel) {
  channel.onopen = () => {
    log('channel open');
    if (role === 'offer') channel.send('ping');
  };
  channel.onmessage = (event) => {
    log(`got ${String(event.data)}`);
    if (role === 'answer') {
      channel.send('pong');
      // Give the reply time to leave before closing.
      setTimeout(() => finish(), 500);
    } else {
      finish();
    }
  };
}

function finish() {
  pc.close();
  ws.close();
  process.exit(0);
}

let ws;
const publish = (data) => ws.send(JSON.stringify({ type: 'publish', topic, data: { ...data, from: me } }));
let sawPeer = false;

// The signalling server prints its banner just before it listens: retry a refused connection briefly.
function connectSignalling(attempt) {
  let opened = false;
  ws = new WebSocket(url);
  ws.on('error', (error) => {
    if (!opened && attempt < 20) return void setTimeout(() => connectSignalling(attempt + 1), 250);
    fail(`signalling: ${error.message}`);
  });
  ws.on('open', () => {
    opened = true;
    log(`signalling connected to ${url}`);
    ws.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
    publish({ kind: 'ready' });
  });
  ws.on('message', onMessage);
}
connectSignalling(0);

function onMessage(raw) {
  const message = JSON.parse(String(raw));
  if (message.type !== 'publish' || !message.data || message.data.from === me) return;
  const data = message.data;
  void (async () => {
    if (data.kind === 'ready' && !sawPeer) {
      sawPeer = true;
      // Whoever subscribed first missed nothing: answering "ready" tells it the other side is there.
      publish({ kind: 'ready' });
      if (role === 'offer') {
        useChannel(pc.createDataChannel('check'));
        await pc.setLocalDescription(await pc.createOffer());
        await gathered();
        publish({ kind: 'offer', sdp: pc.localDescription.sdp });
      }
    } else if (data.kind === 'offer' && role === 'answer') {
      pc.ondatachannel = (event) => useChannel(event.channel);
      await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      await gathered();
      publish({ kind: 'answer', sdp: pc.localDescription.sdp });
    } else if (data.kind === 'answer' && role === 'offer') {
      await pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
    }
  })().catch((error) => fail(`signalling step ${data.kind}: ${error instanceof Error ? error.message : String(error)}`));
}
