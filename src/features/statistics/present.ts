import { csvField as field } from '../../platform/csv'
// How the statistics are shown: the rows of figures (page and CSV alike), number formats, the CSV text and the
// weekly chart as an accessible server-rendered SVG. Pure functions.
import { daysBetween, formatDate } from '../../domain/dates'
import { NOT_DELIVERED_REASONS } from '../../domain/sessions'
import { mojCompliance } from '../../domain/moj'
import { type Figures, REASONS, type WeekPoint } from '../../domain/statistics'

export type Kind = 'count' | 'decimal' | 'percent' | 'days'

export interface FigureRow {
  key: string
  label: string
  kind: Kind
  current: number | null
  previous: number | null
  /** indented under the row above (a breakdown) */
  sub?: boolean
}

/**
 * figureRows' options. cover: the scope is one Key Worker, whose sessions with prisoners not on their caseload that
 * day are cover, shown on a line of their own.
 */
export interface RowOptions {
  cover?: boolean
}

export function figureRows(current: Figures, previous: Figures, opts: RowOptions = {}): FigureRow[] {
  const row = (key: keyof Figures, label: string, kind: Kind, sub = false): FigureRow => ({
    key,
    label,
    kind,
    current: current[key] as number | null,
    previous: previous[key] as number | null,
    ...(sub ? { sub } : {}),
  })
  return [
    row('eligible', 'Eligible prisoners (average per day)', 'decimal'),
    row('allocated', 'Prisoners with a Key Worker (last day)', 'count'),
    row('allocatedPercent', 'Eligible prisoners with a Key Worker (last day)', 'percent'),
    row('projected', 'Projected sessions', 'decimal'),
    row('delivered', opts.cover ? 'Sessions delivered to prisoners on the caseload' : 'Sessions delivered', 'count'),
    row('compliance', 'Compliance (delivered ÷ projected)', 'percent'),
    ...(opts.cover
      ? [row('coverDelivered', 'Cover sessions delivered (prisoners not on the caseload that day)', 'count')]
      : []),
    row('notDelivered', 'Sessions not delivered', 'count'),
    ...REASONS.map((r): FigureRow => ({
      key: `reason_${r}`,
      label: NOT_DELIVERED_REASONS[r].replace(' (say why)', ''),
      kind: 'count',
      current: current.reasons[r],
      previous: previous.reasons[r],
      sub: true,
    })),
    // unanswered questions (imported past sessions, entries from before the form asked) are left out, and said so
    row('privatePercent', 'Delivered sessions held in private, of those where privacy was answered', 'percent'),
    row('privateAnswered', 'Delivered sessions where privacy was answered (unanswered are left out)', 'count', true),
    row(
      'interpreterPercent',
      'Delivered sessions with an interpreter, of those needing one where use was answered',
      'percent',
    ),
    row('interpreterAnswered', 'Delivered sessions needing an interpreter where use was answered', 'count', true),
    row('seen7Percent', 'Eligible prisoners seen in the last 7 days', 'percent'),
    row('seen28Percent', 'Eligible prisoners seen in the last 28 days', 'percent'),
    row('averageDaysBetween', 'Average days between sessions', 'days'),
    row('medianDaysBetween', 'Median days between sessions', 'days'),
    row('averageDaysToAllocation', 'Average days from reception to a Key Worker', 'days'),
    row('averageDaysToFirstSession', 'Average days from reception to the first session', 'days'),
    row('referralsMade', 'Referrals made', 'count'),
    row('referralsAcknowledged', 'Referrals acknowledged', 'count', true),
    row('referralsCompleted', 'Referrals completed', 'count', true),
    row('goalsSet', 'Goals set', 'count'),
    row('goalsAchieved', 'Goals achieved', 'count', true),
  ]
}

const nf = (digits: number) =>
  new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const whole = nf(0)
const oneDp = nf(1)

export function formatValue(v: number | null, kind: Kind): string {
  if (v === null || !Number.isFinite(v)) return 'No data'
  if (kind === 'count') return whole.format(v)
  if (kind === 'percent') return `${oneDp.format(v)}%`
  return oneDp.format(v)
}

/** The change from the previous period: points for percentages, otherwise the difference. */
export function formatChange(row: Pick<FigureRow, 'current' | 'previous' | 'kind'>): string {
  if (row.current === null || row.previous === null) return 'No comparison'
  const d = row.current - row.previous
  const digits = row.kind === 'count' ? 0 : 1
  const rounded = Number(d.toFixed(digits))
  if (rounded === 0) return 'No change'
  const sign = rounded > 0 ? '+' : '−'
  const magnitude = nf(digits).format(Math.abs(rounded))
  return row.kind === 'percent' ? `${sign}${magnitude} points` : `${sign}${magnitude}`
}

/**
 * A row's value by the Ministry of Justice's method, on the same data, as their code in ministryofjustice/keyworker-api
 * works it out (src/domain/moj.ts says where): eligible prisoners and projected sessions as whole numbers, compliance
 * to 2 decimals half-even and 0.00 when nothing was held or projected; prisoners with a Key Worker, its % and the days
 * from reception to allocation and to a first session as their nightly job works them out (domain/moj.ts mojDaily),
 * when the figures carry them. Null (an empty cell) where they have no such figure. A Key Worker's
 * delivered sessions are theirs: every session the officer held with a prisoner allocated to them at some time in
 * the period. As text, so 2 decimals stay 2.
 */
export function mojValue(row: Pick<FigureRow, 'key' | 'kind'>, f: Figures, opts: RowOptions = {}): string | null {
  const delivered = f.delivered + (opts.cover ? f.coverOfCaseload : 0)
  switch (row.key) {
    case 'eligible':
      return String(f.eligibleWhole)
    case 'projected':
      return String(f.projectedWhole)
    case 'delivered':
      return String(delivered)
    case 'compliance':
      return mojCompliance(delivered, f.projectedWhole).toFixed(2)
    // from their nightly snapshots, worked out from the dated history (Figures.moj; none for one Key Worker)
    case 'allocated':
      return f.moj ? String(f.moj.assigned) : null
    case 'allocatedPercent':
      return f.moj?.assignedPercent?.toFixed(2) ?? null
    case 'averageDaysToAllocation':
      return f.moj?.toAllocation != null ? String(f.moj.toAllocation) : null
    case 'averageDaysToFirstSession':
      return f.moj?.toSession != null ? String(f.moj.toSession) : null
    default:
      return null
  }
}

/** A CSV field of the statistics: numbers to 4 decimals (the unrounded figure), the rest as the one CSV writer does. */
export function csvField(value: string | number | null): string {
  return field(typeof value === 'number' && Number.isFinite(value) ? Number(value.toFixed(4)) : value)
}

export function csvLine(fields: (string | number | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`
}

export function statisticsCsv(opts: {
  scope: string
  period: { from: string; to: string }
  previous: { from: string; to: string }
  rows: FigureRow[]
  /** the figures the rows come from, for the Ministry of Justice's method */
  current: Figures
  previousFigures: Figures
  cover?: boolean
  establishments?: { code: string; name: string; figures: Figures }[]
}): string {
  let out = csvLine([
    'measure',
    'scope',
    'from',
    'to',
    'value',
    'previous_from',
    'previous_to',
    'previous_value',
    'moj_value',
    'previous_moj_value',
  ])
  const rowOpts = { cover: opts.cover ?? false }
  for (const r of opts.rows)
    out += csvLine([
      r.label,
      opts.scope,
      opts.period.from,
      opts.period.to,
      r.current,
      opts.previous.from,
      opts.previous.to,
      r.previous,
      mojValue(r, opts.current, rowOpts),
      mojValue(r, opts.previousFigures, rowOpts),
    ])
  for (const e of opts.establishments ?? [])
    for (const [key, kind, label, v] of [
      ['eligible', 'decimal', 'Eligible prisoners (average per day)', e.figures.eligible],
      ['projected', 'decimal', 'Projected sessions', e.figures.projected],
      ['delivered', 'count', 'Sessions delivered', e.figures.delivered],
      ['compliance', 'percent', 'Compliance (delivered ÷ projected)', e.figures.compliance],
    ] as const)
      out += csvLine([
        label,
        `${e.name} (${e.code})`,
        opts.period.from,
        opts.period.to,
        v,
        '',
        '',
        null,
        mojValue({ key, kind }, e.figures),
        null,
      ])
  return out
}

const SHORT_DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })

/** A week, briefly: "w/c 3 Mar" (week commencing); a short last week says where it ends: "w/c 29 Jun, to 30 Jun". */
export function weekLabel(w: { from: string; to: string }): string {
  const day = (iso: string) => SHORT_DAY.format(new Date(`${iso}T00:00:00Z`))
  const label = `w/c ${day(w.from)}`
  return daysBetween(w.from, w.to) === 6 ? label : `${label}, to ${day(w.to)}`
}

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * Weekly sessions delivered (bars) against projected (line), as SVG with role="img", a title and a description
 * that says what it shows; the page puts the same numbers in a table beside it.
 */
export function weeklyChartSvg(weeks: WeekPoint[], opts: { id: string; title: string }): string {
  const width = 640
  const height = 260
  const left = 48
  const right = 12
  const top = 16
  const bottom = 40
  const plotW = width - left - right
  const plotH = height - top - bottom
  const max = Math.max(1, ...weeks.map(w => Math.max(w.delivered, w.projected)))
  const step = niceStep(max / 4)
  const top_ = Math.ceil(max / step) * step
  const y = (v: number) => top + plotH - (v / top_) * plotH
  const band = plotW / Math.max(1, weeks.length)
  const barW = Math.max(1, band * 0.6)
  const totalDelivered = weeks.reduce((s, w) => s + w.delivered, 0)
  const totalProjected = weeks.reduce((s, w) => s + w.projected, 0)
  const desc =
    weeks.length === 0
      ? 'No weeks in the period.'
      : `${weeks.length} weeks from ${formatDate(weeks[0]!.from)} to ${formatDate(weeks[weeks.length - 1]!.to)}: ` +
        `${whole.format(totalDelivered)} sessions delivered against ${oneDp.format(totalProjected)} projected. ` +
        'Bars are sessions delivered each week, the line is projected sessions. The table that follows has the numbers.'
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${opts.id}-title ${opts.id}-desc" focusable="false">`,
    `<title id="${opts.id}-title">${escapeXml(opts.title)}</title>`,
    `<desc id="${opts.id}-desc">${escapeXml(desc)}</desc>`,
  )
  for (let v = 0; v <= top_; v += step) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#b1b4b6" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="#0b0c0c">${whole.format(v)}</text>`,
    )
  }
  weeks.forEach((w, i) => {
    const x = left + i * band + (band - barW) / 2
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y(w.delivered).toFixed(1)}" width="${barW.toFixed(1)}" height="${(top + plotH - y(w.delivered)).toFixed(1)}" fill="#1d70b8"/>`,
    )
  })
  if (weeks.length) {
    const points = weeks.map((w, i) => `${(left + i * band + band / 2).toFixed(1)},${y(w.projected).toFixed(1)}`)
    parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="#d4351c" stroke-width="3"/>`)
    const labelEvery = Math.ceil(weeks.length / 8)
    weeks.forEach((w, i) => {
      if (i % labelEvery !== 0) return
      const d = new Date(`${w.from}T00:00:00Z`)
      const label = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })
      parts.push(
        `<text x="${(left + i * band + band / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="12" fill="#0b0c0c">${escapeXml(label)}</text>`,
      )
    })
  }
  parts.push(
    `<rect x="${left}" y="${height - 14}" width="12" height="12" fill="#1d70b8"/>`,
    `<text x="${left + 16}" y="${height - 4}" font-size="12" fill="#0b0c0c">Delivered</text>`,
    `<line x1="${left + 100}" x2="${left + 124}" y1="${height - 8}" y2="${height - 8}" stroke="#d4351c" stroke-width="3"/>`,
    `<text x="${left + 130}" y="${height - 4}" font-size="12" fill="#0b0c0c">Projected</text>`,
    '</svg>',
  )
  return parts.join('')
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1)))
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p
  return 10 * p
}
