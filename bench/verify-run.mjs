// Runs full verification of one database and prints rate and peak memory as JSON (used by bench/ledger.mjs).
import { verifyDatabase } from '../out/node/main/ledger/verify.js';

const start = process.hrtime.bigint();
const report = await verifyDatabase(process.argv[2]);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ entries: report.entries, ok: report.problem === null, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
