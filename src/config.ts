import path from 'node:path'
import { z } from 'zod'

/** A GOV.UK Notify template id (a UUID); unset or empty: undefined. */
const notifyTemplateId = z
  .string()
  .trim()
  .optional()
  .transform(v => v || undefined)
  .refine(v => v === undefined || /^[0-9a-f-]{36}$/i.test(v), { message: 'must be a Notify template id (a UUID)' })

/** Optional text: unset or empty is undefined. */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform(v => v || undefined)
/** An optional http(s) address. */
const optionalUrl = optionalText.refine(v => v === undefined || /^https?:\/\//.test(v), {
  message: 'must start with https:// or http://',
})

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .refine(v => v.startsWith('postgres://') || v.startsWith('postgresql://') || v.startsWith('sqlite:'), {
      message: 'must start with postgres://, postgresql:// or sqlite:',
    })
    .optional(),
  // PostgreSQL: the schema keywork's tables live in (every instance of one service names the same); default: public
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a schema name: lower-case letters, digits and underscores')
    .optional(),
  SQLITE_FILE: z.string().default(path.join('data', 'keywork.sqlite')),
  // FULL: a saved entry survives the server losing power, not only the process dying (decision 022)
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  // however active a session is, its user signs in again after this long: a shift
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24)
    .default(12),
  SECURE_COOKIES: z
    .enum(['true', 'false'])
    .optional()
    .transform(v => (v === undefined ? undefined : v === 'true')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_REQUESTS: z.enum(['true', 'false']).optional(),
  NOTIFY_API_KEY: z
    .string()
    .trim()
    .optional()
    .transform(v => v || undefined)
    .refine(v => v === undefined || v.length >= 74, {
      message: 'must be a GOV.UK Notify API key (name-service id-secret)',
    }),
  NOTIFY_REFERRAL_TEMPLATE_ID: notifyTemplateId,
  NOTIFY_QA_REVIEW_TEMPLATE_ID: notifyTemplateId,
  NOTIFY_COMMENDATION_TEMPLATE_ID: notifyTemplateId,
  NOTIFY_TRAINING_REMINDER_TEMPLATE_ID: notifyTemplateId,
  NOTIFY_TRAINING_COURSE_TEMPLATE_ID: notifyTemplateId,
  NOTIFY_BULLETIN_DIGEST_TEMPLATE_ID: notifyTemplateId,
  NOTIFY_BASE_URL: z
    .string()
    .trim()
    .optional()
    .transform(v => v || undefined)
    .refine(v => v === undefined || /^https?:\/\//.test(v), { message: 'must start with https:// or http://' }),
  TEMPLATE_RELOAD: z.enum(['true', 'false']).default('false'),
  // single sign-on (OpenID Connect): all four of issuer, client id, client secret and redirect URL, or none
  OIDC_ISSUER_URL: optionalUrl,
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_REDIRECT_URL: optionalUrl,
  OIDC_POST_LOGOUT_REDIRECT_URL: optionalUrl,
  OIDC_SCOPES: z.string().trim().default('openid profile email'),
  OIDC_PROVIDER_NAME: z.string().trim().default('your work account'),
  OIDC_USERNAME_CLAIM: z.string().trim().default('preferred_username'),
  OIDC_ROLES_CLAIM: optionalText,
  OIDC_ESTABLISHMENTS_CLAIM: optionalText,
  LOCAL_PASSWORDS: z.enum(['on', 'off']).default('on'),
  // HMPPS Auth client credentials (system-to-system tokens for the HMPPS APIs): all three, or none
  HMPPS_AUTH_URL: optionalUrl,
  HMPPS_CLIENT_ID: optionalText,
  HMPPS_CLIENT_SECRET: optionalText,
  // the MoJ case notes service (offender-case-notes): submitted sessions are pushed there as key work case notes
  CASE_NOTES_API_URL: optionalUrl,
  // the Prisoner Search API: the roll of each establishment, read page by page (needs the HMPPS Auth settings)
  PRISONER_SEARCH_URL: optionalUrl,
  HMPPS_ROLL_PAGE_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  HMPPS_ROLL_MAX_PAGES: z.coerce.number().int().min(1).max(1000).default(100),
  // the shared secret a queue listener sends (Authorization: Bearer) with HMPPS domain events; unset: no events
  HMPPS_EVENTS_TOKEN: optionalText.refine(v => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters',
  }),
})

export type Config = {
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  database:
    | { kind: 'sqlite'; file: string; synchronous?: 'FULL' | 'NORMAL' }
    | { kind: 'postgres'; url: string; schema?: string }
  sessionSecret: string
  sessionIdleMinutes: number
  /** a session ends this long after sign-in, active or not */
  sessionAbsoluteHours: number
  secureCookies: boolean
  logLevel: string
  /** a log line for every request (off by default in tests, where it would only be noise) */
  logRequests: boolean
  version: string
  /** re-read templates on every render (npm run dev); otherwise they are compiled once */
  templateReload: boolean
  /** GOV.UK Notify; null: emails are only written to the outbox */
  notify: NotifyConfig | null
  /** single sign-on with OpenID Connect; null: not configured */
  oidc: OidcConfig | null
  /** whether users may sign in with a keywork password (LOCAL_PASSWORDS=off: single sign-on only) */
  localPasswords: boolean
  /** HMPPS Auth client credentials for the HMPPS APIs; null: not configured */
  hmppsAuth: HmppsAuthConfig | null
  /** the MoJ case notes service; null: not configured, and no case note is queued */
  caseNotes: CaseNotesConfig | null
  /** the Prisoner Search API for the roll sync (features/hmppsSync); null: not configured, no call made */
  prisonerSearch: PrisonerSearchConfig | null
  /** the shared secret of POST /api/hmpps/events; null: the endpoint takes no event */
  hmppsEventsToken: string | null
}

export interface PrisonerSearchConfig {
  /** the API's base address (GET {url}/prison/{prisonId}/prisoners?page&size) */
  url: string
  /** prisoners asked for per page, and the most pages read for one establishment (a bound, not a target) */
  pageSize: number
  maxPages: number
}

export interface HmppsAuthConfig {
  /** HMPPS Auth's base address, ending /auth (the token endpoint is {url}/oauth/token) */
  url: string
  clientId: string
  clientSecret: string
}

export interface CaseNotesConfig {
  /** the case notes API's base address (POST {apiUrl}/case-notes/{prison number}) */
  apiUrl: string
}

export interface OidcConfig {
  issuerUrl: string
  clientId: string
  clientSecret: string
  redirectUrl: string
  postLogoutRedirectUrl: string
  scopes: string
  /** what the sign-in page calls the provider */
  providerName: string
  usernameClaim: string
  rolesClaim?: string
  establishmentsClaim?: string
}

export interface NotifyConfig {
  apiKey: string
  /** the email template referrals are sent with (personalisation: subject, body and the referral's fields) */
  referralTemplateId: string
  /** feedback on an officer's entry (a QA review, or a closed calibration's marks); unset: kept in the outbox */
  qaReviewTemplateId?: string
  /** a commendation of an officer or an entry; unset: kept in the outbox */
  commendationTemplateId?: string
  /** training reminders and modules assigned to an officer; unset: kept in the outbox */
  trainingReminderTemplateId?: string
  /** a training course cancelled, to those enrolled or waiting; unset: kept in the outbox */
  trainingCourseTemplateId?: string
  /** the weekly digest of what the national team published (bulletins); unset: kept in the outbox */
  bulletinDigestTemplateId?: string
  /** the Notify API; undefined: the production API */
  baseUrl?: string
}

export const VERSION = '0.1.0'

/** Parses the environment once; throws an error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map(i => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new Error('Invalid configuration:\n  SESSION_SECRET: required in production')
  }
  const oidcMissing = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const).filter(k => !e[k])
  if (e.OIDC_ISSUER_URL && oidcMissing.length > 0) {
    throw new Error(
      `Invalid configuration:\n${oidcMissing.map(k => `  ${k}: required when OIDC_ISSUER_URL is set`).join('\n')}`,
    )
  }
  if (e.LOCAL_PASSWORDS === 'off' && !e.OIDC_ISSUER_URL) {
    throw new Error(
      'Invalid configuration:\n  OIDC_ISSUER_URL: required when LOCAL_PASSWORDS is off (nobody could sign in)',
    )
  }
  const hmppsSet = (['HMPPS_AUTH_URL', 'HMPPS_CLIENT_ID', 'HMPPS_CLIENT_SECRET'] as const).filter(k => e[k])
  if (hmppsSet.length > 0 && hmppsSet.length < 3) {
    const missing = (['HMPPS_AUTH_URL', 'HMPPS_CLIENT_ID', 'HMPPS_CLIENT_SECRET'] as const).filter(k => !e[k])
    throw new Error(
      `Invalid configuration:\n${missing.map(k => `  ${k}: required with ${hmppsSet.join(' and ')}`).join('\n')}`,
    )
  }
  if (e.PRISONER_SEARCH_URL && !e.HMPPS_AUTH_URL) {
    throw new Error('Invalid configuration:\n  HMPPS_AUTH_URL: required when PRISONER_SEARCH_URL is set')
  }
  if (e.CASE_NOTES_API_URL && !e.HMPPS_AUTH_URL) {
    throw new Error('Invalid configuration:\n  HMPPS_AUTH_URL: required when CASE_NOTES_API_URL is set')
  }
  if (e.NOTIFY_API_KEY && !e.NOTIFY_REFERRAL_TEMPLATE_ID) {
    throw new Error('Invalid configuration:\n  NOTIFY_REFERRAL_TEMPLATE_ID: required when NOTIFY_API_KEY is set')
  }
  const url = e.DATABASE_URL
  const database: Config['database'] =
    url && !url.startsWith('sqlite:')
      ? { kind: 'postgres', url, ...(e.DATABASE_SCHEMA ? { schema: e.DATABASE_SCHEMA } : {}) }
      : { kind: 'sqlite', file: url ? url.slice('sqlite:'.length) : e.SQLITE_FILE, synchronous: e.SQLITE_SYNCHRONOUS }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database,
    sessionSecret: e.SESSION_SECRET ?? 'keywork-development-secret-not-for-production',
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    secureCookies: e.SECURE_COOKIES ?? e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    logRequests: e.LOG_REQUESTS ? e.LOG_REQUESTS === 'true' : e.NODE_ENV !== 'test',
    version: VERSION,
    templateReload: e.TEMPLATE_RELOAD === 'true',
    notify:
      e.NOTIFY_API_KEY && e.NOTIFY_REFERRAL_TEMPLATE_ID
        ? {
            apiKey: e.NOTIFY_API_KEY,
            referralTemplateId: e.NOTIFY_REFERRAL_TEMPLATE_ID,
            ...(e.NOTIFY_QA_REVIEW_TEMPLATE_ID ? { qaReviewTemplateId: e.NOTIFY_QA_REVIEW_TEMPLATE_ID } : {}),
            ...(e.NOTIFY_COMMENDATION_TEMPLATE_ID ? { commendationTemplateId: e.NOTIFY_COMMENDATION_TEMPLATE_ID } : {}),
            ...(e.NOTIFY_TRAINING_REMINDER_TEMPLATE_ID
              ? { trainingReminderTemplateId: e.NOTIFY_TRAINING_REMINDER_TEMPLATE_ID }
              : {}),
            ...(e.NOTIFY_TRAINING_COURSE_TEMPLATE_ID
              ? { trainingCourseTemplateId: e.NOTIFY_TRAINING_COURSE_TEMPLATE_ID }
              : {}),
            ...(e.NOTIFY_BULLETIN_DIGEST_TEMPLATE_ID
              ? { bulletinDigestTemplateId: e.NOTIFY_BULLETIN_DIGEST_TEMPLATE_ID }
              : {}),
            ...(e.NOTIFY_BASE_URL ? { baseUrl: e.NOTIFY_BASE_URL } : {}),
          }
        : null,
    oidc:
      e.OIDC_ISSUER_URL && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET && e.OIDC_REDIRECT_URL
        ? {
            issuerUrl: e.OIDC_ISSUER_URL,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            redirectUrl: e.OIDC_REDIRECT_URL,
            postLogoutRedirectUrl: e.OIDC_POST_LOGOUT_REDIRECT_URL ?? new URL('/sign-in', e.OIDC_REDIRECT_URL).href,
            scopes: e.OIDC_SCOPES,
            providerName: e.OIDC_PROVIDER_NAME,
            usernameClaim: e.OIDC_USERNAME_CLAIM,
            ...(e.OIDC_ROLES_CLAIM ? { rolesClaim: e.OIDC_ROLES_CLAIM } : {}),
            ...(e.OIDC_ESTABLISHMENTS_CLAIM ? { establishmentsClaim: e.OIDC_ESTABLISHMENTS_CLAIM } : {}),
          }
        : null,
    localPasswords: e.LOCAL_PASSWORDS === 'on',
    hmppsAuth:
      e.HMPPS_AUTH_URL && e.HMPPS_CLIENT_ID && e.HMPPS_CLIENT_SECRET
        ? {
            url: e.HMPPS_AUTH_URL.replace(/\/+$/, ''),
            clientId: e.HMPPS_CLIENT_ID,
            clientSecret: e.HMPPS_CLIENT_SECRET,
          }
        : null,
    caseNotes: e.CASE_NOTES_API_URL && e.HMPPS_AUTH_URL ? { apiUrl: e.CASE_NOTES_API_URL.replace(/\/+$/, '') } : null,
    prisonerSearch:
      e.PRISONER_SEARCH_URL && e.HMPPS_AUTH_URL
        ? {
            url: e.PRISONER_SEARCH_URL.replace(/\/+$/, ''),
            pageSize: e.HMPPS_ROLL_PAGE_SIZE,
            maxPages: e.HMPPS_ROLL_MAX_PAGES,
          }
        : null,
    hmppsEventsToken: e.HMPPS_EVENTS_TOKEN ?? null,
  }
}
