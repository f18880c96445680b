// A signature drawn on the Consent tab's canvas, kept as the vector strokes the ledger stores
// (`DrawnSignature` in shared/ledger/kinds/consent.ts): an SVG path of integer points,
// "M x y L x y … M x y …", at most 6,000 characters so a signed entry fits one sync message
// (docs/architecture.md#consent-screens). Points are rounded to whole pixels of the pad, repeats
// dropped, and each stroke simplified (Ramer–Douglas–Peucker) with a tolerance that grows until
// the path fits.

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** The most characters a stored signature path may have. */
export const MAX_PATH = 6_000;

/** Rounds to the pad's integer grid, clamped inside it, without consecutive repeats. */
function quantize(stroke: readonly Point[], width: number, height: number): Point[] {
  const out: Point[] = [];
  for (const p of stroke) {
    const q = { x: Math.min(width, Math.max(0, Math.round(p.x))), y: Math.min(height, Math.max(0, Math.round(p.y))) };
    const last = out[out.length - 1];
    if (!last || last.x !== q.x || last.y !== q.y) out.push(q);
  }
  return out;
}

/** Distance from `p` to the segment a–b. */
function distance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Ramer–Douglas–Peucker: the points of `stroke` that keep it within `tolerance` pixels. */
export function simplify(stroke: readonly Point[], tolerance: number): Point[] {
  if (stroke.length <= 2 || tolerance <= 0) return [...stroke];
  const keep = new Array<boolean>(stroke.length).fill(false);
  keep[0] = true;
  keep[stroke.length - 1] = true;
  const spans: [number, number][] = [[0, stroke.length - 1]];
  while (spans.length > 0) {
    const [from, to] = spans.pop() ?? [0, 0];
    let far = -1;
    let farthest = tolerance;
    for (let i = from + 1; i < to; i++) {
      const d = distance(stroke[i] as Point, stroke[from] as Point, stroke[to] as Point);
      if (d > farthest) {
        farthest = d;
        far = i;
      }
    }
    if (far >= 0) {
      keep[far] = true;
      spans.push([from, far], [far, to]);
    }
  }
  return stroke.filter((_, i) => keep[i]);
}

/** "M x y L x y …" for the strokes (a single point is drawn as a dot: "M x y L x y"). */
export function pathOf(strokes: readonly (readonly Point[])[]): string {
  return strokes
    .filter((s) => s.length > 0)
    .map((s) => {
      const [first, ...rest] = s as [Point, ...Point[]];
      const line = (rest.length > 0 ? rest : [first]).map((p) => `L ${String(p.x)} ${String(p.y)}`).join(' ');
      return `M ${String(first.x)} ${String(first.y)} ${line}`;
    })
    .join(' ');
}

/**
 * The stored form of what was drawn, or null when nothing was. Simplifies harder (0.5 px, then
 * doubling) until the path fits MAX_PATH; a signature that would not fit even at a coarse
 * tolerance is null too (the pad then asks to draw it again, larger and simpler).
 */
export function signaturePath(strokes: readonly (readonly Point[])[], width: number, height: number): string | null {
  const grid = strokes.map((s) => quantize(s, width, height)).filter((s) => s.length > 0);
  if (grid.length === 0) return null;
  for (let tolerance = 0.5; tolerance <= 16; tolerance *= 2) {
    const path = pathOf(grid.map((s) => simplify(s, tolerance)));
    if (path.length <= MAX_PATH) return path;
  }
  return null;
}

/** The strokes of a stored path, to draw it again (the pad after a re-render, the history). */
export function strokesOf(path: string): Point[][] {
  const strokes: Point[][] = [];
  const tokens = path.trim().split(/\s+/);
  for (let i = 0; i + 2 < tokens.length; i += 3) {
    const point = { x: Number(tokens[i + 1]), y: Number(tokens[i + 2]) };
    if (tokens[i] === 'M') strokes.push([point]);
    else strokes[strokes.length - 1]?.push(point);
  }
  return strokes;
}
