import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAtomic, openAtomicStream, PARTIAL_MARK, removePartials, writeAtomic } from './atomicFile.js';

const folder = () => mkdtempSync(join(tmpdir(), 'movelog-atomic-'));

describe('atomic files (docs/architecture.md#long-work-off-the-main-thread)', () => {
  it('writes beside the final name, 0600, and only commit gives it the final name', () => {
    const dir = folder();
    const path = join(dir, 'report.csv');
    const file = openAtomic(path);
    expect(file.partial.startsWith(`${path}${PARTIAL_MARK}${process.pid}-`)).toBe(true);
    file.write('a,b\n');
    file.write(Buffer.from('1,2\n'));
    expect(existsSync(path)).toBe(false);
    expect(statSync(file.partial).mode & 0o777).toBe(0o600);
    file.commit();
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['report.csv']);
    file.commit(); // idempotent
    file.abort(); // no-op after commit
    expect(readdirSync(dir)).toEqual(['report.csv']);
  });

  it('abort leaves nothing, and an older file under the final name stays untouched', () => {
    const dir = folder();
    const path = join(dir, 'report.csv');
    writeFileSync(path, 'previous');
    const file = openAtomic(path);
    file.write('half of a new report');
    file.abort();
    expect(readdirSync(dir)).toEqual(['report.csv']);
    expect(readFileSync(path, 'utf8')).toBe('previous');
    expect(() => file.commit()).toThrow(/abandoned/);
    expect(() => file.write('x')).toThrow(/no longer open/);
  });

  it('a crash (no commit, no abort) leaves only a .partial, never the final name; removePartials clears it', () => {
    const dir = folder();
    const path = join(dir, 'report.pdf');
    const file = openAtomic(path);
    file.write('%PDF-1.7 half');
    // The process dies here: nothing more runs for this file.
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual([file.partial.slice(dir.length + 1)]);
    writeFileSync(join(dir, 'kept.csv'), 'whole');
    expect(removePartials(dir)).toEqual([file.partial.slice(dir.length + 1)]);
    expect(readdirSync(dir)).toEqual(['kept.csv']);
  });

  it('the stream form commits what was piped, and abort removes the partial', async () => {
    const dir = folder();
    const done = openAtomicStream(join(dir, 'a.csv'));
    done.stream.write('x,y\n');
    await done.commit();
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('x,y\n');

    const dropped = openAtomicStream(join(dir, 'b.csv'));
    dropped.stream.write('half');
    expect(statSync(dropped.partial).mode & 0o777).toBe(0o600);
    await dropped.abort();
    await expect(dropped.commit()).rejects.toThrow(/abandoned/);
    expect(readdirSync(dir)).toEqual(['a.csv']);
  });

  it('writeAtomic removes the partial when the writer throws or the signal aborts', async () => {
    const dir = folder();
    await expect(
      writeAtomic(join(dir, 'c.csv'), async (t) => {
        t.stream.write('half');
        await Promise.resolve();
        throw new Error('the query failed');
      }),
    ).rejects.toThrow('the query failed');
    const controller = new AbortController();
    await expect(
      writeAtomic(
        join(dir, 'd.csv'),
        async (t) => {
          t.stream.write('half');
          controller.abort(new Error('cancelled'));
          await Promise.resolve();
          return 1;
        },
        controller.signal,
      ),
    ).rejects.toThrow('cancelled');
    expect(readdirSync(dir)).toEqual([]);
    expect(await writeAtomic(join(dir, 'e.csv'), (t) => Promise.resolve(t.stream.write('whole') ? 1 : 1))).toBe(1);
    expect(readdirSync(dir)).toEqual(['e.csv']);
  });
});
