import { describe, expect, it } from 'vitest';
import { cryptoSelfTest } from './selfTest.js';

describe('cryptoSelfTest', () => {
  it('passes on this runtime', () => {
    expect(() => cryptoSelfTest()).not.toThrow();
  });
});
