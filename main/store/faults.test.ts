import { describe, expect, it } from 'vitest';
import { DAMAGED_MESSAGE, DISK_FULL_MESSAGE, describeStoreFault, storeFault } from './faults.js';

const coded = (code: string, cause?: unknown) => Object.assign(new Error(code, { cause }), { code });

describe('storage faults (docs/architecture.md#faults)', () => {
  it('tells a full disk and a damaged database apart from everything else, through wrapped causes', () => {
    expect(storeFault(coded('SQLITE_FULL'))).toBe('full');
    expect(storeFault(coded('ENOSPC'))).toBe('full');
    expect(storeFault(coded('SQLITE_CORRUPT'))).toBe('damaged');
    expect(storeFault(coded('SQLITE_CORRUPT_INDEX'))).toBe('damaged');
    // An encrypted page that fails its authentication reads as "file is not a database".
    expect(storeFault(coded('SQLITE_NOTADB'))).toBe('damaged');
    expect(storeFault(new Error('Cannot open the database', { cause: coded('SQLITE_NOTADB') }))).toBe('damaged');
    for (const other of [coded('SQLITE_BUSY'), coded('SQLITE_CONSTRAINT_UNIQUE'), new Error('bug'), null, 'SQLITE_FULL', { code: 7 }])
      expect(storeFault(other)).toBeNull();
    expect(describeStoreFault(coded('SQLITE_FULL'))).toBe(DISK_FULL_MESSAGE);
    expect(describeStoreFault(coded('SQLITE_NOTADB'))).toBe(DAMAGED_MESSAGE);
    expect(describeStoreFault(new Error('bug'))).toBeNull();
  });
});
