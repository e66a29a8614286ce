import { formatDate, MONTHS } from '../../domain/dates'
import { ensureSpace, finishPdf, heading, newPdf, paragraph, pdfSafe, table } from '../../platform/pdf'
import { chartGeometry, eventTimeSvg, formatNumber } from './chart'
import type { OutcomeReport, TrialReport } from './service'

/** "March 2026" for 2026-03. */
export const monthName = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1] ?? ''} ${month.slice(0, 4)}`

const fmt = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined || !Number.isFinite(v) ? 'not available' : formatNumber(v, digits)

const interval = (lower: number, upper: number) => `${fmt(lower)} to ${fmt(upper)}`

/** What the page and the PDF show of one outcome: headline figures, chart, table rows, design, warnings. */
export function presentOutcome(o: OutcomeReport, index: number) {
  const r = o.result
  const points = (r?.eventTime ?? []).filter(p => Number.isFinite(p.estimate))
  return {
    ...o,
    id: `outcome-${index + 1}`,
    estimate: r?.overall ? fmt(r.overall.estimate) : null,
    interval: r?.overall ? interval(r.overall.lower, r.overall.upper) : null,
    twfeText: fmt(o.twfe),
    svg: points.length
      ? eventTimeSvg(points, { id: `chart-${index + 1}`, measure: o.measure.name, unit: o.measure.unit })
      : null,
    rows: points.map(p => ({
      e: p.e,
      when:
        p.e < 0
          ? `${-p.e} ${-p.e === 1 ? 'month' : 'months'} before`
          : p.e === 0
            ? 'Month of adoption'
            : `${p.e} ${p.e === 1 ? 'month' : 'months'} after`,
      estimate: fmt(p.estimate),
      interval: interval(p.lower, p.upper),
      units: p.units,
      cohorts: p.cohorts,
    })),
    // the summary's sentences without the warnings, which show on their own
    summaryText: o.summary.filter(line => !(r?.warnings ?? []).includes(line)),
    design: r?.design ?? null,
    warnings: r?.warnings ?? [],
    canTell: r?.canTell ?? false,
    pretrend: r?.pretrend ?? null,
    before: o.beforeAfter
      ? {
          before: fmt(o.beforeAfter.before),
          after: fmt(o.beforeAfter.after),
          difference: fmt(o.beforeAfter.difference),
          warning: o.beforeAfter.warning,
        }
      : null,
  }
}

export type PresentedOutcome = ReturnType<typeof presentOutcome>

export function presentReport(report: TrialReport) {
  return {
    ...report,
    adoptions: report.adoptions.map(a => ({ ...a, startText: formatDate(a.startDate), monthText: monthName(a.month) })),
    windowText: `${monthName(report.window.from)} to ${monthName(report.window.to)}`,
    outcomes: report.outcomes.map(presentOutcome),
  }
}

/** The report as a PDF: the same content as the page, the chart drawn, and its data table. */
export async function reportPdf(report: TrialReport): Promise<Buffer> {
  const p = presentReport(report)
  const doc = newPdf(`Trial report: ${p.trial.name}`)
  heading(doc, `Trial report: ${p.trial.name}`, 15)
  paragraph(doc, `${p.kindName}. Version ${p.trial.version}, worked out ${formatDate(p.workedOutAt.slice(0, 10))}.`)
  if (p.trial.description) paragraph(doc, p.trial.description)
  heading(doc, 'Design', 12)
  paragraph(
    doc,
    `${p.adoptions.length} adopting ${p.adoptions.length === 1 ? 'establishment' : 'establishments'}; ${p.comparisons.length} comparison ${p.comparisons.length === 1 ? 'establishment' : 'establishments'} (${p.comparisonsChosen ? 'chosen by the national team' : 'every establishment that did not adopt'}); months ${p.windowText}.`,
  )
  table(
    doc,
    ['Establishment', 'Started', 'First month counted'],
    p.adoptions.map(a => [`${a.name} (${a.code})`, a.startText, a.monthText]),
  )
  for (const o of p.outcomes) {
    ensureSpace(doc, 120)
    heading(doc, o.measure.name, 12)
    if (o.problem) paragraph(doc, o.problem)
    if (o.estimate) paragraph(doc, `Estimated effect: ${o.estimate} ${o.measure.unit} (95% interval ${o.interval}).`)
    paragraph(doc, `Naive estimate (two-way fixed effects, for comparison only): ${o.twfeText}.`)
    for (const s of o.summaryText) paragraph(doc, s)
    for (const w of o.warnings) paragraph(doc, `Warning: ${w}`)
    if (o.design)
      paragraph(
        doc,
        `Design: ${o.design.units} establishments (${o.design.treatedUnits} adopting, ${o.design.controlUnits} used for comparison), ${o.design.cohorts} adoption ${o.design.cohorts === 1 ? 'cohort' : 'cohorts'}, ${o.design.periods} months, ${o.design.prePeriods} before adoption.`,
      )
    if (o.before)
      paragraph(
        doc,
        `Before and after at the one adopting establishment: ${o.before.before} before, ${o.before.after} after (difference ${o.before.difference}). ${o.before.warning}`,
      )
    if (o.rows.length) {
      ensureSpace(doc, 200)
      paragraph(
        doc,
        `The effect on ${o.measure.name} (${o.measure.unit}) by month since adoption, with 95% intervals; hollow points are the months before adoption.`,
        { size: 8.5 },
      )
      drawChart(doc, o)
      table(
        doc,
        ['Month since adoption', 'Estimate', '95% interval', 'Establishments'],
        o.rows.map(r => [r.when, r.estimate, r.interval, String(r.units)]),
      )
    }
  }
  const { pdf } = await finishPdf(doc, pdfSafe(`Trial report: ${p.trial.name}`))
  return pdf
}

function drawChart(doc: PDFKit.PDFDocument, o: PresentedOutcome) {
  const points = (o.result?.eventTime ?? []).filter(p => Number.isFinite(p.estimate))
  const W = doc.page.width - doc.page.margins.left - doc.page.margins.right
  const H = 170
  ensureSpace(doc, H + 10)
  const x0 = doc.page.margins.left
  const y0 = doc.y
  const g = chartGeometry(points, W, H)
  doc.save()
  doc.fontSize(6.5).fillColor('#0b0c0c')
  for (const t of g.ticks) {
    const yy = y0 + g.y(t)
    doc
      .moveTo(x0 + g.pad.left, yy)
      .lineTo(x0 + W - g.pad.right, yy)
      .lineWidth(t === 0 ? 1 : 0.3)
      .strokeColor(t === 0 ? '#0b0c0c' : '#b1b4b6')
      .stroke()
    doc.text(formatNumber(t, g.step < 1 ? 2 : 1), x0, yy - 3, {
      width: g.pad.left - 4,
      align: 'right',
      lineBreak: false,
    })
  }
  const xa = x0 + (g.x(-1) + g.x(0)) / 2
  doc
    .moveTo(xa, y0 + g.pad.top)
    .lineTo(xa, y0 + H - g.pad.bottom)
    .dash(3, { space: 2 })
    .strokeColor('#505a5f')
    .stroke()
    .undash()
  for (const e of g.eTicks)
    doc.text(String(e), x0 + g.x(e) - 10, y0 + H - g.pad.bottom + 4, { width: 20, align: 'center', lineBreak: false })
  doc.text('Months since adoption', x0 + g.pad.left, y0 + H - 14, { width: g.plotW, align: 'center', lineBreak: false })
  for (const p of points) {
    const xx = x0 + g.x(p.e)
    const colour = p.e < 0 ? '#505a5f' : '#1d70b8'
    doc
      .moveTo(xx, y0 + g.y(p.upper))
      .lineTo(xx, y0 + g.y(p.lower))
      .lineWidth(1)
      .strokeColor(colour)
      .stroke()
    doc.circle(xx, y0 + g.y(p.estimate), 2.5).lineWidth(1)
    if (p.e < 0) doc.fillAndStroke('#ffffff', colour)
    else doc.fillAndStroke(colour, colour)
  }
  doc.restore()
  doc.fillColor('#0b0c0c').fontSize(10)
  doc.x = x0
  doc.y = y0 + H + 6
}
