import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type Figures, type WeekPoint, emptyTotals, figuresOf } from '../../domain/statistics'
import {
  type FigureRow,
  type Kind,
  csvField,
  csvLine,
  figureRows,
  formatChange,
  formatValue,
  mojValue,
  statisticsCsv,
  weeklyChartSvg,
} from './present'

// How the statistics are shown: the rows, the number formats, the CSV and the weekly chart. Every expected value is
// written out by hand here (the arithmetic in the comments), never produced by the code under test.

/** Figures with every number 0 (and every percentage null), to override field by field. */
const zero = (): Figures => figuresOf(emptyTotals(), 28)

/**
 * Figures whose every shown field holds base + its own code (1 to 31), so that a row's current and previous values
 * say which field they came from.
 */
function numbered(base: number): Figures {
  return {
    ...zero(),
    eligible: base + 1,
    allocated: base + 2,
    allocatedPercent: base + 3,
    projected: base + 4,
    delivered: base + 5,
    compliance: base + 6,
    coverDelivered: base + 7,
    notDelivered: base + 8,
    reasons: {
      prisoner_refused: base + 9,
      unavailable_court: base + 10,
      unavailable_healthcare: base + 11,
      unavailable_visit: base + 12,
      unavailable_segregation: base + 13,
      officer_redeployed: base + 14,
      regime_curtailed: base + 15,
      other: base + 16,
    },
    privatePercent: base + 17,
    privateAnswered: base + 18,
    interpreterPercent: base + 19,
    interpreterAnswered: base + 20,
    seen7Percent: base + 21,
    seen28Percent: base + 22,
    averageDaysBetween: base + 23,
    medianDaysBetween: base + 24,
    averageDaysToAllocation: base + 25,
    averageDaysToFirstSession: base + 26,
    referralsMade: base + 27,
    referralsAcknowledged: base + 28,
    referralsCompleted: base + 29,
    goalsSet: base + 30,
    goalsAchieved: base + 31,
  }
}

// key, label, kind, indented (sub), code of the field in numbered()
type Expected = [string, string, Kind, boolean, number]

const BEFORE_COVER: Expected[] = [
  ['eligible', 'Eligible prisoners (average per day)', 'decimal', false, 1],
  ['allocated', 'Prisoners with a Key Worker (last day)', 'count', false, 2],
  ['allocatedPercent', 'Eligible prisoners with a Key Worker (last day)', 'percent', false, 3],
  ['projected', 'Projected sessions', 'decimal', false, 4],
]
const AFTER_COVER: Expected[] = [
  ['notDelivered', 'Sessions not delivered', 'count', false, 8],
  // NOT_DELIVERED_REASONS in order, ' (say why)' taken off 'Other (say why)'
  ['reason_prisoner_refused', 'Prisoner refused', 'count', true, 9],
  ['reason_unavailable_court', 'Prisoner unavailable: court', 'count', true, 10],
  ['reason_unavailable_healthcare', 'Prisoner unavailable: healthcare', 'count', true, 11],
  ['reason_unavailable_visit', 'Prisoner unavailable: visit', 'count', true, 12],
  ['reason_unavailable_segregation', 'Prisoner unavailable: segregation', 'count', true, 13],
  ['reason_officer_redeployed', 'Officer redeployed', 'count', true, 14],
  ['reason_regime_curtailed', 'Regime curtailed', 'count', true, 15],
  ['reason_other', 'Other', 'count', true, 16],
  ['privatePercent', 'Delivered sessions held in private, of those where privacy was answered', 'percent', false, 17],
  ['privateAnswered', 'Delivered sessions where privacy was answered (unanswered are left out)', 'count', true, 18],
  [
    'interpreterPercent',
    'Delivered sessions with an interpreter, of those needing one where use was answered',
    'percent',
    false,
    19,
  ],
  ['interpreterAnswered', 'Delivered sessions needing an interpreter where use was answered', 'count', true, 20],
  ['seen7Percent', 'Eligible prisoners seen in the last 7 days', 'percent', false, 21],
  ['seen28Percent', 'Eligible prisoners seen in the last 28 days', 'percent', false, 22],
  ['averageDaysBetween', 'Average days between sessions', 'days', false, 23],
  ['medianDaysBetween', 'Median days between sessions', 'days', false, 24],
  ['averageDaysToAllocation', 'Average days from reception to a Key Worker', 'days', false, 25],
  ['averageDaysToFirstSession', 'Average days from reception to the first session', 'days', false, 26],
  ['referralsMade', 'Referrals made', 'count', false, 27],
  ['referralsAcknowledged', 'Referrals acknowledged', 'count', true, 28],
  ['referralsCompleted', 'Referrals completed', 'count', true, 29],
  ['goalsSet', 'Goals set', 'count', false, 30],
  ['goalsAchieved', 'Goals achieved', 'count', true, 31],
]

/** The row expected from a table line: current 100 + code, previous 200 + code; `sub` only on indented rows. */
const expectedRow = ([key, label, kind, sub, code]: Expected): FigureRow => ({
  key,
  label,
  kind,
  current: 100 + code,
  previous: 200 + code,
  ...(sub ? { sub: true } : {}),
})

describe('statistics presented: the rows of figures', () => {
  it('lists every row in order with its label, kind, values and indent, cover left out', () => {
    const expected: Expected[] = [
      ...BEFORE_COVER,
      ['delivered', 'Sessions delivered', 'count', false, 5],
      ['compliance', 'Compliance (delivered ÷ projected)', 'percent', false, 6],
      ...AFTER_COVER,
    ]
    assert.equal(expected.length, 30) // 4 + 2 + (1 + 8 reasons + 15)
    assert.deepEqual(figureRows(numbered(100), numbered(200)), expected.map(expectedRow))
    assert.deepEqual(figureRows(numbered(100), numbered(200), { cover: false }), expected.map(expectedRow))
  })

  it('names the caseload on the delivered row and adds the cover row after compliance for one Key Worker', () => {
    const expected: Expected[] = [
      ...BEFORE_COVER,
      ['delivered', 'Sessions delivered to prisoners on the caseload', 'count', false, 5],
      ['compliance', 'Compliance (delivered ÷ projected)', 'percent', false, 6],
      ['coverDelivered', 'Cover sessions delivered (prisoners not on the caseload that day)', 'count', false, 7],
      ...AFTER_COVER,
    ]
    assert.deepEqual(figureRows(numbered(100), numbered(200), { cover: true }), expected.map(expectedRow))
  })

  it('has no sub key at all on a row that is not indented', () => {
    const rows = figureRows(numbered(100), numbered(200))
    assert.deepEqual(Object.keys(rows[0]!), ['key', 'label', 'kind', 'current', 'previous'])
    assert.deepEqual(Object.keys(rows[7]!), ['key', 'label', 'kind', 'current', 'previous', 'sub']) // a reason
  })
})

describe('statistics presented: numbers and changes', () => {
  it('says No data for null, NaN and infinities', () => {
    for (const kind of ['count', 'decimal', 'percent', 'days'] as const)
      for (const v of [null, Number.NaN, Infinity, -Infinity]) assert.equal(formatValue(v, kind), 'No data', `${v}`)
  })

  it('writes counts whole, percentages and the rest to 1 decimal', () => {
    assert.equal(formatValue(1234.4, 'count'), '1,234')
    assert.equal(formatValue(0, 'count'), '0')
    assert.equal(formatValue(12.34, 'percent'), '12.3%')
    assert.equal(formatValue(2, 'decimal'), '2.0')
    assert.equal(formatValue(3.46, 'days'), '3.5')
  })

  it('says No comparison when either side is missing', () => {
    assert.equal(formatChange({ current: null, previous: 5, kind: 'count' }), 'No comparison')
    assert.equal(formatChange({ current: 5, previous: null, kind: 'count' }), 'No comparison')
    assert.equal(formatChange({ current: null, previous: null, kind: 'percent' }), 'No comparison')
  })

  it('signs a change with + or a minus sign, in points for percentages', () => {
    assert.equal(formatChange({ current: 10, previous: 7, kind: 'count' }), '+3') // 10 − 7
    assert.equal(formatChange({ current: 7, previous: 10, kind: 'count' }), '−3') // 7 − 10
    assert.equal(formatChange({ current: 1234, previous: 0, kind: 'count' }), '+1,234')
    assert.equal(formatChange({ current: 55.5, previous: 50, kind: 'percent' }), '+5.5 points')
    assert.equal(formatChange({ current: 40, previous: 52.3, kind: 'percent' }), '−12.3 points') // 40 − 52.3
    assert.equal(formatChange({ current: 1.5, previous: 3, kind: 'days' }), '−1.5')
    assert.equal(formatChange({ current: 2.5, previous: 1, kind: 'decimal' }), '+1.5')
  })

  it('says No change when the change rounds to 0', () => {
    assert.equal(formatChange({ current: 10.4, previous: 10, kind: 'count' }), 'No change') // 0.4 → 0
    assert.equal(formatChange({ current: 9.6, previous: 10, kind: 'count' }), 'No change') // −0.4 → −0
    assert.equal(formatChange({ current: 2.04, previous: 2, kind: 'decimal' }), 'No change') // 0.04 → 0.0
    assert.equal(formatChange({ current: 50, previous: 50, kind: 'percent' }), 'No change')
  })
})

describe('statistics presented: the CSV', () => {
  it('writes numbers to 4 decimals, non-finite numbers and null empty, text as the CSV writer does', () => {
    assert.equal(csvField(1.23456789), '1.2346')
    assert.equal(csvField(68.85714285714286), '68.8571')
    assert.equal(csvField(2), '2')
    assert.equal(csvField(0.00004), '0') // 0.0000
    assert.equal(csvField(Number.NaN), '')
    assert.equal(csvField(Infinity), '')
    assert.equal(csvField(-Infinity), '')
    assert.equal(csvField(null), '')
    assert.equal(csvField('Moorland'), 'Moorland')
    assert.equal(csvField('1.23456789'), '1.23456789') // text is not rounded
    assert.equal(csvField('a, b'), '"a, b"')
    assert.equal(csvField('=1+1'), "'=1+1")
    assert.equal(csvLine([1.5, 'x', null]), '1.5,x,\r\n')
  })

  it('has no Ministry of Justice figure for a row they do not count', () => {
    assert.equal(mojValue({ key: 'notDelivered', kind: 'count' }, numbered(100)), null)
    assert.equal(mojValue({ key: 'reason_other', kind: 'count' }, numbered(100)), null)
  })

  const HEADER = 'measure,scope,from,to,value,previous_from,previous_to,previous_value,moj_value,previous_moj_value\r\n'
  const rows: FigureRow[] = [
    { key: 'delivered', label: 'Sessions delivered', kind: 'count', current: 30, previous: 25 },
    {
      key: 'compliance',
      label: 'Compliance (delivered ÷ projected)',
      kind: 'percent',
      current: 73.17073170731707,
      previous: null,
    },
    { key: 'eligible', label: 'Eligible prisoners (average per day)', kind: 'decimal', current: 41.25, previous: 40 },
  ]
  const current: Figures = { ...zero(), delivered: 30, coverOfCaseload: 2, projectedWhole: 40, eligibleWhole: 41 }
  const previousFigures: Figures = {
    ...zero(),
    delivered: 25,
    coverOfCaseload: 1,
    projectedWhole: 50,
    eligibleWhole: 40,
  }
  const period = { from: '2026-03-01', to: '2026-03-28' }
  const previous = { from: '2026-02-01', to: '2026-02-28' }

  it('writes a line per row, the Ministry of Justice columns without cover when cover is not asked for', () => {
    const csv = statisticsCsv({ scope: 'Ann Tester', period, previous, rows, current, previousFigures })
    assert.equal(
      csv,
      HEADER +
        // MoJ delivered: 30 and 25, cover not added
        'Sessions delivered,Ann Tester,2026-03-01,2026-03-28,30,2026-02-01,2026-02-28,25,30,25\r\n' +
        // 73.17073170731707 to 4 decimals; MoJ compliance 30 ÷ 40 × 100 = 75.00, 25 ÷ 50 × 100 = 50.00
        'Compliance (delivered ÷ projected),Ann Tester,2026-03-01,2026-03-28,73.1707,2026-02-01,2026-02-28,,75.00,50.00\r\n' +
        // MoJ eligible: eligibleWhole 41 and 40
        'Eligible prisoners (average per day),Ann Tester,2026-03-01,2026-03-28,41.25,2026-02-01,2026-02-28,40,41,40\r\n',
    )
  })

  it('adds a Key Worker’s cover of their own caseload to the Ministry of Justice delivered when cover is asked for', () => {
    const csv = statisticsCsv({ scope: 'Ann Tester', period, previous, rows, current, previousFigures, cover: true })
    assert.equal(
      csv,
      HEADER +
        // 30 + 2 = 32, 25 + 1 = 26
        'Sessions delivered,Ann Tester,2026-03-01,2026-03-28,30,2026-02-01,2026-02-28,25,32,26\r\n' +
        // 32 ÷ 40 × 100 = 80.00, 26 ÷ 50 × 100 = 52.00
        'Compliance (delivered ÷ projected),Ann Tester,2026-03-01,2026-03-28,73.1707,2026-02-01,2026-02-28,,80.00,52.00\r\n' +
        'Eligible prisoners (average per day),Ann Tester,2026-03-01,2026-03-28,41.25,2026-02-01,2026-02-28,40,41,40\r\n',
    )
  })

  it('adds four lines per establishment, with no previous period, after the rows', () => {
    const moorland: Figures = {
      ...zero(),
      eligible: 120.5,
      eligibleWhole: 120,
      projected: 68.85714285714286,
      projectedWhole: 68,
      delivered: 50,
      coverOfCaseload: 3, // never added for an establishment
      compliance: 72.61410788381743,
    }
    const csv = statisticsCsv({
      scope: 'Two establishments',
      period,
      previous,
      rows: [rows[0]!],
      current,
      previousFigures,
      establishments: [{ code: 'MDI', name: 'Moorland', figures: moorland }],
    })
    assert.equal(
      csv,
      HEADER +
        'Sessions delivered,Two establishments,2026-03-01,2026-03-28,30,2026-02-01,2026-02-28,25,30,25\r\n' +
        // value, previous_from '', previous_to '', previous_value '', moj_value, previous_moj_value ''
        'Eligible prisoners (average per day),Moorland (MDI),2026-03-01,2026-03-28,120.5,,,,120,\r\n' +
        'Projected sessions,Moorland (MDI),2026-03-01,2026-03-28,68.8571,,,,68,\r\n' +
        'Sessions delivered,Moorland (MDI),2026-03-01,2026-03-28,50,,,,50,\r\n' +
        // MoJ: 50 ÷ 68 × 100 = 73.5294… → 73.53
        'Compliance (delivered ÷ projected),Moorland (MDI),2026-03-01,2026-03-28,72.6141,,,,73.53,\r\n',
    )
  })
})

// ---- the weekly chart ----
// Fixed: width 640, height 260, left 48, right 12, top 16, bottom 40, so the plot is 640 − 48 − 12 = 580 wide and
// 260 − 16 − 40 = 204 high; y(v) = 16 + 204 − v ÷ top_ × 204 = 220 − v × 204 ÷ top_.

const SVG_OPEN = (id: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 640 260" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">`

/** A gridline at y (written by hand) with its label 4 lower, right-aligned at 48 − 6 = 42, from 48 to 640 − 12 = 628. */
const grid = (y: string, labelY: string, label: string) =>
  `<line x1="48" x2="628" y1="${y}" y2="${y}" stroke="#b1b4b6" stroke-width="1"/>` +
  `<text x="42" y="${labelY}" text-anchor="end" font-size="12" fill="#0b0c0c">${label}</text>`

const bar = (x: string, y: string, width: string, height: string) =>
  `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="#1d70b8"/>`

/** A week's label under the plot, at 260 − 40 + 16 = 236. */
const weekText = (x: string, label: string) =>
  `<text x="${x}" y="236" text-anchor="middle" font-size="12" fill="#0b0c0c">${label}</text>`

// the legend: a square at (48, 260 − 14 = 246), its text at 48 + 16 = 64, 260 − 4 = 256; the line from 48 + 100 = 148
// to 48 + 124 = 172 at 260 − 8 = 252, its text at 48 + 130 = 178
const LEGEND =
  '<rect x="48" y="246" width="12" height="12" fill="#1d70b8"/>' +
  '<text x="64" y="256" font-size="12" fill="#0b0c0c">Delivered</text>' +
  '<line x1="148" x2="172" y1="252" y2="252" stroke="#d4351c" stroke-width="3"/>' +
  '<text x="178" y="256" font-size="12" fill="#0b0c0c">Projected</text>' +
  '</svg>'

const TAIL =
  'Bars are sessions delivered each week, the line is projected sessions. The table that follows has the numbers.'

const week = (from: string, to: string, delivered: number, projected: number): WeekPoint => ({
  from,
  to,
  delivered,
  projected,
})

/** The gridline labels of a chart, bottom to top. */
const gridLabels = (svg: string) =>
  [...svg.matchAll(/<text x="42" y="[^"]*" text-anchor="end" font-size="12" fill="#0b0c0c">([^<]*)<\/text>/g)].map(
    m => m[1],
  )

describe('statistics presented: the weekly chart', () => {
  it('draws two weeks exactly, and escapes the title', () => {
    // max = max(1, 3, 4, 7, 5) = 7; step = niceStep(7 ÷ 4 = 1.75) = 2 (1 < 1.75 ≤ 2); top_ = ceil(7 ÷ 2) × 2 = 8
    // y(v) = 220 − v × 204 ÷ 8 = 220 − 25.5v: y(0) = 220, y(2) = 169, y(4) = 118, y(6) = 67, y(8) = 16
    // band = 580 ÷ 2 = 290; bar width = 290 × 0.6 = 174; bar x = 48 + 290i + (290 − 174) ÷ 2 = 106 + 290i
    // bars: y(3) = 220 − 76.5 = 143.5, height 76.5; y(7) = 220 − 178.5 = 41.5, height 178.5
    // line: x = 48 + 290i + 145 = 193, 483; y(4) = 118, y(5) = 220 − 127.5 = 92.5
    // labels every ceil(2 ÷ 8) = 1 week; totals 3 + 7 = 10 delivered, 4 + 5 = 9.0 projected
    const svg = weeklyChartSvg([week('2026-03-02', '2026-03-08', 3, 4), week('2026-03-09', '2026-03-15', 7, 5)], {
      id: 'wk',
      title: `Weekly <sessions> & "A's"`,
    })
    assert.equal(
      svg,
      SVG_OPEN('wk') +
        '<title id="wk-title">Weekly &lt;sessions&gt; &amp; &quot;A&#39;s&quot;</title>' +
        `<desc id="wk-desc">2 weeks from 2 March 2026 to 15 March 2026: 10 sessions delivered against 9.0 projected. ${TAIL}</desc>` +
        grid('220.0', '224.0', '0') +
        grid('169.0', '173.0', '2') +
        grid('118.0', '122.0', '4') +
        grid('67.0', '71.0', '6') +
        grid('16.0', '20.0', '8') +
        bar('106.0', '143.5', '174.0', '76.5') +
        bar('396.0', '41.5', '174.0', '178.5') +
        '<polyline points="193.0,118.0 483.0,92.5" fill="none" stroke="#d4351c" stroke-width="3"/>' +
        weekText('193.0', '2 Mar') +
        weekText('483.0', '9 Mar') +
        LEGEND,
    )
  })

  it('draws ten weeks exactly, labelling every other week', () => {
    // max = 18 (delivered in week 1); step = niceStep(18 ÷ 4 = 4.5) = 5 (2 < 4.5 ≤ 5); top_ = ceil(18 ÷ 5) × 5 = 20
    // y(v) = 220 − v × 204 ÷ 20 = 220 − 10.2v; gridlines 0, 5, 10, 15, 20 at 220, 169, 118, 67, 16
    // band = 580 ÷ 10 = 58; bar width = 58 × 0.6 = 34.8; bar x = 48 + 58i + (58 − 34.8) ÷ 2 = 59.6 + 58i
    // bar y = 220 − 10.2d and height 10.2d:
    //   18 → 36.4, 183.6 | 0 → 220, 0 | 5 → 169, 51 | 10 → 118, 102 | 15 → 67, 153
    //   2 → 199.6, 20.4 | 4 → 179.2, 40.8 | 6 → 158.8, 61.2 | 8 → 138.4, 81.6 | 12 → 97.6, 122.4
    // line x = 48 + 58i + 29 = 77 + 58i; y(10) = 118, y(7.5) = 220 − 76.5 = 143.5
    // labels every ceil(10 ÷ 8) = 2 weeks: weeks 0, 2, 4, 6, 8 at x 77, 193, 309, 425, 541
    // totals: 18 + 0 + 5 + 10 + 15 + 2 + 4 + 6 + 8 + 12 = 80 delivered; 9 × 10 + 7.5 = 97.5 projected
    // the last week is short: it ends on 11 March
    const delivered = [18, 0, 5, 10, 15, 2, 4, 6, 8, 12]
    const froms = [
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
      '2026-01-26',
      '2026-02-02',
      '2026-02-09',
      '2026-02-16',
      '2026-02-23',
      '2026-03-02',
      '2026-03-09',
    ]
    const tos = [
      '2026-01-11',
      '2026-01-18',
      '2026-01-25',
      '2026-02-01',
      '2026-02-08',
      '2026-02-15',
      '2026-02-22',
      '2026-03-01',
      '2026-03-08',
      '2026-03-11',
    ]
    const weeks = froms.map((from, i) => week(from, tos[i]!, delivered[i]!, i === 9 ? 7.5 : 10))
    assert.equal(
      weeklyChartSvg(weeks, { id: 'b', title: 'Weekly sessions' }),
      SVG_OPEN('b') +
        '<title id="b-title">Weekly sessions</title>' +
        `<desc id="b-desc">10 weeks from 5 January 2026 to 11 March 2026: 80 sessions delivered against 97.5 projected. ${TAIL}</desc>` +
        grid('220.0', '224.0', '0') +
        grid('169.0', '173.0', '5') +
        grid('118.0', '122.0', '10') +
        grid('67.0', '71.0', '15') +
        grid('16.0', '20.0', '20') +
        bar('59.6', '36.4', '34.8', '183.6') +
        bar('117.6', '220.0', '34.8', '0.0') +
        bar('175.6', '169.0', '34.8', '51.0') +
        bar('233.6', '118.0', '34.8', '102.0') +
        bar('291.6', '67.0', '34.8', '153.0') +
        bar('349.6', '199.6', '34.8', '20.4') +
        bar('407.6', '179.2', '34.8', '40.8') +
        bar('465.6', '158.8', '34.8', '61.2') +
        bar('523.6', '138.4', '34.8', '81.6') +
        bar('581.6', '97.6', '34.8', '122.4') +
        '<polyline points="77.0,118.0 135.0,118.0 193.0,118.0 251.0,118.0 309.0,118.0 367.0,118.0 425.0,118.0 ' +
        '483.0,118.0 541.0,118.0 599.0,143.5" fill="none" stroke="#d4351c" stroke-width="3"/>' +
        weekText('77.0', '5 Jan') +
        weekText('193.0', '19 Jan') +
        weekText('309.0', '2 Feb') +
        weekText('425.0', '16 Feb') +
        weekText('541.0', '2 Mar') +
        LEGEND,
    )
  })

  it('draws an empty period as an axis from 0 to 1 and says there are no weeks', () => {
    // max = max(1) = 1; step = niceStep(0.25) = 1; top_ = 1; y(0) = 220, y(1) = 16; no bars, no line, no labels
    assert.equal(
      weeklyChartSvg([], { id: 'e', title: 'None' }),
      SVG_OPEN('e') +
        '<title id="e-title">None</title>' +
        '<desc id="e-desc">No weeks in the period.</desc>' +
        grid('220.0', '224.0', '0') +
        grid('16.0', '20.0', '1') +
        LEGEND,
    )
  })

  it('steps the gridlines by 1, 2 or 5 times a power of ten, or 10, from a quarter of the highest value', () => {
    const labelsFor = (delivered: number, projected: number) =>
      gridLabels(weeklyChartSvg([week('2026-03-02', '2026-03-08', delivered, projected)], { id: 'g', title: 'G' }))
    // max = max(1, 0, 0.5) = 1; raw 0.25 below 1 counts as 1 (p = 1): step 1, top_ 1
    assert.deepEqual(labelsFor(0, 0.5), ['0', '1'])
    // max 4: raw 1; 1 × 1 ≥ 1, step 1, top_ 4
    assert.deepEqual(labelsFor(4, 0), ['0', '1', '2', '3', '4'])
    // max 7: raw 1.75, step 2, top_ ceil(3.5) × 2 = 8
    assert.deepEqual(labelsFor(7, 0), ['0', '2', '4', '6', '8'])
    // max 18 (projected counts too): raw 4.5, step 5, top_ ceil(3.6) × 5 = 20
    assert.deepEqual(labelsFor(3, 18), ['0', '5', '10', '15', '20'])
    // max 28: raw 7, p = 1; 1, 2, 5 < 7 ≤ 10: step 10, top_ ceil(2.8) × 10 = 30
    assert.deepEqual(labelsFor(28, 3), ['0', '10', '20', '30'])
    // max 60: raw 15, p = 10; 10 < 15 ≤ 20: step 20, top_ 60
    assert.deepEqual(labelsFor(60, 0), ['0', '20', '40', '60'])
    // max 400: raw 100, p = 100: step 100, top_ 400
    assert.deepEqual(labelsFor(0, 400), ['0', '100', '200', '300', '400'])
    // max 401: raw 100.25, p = 100; 100 < 100.25 ≤ 200: step 200, top_ ceil(2.005) × 200 = 600
    assert.deepEqual(labelsFor(401, 0), ['0', '200', '400', '600'])
  })
})
