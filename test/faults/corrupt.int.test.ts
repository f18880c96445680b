import { closeSync, cpSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { DAMAGED_MESSAGE } from '../../main/store/faults.js';
import { movelogCli } from '../support/cli.js';
import { tempDataDir } from '../support/host.js';
import { openRaw, opensAndVerifies } from './support.js';

/**
 * A damaged page in a closed data folder's movelog.db (docs/architecture.md#faults): verify and
 * every opener refuse with the one message that names the damage and the way back (a backup, or
 * the clinic's other devices); nothing is read as if it were whole, and nothing crashes.
 */

interface Target {
  readonly what: string;
  readonly page: number;
}

/** Flips the first 16 bytes of page `page` (1-based) of the folder's movelog.db: its b-tree header, or for page 1 the file header. */
function damagePage(dir: string, page: number, pageSize: number): void {
  const fd = openSync(join(dir, 'movelog.db'), 'r+');
  try {
    const bytes = Buffer.alloc(16);
    const at = (page - 1) * pageSize;
    readSync(fd, bytes, 0, bytes.length, at);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (bytes[i] ?? 0) ^ 0xa5;
    writeSync(fd, bytes, 0, bytes.length, at);
  } finally {
    closeSync(fd);
  }
}

const digest = (dir: string) =>
  createHash('sha256')
    .update(readFileSync(join(dir, 'movelog.db')))
    .digest('hex');

describe('a damaged database page', () => {
  let clinic: string;
  let pageSize: number;
  let targets: Target[];

  beforeAll(async () => {
    clinic = tempDataDir('movelog-fault-corrupt-');
    const demo = await movelogCli(['demo', '--data', clinic, '--patients', '40']);
    expect(demo.code, demo.stderr).toBe(0);
    await opensAndVerifies(clinic);
    const db = openRaw(clinic, { readonly: true });
    try {
      pageSize = db.pragma('page_size', { simple: true }) as number;
      const pageOf = (name: string, type: string) => {
        const pages = db
          .prepare<[string, string], number>('SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno')
          .pluck()
          .all(name, type);
        const page = pages[Math.floor(pages.length / 2)];
        if (page === undefined) throw new Error(`no ${type} page of ${name}`);
        return page;
      };
      targets = [
        { what: 'the file header and schema (page 1)', page: 1 },
        { what: 'a page of entries', page: pageOf('entries', 'leaf') },
        { what: 'a page of the entries hash index', page: pageOf('sqlite_autoindex_entries_1', 'leaf') },
        { what: 'a page of view_patients', page: pageOf('view_patients', 'leaf') },
      ];
    } finally {
      db.close();
    }
  });

  it('verify exits 1, and serve and sync refuse to start, naming the damage and the way back, for a damaged page anywhere; nothing is written', async () => {
    const refusal = `movelog: ${DAMAGED_MESSAGE}\n`;
    for (const target of targets) {
      const dir = tempDataDir('movelog-fault-corrupt-');
      cpSync(clinic, dir, { recursive: true });
      damagePage(dir, target.page, pageSize);
      const damaged = digest(dir);

      const verify = await movelogCli(['verify', '--data', dir]);
      expect(verify.code, `${target.what}: ${verify.stdout}${verify.stderr}`).toBe(1);
      const [first, found, ...rest] = verify.stdout.split('\n');
      expect(first, target.what).toBe(`DAMAGED: ${DAMAGED_MESSAGE}`);
      expect(found, target.what).toMatch(/^Found: \S/);
      expect(rest).toEqual(['']);
      expect(verify.stderr, target.what).toBe('');

      const serve = await movelogCli(['serve', '--data', dir, '--port', '0']);
      expect([serve.code, serve.stderr], target.what).toEqual([2, refusal]);
      const sync = await movelogCli(['sync', '--data', dir, '--quiet']);
      expect([sync.code, sync.stderr], target.what).toEqual([2, refusal]);
      // The refusals changed nothing: the damaged file is as it was, for whoever repairs it.
      expect(digest(dir), target.what).toBe(damaged);

      // A reader that does not reach the damaged page answers; one that does refuses the same way.
      const status = await movelogCli(['status', '--data', dir]);
      if (status.code !== 0) expect([status.code, status.stderr], target.what).toEqual([2, refusal]);
    }
  });
});
