/**
 * The seven pathways to reduce reoffending, plus wellbeing and safety: the taxonomy the services directory,
 * worksheets and session entries share. Codes are stable identifiers (HSDS taxonomy_term.code); names are
 * what people read.
 */
export const PATHWAYS = [
  { code: 'accommodation', name: 'Accommodation', termId: 'c71ed244-b89f-5dba-9497-ffa7879229e7' },
  {
    code: 'education-training-employment',
    name: 'Education, training and employment',
    termId: '0916b459-171c-57e3-ab7a-8cd34224d4e1',
  },
  { code: 'health', name: 'Health (including mental health)', termId: 'a933e20a-f7c3-5718-94f5-e95c3bcb7c13' },
  { code: 'drugs-alcohol', name: 'Drugs and alcohol', termId: '0182eda3-0eb2-52a3-b153-660362480b85' },
  { code: 'finance-benefit-debt', name: 'Finance, benefit and debt', termId: 'df9a33af-5fa2-52ba-bd8c-4cc80afd4699' },
  { code: 'children-families', name: 'Children and families', termId: '4f3046e3-037f-556a-9daa-b75452b2b740' },
  {
    code: 'attitudes-thinking-behaviour',
    name: 'Attitudes, thinking and behaviour',
    termId: 'daa11abf-f139-55a5-8559-eeaa7244103d',
  },
  { code: 'wellbeing-safety', name: 'Wellbeing and safety', termId: 'e03fb575-2462-57b9-b5da-157195f0e278' },
] as const

/** HSDS taxonomy id for the pathways, fixed so that exports from any keywork installation agree. */
export const PATHWAY_TAXONOMY_ID = 'f1c5d7f2-6a43-5b1e-9a57-3c0e8d0b2a11'

export type PathwayCode = (typeof PATHWAYS)[number]['code']

export const PATHWAY_CODES = PATHWAYS.map(p => p.code) as [PathwayCode, ...PathwayCode[]]

const names = new Map<string, string>(PATHWAYS.map(p => [p.code, p.name]))

export function pathwayName(code: string): string {
  return names.get(code) ?? code
}

export function isPathwayCode(code: string): code is PathwayCode {
  return names.has(code)
}
