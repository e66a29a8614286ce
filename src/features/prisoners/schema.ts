import { z } from 'zod'
import { COMPLEXITIES, PRISONER_STATUSES, PRISON_NUMBER } from '../../domain/prisoner'
import { type FieldProblem, parsedFields, whenAnObject } from '../../forms/crossFields'
import { date, language, oneOf, optionalDate, optionalText, text, yesNo } from '../../forms/fields'

/** One prisoner as typed in a form or read from a CSV row: all text, validated and normalised. */
export const prisonerRecordSchema = z
  .object({
    prisonNumber: z
      .string({ error: 'Enter a prison number' })
      .trim()
      .toUpperCase()
      .regex(PRISON_NUMBER, 'Enter a prison number in the format A1234BC'),
    firstName: text('first name', 60),
    lastName: text('last name', 60),
    dateOfBirth: date('date of birth', { notFuture: true }),
    unit: optionalText('residential unit', 20),
    cell: optionalText('cell', 20),
    receptionDate: date('reception date', { notFuture: true }),
    releaseDate: optionalDate('expected release date'),
    status: oneOf('status', PRISONER_STATUSES, 'in'),
    complexity: oneOf('complexity of need', COMPLEXITIES, 'low'),
    firstLanguage: language('first language'),
    interpreterNeeded: yesNo('interpreter needed'),
    nationality: optionalText('nationality', 60).transform(v => v ?? 'British'),
  })
  .superRefine(
    (v, ctx) => {
      for (const p of prisonerDateProblems(parsedFields(v, ctx.issues)))
        ctx.addIssue({ code: 'custom', path: [p.field], message: p.message })
    },
    // run even when a field failed (zod skips refinements then), so one pass lists every problem of a form or row
    { when: whenAnObject },
  )

export type PrisonerRecord = z.infer<typeof prisonerRecordSchema>

type DateFields = 'dateOfBirth' | 'receptionDate' | 'releaseDate'

/**
 * The rules between a prisoner's dates, on those that parsed (a date absent here failed its own check or was left
 * blank): a bad date of birth does not hide a release date before the reception date.
 */
export function prisonerDateProblems(v: Partial<Record<DateFields, string | null>>): FieldProblem<DateFields>[] {
  const problems: FieldProblem<DateFields>[] = []
  if (v.releaseDate && v.receptionDate && v.releaseDate < v.receptionDate)
    problems.push({ field: 'releaseDate', message: 'Expected release date must be after the reception date' })
  if (v.dateOfBirth && v.receptionDate && v.dateOfBirth > v.receptionDate)
    problems.push({ field: 'dateOfBirth', message: 'Date of birth must be before the reception date' })
  return problems
}

export const PRISONER_FIELD_LABELS: Record<keyof PrisonerRecord, string> = {
  prisonNumber: 'Prison number',
  firstName: 'First name',
  lastName: 'Last name',
  dateOfBirth: 'Date of birth',
  unit: 'Residential unit',
  cell: 'Cell',
  receptionDate: 'Reception date',
  releaseDate: 'Expected release date',
  status: 'Status',
  complexity: 'Complexity of need',
  firstLanguage: 'First language',
  interpreterNeeded: 'Interpreter needed',
  nationality: 'Nationality',
}
