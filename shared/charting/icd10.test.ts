import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ICD10_PATTERN } from '../ledger/kinds/notes.js';
import { ICD10_CODES, ICD10_SOURCE, searchIcd10 } from './icd10.js';

const codes = (found: readonly { code: string }[]) => found.map((c) => c.code);

describe('ICD10_CODES', () => {
  it('names its source and lists each code once, well formed, with its description', () => {
    expect(ICD10_SOURCE).toMatch(/ICD-10-CM/);
    expect(ICD10_CODES.length).toBeGreaterThanOrEqual(250);
    expect(ICD10_CODES.length).toBeLessThanOrEqual(400);
    expect(new Set(codes(ICD10_CODES)).size).toBe(ICD10_CODES.length);
    for (const c of ICD10_CODES) {
      expect(c.code).toMatch(ICD10_PATTERN);
      expect(c.text.length).toBeGreaterThan(0);
      expect(c.text.length).toBeLessThanOrEqual(200);
      expect(c.text).toBe(c.text.trim());
    }
  });
  it('gives injury codes the 7th character A (initial encounter) and says so', () => {
    for (const c of ICD10_CODES.filter((x) => x.code.startsWith('S'))) {
      expect(c.code).toMatch(/^S\d\d\.[0-9X]{3}A$/);
      expect(c.text).toMatch(/initial encounter/);
    }
  });
  it('has the FY2022 low back pain codes and not the retired M54.5', () => {
    expect(codes(ICD10_CODES)).toEqual(expect.arrayContaining(['M54.50', 'M54.51', 'M54.59', 'R26.2', 'Z96.651', 'Z47.1', 'M62.81']));
    expect(codes(ICD10_CODES)).not.toContain('M54.5');
  });
  it('names the side in the description of each right/left code', () => {
    const text = (code: string) => ICD10_CODES.find((c) => c.code === code)?.text;
    expect(text('M25.561')).toBe('Pain in right knee');
    expect(text('M25.562')).toBe('Pain in left knee');
    expect(text('M25.572')).toBe('Pain in left ankle and joints of left foot');
    expect(text('S83.511A')).toBe('Sprain of anterior cruciate ligament of right knee, initial encounter');
  });
});

describe('searchIcd10', () => {
  it('finds a code by its prefix with or without the dot, in any case', () => {
    expect(codes(searchIcd10('m25561'))).toEqual(['M25.561']);
    expect(codes(searchIcd10('M25.561'))).toEqual(['M25.561']);
    expect(codes(searchIcd10(' m25.56 '))).toEqual(['M25.561', 'M25.562', 'M25.569']);
    expect(codes(searchIcd10('M54.5'))).toEqual(['M54.50', 'M54.51', 'M54.59']);
  });
  it('finds descriptions holding every word, in any order, case-insensitive', () => {
    expect(codes(searchIcd10('knee pain'))).toEqual(['M25.561', 'M25.562', 'M25.569']);
    expect(codes(searchIcd10('LEFT ACL'))).toEqual([]);
    expect(codes(searchIcd10('anterior cruciate left'))).toEqual(['S83.512A']);
    expect(codes(searchIcd10('adhesive caps'))).toEqual(['M75.00', 'M75.01', 'M75.02']);
  });
  it('puts code matches before word matches', () => {
    // "r26" starts the R26 codes; no description has a word starting "r26".
    expect(codes(searchIcd10('r26')).slice(0, 2)).toEqual(['R26.0', 'R26.1']);
    // "m17 right" matches by code word and description word.
    expect(codes(searchIcd10('m17 right'))).toEqual(['M17.11', 'M17.31']);
  });
  it('returns nothing for an empty query or limit, and at most `limit` results', () => {
    expect(searchIcd10('')).toEqual([]);
    expect(searchIcd10('   ')).toEqual([]);
    expect(searchIcd10('pain', 0)).toEqual([]);
    expect(searchIcd10('pain', 3)).toHaveLength(3);
    expect(searchIcd10('pain').length).toBeLessThanOrEqual(20);
    expect(searchIcd10('zzzz')).toEqual([]);
  });
  it('is stable: the same query gives the same answer, and a longer limit extends a shorter one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('pain', 'sprain', 'right', 'm', 's83', 'knee', 'osteoarthritis', 'strain left'),
        fc.integer({ min: 1, max: 60 }),
        (q, n) => {
          const all = searchIcd10(q, 400);
          expect(searchIcd10(q, n)).toEqual(all.slice(0, n));
          expect(new Set(codes(all)).size).toBe(all.length);
        },
      ),
    );
  });
  it('finds every listed code by its own code', () => {
    for (const c of ICD10_CODES) expect(searchIcd10(c.code, 400)[0]).toEqual(c);
  });
});
