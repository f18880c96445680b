import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalBytes, entryHash, signEntryHash } from '../ledger/crypto/index.js';
import { clinicStream } from '../ledger/streams.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { dispatch } from './dispatch.js';
import { DAMAGED_MESSAGE } from '../store/faults.js';
import type { ServiceTable } from './table.js';

const opened: Movelog[] = [];
function open(): Movelog {
  const movelog = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-dispatch-')), () => 1_700_000_000_000);
  opened.push(movelog);
  return movelog;
}
afterEach(() => {
  for (const m of opened.splice(0)) m.close();
});

const ctx = { session: null, bridge: 'cli' } as const;
const quiet = { warn: () => undefined, error: () => undefined };

describe('dispatch', () => {
  it('refuses unknown calls, including inherited property names', async () => {
    const { services } = open();
    for (const name of ['nope', 'constructor', '__proto__', 'toString', 42, null]) {
      const result = await dispatch(services, name, {}, ctx, quiet);
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    }
  });

  it('validates input before the service runs and reports every problem in words', async () => {
    const movelog = open();
    const result = await dispatch(movelog.services, 'clinic.setup', { clinicName: '', managerName: 7, passphrase: 'x' }, ctx, quiet);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: "Clinic name is required. Manager's name must be text. Passphrase must be at least 10 characters.",
      },
    });
    expect(movelog.db.prepare('SELECT count(*) AS n FROM entries').get()).toEqual({ n: 0 });
  });

  it('sets up once, then answers conflict', async () => {
    const { services } = open();
    const input = { clinicName: '  Harbour Rehab ', managerName: 'Lee Chen', passphrase: 'a long enough passphrase' };
    const first = await dispatch(services, 'clinic.setup', input, ctx, quiet);
    expect(first).toMatchObject({
      ok: true,
      value: { name: 'Harbour Rehab', createdAt: 1_700_000_000_000, manager: { name: 'Lee Chen', role: 'manager' } },
    });
    const second = await dispatch(services, 'clinic.setup', input, ctx, quiet);
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('says in words that the ledger refused a write (a frozen computer), and records nothing', async () => {
    const movelog = open();
    const setup = await movelog.invoke('mgr', 'ws', 'clinic.setup', {
      clinicName: 'Harbour Rehab',
      managerName: 'Lee Chen',
      passphrase: 'a long enough passphrase',
    });
    expect(setup.ok).toBe(true);
    const clinicId = (movelog.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
    // This computer's key signs a second entry at the place of its genesis (a copied key): it is frozen.
    const device = movelog.ledger.device;
    const entry = {
      v: 1,
      stream: clinicStream(clinicId, 'public'),
      author: device.publicKey,
      seq: 1,
      prev: null,
      deps: [],
      at: 1,
      by: null,
      kind: 'clinic.settings.set',
      body: { autoLockMinutes: 5 },
    };
    const bytes = canonicalBytes(entry);
    expect(movelog.ledger.ingest(bytes, signEntryHash(device.privateKey, entryHash(bytes)), 'peer').status).toBe('fork');
    const entries = movelog.db.prepare('SELECT count(*) AS n FROM entries').get();
    const result = await movelog.invoke('mgr', 'ws', 'staff.add', {
      name: 'Ana Silva',
      role: 'therapist',
      licence: 'PT-1',
      passphrase: 'ana passphrase 1',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(result.ok || result.error.message).toMatch(/^Not recorded: this computer is frozen and may not write \(equivocation: .*\)\.$/);
    expect(movelog.db.prepare('SELECT count(*) AS n FROM entries').get()).toEqual(entries);
  });

  it('turns a service crash or an output outside the contract into an internal error', async () => {
    const { services } = open();
    const broken: ServiceTable = {
      ...services,
      'clinic.status': () => {
        throw new Error('disk on fire');
      },
    };
    const errors: string[] = [];
    const log = { warn: () => undefined, error: (m: string) => errors.push(m) };
    expect(await dispatch(broken, 'clinic.status', {}, ctx, log)).toMatchObject({ ok: false, error: { code: 'internal' } });
    const lying = { ...services, 'clinic.status': () => ({ state: 'haunted' }) } as unknown as ServiceTable;
    expect(await dispatch(lying, 'clinic.status', {}, ctx, log)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(errors).toHaveLength(2);
  });

  it('answers a damaged database with the message naming the way back, not an internal error (docs/architecture.md#faults)', async () => {
    const { services } = open();
    // A real SQLite error: a file that is not a database, as an encrypted page that fails its check reads.
    const junk = join(mkdtempSync(join(tmpdir(), 'movelog-dispatch-')), 'junk.db');
    writeFileSync(junk, Buffer.alloc(4096, 0xa5));
    const damaged: ServiceTable = {
      ...services,
      'clinic.status': () => {
        const db = new Database(junk);
        try {
          return db.prepare('SELECT count(*) FROM sqlite_master').get() as never;
        } finally {
          db.close();
        }
      },
    };
    expect(await dispatch(damaged, 'clinic.status', {}, ctx, quiet)).toEqual({ ok: false, error: { code: 'unavailable', message: DAMAGED_MESSAGE } });
  });
});
