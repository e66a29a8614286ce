import { csvLine } from '../../platform/csv'
import { INITIAL_STATE_NAMES, TOPUP_STATE_NAMES } from '../../domain/training'
import {
  type BeforeAfter,
  CPD_BAND_NAMES,
  CPD_BAND_ORDER,
  type CourseTally,
  INITIAL_ORDER,
  TOPUP_ORDER,
  type TrainingTally,
  share,
} from '../../domain/trainingDashboard'
import type { EstablishmentFigures } from './service'

// How the training dashboard shows its figures: text for the tables, the charts (SVG with a title and a description,
// as the statistics and the quality dashboard draw theirs, each followed by a table of the same numbers) and the CSV.

const nf = (digits: number) =>
  new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const whole = nf(0)
const oneDp = nf(1)
const twoDp = nf(2)

export const countText = (v: number) => whole.format(v)
export const percentText = (v: number | null) => (v === null ? 'None' : `${oneDp.format(v * 100)}%`)
export const hoursText = (v: number) => `${oneDp.format(v)} h`
export const scoreText = (v: number | null) => (v === null ? 'Not shown' : twoDp.format(v))
const pct = (v: number | null) => (v === null ? null : Number((v * 100).toFixed(1)))

/** A measure's parts: a name, a count and a colour (GOV.UK palette). */
export interface Segment {
  key: string
  label: string
  count: number
  colour: string
}

const INITIAL_COLOURS: Record<(typeof INITIAL_ORDER)[number], string> = {
  done: '#00703c',
  in_window: '#1d70b8',
  not_yet_due: '#505a5f',
  overdue: '#d4351c',
  no_start_date: '#f47738',
}
const TOPUP_COLOURS: Record<(typeof TOPUP_ORDER)[number], string> = {
  current: '#00703c',
  expiring: '#f47738',
  expired: '#d4351c',
}
const CPD_COLOURS: Record<(typeof CPD_BAND_ORDER)[number], string> = {
  none: '#d4351c',
  under_half: '#f47738',
  half: '#1d70b8',
  met: '#00703c',
}

export const initialSegments = (t: TrainingTally): Segment[] =>
  INITIAL_ORDER.map(k => ({ key: k, label: INITIAL_STATE_NAMES[k], count: t.initial[k], colour: INITIAL_COLOURS[k] }))
export const topupSegments = (t: TrainingTally): Segment[] =>
  TOPUP_ORDER.map(k => ({ key: k, label: TOPUP_STATE_NAMES[k], count: t.topup[k], colour: TOPUP_COLOURS[k] }))
export const cpdSegments = (t: TrainingTally): Segment[] =>
  CPD_BAND_ORDER.map(k => ({ key: k, label: CPD_BAND_NAMES[k], count: t.cpd[k], colour: CPD_COLOURS[k] }))
export const courseSegments = (c: CourseTally): Segment[] => [
  { key: 'taken', label: 'Places taken', count: Math.min(c.enrolled, c.capacity), colour: '#1d70b8' },
  { key: 'free', label: 'Places free', count: Math.max(0, c.capacity - c.enrolled), colour: '#b1b4b6' },
]

/** The rows of a measure's table: each part's count and its share of the whole. */
export const segmentRows = (segments: Segment[]) => {
  const total = segments.reduce((a, s) => a + s.count, 0)
  return segments.map(s => ({
    key: s.key,
    label: s.label,
    count: countText(s.count),
    share: percentText(share(s.count, total)),
  }))
}

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * One measure as a single bar split into its parts in proportion (100% wide), with a legend giving each part's
 * count and share; role="img" with a title and a description that says the same in words. The page puts a table of
 * the same numbers after it.
 */
export function stackedBarSvg(segments: Segment[], opts: { id: string; title: string; of: string }): string {
  // drawn at about the width of half a page's column, so its text reads at the page's size
  const width = 420
  const left = 4
  const right = 4
  const barY = 4
  const barH = 32
  const lineH = 24
  const total = segments.reduce((a, s) => a + s.count, 0)
  const height = barY + barH + 16 + segments.length * lineH
  const plotW = width - left - right
  const desc =
    total === 0
      ? `No ${opts.of} to show.`
      : `Of ${countText(total)} ${opts.of}: ` +
        segments.map(s => `${s.label}, ${countText(s.count)} (${percentText(s.count / total)})`).join('; ') +
        '. The table that follows has the numbers.'
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${opts.id}-title ${opts.id}-desc" focusable="false">`,
    `<title id="${opts.id}-title">${escapeXml(opts.title)}</title>`,
    `<desc id="${opts.id}-desc">${escapeXml(desc)}</desc>`,
    `<rect x="${left}" y="${barY}" width="${plotW}" height="${barH}" fill="#ffffff" stroke="#0b0c0c" stroke-width="1"/>`,
  ]
  let x = left
  if (total > 0)
    for (const s of segments) {
      const w = (s.count / total) * plotW
      if (w > 0)
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${barY}" width="${w.toFixed(1)}" height="${barH}" fill="${s.colour}" stroke="#ffffff" stroke-width="2"/>`,
        )
      x += w
    }
  segments.forEach((s, i) => {
    const y = barY + barH + 16 + i * lineH
    parts.push(
      `<rect x="${left}" y="${y}" width="16" height="16" fill="${s.colour}" stroke="#0b0c0c" stroke-width="1"/>`,
      `<text x="${left + 24}" y="${y + 14}" font-size="16" fill="#0b0c0c">${escapeXml(
        `${s.label}: ${countText(s.count)}${total ? ` (${percentText(s.count / total)})` : ''}`,
      )}</text>`,
    )
  })
  parts.push('</svg>')
  return parts.join('')
}

/** One line of the by-establishment table, as text for the page. */
export function establishmentRow(e: Pick<EstablishmentFigures, 'tally' | 'courses'> & { name: string; code: string }) {
  const t = e.tally
  const c = e.courses
  return {
    code: e.code,
    name: e.name,
    keyWorkers: countText(t.keyWorkers),
    ...Object.fromEntries(INITIAL_ORDER.map(k => [k, percentText(share(t.initial[k], t.keyWorkers))])),
    trained: countText(t.trained),
    ...Object.fromEntries(TOPUP_ORDER.map(k => [`topup_${k}`, percentText(share(t.topup[k], t.trained))])),
    cpdMet: percentText(share(t.cpdMet, t.keyWorkers)),
    cpdMean: t.keyWorkers ? hoursText(t.cpdHours / t.keyWorkers) : 'None',
    fill: c.capacity ? percentText(share(c.enrolled, c.capacity)) : 'No places',
    places: `${countText(c.enrolled)} of ${countText(c.capacity)}`,
    waiting: countText(c.waiting),
  } as Record<string, string>
}

export const CSV_HEADER = [
  'Establishment code',
  'Establishment',
  'Key Workers',
  ...INITIAL_ORDER.flatMap(k => [
    `Initial course: ${INITIAL_STATE_NAMES[k]}`,
    `Initial course: ${INITIAL_STATE_NAMES[k]} (%)`,
  ]),
  'Trained',
  ...TOPUP_ORDER.flatMap(k => [`Top-up: ${TOPUP_STATE_NAMES[k]}`, `Top-up: ${TOPUP_STATE_NAMES[k]} (% of trained)`]),
  'CPD target met',
  'CPD target met (%)',
  'Mean CPD hours',
  'Courses',
  'Places',
  'Places taken',
  'Fill rate (%)',
  'Waiting',
]

/** The by-establishment table as CSV: a title line, the header, one line an establishment, then the total (national). */
export function dashboardCsv(
  rows: (Pick<EstablishmentFigures, 'tally' | 'courses'> & { name: string; code: string })[],
  title: string,
): string {
  const line = (e: (typeof rows)[number]) => {
    const t = e.tally
    const c = e.courses
    return csvLine([
      e.code,
      e.name,
      t.keyWorkers,
      ...INITIAL_ORDER.flatMap(k => [t.initial[k], pct(share(t.initial[k], t.keyWorkers))]),
      t.trained,
      ...TOPUP_ORDER.flatMap(k => [t.topup[k], pct(share(t.topup[k], t.trained))]),
      t.cpdMet,
      pct(share(t.cpdMet, t.keyWorkers)),
      t.keyWorkers ? Number((t.cpdHours / t.keyWorkers).toFixed(1)) : null,
      c.courses,
      c.capacity,
      c.enrolled,
      pct(share(c.enrolled, c.capacity)),
      c.waiting,
    ])
  }
  return [csvLine(['Training dashboard', title]), csvLine(CSV_HEADER), ...rows.map(line)].join('')
}

/** The before-and-after comparison as text. */
export function beforeAfterView(b: BeforeAfter) {
  const d = b.difference
  return {
    officers: countText(b.officers),
    paired: countText(b.paired),
    reviewsBefore: countText(b.reviewsBefore),
    reviewsAfter: countText(b.reviewsAfter),
    meanBefore: scoreText(b.meanBefore),
    meanAfter: scoreText(b.meanAfter),
    difference: d
      ? `${d.estimate >= 0 ? '+' : '−'}${twoDp.format(Math.abs(d.estimate))} (${twoDp.format(d.low)} to ${twoDp.format(d.high)})`
      : 'Too few to tell',
    claim: d !== null,
  }
}
