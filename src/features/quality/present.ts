import { csvLine } from '../../platform/csv'
import { formatDate } from '../../domain/dates'
import type { Interval } from '../../domain/confidence'
import { type MonthFigures, alphaBand } from '../../domain/quality'
import type { Dashboard } from './service'

// How the quality dashboard shows its figures: text for the table, the chart (an SVG drawn as the delivery
// statistics draw theirs, with a text description and the table beside it) and the CSV.

const nf = (digits: number) =>
  new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const whole = nf(0)
const twoDp = nf(2)
const oneDp = nf(1)

export const countText = (v: number) => whole.format(v)
export const percentText = (v: number | null) => (v === null ? 'No data' : `${oneDp.format(v * 100)}%`)
export const meanText = (v: number | null) => (v === null ? 'No data' : twoDp.format(v))
export const daysText = (v: number | null) => (v === null ? 'No data' : `${oneDp.format(v)} days`)
export const intervalText = (i: Interval | null) =>
  i ? `${twoDp.format(i.estimate)} (${twoDp.format(i.low)} to ${twoDp.format(i.high)})` : 'Too few reviews'
export const alphaText = (a: number | null) => (a === null ? 'Not measurable' : twoDp.format(a))

const ALPHA_TAG: Record<ReturnType<typeof alphaBand>, { text: string; classes: string }> = {
  reliable: { text: 'Reliable', classes: 'govuk-tag--green' },
  tentative: { text: 'Tentative', classes: 'govuk-tag--yellow' },
  low: { text: 'Low: a finding', classes: 'govuk-tag--orange' },
  unknown: { text: 'Not measurable', classes: 'govuk-tag--grey' },
}
export const alphaTag = (a: number | null) => ALPHA_TAG[alphaBand(a)]

const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)))

/** The month rows of the table, each measure as text. */
export function monthRows(d: Dashboard) {
  return d.months.map(m => ({
    month: m.month,
    label: m.label,
    submitted: countText(m.submitted),
    reviewed: countText(m.reviewed),
    coverage: percentText(m.coverage),
    good: percentText(m.good),
    overall: m.overall
      ? intervalText(m.overall)
      : m.meanOverall === null
        ? 'No reviews'
        : `${twoDp.format(m.meanOverall)} (one review)`,
    criteria: d.criteria.map(c => meanText(m.criteria[c.code] ?? null)),
    precheck: m.prechecked ? `${meanText(m.precheckMean)} (${countText(m.prechecked)})` : 'None',
    flagsRaised: countText(m.flagsRaised),
    flagsResolved: countText(m.flagsResolved),
    resolveMedian: daysText(m.resolveMedianDays),
    commendations: countText(m.commendations),
    supervision: m.supervision.total
      ? `${percentText(m.supervision.share)} (${countText(m.supervision.covered)} of ${countText(m.supervision.total)})`
      : 'No Key Workers',
  }))
}

/** The CSV: one line a month, then the calibration exercises' agreement. */
export function qualityCsv(d: Dashboard, scope: string): string {
  const lines = [
    csvLine(['Quality dashboard', scope]),
    csvLine([
      'Month',
      'Entries submitted',
      'Entries reviewed',
      'Coverage (%)',
      'Reviews',
      'Scored good, 3 or 4 (%)',
      'Mean overall score',
      '95% interval, low',
      '95% interval, high',
      ...d.criteria.map(c => `Mean score: ${c.title}`),
      'Entries with a pre-check',
      'Mean pre-check estimate',
      'Flags raised',
      'Flags resolved',
      'Median days to resolve',
      'Commendations',
      'Key Workers supervised in time',
      'Key Workers',
      'Supervision coverage (%)',
    ]),
    ...d.months.map((m: MonthFigures) =>
      csvLine([
        m.month,
        m.submitted,
        m.reviewed,
        round(m.coverage === null ? null : m.coverage * 100, 1),
        m.reviews,
        round(m.good === null ? null : m.good * 100, 1),
        round(m.meanOverall, 2),
        round(m.overall?.low ?? null, 2),
        round(m.overall?.high ?? null, 2),
        ...d.criteria.map(c => round(m.criteria[c.code] ?? null, 2)),
        m.prechecked,
        round(m.precheckMean, 2),
        m.flagsRaised,
        m.flagsResolved,
        round(m.resolveMedianDays, 1),
        m.commendations,
        m.supervision.covered,
        m.supervision.total,
        round(m.supervision.share === null ? null : m.supervision.share * 100, 1),
      ]),
    ),
  ]
  if (d.agreement.length) {
    lines.push(
      '\r\n',
      csvLine([
        'Calibration exercise',
        'Closed',
        'Entries',
        'Markers',
        'Alpha, overall score',
        'Alpha, pre-check and markers',
      ]),
      ...d.agreement.map(a =>
        csvLine([
          a.title,
          a.closedAt.slice(0, 10),
          a.report.entries,
          a.report.markers,
          round(a.report.overall.alpha, 3),
          round(a.report.precheck.alpha, 3),
        ]),
      ),
    )
  }
  return lines.join('')
}

const escapeXml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

/** The mean overall score each month as a point with its 95% interval as a line (scale 1 to 4). */
export function overallChartSvg(months: MonthFigures[], opts: { id: string; title: string }): string {
  const width = 640
  const height = 260
  const left = 48
  const right = 12
  const top = 16
  const bottom = 40
  const plotW = width - left - right
  const plotH = height - top - bottom
  const y = (v: number) => top + plotH - ((Math.min(4, Math.max(1, v)) - 1) / 3) * plotH
  const band = plotW / Math.max(1, months.length)
  const shown = months.filter(m => m.meanOverall !== null)
  const desc =
    months.length === 0
      ? 'No months.'
      : `${months.length} months from ${formatDate(`${months[0]!.month}-01`)}: ` +
        (shown.length
          ? `the mean overall score of the reviews each month, from ${twoDp.format(Math.min(...shown.map(m => m.meanOverall!)))} to ${twoDp.format(Math.max(...shown.map(m => m.meanOverall!)))}, with its 95% interval as a vertical line. `
          : 'no reviews. ') +
        'The table that follows has the numbers.'
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${opts.id}-title ${opts.id}-desc" focusable="false">`,
    `<title id="${opts.id}-title">${escapeXml(opts.title)}</title>`,
    `<desc id="${opts.id}-desc">${escapeXml(desc)}</desc>`,
  ]
  for (const v of [1, 2, 3, 4])
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#b1b4b6" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="#0b0c0c">${v}</text>`,
    )
  const labelEvery = Math.ceil(months.length / 12)
  months.forEach((m, i) => {
    const x = left + i * band + band / 2
    if (m.overall)
      parts.push(
        `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${y(m.overall.low).toFixed(1)}" y2="${y(m.overall.high).toFixed(1)}" stroke="#1d70b8" stroke-width="3"/>`,
      )
    if (m.meanOverall !== null)
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${y(m.meanOverall).toFixed(1)}" r="5" fill="#0b0c0c"/>`)
    if (i % labelEvery === 0) {
      const d = new Date(`${m.month}-01T00:00:00Z`)
      const label = d.toLocaleDateString('en-GB', { month: 'short', timeZone: 'UTC' })
      parts.push(
        `<text x="${x.toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="12" fill="#0b0c0c">${escapeXml(label)}</text>`,
      )
    }
  })
  parts.push(
    `<circle cx="${left + 6}" cy="${height - 8}" r="5" fill="#0b0c0c"/>`,
    `<text x="${left + 16}" y="${height - 4}" font-size="12" fill="#0b0c0c">Mean overall score</text>`,
    `<line x1="${left + 150}" x2="${left + 150}" y1="${height - 14}" y2="${height - 2}" stroke="#1d70b8" stroke-width="3"/>`,
    `<text x="${left + 158}" y="${height - 4}" font-size="12" fill="#0b0c0c">95% interval</text>`,
    '</svg>',
  )
  return parts.join('')
}
