import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomic } from './atomicFile.js';

describe('writeAtomic', () => {
  it('writes the file whole under its name, readable by its owner only, and leaves no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'movelog-atomic-'));
    const out = join(dir, 'report.csv');
    const seen: string[] = [];
    const result = await writeAtomic(out, async (w) => {
      await w.write('a,b\n');
      seen.push(...readdirSync(dir));
      await w.write(Buffer.from('1,2\n'));
      return 2;
    });
    expect(result).toBe(2);
    // While writing, only the partial file exists, beside the final name.
    expect(seen).toEqual([expect.stringMatching(/^report\.csv\.partial-\d+-[0-9a-f]{12}$/)]);
    expect(readFileSync(out, 'utf8')).toBe('a,b\n1,2\n');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['report.csv']);
  });

  it('on an error removes the partial file and leaves the previous file as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'movelog-atomic-'));
    const out = join(dir, 'report.csv');
    writeFileSync(out, 'last month\n');
    await expect(
      writeAtomic(out, async (w) => {
        await w.write('half');
        throw new Error('disk on fire');
      }),
    ).rejects.toThrow('disk on fire');
    expect(readdirSync(dir)).toEqual(['report.csv']);
    expect(readFileSync(out, 'utf8')).toBe('last month\n');
  });

  it('on an abort stops at the next write, removes the partial file and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'movelog-atomic-'));
    const out = join(dir, 'report.csv');
    const abort = new AbortController();
    await expect(
      writeAtomic(
        out,
        async (w) => {
          await w.write('first');
          abort.abort();
          await w.write('second');
        },
        abort.signal,
      ),
    ).rejects.toThrow('Cancelled: nothing was written.');
    expect(readdirSync(dir)).toEqual([]);
    await expect(writeAtomic(out, () => Promise.resolve(), abort.signal)).rejects.toThrow('Cancelled');
    expect(readdirSync(dir)).toEqual([]);
  });
});
