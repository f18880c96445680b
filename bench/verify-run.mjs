// Runs full verification of one database and prints rate and peak memory as JSON (used by bench/ledger.mjs).
// The database key comes from the folder's vault, unlocked as the bench unlocked it (bench/options.mjs).
import { dirname } from 'node:path';
import { verifyDatabase } from '../out/node/main/ledger/verify.js';
import { unlockFromEnvironment, Vault } from '../out/node/main/store/vault.js';

const file = process.argv[2];
const { dbKey } = Vault.open(dirname(file), unlockFromEnvironment()).secrets;
const start = process.hrtime.bigint();
const report = await verifyDatabase(file, { dbKey });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ entries: report.entries, ok: report.problem === null, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
