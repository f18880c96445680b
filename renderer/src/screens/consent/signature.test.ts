import { describe, expect, it } from 'vitest';
import { DrawnSignature } from '../../../../shared/ledger/kinds/consent.js';
import { MAX_PATH, pathOf, signaturePath, simplify, strokesOf } from './signature.js';
import type { Point } from './signature.js';

const line = (n: number, y: (i: number) => number): Point[] => Array.from({ length: n }, (_, i) => ({ x: i * 0.37, y: y(i) }));

describe('a drawn signature as the ledger stores it', () => {
  it('is an SVG path of integer points inside the pad, without repeats', () => {
    const path = signaturePath(
      [
        [
          { x: 10.4, y: 5.6 },
          { x: 10.2, y: 5.9 },
          { x: 30.7, y: -3 },
          { x: 500, y: 20 },
        ],
      ],
      300,
      100,
    );
    expect(path).toBe('M 10 6 L 31 0 L 300 20');
    expect(DrawnSignature.safeParse({ width: 300, height: 100, path }).success).toBe(true);
  });

  it('keeps every stroke, and draws a lone point as a dot', () => {
    expect(
      pathOf([
        [{ x: 1, y: 2 }],
        [
          { x: 3, y: 4 },
          { x: 5, y: 6 },
        ],
      ]),
    ).toBe('M 1 2 L 1 2 M 3 4 L 5 6');
    expect(strokesOf('M 1 2 L 1 2 M 3 4 L 5 6')).toEqual([
      [
        { x: 1, y: 2 },
        { x: 1, y: 2 },
      ],
      [
        { x: 3, y: 4 },
        { x: 5, y: 6 },
      ],
    ]);
  });

  it('is null when nothing was drawn', () => {
    expect(signaturePath([], 300, 100)).toBeNull();
    expect(signaturePath([[]], 300, 100)).toBeNull();
  });

  it('drops points on a straight line and keeps corners', () => {
    const straight = Array.from({ length: 50 }, (_, i) => ({ x: i, y: i }));
    expect(simplify(straight, 0.5)).toEqual([
      { x: 0, y: 0 },
      { x: 49, y: 49 },
    ]);
    const corner = [...straight, { x: 60, y: 0 }];
    expect(simplify(corner, 0.5)).toEqual([
      { x: 0, y: 0 },
      { x: 49, y: 49 },
      { x: 60, y: 0 },
    ]);
  });

  it('simplifies a long scribble until it fits 6,000 characters, and stays valid', () => {
    // A pointer reports a point every few milliseconds: thousands of points of wavy strokes, far
    // more than 6,000 characters unsimplified.
    const strokes = Array.from({ length: 4 }, (_, s) => line(1500, (i) => 100 + 60 * Math.sin(i / 25 + s)));
    const rounded = strokes.map((st) => st.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })));
    expect(pathOf(rounded).length).toBeGreaterThan(MAX_PATH);
    const path = signaturePath(strokes, 600, 200);
    expect(path).not.toBeNull();
    expect(path!.length).toBeLessThanOrEqual(MAX_PATH);
    expect(DrawnSignature.safeParse({ width: 600, height: 200, path }).success).toBe(true);
  });

  it('is null rather than too long when even a coarse outline does not fit', () => {
    const scribble = Array.from({ length: 60 }, (_, s) => line(1500, (i) => 100 + 90 * Math.sin(i / 3 + s)));
    expect(signaturePath(scribble, 600, 200)).toBeNull();
  });
});
