// Sync bootstrap over real WebRTC between network namespaces (needs root and `ip netns`).
// A device holding N entries (default 100,000, ~600 bytes each) and a freshly paired device run
// `movelog sync` in their own namespaces; the fresh one must verify and store every entry. Limit,
// measured in the same run: hypercore's own replication of N 600-byte blocks, in-process (its best
// case). Also: bytes on the wire (both bridge ports, everything: WebRTC, DTLS, signalling) against
// the raw entry bytes, and the peak size of the room's Y.Doc state.
// Usage: npm run build && node bench/sync.mjs [--entries N] [--smoke]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openMovelog } from '../out/node/main/core.js';
import { clinicStream } from '../out/node/main/ledger/streams.js';
import { createNet } from '../out/node/main/testing/netns.js';
import { hypercoreReplication } from './hypercore.mjs';
import { cli, pairDevice, startSignal, stopCli } from './netns-cli.mjs';
import { benchOptions, ratio } from './options.mjs';

const { entries: N } = benchOptions('node bench/sync.mjs [--entries N] [--smoke]', { entries: { full: 100_000, smoke: 300 } });
const quiet = { warn: () => undefined, error: () => undefined };

function portBytes(net, peer) {
  const hub = net.namespace('hub');
  const port = `v${net.peers.indexOf(peer)}`;
  const [link] = JSON.parse(execFileSync('ip', ['-n', hub, '-s', '-j', 'link', 'show', port], { encoding: 'utf8' }));
  return link.stats64.rx.bytes; // bytes the peer sent into the bridge
}

const net = await createNet({ peers: ['a', 'b'] });
const dirs = { a: mkdtempSync(join(tmpdir(), 'movelog-bench-sync-a-')), b: mkdtempSync(join(tmpdir(), 'movelog-bench-sync-b-')) };
try {
  const signal = await startSignal(net);
  await cli(net, 'a', ['init', '--data', dirs.a, '--clinic', 'Bench Physio', '--manager', 'Lee Chen']).seen;
  await pairDevice(net, { peer: 'a', dir: dirs.a, manager: 'Lee Chen' }, { peer: 'b', dir: dirs.b, label: 'Fresh device' }, signal);

  // Seed the source device: N signed entries of ~600 bytes (refusal records: private stream) whose
  // text is random, like the ciphertext of sealed patient bodies: nothing compresses for free.
  const a = openMovelog(dirs.a, Date.now, quiet);
  const clinic = a.services['clinic.status']();
  if (clinic.state !== 'ready') throw new Error(`the source device's clinic is not set up (${clinic.state})`);
  const stream = clinicStream(clinic.clinic.id, 'private');
  for (let i = 0; i < N; i += 5_000) {
    const drafts = [];
    for (let j = i; j < Math.min(N, i + 5_000); j++)
      drafts.push({
        stream,
        kind: 'access.refused',
        by: null,
        body: { call: `bench.${randomBytes(42).toString('base64url')}`, reason: randomBytes(150).toString('base64url') },
      });
    a.ledger.appendMany(drafts);
  }
  const total = a.services['ledger.status']().entries;
  const rawBytes = a.db.prepare('SELECT sum(length(bytes)) FROM entries').pluck().get();
  a.close();

  const before = { a: portBytes(net, 'a'), b: portBytes(net, 'b') };
  const statsFile = { a: join(dirs.a, 'sync-stats.json'), b: join(dirs.b, 'sync-stats.json') };
  const syncA = cli(net, 'a', ['sync', '--data', dirs.a, '--quiet', '--stats', statsFile.a], /Syncing device/);
  await syncA.seen;
  const syncB = cli(net, 'b', ['sync', '--data', dirs.b, '--quiet', '--stats', statsFile.b], /Syncing device/);
  await syncB.seen;
  const started = process.hrtime.bigint();
  const b = openMovelog(dirs.b, Date.now, quiet);
  const status = () => b.services['ledger.status']();
  while (status().entries < total) await new Promise((r) => setTimeout(r, 50));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { quarantined } = status();
  b.close();
  const after = { a: portBytes(net, 'a'), b: portBytes(net, 'b') };
  for (const s of [syncA, syncB]) await stopCli(s);
  const statsB = JSON.parse(readFileSync(statsFile.b, 'utf8'));
  const statsA = JSON.parse(readFileSync(statsFile.a, 'utf8'));
  const wire = after.a - before.a + (after.b - before.b);
  const rate = total / seconds;

  const hc = await hypercoreReplication({ blocks: N, blockSize: 600 });

  console.log(`Sync bootstrap — ${total} entries (${(rawBytes / total).toFixed(0)} bytes each on average) over WebRTC between two namespaces`);
  console.log(`converged in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} entries/s verified and stored (quarantined: ${quarantined})`);
  console.log(`limit: hypercore ${hc.blocks} × ${hc.blockSize}-byte blocks in-process: ${hc.blocksPerSecond.toFixed(0)} blocks/s`);
  console.log(`bootstrap rate: ${ratio(rate / hc.blocksPerSecond)} to hypercore (target ≥ 1.5)`);
  console.log(`wire bytes ${wire} vs raw entry bytes ${rawBytes}: ${ratio(wire / rawBytes)} (target ≤ 1.3)`);
  console.log(
    `published into the room: source ${statsA.sent.batches} batches, ${statsA.sent.bytes} bytes; fresh device ${statsB.sent.batches} batches, ${statsB.sent.bytes} bytes`,
  );
  console.log(
    `peak Y.Doc state: source ${(statsA.peakDocBytes / 1024).toFixed(0)} KiB, fresh device ${(statsB.peakDocBytes / 1024).toFixed(0)} KiB (target ≤ 64 MB); peak RSS of the fresh device's sync process ${(statsB.peakRssBytes / 1048576).toFixed(0)} MB`,
  );
} finally {
  await net.destroy();
  for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
}
