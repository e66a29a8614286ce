import { z } from 'zod'
import { COMPLEXITIES, PRISONER_STATUSES, PRISON_NUMBER } from '../../domain/prisoner'
import { date, language, oneOf, optionalDate, optionalText, text, yesNo } from '../../web/fields'

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
  .superRefine((v, ctx) => {
    if (v.releaseDate && v.receptionDate && v.releaseDate < v.receptionDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['releaseDate'],
        message: 'Expected release date must be after the reception date',
      })
    }
    if (v.dateOfBirth && v.receptionDate && v.dateOfBirth > v.receptionDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['dateOfBirth'],
        message: 'Date of birth must be before the reception date',
      })
    }
  })

export type PrisonerRecord = z.infer<typeof prisonerRecordSchema>

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
