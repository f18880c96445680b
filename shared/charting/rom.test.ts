import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessRom, ROM_NORMALS, ROM_SOURCE, romNormal } from './rom.js';

/** The key pattern of StoredMeasure's joint and motion (shared/ledger/kinds/notes.ts). */
const TABLE_KEY = /^[a-z][a-z0-9_]{1,39}$/;

describe('ROM_NORMALS', () => {
  it('names one source and has well-formed, unique keys', () => {
    expect(ROM_SOURCE).toContain('Norkin');
    const keys = ROM_NORMALS.map((r) => `${r.joint}/${r.motion}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of ROM_NORMALS) {
      expect(r.joint).toMatch(TABLE_KEY);
      expect(r.motion).toMatch(TABLE_KEY);
      expect(r.normal).toBeGreaterThanOrEqual(0);
      expect(r.normal).toBeLessThanOrEqual(180);
    }
  });
  it('has the AAOS values for the motions PT measures most', () => {
    const normal = (j: string, m: string) => romNormal(j, m)?.normal;
    expect(normal('shoulder', 'flexion')).toBe(180);
    expect(normal('shoulder', 'external_rotation')).toBe(90);
    expect(normal('knee', 'flexion')).toBe(135);
    expect(normal('knee', 'extension')).toBe(0);
    expect(normal('hip', 'flexion')).toBe(120);
    expect(normal('ankle', 'dorsiflexion')).toBe(20);
    expect(normal('cervical', 'rotation')).toBe(60);
    expect(romNormal('knee', 'rotation')).toBeUndefined();
  });
  it('is midline only for spinal flexion and extension; spinal lateral flexion and rotation take a side', () => {
    expect(ROM_NORMALS.filter((r) => r.midline).map((r) => `${r.joint}/${r.motion}`)).toEqual([
      'cervical/flexion',
      'cervical/extension',
      'thoracolumbar/flexion',
      'thoracolumbar/extension',
    ]);
  });
});

describe('assessRom', () => {
  it('is null for an unknown joint or motion', () => {
    expect(assessRom('tail', 'flexion', 10)).toBeNull();
    expect(assessRom('knee', 'abduction', 10)).toBeNull();
  });
  it('flags a range short of normal by more than 10% of normal', () => {
    // knee flexion 135: tolerance 13.5°
    expect(assessRom('knee', 'flexion', 135)).toEqual({ normal: 135, limited: false, deficit: 0 });
    expect(assessRom('knee', 'flexion', 122)).toEqual({ normal: 135, limited: false, deficit: 13 });
    expect(assessRom('knee', 'flexion', 121)).toEqual({ normal: 135, limited: true, deficit: 14 });
    expect(assessRom('knee', 'flexion', 150)).toEqual({ normal: 135, limited: false, deficit: 0 });
  });
  it('needs at least 5° short for small normals', () => {
    // eversion 15: 10% is 1.5°, but 4° short is not flagged, 5° is
    expect(assessRom('ankle', 'eversion', 11)).toEqual({ normal: 15, limited: false, deficit: 4 });
    expect(assessRom('ankle', 'eversion', 10)).toEqual({ normal: 15, limited: true, deficit: 5 });
  });
  it('reads extension-to-0° motions with negative as short of straight and positive as hyperextension', () => {
    expect(assessRom('knee', 'extension', 0)).toEqual({ normal: 0, limited: false, deficit: 0 });
    expect(assessRom('knee', 'extension', 5)).toEqual({ normal: 0, limited: false, deficit: 0 });
    expect(assessRom('knee', 'extension', -4)).toEqual({ normal: 0, limited: false, deficit: 4 });
    expect(assessRom('knee', 'extension', -10)).toEqual({ normal: 0, limited: true, deficit: 10 });
    expect(assessRom('elbow', 'extension', -5)).toEqual({ normal: 0, limited: true, deficit: 5 });
  });
  it('never gives a negative deficit, and more range never makes a limit', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROM_NORMALS), fc.integer({ min: -90, max: 360 }), fc.integer({ min: 0, max: 90 }), (row, degrees, more) => {
        const a = assessRom(row.joint, row.motion, degrees);
        const b = assessRom(row.joint, row.motion, degrees + more);
        expect(a?.deficit).toBeGreaterThanOrEqual(0);
        expect(a?.deficit).toBe(Math.max(0, row.normal - degrees));
        if (a?.limited === false) expect(b?.limited).toBe(false);
      }),
    );
  });
});
