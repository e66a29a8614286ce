import { z } from 'zod'
import { date, text, yesNo } from '../../forms/fields'
import { NATIONAL_QUESTIONS, QUESTION_MAX, TITLE_MAX } from '../../domain/survey'

/** A new round: its title and dates, the wording of each national question, and whether to ask the free-text one. */
export const roundSchema = z.object({
  title: text('a title', TITLE_MAX),
  opensOn: date('the opening date'),
  closesOn: date('the closing date'),
  askComments: yesNo('whether to ask the free-text question'),
  ...Object.fromEntries(
    NATIONAL_QUESTIONS.map((q, i) => [
      `q_${q.code}`,
      text(
        q.kind === 'scale' ? `the wording of statement ${i + 1}` : 'the wording of the free-text question',
        QUESTION_MAX,
      ),
    ]),
  ),
}) as z.ZodType<
  { title: string; opensOn: string; closesOn: string; askComments: boolean } & Record<`q_${string}`, string>
>

const whole = (label: string) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .regex(/^[0-9]{1,6}$/, `${label.charAt(0).toUpperCase()}${label.slice(1)} must be a whole number, like 10`)
    .transform(Number)

/** The national thresholds; their bounds are checked by the domain (checkThresholds). */
export const settingsSchema = z.object({
  threshold: whole('the results threshold'),
  freeTextThreshold: whole('the free-text threshold'),
})

/** A round's new wording: its title and each of its questions' text, by code. */
export const rewordSchema = (questions: readonly { code: string; kind: string; position: number }[]) =>
  z.object({
    title: text('a title', TITLE_MAX),
    ...Object.fromEntries(
      questions.map(q => [
        `q_${q.code}`,
        text(
          q.kind === 'scale' ? `the wording of statement ${q.position}` : 'the wording of the free-text question',
          QUESTION_MAX,
        ),
      ]),
    ),
  }) as z.ZodType<{ title: string } & Record<`q_${string}`, string>>
