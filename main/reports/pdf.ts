/// <reference types="pdfkit" />
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';

/**
 * Printable reports (the manager's audit report, the patient's accounting of access and
 * disclosures) are drawn with pdfkit, streamed page by page into a Writable, so a report of
 * many thousand rows never sits in memory whole (docs/architecture.md#printable-reports).
 *
 * Text is set in DejaVu Sans, embedded (subset) in every file: the PDF standard fonts cover only
 * Latin-1, and a clinic's patients and staff have names in every script. DejaVu covers Latin,
 * Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic; scripts it lacks (CJK) print as the
 * font's missing-glyph box, a limit docs/architecture.md#printable-reports names.
 */

const require = createRequire(import.meta.url);
// pdfkit's types describe a CommonJS module (`export =`); it is loaded as one.
const PDFDocument = require('pdfkit') as PDFKit.PDFDocument;
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** A4, in PostScript points. */
const A4: readonly [number, number] = [595.28, 841.89];
const MARGIN = 40;
const BODY_SIZE = 9;
const SMALL_SIZE = 7.5;
const LINE_GAP = 2;
const CELL_PADDING = 3;

export interface PdfColumn {
  readonly header: string;
  /** Share of the usable width (the shares of a table's columns are normalised to fill it). */
  readonly share: number;
  readonly align?: 'left' | 'right';
}

export interface ReportPdfOptions {
  /** Shown on the first page and in the document's metadata. */
  readonly title: string;
  /** A line under the title on the first page (the period, the clinic). */
  readonly subtitle?: string;
  /** The foot of every page: who made the report and when ("Harbour Rehab · made 3 Mar 2026 14:05"). */
  readonly footer: string;
  readonly orientation?: 'portrait' | 'landscape';
}

export interface PdfTable {
  /** Adds one row; a cell that does not fit its column wraps, and the row moves whole to the next page. */
  row(cells: readonly string[]): void;
  /** Rows added so far. */
  readonly rows: number;
}

/**
 * One report document. Draw with `heading`, `paragraph`, `facts` and `table`, then `end()`, which
 * resolves when the last byte is written to the stream given to the constructor.
 */
export class ReportPdf {
  private readonly doc: PDFKit.PDFDocument;
  private readonly finished: Promise<void>;
  private page = 0;

  constructor(
    out: Writable,
    private readonly options: ReportPdfOptions,
  ) {
    const size = options.orientation === 'landscape' ? [A4[1], A4[0]] : [...A4];
    this.doc = new PDFDocument({
      size,
      margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
      autoFirstPage: false,
      info: { Title: options.title, Creator: 'Movelog', Producer: 'Movelog' },
      // Pages go to the stream as they are finished, never kept (memory stays flat).
      bufferPages: false,
    });
    this.doc.registerFont('body', FONT_REGULAR);
    this.doc.registerFont('bold', FONT_BOLD);
    this.finished = new Promise<void>((resolve, reject) => {
      out.once('finish', resolve);
      out.once('error', reject);
      this.doc.once('error', reject);
    });
    this.doc.pipe(out);
    this.doc.on('pageAdded', () => this.pageFooter());
    this.doc.addPage();
    this.doc.font('bold').fontSize(16).text(options.title);
    if (options.subtitle) this.doc.font('body').fontSize(10).fillColor('#333333').text(options.subtitle).fillColor('black');
    this.doc.moveDown(0.8);
  }

  private get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  private pageFooter(): void {
    this.page++;
    const { doc } = this;
    const y = doc.page.height - MARGIN;
    const x = doc.x;
    const top = doc.y;
    // Drawn inside the bottom margin: lift the margin meanwhile, or pdfkit would start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(SMALL_SIZE).fillColor('#555555');
    doc.text(`${this.options.footer} · page ${this.page}`, doc.page.margins.left, y, {
      width: this.width,
      align: 'right',
      lineBreak: false,
    });
    doc.fillColor('black');
    doc.page.margins.bottom = margin;
    doc.x = x;
    doc.y = top;
  }

  /** Starts a new page when less than `height` points are left on this one. */
  private room(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(text: string): void {
    this.room(40);
    this.doc.moveDown(0.4);
    this.doc.font('bold').fontSize(11).text(text, this.doc.page.margins.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
  }

  paragraph(text: string): void {
    this.doc.font('body').fontSize(BODY_SIZE).text(text, this.doc.page.margins.left, this.doc.y, { width: this.width, lineGap: LINE_GAP });
    this.doc.moveDown(0.4);
  }

  /** Label–value pairs, one a line ("Period: 1–31 March 2026"). */
  facts(pairs: readonly (readonly [string, string])[]): void {
    const labelWidth = Math.min(170, this.width * 0.35);
    for (const [label, value] of pairs) {
      this.doc.font('body').fontSize(BODY_SIZE);
      const height = Math.max(
        this.doc.heightOfString(value, { width: this.width - labelWidth, lineGap: LINE_GAP }),
        this.doc.heightOfString(label, { width: labelWidth - 6, lineGap: LINE_GAP }),
      );
      this.room(height);
      const y = this.doc.y;
      const left = this.doc.page.margins.left;
      this.doc.font('bold').text(label, left, y, { width: labelWidth - 6, lineGap: LINE_GAP });
      this.doc.font('body').text(value, left + labelWidth, y, { width: this.width - labelWidth, lineGap: LINE_GAP });
      this.doc.y = y + height + 2;
    }
    this.doc.x = this.doc.page.margins.left;
    this.doc.moveDown(0.3);
  }

  /** A table whose header is repeated at the top of every page it runs onto. */
  table(columns: readonly PdfColumn[]): PdfTable {
    const total = columns.reduce((sum, c) => sum + c.share, 0);
    const cols = columns.map((c) => ({ width: (c.share / total) * this.width, align: c.align ?? 'left' }));
    const column = (i: number) => cols[i] ?? { width: 0, align: 'left' as const };
    const drawRow = (cells: readonly string[], bold: boolean): number => {
      const { doc } = this;
      doc.font(bold ? 'bold' : 'body').fontSize(bold ? BODY_SIZE : BODY_SIZE - 0.5);
      const heights = cells.map((cell, i) => doc.heightOfString(cell, { width: column(i).width - 2 * CELL_PADDING }));
      const height = Math.max(...heights, doc.currentLineHeight()) + 2 * CELL_PADDING;
      return height;
    };
    const paint = (cells: readonly string[], bold: boolean, height: number): void => {
      const { doc } = this;
      const y = doc.y;
      let x = doc.page.margins.left;
      doc.font(bold ? 'bold' : 'body').fontSize(bold ? BODY_SIZE : BODY_SIZE - 0.5);
      if (bold) doc.rect(x, y, this.width, height).fill('#e8e8e8').fillColor('black');
      cells.forEach((cell, i) => {
        const { width, align } = column(i);
        doc.text(cell, x + CELL_PADDING, y + CELL_PADDING, { width: width - 2 * CELL_PADDING, align });
        x += width;
      });
      doc
        .moveTo(doc.page.margins.left, y + height)
        .lineTo(doc.page.margins.left + this.width, y + height)
        .lineWidth(0.3)
        .strokeColor('#aaaaaa')
        .stroke();
      doc.y = y + height;
      doc.x = doc.page.margins.left;
    };
    const headers = columns.map((c) => c.header);
    const header = (): void => paint(headers, true, drawRow(headers, true));
    const headerHeight = drawRow(headers, true);
    this.room(headerHeight * 3);
    header();
    let pageOfHeader = this.page;
    let rows = 0;
    return {
      row: (cells) => {
        if (cells.length !== columns.length) throw new Error(`A row has ${cells.length} cells; the table has ${columns.length} columns.`);
        const height = drawRow(cells, false);
        if (this.doc.y + height > this.bottom) this.doc.addPage();
        if (this.page !== pageOfHeader) {
          header();
          pageOfHeader = this.page;
        }
        paint(cells, false, height);
        rows++;
      },
      get rows() {
        return rows;
      },
    };
  }

  /** Finishes the document; resolves once the stream has taken every byte. */
  end(): Promise<void> {
    this.doc.end();
    return this.finished;
  }
}
