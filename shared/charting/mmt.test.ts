import { describe, expect, it } from 'vitest';
import { MMT_GRADES, MUSCLE_GROUPS } from './mmt.js';

describe('MUSCLE_GROUPS', () => {
  it('has unique snake-case keys that the stored measure accepts, and names', () => {
    const keys = MUSCLE_GROUPS.map((g) => g.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const g of MUSCLE_GROUPS) {
      expect(g.key).toMatch(/^[a-z][a-z0-9_]{1,39}$/);
      expect(g.name.length).toBeGreaterThan(0);
    }
  });
  it('covers the groups PT tests most', () => {
    const keys = new Set(MUSCLE_GROUPS.map((g) => g.key));
    for (const k of ['hip_abductors', 'knee_extensors', 'ankle_dorsiflexors', 'shoulder_external_rotators', 'grip', 'trunk_extensors'])
      expect(keys.has(k)).toBe(true);
  });
});

describe('MMT_GRADES', () => {
  it('runs from 0 to 5, weakest first', () => {
    expect(MMT_GRADES[0]).toBe('0');
    expect(MMT_GRADES[MMT_GRADES.length - 1]).toBe('5');
  });
});
