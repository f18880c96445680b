import { describe, expect, it } from 'vitest';
import { CALL_NAMES } from './contract.js';
import { CALL_WORDS, describeRequest } from './labels.js';

describe('requests in words', () => {
  it('describes every call without its API name', () => {
    for (const name of CALL_NAMES) {
      const words = describeRequest(name);
      expect(words).not.toContain(name);
      expect(words).not.toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    }
    expect(describeRequest('session.signIn')).toBe('sign in');
    expect(describeRequest('staff.setPassphrase')).toBe("change a staff member's passphrase");
    expect(describeRequest('no.suchCall')).toBe('make a request Movelog does not know');
  });

  it('has words for every call in the contract (a new call gets its words here)', () => {
    expect(CALL_NAMES.filter((name) => CALL_WORDS[name] === undefined)).toEqual([]);
  });
});
