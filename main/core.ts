import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cryptoSelfTest } from './ledger/crypto/selfTest.js';
import { loadOrCreateDeviceKey } from './ledger/deviceKey.js';
import { Ledger } from './ledger/ledger.js';
import { createServices } from './services/index.js';
import type { ServiceTable } from './services/index.js';
import { openDatabase } from './store/db.js';
import type { Db } from './store/db.js';

export interface Movelog {
  readonly dataDir: string;
  readonly db: Db;
  readonly ledger: Ledger;
  readonly services: ServiceTable;
  close(): void;
}

/**
 * Opens a data directory (creating it, readable only by this user) and everything that runs on
 * it. Both bridges and the CLI start here, so they share one implementation.
 */
export function openMovelog(dataDir: string, now: () => number = Date.now): Movelog {
  cryptoSelfTest();
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const device = loadOrCreateDeviceKey(dir);
  const db = openDatabase(join(dir, 'movelog.db'));
  const ledger = new Ledger(db, device, { now });
  const services = createServices({ ledger });
  return {
    dataDir: dir,
    db,
    ledger,
    services,
    close: () => db.close(),
  };
}
