/**
 * Opens a data folder's database file directly, read-write, as an attacker with a copy of the
 * folder and its secret would (integration tests that tamper with it): keyed from the folder's
 * vault, or the key a test database was made with (main/ledger/testing/fixtures.ts).
 */
export { openRaw } from '../../main/ledger/testing/fixtures.js';
