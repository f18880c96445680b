import { afterEach, describe, expect, it } from 'vitest';
import { setClinicLocale } from '../format.js';
import { checkpointInWords, restoredInWords, verifyInWords } from './Home.js';

afterEach(() => setClinicLocale('en-GB'));

const at = new Date(2026, 10, 30, 14, 2).getTime();
const checkpoint = { hash: 'a'.repeat(64), at, size: 120, chain: 'b'.repeat(64), devices: 2, otherClinics: 1, matches: true, replaced: false };

describe('the Clinic page in words', () => {
  it('says who witnessed a checkpoint, in the clinic locale', () => {
    setClinicLocale('en-GB');
    expect(checkpointInWords(checkpoint)).toBe('Checkpoint of 30 Nov, 14:02, witnessed by 2 devices and 1 other clinic');
    expect(checkpointInWords({ ...checkpoint, devices: 1, otherClinics: 0 })).toBe('Checkpoint of 30 Nov, 14:02, witnessed by 1 device');
    expect(checkpointInWords({ ...checkpoint, devices: 0, otherClinics: 2 })).toBe('Checkpoint of 30 Nov, 14:02, witnessed by 2 other clinics');
    setClinicLocale('en-US');
    expect(checkpointInWords(checkpoint)).toBe('Checkpoint of Nov 30, 2:02 PM, witnessed by 2 devices and 1 other clinic');
  });

  it('says when the record was last verified and what was found', () => {
    setClinicLocale('en-GB');
    expect(verifyInWords(null)).toBe('The whole record has not been verified on this computer yet.');
    expect(verifyInWords({ at, intact: true, entries: 1234, problem: null, viewsMatch: true, notChecked: [] })).toBe(
      'Last verified 30 Nov 2026, 14:02: intact (1,234 entries; nothing was altered or removed).',
    );
    // Without a witnessed checkpoint kept outside the record, it does not claim that nothing was removed.
    const unwitnessed = ['removal of the newest entries (no checkpoint witnessed by another computer is kept yet)'];
    expect(verifyInWords({ at, intact: true, entries: 12, problem: null, viewsMatch: true, notChecked: unwitnessed })).toBe(
      'Last verified 30 Nov 2026, 14:02: intact (12 entries; nothing was altered). Not checked: removal of the newest entries (no checkpoint witnessed by another computer is kept yet).',
    );
    expect(verifyInWords({ at, intact: false, entries: 7, problem: 'entry #7: bad signature', viewsMatch: null, notChecked: [] })).toBe(
      'Last verified 30 Nov 2026, 14:02: PROBLEM FOUND after 7 entries — entry #7: bad signature.',
    );
  });

  it('says that a restored computer waits to catch up, and stops saying so once it has', () => {
    setClinicLocale('en-GB');
    const restored = { at, backupAt: at - 86_400_000, waiting: true };
    expect(restoredInWords(restored)).toMatch(/^Restored on 30 Nov 2026, 14:02 from a backup of 29 Nov 2026, 14:02\. Waiting to catch up: /);
    expect(restoredInWords({ ...restored, waiting: false })).toBe('Restored on 30 Nov 2026, 14:02 from a backup of 29 Nov 2026, 14:02.');
  });
});
