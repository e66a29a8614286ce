import { addDays, isoFromParts } from '../../domain/dates'
import { PRESETS, type Period, type Preset, presetPeriod } from '../../domain/statistics'

/** The longest period one page compares (with its previous period): 3 years. */
export const MAX_DAYS = 366 * 3

export interface StatisticsQuery {
  values: {
    period: Preset
    scope: string
    'from-day': string
    'from-month': string
    'from-year': string
    'to-day': string
    'to-month': string
    'to-year': string
  }
  period: Period | null
  errors: Record<string, string>
}

const text = (q: Record<string, unknown>, name: string, max = 20) => {
  const v = q[name]
  return typeof v === 'string' ? v.trim().slice(0, max) : ''
}

/** Reads the statistics form (a GET: the query string); a bad custom date gives errors, never an exception. */
export function readQuery(q: Record<string, unknown>, today: string): StatisticsQuery {
  const raw = text(q, 'period')
  const period: Preset = Object.hasOwn(PRESETS, raw) ? (raw as Preset) : '4w'
  const values: StatisticsQuery['values'] = {
    period,
    scope: text(q, 'scope', 40) || 'establishment',
    'from-day': text(q, 'from-day'),
    'from-month': text(q, 'from-month'),
    'from-year': text(q, 'from-year'),
    'to-day': text(q, 'to-day'),
    'to-month': text(q, 'to-month'),
    'to-year': text(q, 'to-year'),
  }
  if (period !== 'custom') {
    const p = presetPeriod(period, today)
    const [fy, fm, fd] = p.from.split('-')
    const [ty, tm, td] = p.to.split('-')
    Object.assign(values, {
      'from-day': String(Number(fd)),
      'from-month': String(Number(fm)),
      'from-year': fy,
      'to-day': String(Number(td)),
      'to-month': String(Number(tm)),
      'to-year': ty,
    })
    return { values, period: p, errors: {} }
  }
  const errors: Record<string, string> = {}
  const dateOf = (name: 'from' | 'to', label: string) => {
    const parts = [values[`${name}-year`], values[`${name}-month`], values[`${name}-day`]]
    if (parts.every(p => p === '')) {
      errors[`${name}-day`] = `Enter the ${label}`
      return null
    }
    const iso = parts.every(p => /^\d{1,4}$/.test(p))
      ? isoFromParts(Number(parts[0]), Number(parts[1]), Number(parts[2]))
      : null
    if (!iso) errors[`${name}-day`] = `The ${label} must be a real date, for example 27 3 2026`
    return iso
  }
  // both dates are checked, each on its own, so the error summary lists every problem at once
  const from = dateOf('from', 'first day')
  const to = dateOf('to', 'last day')
  if (to && to > today) errors['to-day'] = 'The last day must be today or in the past'
  if (from && from > today) errors['from-day'] = 'The first day must be today or in the past'
  else if (from && to && from > to) errors['from-day'] = 'The first day must be on or before the last day'
  else if (from && to && addDays(from, MAX_DAYS) <= to) errors['from-day'] = 'A period can be up to 3 years long'
  if (Object.keys(errors).length || !from || !to) return { values, period: null, errors }
  return { values, period: { from, to }, errors }
}
