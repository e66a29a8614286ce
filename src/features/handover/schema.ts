import { z } from 'zod'
import { parseForm, type Parsed } from '../../forms/forms'

export const HANDOVER_NOTE_MAX = 2000
/** far more than a man has open: a bound on what a form may post */
const MAX_CHOSEN = 200

/** A checkbox group posts nothing, one value, or several. */
const list = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v])

/** The ids ticked in one checkbox group, each once. */
const chosen = (what: string) =>
  z.preprocess(
    list,
    z
      .array(
        z.string({ error: `Choose ${what} from the list` }).regex(/^[1-9]\d{0,9}$/, `Choose ${what} from the list`),
      )
      .max(MAX_CHOSEN, `Choose ${what} from the list`)
      .transform(ids => [...new Set(ids.map(Number))]),
  )

const handoverFields = z.object({
  receivingEstablishment: z
    .string({ error: 'Choose the establishment he is transferred to' })
    .trim()
    .regex(/^[A-Za-z0-9]{1,10}$/, 'Choose the establishment he is transferred to')
    .transform(v => v.toUpperCase()),
  note: z
    .string({ error: 'Enter the handover note as text' })
    .trim()
    .max(
      HANDOVER_NOTE_MAX,
      `The handover note must be ${HANDOVER_NOTE_MAX.toLocaleString('en-GB')} characters or fewer`,
    )
    .optional()
    .transform(v => v || null),
  goals: chosen('goals'),
  referrals: chosen('referrals'),
  agreed: chosen('what was agreed'),
})

export type HandoverInput = z.infer<typeof handoverFields>

/**
 * The handover as the sender submitted it, every problem in one pass: something must be shared (a note, or at least
 * one goal, referral or agreed action).
 */
export function parseHandover(body: unknown): Parsed<HandoverInput> {
  const r = parseForm(handoverFields, body)
  const raw = (body ?? {}) as Record<string, unknown>
  const nothing =
    ['goals', 'referrals', 'agreed'].every(k => list(raw[k]).length === 0) &&
    (typeof raw.note !== 'string' || raw.note.trim() === '')
  if (!nothing) return r
  const errors = r.ok ? {} : r.errors
  errors.note ??= 'Write a handover note or choose at least one thing to share'
  return { ok: false, errors }
}

export const withdrawSchema = z.object({
  handover: z
    .string({ error: 'Choose the handover to withdraw' })
    .regex(/^[1-9]\d{0,9}$/, 'Choose the handover to withdraw')
    .transform(Number),
})
