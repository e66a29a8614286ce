import { londonDate } from './dates'
import type { Outcome } from './training'

/**
 * xAPI statements of learning (https://github.com/adlnet/xAPI-Spec), read and written: pure, no I/O. keywork takes
 * the three verbs that record a finished module (completed, passed, failed) and nothing else; the actor is an officer
 * (the mailto: of their email, or an account whose name is their staff number), the object an activity whose id ends
 * in a module code (or that carries the code in an extension), the result's duration the hours, the timestamp the day.
 */

export const XAPI_VERBS: Readonly<Record<string, Outcome>> = {
  'http://adlnet.gov/expapi/verbs/completed': 'completed',
  'http://adlnet.gov/expapi/verbs/passed': 'passed',
  'http://adlnet.gov/expapi/verbs/failed': 'failed',
}
export const VERB_OF: Readonly<Record<Outcome, string>> = {
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
}
/** An activity extension holding the module code, when the activity id does not end in it. */
export const MODULE_CODE_EXTENSION = 'https://keywork.example/xapi/extensions/module-code'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const EMAIL = /^[^\s@]+@[^\s@]+$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i
const MODULE_CODE = /^[A-Z0-9][A-Z0-9_-]{0,59}$/
/** PnYnMnDTnHnMnS, weeks (PnW) too; a fraction on the last part only, as ISO 8601 allows */
const DURATION =
  /^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/

/** A statement keywork can record: who, what, the outcome, the hours (null: the module's), the day. */
export interface XapiCompletion {
  /** the statement id, lower case: the completion's external id, so a statement sent twice is recorded once */
  id: string
  actor: { email: string | null; account: string | null }
  outcome: Outcome
  activityId: string
  moduleCode: string
  hours: number | null
  /** the timestamp's day in Europe/London */
  completedOn: string
}

export type XapiParse = { ok: true; value: XapiCompletion } | { ok: false; errors: string[] }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)
const cap = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}…` : s)

/** An ISO 8601 duration in hours (PT1H30M → 1.5; P1D → 24), or null when it is not one. Years and months refused. */
export function durationHours(d: string): number | null {
  const m = DURATION.exec(d.trim())
  if (!m) return null
  if (m[1] !== undefined || m[2] !== undefined) return null // a year or a month has no fixed length in hours
  const [w, day, h, min, s] = [m[3], m[4], m[5], m[6], m[7]].map(x => (x === undefined ? 0 : Number(x))) as number[]
  return w! * 168 + day! * 24 + h! + min! / 60 + s! / 3600
}

/** The hours as an ISO 8601 duration (1.5 → PT1H30M). */
export function hoursDuration(hours: number): string {
  const totalMinutes = Math.round(hours * 60)
  const h = Math.floor(totalMinutes / 60)
  const min = totalMinutes % 60
  if (h === 0 && min === 0) return 'PT0S'
  return `PT${h ? `${h}H` : ''}${min ? `${min}M` : ''}`
}

/** The module code an activity names: its extension, else the last segment of its id's path (upper case). */
export function moduleCodeOf(activityId: string, extensions?: unknown): string | null {
  if (isObject(extensions)) {
    const ext = str(extensions[MODULE_CODE_EXTENSION])
    if (ext) return MODULE_CODE.test(ext.toUpperCase()) ? ext.toUpperCase() : null
  }
  const path = activityId.split(/[?#]/)[0]!.replace(/\/+$/, '')
  const last = path.slice(path.lastIndexOf('/') + 1)
  let code: string
  try {
    code = decodeURIComponent(last).toUpperCase()
  } catch {
    return null
  }
  return MODULE_CODE.test(code) ? code : null
}

/** The epoch ms of an RFC 3339 timestamp with its offset, or null. */
function instant(v: string): number | null {
  const m = DATE_TIME.exec(v)
  if (!m) return null
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[]
  const days = new Date(Date.UTC(y!, mo!, 0)).getUTCDate()
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > days || h! > 23 || mi! > 59 || s! > 59) return null
  const t = Date.parse(v.toUpperCase())
  return Number.isNaN(t) ? null : t
}

/**
 * Reads one statement: every problem listed (the field named), so a learning record store's developer can fix them
 * in one go. `today` (Europe/London) refuses a statement from the future.
 */
export function parseStatement(raw: unknown, today: string): XapiParse {
  const errors: string[] = []
  if (!isObject(raw)) return { ok: false, errors: ['a statement must be a JSON object'] }

  const id = str(raw.id)
  if (!id) errors.push('id is missing: keywork needs the statement id to record each statement once')
  else if (!UUID.test(id)) errors.push(`id "${cap(id)}" is not a UUID`)

  let actor: XapiCompletion['actor'] = { email: null, account: null }
  if (!isObject(raw.actor)) errors.push('actor is missing: it must name the officer by mbox or account')
  else {
    const mbox = str(raw.actor.mbox)
    const account = isObject(raw.actor.account) ? str(raw.actor.account.name) : null
    if (mbox !== null) {
      const email = mbox.toLowerCase().startsWith('mailto:') ? mbox.slice(7).trim().toLowerCase() : ''
      if (!EMAIL.test(email)) errors.push(`actor.mbox "${cap(mbox)}" must be mailto: and an email address`)
      else actor = { email, account: null }
    } else if (account !== null) actor = { email: null, account: account.toUpperCase() }
    else errors.push('actor has neither an mbox (mailto: the officer’s email) nor an account name (the staff number)')
  }

  let outcome: Outcome = 'completed'
  const verbId = isObject(raw.verb) ? str(raw.verb.id) : null
  if (!verbId) errors.push('verb.id is missing')
  else if (!Object.hasOwn(XAPI_VERBS, verbId))
    errors.push(
      `verb "${cap(verbId)}" is not one keywork records: use http://adlnet.gov/expapi/verbs/completed, passed or failed`,
    )
  else outcome = XAPI_VERBS[verbId]!

  let activityId = ''
  let moduleCode = ''
  if (!isObject(raw.object)) errors.push('object is missing: it must be the activity (the module)')
  else {
    const objectType = str(raw.object.objectType)
    if (objectType !== null && objectType !== 'Activity') errors.push('object.objectType must be Activity')
    activityId = str(raw.object.id) ?? ''
    if (!activityId) errors.push('object.id is missing')
    else {
      const definition = isObject(raw.object.definition) ? raw.object.definition : {}
      const code = moduleCodeOf(activityId, definition.extensions)
      if (!code) errors.push(`object.id "${cap(activityId)}" does not end in a module code, like …/KW-TOPUP-MI`)
      else moduleCode = code
    }
  }

  let hours: number | null = null
  if (raw.result !== undefined && !isObject(raw.result)) errors.push('result must be an object')
  else if (isObject(raw.result)) {
    const r = raw.result
    if (r.duration !== undefined) {
      const h = typeof r.duration === 'string' ? durationHours(r.duration) : null
      if (h === null)
        errors.push(`result.duration "${cap(String(r.duration))}" must be an ISO 8601 duration in hours, like PT2H30M`)
      else if (h <= 0) errors.push('result.duration must be more than 0')
      else if (h > 200) errors.push('result.duration must be 200 hours or fewer')
      else hours = Math.round(h * 100) / 100
    }
    if (r.success !== undefined && typeof r.success !== 'boolean') errors.push('result.success must be true or false')
    else if (r.success === false && outcome === 'passed') errors.push('result.success is false but the verb is passed')
    else if (r.success === true && outcome === 'failed') errors.push('result.success is true but the verb is failed')
  }

  let completedOn = ''
  const ts = str(raw.timestamp)
  if (!ts) errors.push('timestamp is missing: keywork needs the day the module was finished')
  else {
    const t = instant(ts)
    if (t === null)
      errors.push(`timestamp "${cap(ts)}" must be a date and time with its offset, like 2026-03-27T14:00:00Z`)
    else {
      completedOn = londonDate(new Date(t))
      if (completedOn > today) errors.push('timestamp is in the future')
      else if (completedOn < '1990-01-01') errors.push('timestamp is before 1990')
    }
  }

  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: { id: id!.toLowerCase(), actor, outcome, activityId, moduleCode, hours, completedOn },
  }
}

/** A request's body: one statement or an array of them (at least one). */
export function statementsOf(body: unknown): unknown[] | null {
  if (Array.isArray(body)) return body.length ? body : null
  return isObject(body) ? [body] : null
}

/** A completion written out as an xAPI statement (the verb of its outcome, the result with its hours). */
export function statementOf(c: {
  id: string
  actor: { name: string; email: string | null; staffNumber: string; homePage: string }
  activityId: string
  title: string
  outcome: Outcome
  hours: number
  completedOn: string
  stored: string
}) {
  return {
    id: c.id,
    actor: {
      objectType: 'Agent',
      name: c.actor.name,
      ...(c.actor.email
        ? { mbox: `mailto:${c.actor.email}` }
        : { account: { homePage: c.actor.homePage, name: c.actor.staffNumber } }),
    },
    verb: { id: VERB_OF[c.outcome], display: { 'en-GB': c.outcome } },
    object: { objectType: 'Activity', id: c.activityId, definition: { name: { 'en-GB': c.title } } },
    result: { success: c.outcome !== 'failed', completion: true, duration: hoursDuration(c.hours) },
    timestamp: `${c.completedOn}T12:00:00Z`,
    stored: c.stored,
    version: '1.0.3',
  }
}
