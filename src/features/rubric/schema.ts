import { z } from 'zod'
import {
  DESCRIPTOR_MAX,
  GUIDANCE_MAX,
  LOCAL_CODE,
  QUALITY_SCALE,
  TITLE_MAX,
  type CriterionText,
} from '../../domain/rubric'

/** Text that must be given: "Enter …" when empty, "The … must be N characters or fewer" when too long. */
const text = (enter: string, name: string, max: number) =>
  z
    .string({ error: `Enter ${enter}` })
    .trim()
    .min(1, `Enter ${enter}`)
    .max(max, `${name} must be ${max.toLocaleString('en-GB')} characters or fewer`)

const descriptor = (n: 1 | 2 | 3 | 4) =>
  text(
    `what a score of ${n} (${QUALITY_SCALE[n].toLowerCase()}) looks like`,
    `What a score of ${n} looks like`,
    DESCRIPTOR_MAX,
  )

const code = text('a short code', 'The code', 20).refine(v => LOCAL_CODE.test(v), {
  message: 'The code must start with a letter and have only letters, numbers and hyphens, 2 to 20 of them',
})

const wording = {
  title: text('a title', 'The title', TITLE_MAX),
  guidance: text('guidance for the reviewer', 'The guidance', GUIDANCE_MAX),
  descriptor1: descriptor(1),
  descriptor2: descriptor(2),
  descriptor3: descriptor(3),
  descriptor4: descriptor(4),
}

type Wording = {
  title: string
  guidance: string
  descriptor1: string
  descriptor2: string
  descriptor3: string
  descriptor4: string
}
const descriptorsOf = (v: Wording): CriterionText['descriptors'] => [
  v.descriptor1,
  v.descriptor2,
  v.descriptor3,
  v.descriptor4,
]

/** A new criterion (an establishment's own, or one added to the national draft): its code and wording. */
export const criterionSchema = z.object({ code, ...wording }).transform((v): CriterionText => ({
  code: v.code,
  title: v.title,
  guidance: v.guidance,
  descriptors: descriptorsOf(v),
}))

/** A change to a criterion's wording. A national criterion keeps its code (reports and the pre-check match on it). */
export const wordingSchema = z.object(wording).transform((v): Omit<CriterionText, 'code'> => ({
  title: v.title,
  guidance: v.guidance,
  descriptors: descriptorsOf(v),
}))

/** An establishment's criterion changed: its code may change too (reviews keep the criterion's id). */
export const localCriterionSchema = criterionSchema

/** Starting a national draft: a note of what the new version is for. */
export const draftSchema = z.object({ notes: text('what the new version is for', 'The note', 500) })

/** Publishing the draft: the version number the page showed, so a draft changed meanwhile is not published blind. */
export const publishSchema = z.object({
  version: z
    .string({ error: 'Publish the draft from its page' })
    .trim()
    .regex(/^[1-9]\d{0,5}$/, 'Publish the draft from its page')
    .transform(Number),
})

/** The form's fields from a criterion, to fill the form. */
export function formOfCriterion(c: CriterionText | null): Record<string, string> {
  return {
    code: c?.code ?? '',
    title: c?.title ?? '',
    guidance: c?.guidance ?? '',
    descriptor1: c?.descriptors[0] ?? '',
    descriptor2: c?.descriptors[1] ?? '',
    descriptor3: c?.descriptors[2] ?? '',
    descriptor4: c?.descriptors[3] ?? '',
  }
}
