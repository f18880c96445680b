// Hypercore replication benchmark: the peer figure for our sync benchmark. It measures
// hypercore's own best case on this machine — two cores in one process, replicating over a
// piped pair of its own replication streams (Noise-encrypted, but no network), so nothing but
// hypercore's protocol, Merkle verification and storage is in the way.
//   - untimed: a writer core appends `blocks` random blocks of `blockSize` bytes, 1,000 per append
//   - timed:   from creating the replication streams until the reader has downloaded and
//              verified every block
// Usage: node bench/hypercore.mjs [--blocks N] [--smoke]   (prints one line of JSON; sync.mjs runs it as its limit)
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Hypercore from 'hypercore';
import { benchOptions } from './options.mjs';

const BATCH = 1000;
const SPOT_CHECKS = 20;

/**
 * Replicates `blocks` blocks of `blockSize` bytes from a writer core to a fresh reader core in
 * this process and times the transfer.
 * @param {{ blocks?: number, blockSize?: number }} [options]
 * @returns {Promise<{ blocks: number, blockSize: number, seconds: number, blocksPerSecond: number, bytes: number }>}
 */
export async function hypercoreReplication({ blocks = 100_000, blockSize = 600 } = {}) {
  if (!Number.isInteger(blocks) || blocks < 1) throw new Error(`blocks must be a positive integer, got ${blocks}`);
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new Error(`blockSize must be a positive integer, got ${blockSize}`);

  const writerDir = mkdtempSync(join(tmpdir(), 'movelog-bench-hypercore-writer-'));
  const readerDir = mkdtempSync(join(tmpdir(), 'movelog-bench-hypercore-reader-'));
  /** @type {Hypercore | null} */
  let writer = null;
  /** @type {Hypercore | null} */
  let reader = null;
  /** @type {{ destroy: () => void } | null} */
  let s1 = null;
  /** @type {{ destroy: () => void } | null} */
  let s2 = null;
  try {
    writer = new Hypercore(writerDir);
    await writer.ready();
    for (let i = 0; i < blocks; i += BATCH) {
      const n = Math.min(BATCH, blocks - i);
      const data = randomBytes(n * blockSize);
      const batch = [];
      for (let j = 0; j < n; j++) batch.push(data.subarray(j * blockSize, (j + 1) * blockSize));
      await writer.append(batch);
    }
    if (writer.length !== blocks) throw new Error(`writer has ${writer.length} blocks, expected ${blocks}`);

    reader = new Hypercore(readerDir, writer.key);
    await reader.ready();

    const start = process.hrtime.bigint();
    s1 = writer.replicate(true);
    s2 = reader.replicate(false);
    s1.pipe(s2).pipe(s1);
    // Without a findingPeers() hook update() returns at once, so ask it to wait for the peer.
    await reader.update({ wait: true });
    await reader.download({ start: 0, end: blocks }).done();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;

    if (reader.length !== blocks) throw new Error(`reader length ${reader.length}, expected ${blocks}`);
    if (reader.contiguousLength !== blocks) throw new Error(`reader contiguousLength ${reader.contiguousLength}, expected ${blocks}`);
    if (reader.byteLength !== blocks * blockSize) throw new Error(`reader byteLength ${reader.byteLength}, expected ${blocks * blockSize}`);
    const indices = [0, blocks - 1];
    for (let i = 0; i < SPOT_CHECKS; i++) indices.push(randomInt(blocks));
    for (const index of indices) {
      const [ours, theirs] = await Promise.all([reader.get(index, { wait: false }), writer.get(index, { wait: false })]);
      if (ours === null || theirs === null || !ours.equals(theirs)) throw new Error(`block ${index} differs between reader and writer`);
    }

    return { blocks, blockSize, seconds, blocksPerSecond: blocks / seconds, bytes: reader.byteLength };
  } finally {
    s1?.destroy();
    s2?.destroy();
    await reader?.close();
    await writer?.close();
    rmSync(writerDir, { recursive: true, force: true });
    rmSync(readerDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { blocks } = benchOptions('node bench/hypercore.mjs [--blocks N] [--smoke]', { blocks: { full: 100_000, smoke: 1_000 } });
  console.log(JSON.stringify(await hypercoreReplication({ blocks })));
}
