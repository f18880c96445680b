import { execFileSync } from 'node:child_process';

/**
 * Reads a PDF as a reader would, with Debian's poppler-utils (installed by .ci/run): the text in
 * reading order (`pdftotext -layout`), the page count (`pdfinfo`), and whether every page renders
 * (`pdftoppm` at low resolution, which fails on a damaged page stream). Tests only.
 */
export function readPdf(file: string): { text: string; pages: number } {
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? NaN);
  return { text, pages };
}

/** Renders pages `first`..`last` to PNG at 30 dpi; throws (with poppler's message) if a page cannot be drawn. Returns the size of the PNG output. */
export function renderPdfPages(file: string, first: number, last: number): number {
  const out = execFileSync('pdftoppm', ['-r', '30', '-f', String(first), '-l', String(last), '-png', file], {
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.length;
}
