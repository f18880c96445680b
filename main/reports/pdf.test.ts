import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportPdf } from './pdf.js';
import { readPdf, renderPdfPages } from './testing/poppler.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

async function draw(rows: number, fill: (pdf: ReportPdf) => void = () => undefined): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'movelog-pdf-'));
  const file = join(dir, 'report.pdf');
  const pdf = new ReportPdf(createWriteStream(file), {
    title: 'Audit report',
    subtitle: 'Harbour Rehab · March 2026',
    footer: 'Harbour Rehab · made 1 Apr 2026',
    orientation: 'landscape',
  });
  fill(pdf);
  const table = pdf.table([
    { header: 'When', share: 2 },
    { header: 'Who', share: 3 },
    { header: 'Patient', share: 3 },
    { header: 'Count', share: 1, align: 'right' },
  ]);
  for (let i = 0; i < rows; i++) table.row([`2026-03-${String((i % 28) + 1).padStart(2, '0')} 09:00`, `Staff ${i}`, `Patient ${i}`, String(i)]);
  expect(table.rows).toBe(rows);
  await pdf.end();
  return file;
}

describe('ReportPdf', () => {
  it('sets names in any Latin, Greek or Cyrillic script as text a reader can search', async () => {
    const file = await draw(3, (pdf) => {
      pdf.heading('Summary');
      pdf.facts([
        ['Period', '1–31 March 2026'],
        ['Patients', 'Zoë Łukasiewicz, Ἀριστοτέλης Παπαδόπουλος, Наталья Ёлкина, Søren Ærø'],
      ]);
      pdf.paragraph('Every reading of a record is listed below.');
    });
    const { text, pages } = readPdf(file);
    expect(pages).toBe(1);
    for (const word of ['Audit report', 'Summary', 'Zoë Łukasiewicz', 'Παπαδόπουλος', 'Наталья Ёлкина', 'Søren Ærø', '1–31 March 2026', 'page 1']) {
      expect(text).toContain(word);
    }
  });

  it('runs a long table over pages, the header on each, every row once, and every page renders', async () => {
    const file = await draw(400);
    const { text, pages } = readPdf(file);
    expect(pages).toBeGreaterThan(5);
    expect(text.match(/\bWhen\s+Who\s+Patient\s+Count\b/g)?.length).toBe(pages);
    for (const i of [0, 1, 199, 399]) expect(text).toMatch(new RegExp(`Staff ${i}\\s+Patient ${i}\\s+${i}\\b`));
    expect(text.match(/Staff \d+/g)?.length).toBe(400);
    expect(text).toContain(`page ${pages}`);
    expect(renderPdfPages(file, 1, pages)).toBeGreaterThan(0);
  });

  it('refuses a row that does not match the table’s columns', async () => {
    await expect(
      draw(0, (pdf) => {
        const t = pdf.table([{ header: 'A', share: 1 }]);
        expect(() => t.row(['a', 'b'])).toThrow(/2 cells; the table has 1 columns/);
      }),
    ).resolves.toBeTruthy();
  });
});
