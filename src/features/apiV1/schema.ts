import { z } from 'zod'
import { COMPLEXITIES, PRISONER_STATUSES } from '../../domain/prisoner'
import { LOCATIONS, NOT_DELIVERED_REASONS, OUTCOMES, REFERRAL_STATUSES } from '../../domain/sessions'
import { PATHWAY_CODES } from '../../domain/pathways'
import { text } from '../../forms/fields'
import { prisonerRecordSchema } from '../prisoners/schema'
import { ALLOCATION_REASONS } from '../allocations/schema'
import { MAX_DAYS } from '../statistics/schema'

/**
 * The API for other services (/api/v1): every parameter and every response as a zod schema. The handlers parse their
 * input with these and the OpenAPI document (openapi.ts) is generated from the same schemas with z.toJSONSchema, so
 * the document cannot drift from what the API reads and answers. Where a form already describes a field (the prison
 * number of the prisoner form, a client's name) its schema is reused.
 */

export const SCOPES = {
  'keywork.read.allocations': 'Read allocations and a prisoner’s current Key Worker',
  'keywork.read.sessions': 'Read a prisoner’s Key Work sessions',
  'keywork.read.referrals': 'Read referrals made in Key Work sessions',
  'keywork.read.statistics': 'Read delivery statistics',
} as const
export type ApiScope = keyof typeof SCOPES
export const SCOPE_NAMES = Object.keys(SCOPES) as [ApiScope, ...ApiScope[]]
export const isApiScope = (v: string): v is ApiScope => v in SCOPES

export const RATE_LIMIT_DEFAULT = 120
export const RATE_LIMIT_MAX = 10_000

/** Creating a client (the CLI): a name, its scopes, the establishments it may read ('all' or codes). */
export const clientCreateSchema = z.object({
  name: text('a name for the client', 100),
  scopes: z
    .array(z.string().trim())
    .min(1, 'Choose at least one scope')
    .refine(v => v.every(isApiScope), { message: `Scopes must be among: ${SCOPE_NAMES.join(', ')}` })
    .transform(v => [...new Set(v)] as ApiScope[]),
  establishments: z.union([
    z.literal('all'),
    z
      .array(
        z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^[A-Z0-9]{2,6}$/, 'An establishment code is 2 to 6 letters or digits, like MDI'),
      )
      .min(1, 'Choose at least one establishment, or all'),
  ]),
  rateLimitPerMinute: z.coerce
    .number({ error: 'The rate limit must be a whole number' })
    .int('The rate limit must be a whole number')
    .min(1, 'The rate limit must be at least 1 call a minute')
    .max(RATE_LIMIT_MAX, `The rate limit must be at most ${RATE_LIMIT_MAX} calls a minute`)
    .default(RATE_LIMIT_DEFAULT),
})
export type ClientCreate = z.infer<typeof clientCreateSchema>

// ---- parameters ----

/** The prison number, as the prisoner form reads it (A1234BC). */
export const prisonNumberParam = prisonerRecordSchema.shape.prisonNumber.meta({
  description: 'The prison number (NOMIS number), like A1234BC',
  examples: ['A1234BC'],
})
export const establishmentCodeParam = z
  .string()
  .regex(/^[A-Z0-9]{2,6}$/)
  .meta({ description: 'The establishment (prison) code, like MDI', examples: ['MDI'] })

/** A whole number from the query string (documented as an integer), from 1 to max. */
const whole = (name: string, fallback: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`)
    .max(max, `${name} must be at most ${max}`)
    .default(fallback)

export const PAGE_SIZE_DEFAULT = 50
export const PAGE_SIZE_MAX = 500
export const pagingQuery = z.object({
  page: whole('page', 1, 1_000_000).meta({ description: 'The page, from 1' }),
  size: whole('size', PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX).meta({
    description: `Items per page (${PAGE_SIZE_MAX} at most)`,
  }),
})

export const referralsQuery = pagingQuery.extend({
  status: z
    .enum(['open', 'overdue', ...(Object.keys(REFERRAL_STATUSES) as (keyof typeof REFERRAL_STATUSES)[])])
    .optional()
    .meta({ description: 'open (sent or acknowledged), overdue, or one status; all when not given' }),
})

const isoDate = z.iso.date()
export const statisticsQuery = z
  .object({
    from: isoDate.meta({ description: 'The first day, included (YYYY-MM-DD, Europe/London)' }),
    to: isoDate.meta({ description: 'The last day, included (YYYY-MM-DD, Europe/London)' }),
  })
  .refine(q => q.from <= q.to, { message: 'from must be on or before to', path: ['to'] })
  .refine(q => Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`) < MAX_DAYS * 86_400_000, {
    message: 'A period can be up to 3 years long',
    path: ['to'],
  })

// ---- responses ----

const timestamp = z.iso.datetime()
const staffMember = z
  .object({ staffId: z.int(), firstName: z.string(), lastName: z.string() })
  .meta({ id: 'StaffMember', description: 'A member of staff of the establishment' })
const establishment = z
  .object({ code: z.string(), name: z.string() })
  .meta({ id: 'Establishment', description: 'An establishment (prison)' })

const page = { page: z.int().min(1), size: z.int().min(1), totalItems: z.int().min(0), totalPages: z.int().min(1) }

export const sessionSummary = z
  .object({
    id: z.int(),
    date: isoDate,
    outcome: z.enum(Object.keys(OUTCOMES) as (keyof typeof OUTCOMES)[]),
    notDeliveredReason: z.enum(Object.keys(NOT_DELIVERED_REASONS) as (keyof typeof NOT_DELIVERED_REASONS)[]).nullable(),
    keyWorker: staffMember.nullable().meta({ description: 'The officer who held it (null: not recorded)' }),
    submittedAt: timestamp.nullable(),
  })
  .meta({ id: 'SessionSummary', description: 'A submitted Key Work session, without what was said' })

export const currentKeyWorkerResponse = z
  .object({
    prisonNumber: z.string(),
    establishment,
    status: z.enum(PRISONER_STATUSES),
    complexityOfNeed: z.enum(COMPLEXITIES),
    hasHighComplexityOfNeeds: z.boolean().meta({ description: 'High complexity of need: no Key Worker is allocated' }),
    keyWorker: staffMember
      .extend({ allocatedAt: timestamp, cover: z.boolean().meta({ description: 'A cover allocation' }) })
      .nullable()
      .meta({ description: 'His current Key Worker; null when he has none' }),
    lastSession: sessionSummary.nullable().meta({ description: 'His most recent submitted session here' }),
  })
  .meta({ id: 'CurrentKeyWorker' })

export const allocation = z
  .object({
    id: z.int(),
    prisonNumber: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    keyWorker: staffMember,
    allocatedAt: timestamp,
    allocationReason: z.string().meta({
      description: `Why he was allocated: ${Object.keys(ALLOCATION_REASONS).join(', ')}, cover or returned_from_cover`,
    }),
    cover: z.boolean(),
    coverUntil: isoDate.nullable(),
  })
  .meta({ id: 'Allocation', description: 'A current allocation of a prisoner to a Key Worker' })

export const allocationsResponse = z
  .object({ establishment, ...page, content: z.array(allocation) })
  .meta({ id: 'AllocationPage' })

export const session = sessionSummary
  .extend({
    startsAt: z.string().nullable(),
    durationMinutes: z.int().nullable(),
    location: z.enum(Object.keys(LOCATIONS) as (keyof typeof LOCATIONS)[]).nullable(),
    private: z.boolean().nullable(),
    pathways: z.array(z.enum(PATHWAY_CODES)),
    goalsSet: z.int().min(0),
    referralsMade: z.int().min(0),
  })
  .meta({ id: 'Session', description: 'A submitted Key Work session: when, how, which pathways; not what was said' })

export const sessionsResponse = z
  .object({ prisonNumber: z.string(), establishment, ...page, content: z.array(session) })
  .meta({ id: 'SessionPage' })

export const referral = z
  .object({
    id: z.int(),
    prisonNumber: z.string(),
    sessionId: z.int(),
    sessionDate: isoDate.nullable(),
    referredTo: z.string().meta({ description: 'The service or stakeholder referred to' }),
    status: z.enum(Object.keys(REFERRAL_STATUSES) as (keyof typeof REFERRAL_STATUSES)[]),
    followUpDate: isoDate.nullable(),
    overdue: z.boolean(),
    keyWorker: staffMember.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Referral', description: 'A referral made in a Key Work session' })

export const referralsResponse = z
  .object({ establishment, ...page, content: z.array(referral) })
  .meta({ id: 'ReferralPage' })

const count = z.int().min(0)
const percentOrNull = z.number().nullable()
export const statisticsResponse = z
  .object({
    establishment,
    from: isoDate,
    to: isoDate,
    eligible: z.number().min(0).meta({ description: 'Prisoners eligible for Key Work, on average over the period' }),
    eligibleAtEnd: count,
    allocatedAtEnd: count,
    allocatedPercent: percentOrNull,
    projected: z.number().min(0).meta({ description: 'Sessions the establishment’s frequency asks for' }),
    delivered: count,
    notDelivered: count,
    notDeliveredReasons: z.object(
      Object.fromEntries(Object.keys(NOT_DELIVERED_REASONS).map(k => [k, count])) as Record<
        keyof typeof NOT_DELIVERED_REASONS,
        typeof count
      >,
    ),
    compliancePercent: percentOrNull.meta({ description: 'delivered ÷ projected × 100' }),
    seen28Percent: percentOrNull,
    referralsMade: count,
    referralsCompleted: count,
    goalsSet: count,
    goalsAchieved: count,
  })
  .meta({ id: 'Statistics', description: 'Delivery statistics of an establishment for a period, as its page shows' })

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
  })
  .meta({ id: 'Problem', description: 'An error (RFC 9457 problem details)' })

export const tokenRequest = z
  .object({
    grant_type: z.literal('client_credentials'),
    scope: z.string().optional().meta({ description: 'Space-separated scopes; all the client’s when not given' }),
    client_id: z.string().optional().meta({ description: 'When not sent by HTTP Basic authentication' }),
    client_secret: z.string().optional(),
  })
  .meta({ id: 'TokenRequest' })

export const tokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.int().min(1),
    scope: z.string(),
  })
  .meta({ id: 'TokenResponse' })

export const tokenError = z
  .object({
    error: z.enum(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope']),
    error_description: z.string(),
  })
  .meta({ id: 'TokenError', description: 'RFC 6749 §5.2' })
