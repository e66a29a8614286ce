import { z } from 'zod'
import { text } from '../../forms/fields'

/** Houseblock, wing or landing codes as establishments write them: HB1, A, A-1, 2L. */
export const UNIT_CODE = /^[A-Z0-9][A-Z0-9-]{0,19}$/
export const CAPACITY_MIN = 1
export const CAPACITY_MAX = 2000

const CODE_MESSAGE = 'Unit code must be up to 20 letters, digits or hyphens, like HB1 or A-1'

const unitCode = (label: string) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .toUpperCase()
    .min(1, `Enter ${label}`)
    .regex(UNIT_CODE, CODE_MESSAGE)

const optionalUnitCode = z
  .string()
  .trim()
  .toUpperCase()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null
    if (!UNIT_CODE.test(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `Parent unit: ${CODE_MESSAGE.charAt(0).toLowerCase()}${CODE_MESSAGE.slice(1)}`,
      })
      return z.NEVER
    }
    return v
  })

const capacity = z.union([z.string(), z.number()], { error: 'Enter the capacity' }).transform((v, ctx) => {
  const s = String(v).trim()
  if (!s) {
    ctx.addIssue({ code: 'custom', message: 'Enter the capacity' })
    return z.NEVER
  }
  const n = /^\d{1,6}$/.test(s) ? Number(s) : NaN
  if (!Number.isInteger(n)) {
    ctx.addIssue({ code: 'custom', message: 'Capacity must be a whole number, like 120' })
    return z.NEVER
  }
  if (n < CAPACITY_MIN || n > CAPACITY_MAX) {
    ctx.addIssue({ code: 'custom', message: `Capacity must be between ${CAPACITY_MIN} and ${CAPACITY_MAX}` })
    return z.NEVER
  }
  return n
})

/** One residential unit as typed in a form or read from a CSV row: all text, validated and normalised. */
export const unitRecordSchema = z
  .object({
    code: unitCode('a unit code'),
    name: text('unit name', 60),
    parent: optionalUnitCode,
    capacity,
  })
  .superRefine((v, ctx) => {
    if (v.parent && v.parent === v.code)
      ctx.addIssue({ code: 'custom', path: ['parent'], message: 'A unit cannot be inside itself' })
  })

export type UnitRecord = z.infer<typeof unitRecordSchema>

export const UNIT_FIELD_LABELS: Record<keyof UnitRecord, string> = {
  code: 'Unit code',
  name: 'Name',
  parent: 'Parent unit',
  capacity: 'Capacity',
}
