import PDFDocument from 'pdfkit'
import type { Block, Run } from '../domain/markdown'

/**
 * Small A5 PDFs with pdfkit: the standard Helvetica fonts (nothing embedded), headings, paragraphs with bold and
 * italic, lists, tick boxes, lines to write on, and tables whose rows never split across pages.
 */

const MARGIN = { top: 40, bottom: 46, left: 38, right: 38 }
const BODY = 10
const LEADING = 2
const INK = '#0b0c0c'
const GREY = '#505a5f'

export type Pdf = PDFKit.PDFDocument

export function newPdf(title: string): Pdf {
  const doc = new PDFDocument({
    size: 'A5',
    margins: MARGIN,
    bufferPages: true,
    compress: true,
    info: { Title: title, Author: 'Key Work', Creator: 'keywork' },
    lang: 'en-GB',
  } as PDFKit.PDFDocumentOptions)
  doc.font('Helvetica').fontSize(BODY).fillColor(INK)
  return doc
}

const width = (doc: Pdf) => doc.page.width - doc.page.margins.left - doc.page.margins.right
const bottom = (doc: Pdf) => doc.page.height - doc.page.margins.bottom

/** Starts a new page unless there is `space` points left on this one. */
export function ensureSpace(doc: Pdf, space: number) {
  if (doc.y + space > bottom(doc)) doc.addPage()
}

/** Text the standard fonts cannot draw (WinAnsi only) replaced by near equivalents. */
export function pdfSafe(text: string): string {
  return text
    .replace(/[\u2610\u2611\u2612]/g, '[ ]')
    .replace(/[\u2192]/g, '->')
    .replace(/[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, '')
}

function fontFor(r: Run) {
  if (r.bold && r.italic) return 'Helvetica-BoldOblique'
  if (r.bold) return 'Helvetica-Bold'
  if (r.italic) return 'Helvetica-Oblique'
  return 'Helvetica'
}

/** One paragraph of runs at the current position (x, width as given). */
function writeRuns(doc: Pdf, runs: Run[], opts: { x?: number; width?: number; size?: number } = {}) {
  const size = opts.size ?? BODY
  const parts = runs.filter(r => r.text.length > 0)
  if (parts.length === 0) return
  const x = opts.x ?? doc.page.margins.left
  const w = opts.width ?? width(doc) - (x - doc.page.margins.left)
  parts.forEach((r, i) => {
    doc.font(fontFor(r)).fontSize(size)
    const text = pdfSafe(r.text)
    const options = { width: w, lineGap: LEADING, continued: i < parts.length - 1 }
    if (i === 0) doc.text(text, x, doc.y, options)
    else doc.text(text, options)
  })
  doc.font('Helvetica')
}

/** Ruled lines to write on. */
export function writingLines(doc: Pdf, lines = 3, x = doc.page.margins.left) {
  const gap = 20
  ensureSpace(doc, gap * lines + 6)
  const right = doc.page.width - doc.page.margins.right
  for (let i = 0; i < lines; i++) {
    doc.y += gap
    doc.moveTo(x, doc.y).lineTo(right, doc.y).lineWidth(0.5).strokeColor(GREY).stroke()
  }
  doc.y += 8
}

export interface BlockOptions {
  /** a horizontal rule is space to write (worksheets) rather than a divider */
  rulesAreWritingSpace?: boolean
  /** Markdown heading depth 1 is drawn at this size; deeper ones smaller */
  headingSizes?: [number, number, number]
}

export function heading(doc: Pdf, text: string, size: number, opts: { newPage?: boolean } = {}) {
  if (opts.newPage) {
    if (doc.y > doc.page.margins.top + 1) doc.addPage()
  } else ensureSpace(doc, size * 2 + 40) // keep a heading with what follows it
  if (doc.y > doc.page.margins.top + 1) doc.y += size * 0.6
  doc
    .font('Helvetica-Bold')
    .fontSize(size)
    .fillColor(INK)
    .text(pdfSafe(text), doc.page.margins.left, doc.y, { width: width(doc) })
  doc.y += size * 0.35
  doc.font('Helvetica').fontSize(BODY)
}

export function paragraph(doc: Pdf, runs: Run[] | string, opts: { size?: number; colour?: string } = {}) {
  ensureSpace(doc, BODY * 2)
  doc.fillColor(opts.colour ?? INK)
  writeRuns(doc, typeof runs === 'string' ? [{ text: runs }] : runs, { size: opts.size })
  doc.fillColor(INK)
  doc.y += BODY * 0.5
}

export function writeBlocks(doc: Pdf, blocks: Block[], opts: BlockOptions = {}) {
  const sizes = opts.headingSizes ?? [15, 12.5, 11]
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        heading(doc, b.text, sizes[Math.min(b.depth, 3) - 1]!)
        break
      case 'paragraph':
        paragraph(doc, b.runs)
        break
      case 'quote': {
        ensureSpace(doc, BODY * 3)
        const x = doc.page.margins.left + 12
        const top = doc.y
        writeRuns(doc, b.runs, { x })
        doc
          .moveTo(doc.page.margins.left + 3, top)
          .lineTo(doc.page.margins.left + 3, doc.y)
          .lineWidth(3)
          .strokeColor('#b1b4b6')
          .stroke()
        doc.y += BODY * 0.6
        break
      }
      case 'list': {
        const indent = 16
        b.items.forEach((item, i) => {
          ensureSpace(doc, BODY * 2)
          const x = doc.page.margins.left
          const y = doc.y
          doc
            .font('Helvetica')
            .fontSize(BODY)
            .text(b.ordered ? `${i + 1}.` : '\u2022', x, y, { width: indent, lineBreak: false })
          doc.y = y
          if (item.length === 0 || item.every(r => !r.text.trim())) writingLines(doc, 1, x + indent)
          else writeRuns(doc, item, { x: x + indent })
          doc.y += 2
        })
        doc.y += BODY * 0.4
        break
      }
      case 'rule':
        if (opts.rulesAreWritingSpace) writingLines(doc, 3)
        else {
          ensureSpace(doc, 16)
          doc.y += 6
          const right = doc.page.width - doc.page.margins.right
          doc.moveTo(doc.page.margins.left, doc.y).lineTo(right, doc.y).lineWidth(0.5).strokeColor('#b1b4b6').stroke()
          doc.y += 10
        }
        break
      case 'table':
        table(doc, b.header, b.rows)
        break
    }
  }
}

/**
 * A table with a bold header row repeated on each page; a row that does not fit on the page goes whole to the
 * next one. Column widths are shared out by the longest text in each column.
 */
export function table(doc: Pdf, header: string[], rows: string[][], opts: { size?: number; weights?: number[] } = {}) {
  const size = opts.size ?? 8.5
  const pad = 3
  const total = width(doc)
  const cols = header.length
  const longest = header.map((h, c) =>
    Math.max(6, Math.min(40, Math.max(h.length, ...rows.map(r => (r[c] ?? '').length)))),
  )
  const weights = opts.weights ?? longest
  const sum = weights.reduce((a, b) => a + b, 0)
  const widths = weights.map(w => (w / sum) * total)
  const x0 = doc.page.margins.left

  const heightOf = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size)
    return (
      Math.max(...cells.map((c, i) => doc.heightOfString(pdfSafe(c || ' '), { width: widths[i]! - pad * 2 }))) + pad * 2
    )
  }
  const drawRow = (cells: string[], bold: boolean) => {
    const h = heightOf(cells, bold)
    const y = doc.y
    let x = x0
    cells.forEach((c, i) => {
      doc
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(size)
        .fillColor(INK)
        .text(pdfSafe(c), x + pad, y + pad, { width: widths[i]! - pad * 2 })
      x += widths[i]!
    })
    doc
      .moveTo(x0, y + h)
      .lineTo(x0 + total, y + h)
      .lineWidth(bold ? 1 : 0.4)
      .strokeColor(bold ? INK : '#b1b4b6')
      .stroke()
    doc.y = y + h
  }

  const padded = rows.map(r => Array.from({ length: cols }, (_, i) => r[i] ?? ''))
  ensureSpace(doc, heightOf(header, true) + (padded[0] ? heightOf(padded[0], false) : 0))
  drawRow(header, true)
  for (const r of padded) {
    const h = heightOf(r, false)
    if (doc.y + h > bottom(doc)) {
      doc.addPage()
      drawRow(header, true)
    }
    drawRow(r, false)
  }
  doc.font('Helvetica').fontSize(BODY)
  doc.y += BODY
}

/** Adds "Page n of N" (and an optional footer) to every page, then ends the document. */
export function finishPdf(doc: Pdf, footer = ''): Promise<{ pdf: Buffer; pages: number }> {
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const keep = doc.page.margins.bottom
    doc.page.margins.bottom = 0 // writing inside the margin must not add a page
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor(GREY)
      .text(
        pdfSafe(`${footer ? `${footer} · ` : ''}Page ${i - range.start + 1} of ${range.count}`),
        doc.page.margins.left,
        doc.page.height - keep + 16,
        { width: width(doc), align: 'center', lineBreak: false },
      )
    doc.page.margins.bottom = keep
  }
  doc.end()
  return done.then(pdf => ({ pdf, pages: range.count }))
}
