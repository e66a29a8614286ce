import type { Direction } from '../../domain/rag'

/** The measures of the national overview, in the order of its columns, each with its RAG threshold's bounds. */
export const MEASURES = [
  {
    code: 'compliance',
    label: 'Compliance',
    about: 'Sessions delivered ÷ sessions projected, last 28 days',
    unit: '%',
    min: 0,
    max: 200,
  },
  {
    code: 'seen28',
    label: 'Seen in 28 days',
    about: 'Eligible men with a delivered session in the last 28 days',
    unit: '%',
    min: 0,
    max: 100,
  },
  {
    code: 'qa_score',
    label: 'QA score',
    about: 'Mean overall QA score (1 to 4) of entries of the last 3 months, with its 95% interval',
    unit: '',
    min: 1,
    max: 4,
  },
  {
    code: 'initial_course',
    label: 'Initial course',
    about: 'Active Key Workers who have done the initial course',
    unit: '%',
    min: 0,
    max: 100,
  },
  {
    code: 'cpd',
    label: 'CPD',
    about: 'Active Key Workers who have met their CPD target this year',
    unit: '%',
    min: 0,
    max: 100,
  },
  {
    code: 'interpreter',
    label: 'Interpreter used',
    about: 'Sessions needing an interpreter where one was used, last 28 days',
    unit: '%',
    min: 0,
    max: 100,
  },
  {
    code: 'referrals',
    label: 'Referrals followed up',
    about: 'Referrals made in the last 28 days that were acknowledged or completed',
    unit: '%',
    min: 0,
    max: 100,
  },
  {
    code: 'caseload',
    label: 'Caseload against capacity',
    about: 'Men allocated ÷ the capacity of the active Key Workers',
    unit: '%',
    min: 0,
    max: 300,
  },
  {
    code: 'private',
    label: 'Held in private',
    about: 'Delivered sessions held in private (a hub room or another private place), last 28 days',
    unit: '%',
    min: 0,
    max: 100,
  },
] as const satisfies readonly {
  code: string
  label: string
  about: string
  unit: '%' | ''
  min: number
  max: number
}[]

export type MeasureCode = (typeof MEASURES)[number]['code']

export const MEASURE_CODES = MEASURES.map(m => m.code) as MeasureCode[]

export const isMeasureCode = (v: string): v is MeasureCode => (MEASURE_CODES as string[]).includes(v)

export const DIRECTIONS: Record<Direction, string> = {
  higher: 'Higher is better',
  lower: 'Lower is better',
}
