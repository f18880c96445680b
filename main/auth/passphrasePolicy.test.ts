import { describe, expect, it } from 'vitest';
import { COMMON_MESSAGE, passphraseProblem } from './passphrasePolicy.js';

describe('passphraseProblem', () => {
  it('refuses common passwords, also with digits or symbols added at either end and in any case', async () => {
    for (const weak of ['password123', 'Password123!', '1234567890', 'qwertyuiop', 'iloveyou2024', '!!Football99', 'PASS word 1234']) {
      expect(await passphraseProblem(weak, []), weak).toBe(COMMON_MESSAGE);
    }
  });

  it('refuses repetition and the person’s or the clinic’s name', async () => {
    expect(await passphraseProblem('aaaaaaaaaaaa', [])).toMatch(/repeats/);
    expect(await passphraseProblem('abababababab', [])).toMatch(/repeats/);
    expect(await passphraseProblem('Fran Ortiz 2024', ['Fran Ortiz', 'Harbour Rehab'])).toMatch(/must not be a name/);
    expect(await passphraseProblem('harbourrehab!', ['Fran Ortiz', 'Harbour Rehab'])).toMatch(/must not be a name/);
  });

  it('accepts passphrases that are none of these', async () => {
    for (const good of ['correct horse battery', 'manager passphrase 1', 'teal kettle under rain', 'Fran Ortiz walks the dog']) {
      expect(await passphraseProblem(good, ['Fran Ortiz', 'Harbour Rehab']), good).toBeNull();
    }
  });
});
