import { formatDate, londonDate } from '../../domain/dates'
import { finishPdf, heading, newPdf, paragraph, pdfSafe } from '../../platform/pdf'
import type { SubjectData } from './repository'
import { SAR_SECTIONS } from './service'

const DAY = /^\d{4}-\d{2}-\d{2}$/
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** A field's name as words: "key_worker_first_name" → "Key worker first name". */
const words = (k: string) => {
  const w = k.replace(/_/g, ' ')
  return w.charAt(0).toUpperCase() + w.slice(1)
}

/** A value as a reader reads it: dates in GOV.UK style (Europe/London), nothing for an empty value. */
export function readable(v: unknown): string {
  if (v === null || v === undefined || v === '') return ''
  if (typeof v === 'string' && DAY.test(v)) return formatDate(v)
  if (typeof v === 'string' && MOMENT.test(v)) {
    const d = new Date(v)
    if (!Number.isNaN(d.getTime())) {
      const time = d.toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' })
      return `${formatDate(londonDate(d))} at ${time}`
    }
  }
  return String(v)
}

/** The export as a readable PDF: his name, then one heading per section and each row's fields as lines. */
export async function sarPdf(prisonNumber: string, data: SubjectData, generatedAt: string): Promise<Buffer> {
  const first = data.prisonerRecords[0]
  const name = first ? `${first.first_name} ${first.last_name}` : prisonNumber
  const doc = newPdf(`Subject access request: ${prisonNumber}`)
  heading(doc, pdfSafe(`Subject access request: ${name} (${prisonNumber})`), 16)
  paragraph(doc, `Everything Key Work holds about him in every establishment, as at ${readable(generatedAt)}.`)
  for (const [key, title] of SAR_SECTIONS) {
    const rows = data[key] as readonly Record<string, unknown>[]
    heading(doc, `${title} (${rows.length})`, 12)
    if (rows.length === 0) paragraph(doc, 'None held.')
    for (const row of rows) {
      const lines = Object.entries(row)
        .map(([k, v]) => [k, readable(v)] as const)
        .filter(([, v]) => v !== '')
        .map(([k, v]) => pdfSafe(`${words(k)}: ${v}`))
      paragraph(doc, lines.join('\n'))
    }
  }
  const { pdf } = await finishPdf(doc, `Subject access request ${prisonNumber}`)
  return pdf
}
