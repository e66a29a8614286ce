import type { Rag } from '../../domain/rag'
import { csvLine } from '../../platform/csv'
import { MEASURES, type MeasureCode } from './measures'
import type { Cell, Row, SortKey, ThresholdView } from './service'

// How the overview's figures read on its pages and in its CSV: no database, no Express.

/** The national team's links to the rest of the national work (issue 17), on the overview. */
export const NATIONAL_WORK = [
  { href: '/national/thresholds', text: 'RAG thresholds of the overview' },
  { href: '/bulletins', text: 'Bulletins to officers' },
  { href: '/bulletins/reach', text: 'Reach of the bulletins' },
  { href: '/good-practice/submissions', text: 'Good practice submitted by establishments' },
  { href: '/questions', text: 'Questions from Supervising Officers' },
  { href: '/trials', text: 'Trials and evaluation' },
  { href: '/survey/rounds', text: 'Staff culture survey' },
  { href: '/recruitment', text: 'Values-based recruitment' },
]

const RAG_TAG: Record<Rag, string> = {
  green: 'govuk-tag--green',
  amber: 'govuk-tag--yellow',
  red: 'govuk-tag--red',
  none: 'govuk-tag--grey',
}

/** A measure's figure as people read it: a % to one decimal, the QA mean to two; a dash with no figure. */
export function valueText(code: MeasureCode, value: number | null): string {
  if (value === null) return '–'
  if (code === 'qa_score') return value.toFixed(2)
  return `${(Math.round(value * 10) / 10).toLocaleString('en-GB')}%`
}

/** "1 hub", "2 hubs" */
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`

export function cellView(code: MeasureCode, c: Cell, extra?: string) {
  return { text: valueText(code, c.value), rag: c.ragWords, tag: RAG_TAG[c.rag], extra: extra ?? '' }
}

export const qaExtra = (r: Pick<Row, 'qa'>) =>
  r.qa.interval
    ? `95% interval ${r.qa.interval.low.toFixed(2)} to ${r.qa.interval.high.toFixed(2)}, ${r.qa.interval.n} reviews`
    : `${r.qa.counts.reduce((a, b) => a + b, 0)} reviews: at least 2 are needed`

function rowView(r: Row) {
  const cells = Object.fromEntries(
    MEASURES.map(m => {
      const c = r.cells[m.code]
      let extra = ''
      if (m.code === 'qa_score') extra = qaExtra(r)
      else if (m.code === 'caseload')
        extra = `${plural(r.keyWorkers, 'Key Worker')}; ${plural(r.allocated, 'man', 'men')}, capacity ${r.capacity.toLocaleString('en-GB')}`
      else if (m.code === 'private')
        extra = `${plural(r.hubs, 'hub')}, ${plural(r.privateRooms, 'private room')}${c.den === 0 ? '; no sessions to count' : ''}`
      else if (c.den === 0) extra = 'none to count'
      return [m.code, cellView(m.code, c, extra)]
    }),
  )
  return { ...r, cellViews: cells }
}

const href = (base: string, q: Record<string, string>) => {
  const p = new URLSearchParams(Object.entries(q).filter(([, v]) => v))
  const s = p.toString()
  return s ? `${base}?${s}` : base
}

/** What the overview page shows (at /national, and at / for a national user who has chosen no establishment). */
export function overviewPage(o: {
  rows: Row[]
  thresholds: ThresholdView[]
  categories: string[]
  regions: string[]
  category: string
  region: string
  sort: SortKey
  order: 'asc' | 'desc'
  from: string
  today: string
  months: string[]
  qaFrom: string
}) {
  const filter = { category: o.category, region: o.region }
  const column = (key: SortKey, text: string) => {
    const active = o.sort === key
    const next = active && o.order === 'asc' ? 'desc' : 'asc'
    return {
      key,
      text,
      href: href('/national', { ...filter, sort: key, order: next }),
      ariaSort: active ? (o.order === 'asc' ? 'ascending' : 'descending') : 'none',
      // what following the link does, for screen readers
      hint: `sort by ${text.toLowerCase()}, ${next === 'asc' ? 'ascending' : 'descending'}`,
    }
  }
  return {
    pageTitle: 'National overview',
    ...o,
    rows: o.rows.map(rowView),
    columns: [column('name', 'Establishment'), ...MEASURES.map(m => column(m.code, m.label))],
    categoryItems: [
      { value: '', text: 'All categories' },
      ...o.categories.map(c => ({ value: c, text: c, selected: c === o.category })),
    ],
    regionItems: [
      { value: '', text: 'All regions' },
      ...o.regions.map(r => ({ value: r, text: r, selected: r === o.region })),
    ],
    sortItems: [
      { value: 'name', text: 'Establishment name', selected: o.sort === 'name' },
      ...MEASURES.map(m => ({ value: m.code, text: m.label, selected: o.sort === m.code })),
    ],
    orderItems: [
      { value: 'asc', text: 'Lowest first (A to Z)', selected: o.order === 'asc' },
      { value: 'desc', text: 'Highest first (Z to A)', selected: o.order === 'desc' },
    ],
    csvHref: href('/national.csv', { ...filter, sort: o.sort, order: o.order }),
    nationalWork: NATIONAL_WORK,
    nationalOverview: true,
  }
}

/** The overview's rows as CSV: each measure's figure and its RAG status in words, as on the page. */
export function overviewCsv(rows: Row[], thresholds: ThresholdView[]): string {
  const head = [
    'Establishment',
    'Code',
    'Category',
    'Region',
    ...MEASURES.flatMap(m => [m.unit === '%' ? `${m.label} (%)` : m.label, `${m.label} RAG`]),
    'QA score 95% interval low',
    'QA score 95% interval high',
    'QA reviews',
    'Key Workers',
    'Men allocated',
    'Capacity',
    'Hubs',
    'Private rooms',
    'Compliance trend',
  ]
  const round = (v: number | null, places: number) => (v === null ? null : Number(v.toFixed(places)))
  const lines = [csvLine(head)]
  for (const r of rows)
    lines.push(
      csvLine([
        r.name,
        r.code,
        r.category,
        r.region,
        ...MEASURES.flatMap(m => [
          round(r.cells[m.code].value, m.code === 'qa_score' ? 2 : 1),
          r.cells[m.code].ragWords,
        ]),
        round(r.qa.interval?.low ?? null, 2),
        round(r.qa.interval?.high ?? null, 2),
        r.qa.counts.reduce((a, b) => a + b, 0),
        r.keyWorkers,
        r.allocated,
        r.capacity,
        r.hubs,
        r.privateRooms,
        r.trendWords,
      ]),
    )
  lines.push(csvLine([]))
  for (const t of thresholds) lines.push(csvLine([`${t.label} rule`, t.words]))
  return lines.join('')
}
