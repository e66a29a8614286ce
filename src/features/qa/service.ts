import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Database } from '../../platform/db/types'
import { now } from '../../domain/clock'
import { addDays, formatDate } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { type SampleCandidate, mayReview, monthlySample } from '../../domain/qaSample'
import { type Result, fail, ok } from '../../domain/result'
import { QUALITY_SCALE, isScore } from '../../domain/rubric'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { MailerService } from '../../platform/notify/mailer'
import { isUniqueViolation } from '../../platform/db/errors'
import type { NoticesService } from '../notices/service'
import { qaRepository } from './repository'
import {
  MONTH,
  QA_DEFAULTS,
  QA_LIMITS,
  daysOverdue,
  dueState,
  monthBounds,
  monthName,
  monthOf,
  previousMonth,
  riskLabels,
  riskReasons,
  sampleSeed,
} from './rules'

/** The rubric a review is scored against (the shape of src/domain/rubric.ts's Rubric, from the rubric service). */
export interface QaRubric {
  versionId: number
  version: number
  criteria: {
    id: number
    code: string
    title: string
    guidance: string
    descriptors: [string, string, string, string]
    national: boolean
  }[]
}

export interface QaDeps {
  audit: AuditService
  mailer: MailerService
  notices: Pick<NoticesService, 'tell' | 'readPage'>
  rubric: {
    current(establishmentId: number): Promise<QaRubric>
    forReview(rubricVersionId: number, establishmentId: number): Promise<QaRubric>
  }
  /** the entries an integrity check flagged (the integrity feature); none until it is wired */
  integrity?: { flaggedSessionIds(establishmentId: number, fromDate: string, toDate: string): Promise<Set<number>> }
  logger?: Logger
}

export type ReviewKind = 'sample' | 'calibration' | 'chosen'

export interface ReviewScoreInput {
  criterionId: number
  /** 1-4; null: the criterion does not apply to this entry */
  score: number | null
  comment?: string | null
}

export interface ReviewInput {
  sessionId: number
  kind: ReviewKind
  sampleId?: number | null
  calibrationId?: number | null
  scores: ReviewScoreInput[]
  overall: number
  good: string
  change: string
}

export interface AmendInput {
  reason: string
  scores: ReviewScoreInput[]
  overall: number
  good: string
  change: string
}

export interface SettingsInput {
  samplePerOfficer: number
  reviewDueDays: number
  thinEntryChars: number
  supervisionWeeks: number
}

export interface BoundsInput {
  min: number
  default: number
  max: number
}

export const FEEDBACK_MAX = 2000
export const COMMENT_MAX = 1000
export const REASON_MAX = 1000
export const REVIEWS_SHOWN = 200

const today = () => londonNow().date
const stamp = () => now().toISOString()
const reviewLink = (id: number) => `/my-feedback/review?id=${id}`
const trimmed = (v: string | null | undefined) => (typeof v === 'string' ? v.trim() : '')
const personName = (first: string | null | undefined, last: string | null | undefined, fallback = '') =>
  first ? `${first} ${last ?? ''}`.trim() : fallback

/** An amendment's changes as lines people read: what changed, from what, to what. */
export function amendmentLines(
  changes: Record<string, { from: unknown; to: unknown }>,
  titles: ReadonlyMap<string, string>,
): { what: string; from: string; to: string }[] {
  const shown = (field: string, v: unknown) => {
    if (field.startsWith('score:') || field === 'overall_score')
      return isScore(v) ? `${v} – ${QUALITY_SCALE[v]}` : 'Does not apply'
    return v === null || v === undefined || v === '' ? 'nothing' : String(v)
  }
  return Object.entries(changes).map(([field, ch]) => {
    const [kind, code = ''] = field.split(':')
    const title = titles.get(code) ?? 'a criterion'
    const what =
      field === 'overall_score'
        ? 'Overall score'
        : field === 'feedback_good'
          ? 'What was good'
          : field === 'feedback_change'
            ? 'One thing to do differently'
            : kind === 'score'
              ? `Score for ${title}`
              : kind === 'comment'
                ? `Comment on ${title}`
                : 'Review'
    return { what, from: shown(field, ch.from), to: shown(field, ch.to) }
  })
}

/** Every problem of a review's scores and feedback at once, keyed by the form's fields. */
export function reviewProblems(
  rubric: QaRubric,
  input: Pick<ReviewInput, 'scores' | 'overall' | 'good' | 'change'>,
): Record<string, string> {
  const errors: Record<string, string> = {}
  const known = new Map(rubric.criteria.map(c => [c.id, c]))
  const given = new Map<number, ReviewScoreInput>()
  for (const s of input.scores) {
    if (!known.has(s.criterionId)) errors.scores = 'A score was given for a criterion that is not in the rubric'
    else given.set(s.criterionId, s)
  }
  for (const c of rubric.criteria) {
    const s = given.get(c.id)
    if (!s) errors[`score-${c.id}`] = `Select a score for ${c.title}`
    else if (s.score !== null && !isScore(s.score))
      errors[`score-${c.id}`] = `The score for ${c.title} must be from 1 to 4`
    if (s && trimmed(s.comment).length > COMMENT_MAX)
      errors[`comment-${c.id}`] =
        `The comment on ${c.title} must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`
  }
  if (!isScore(input.overall)) errors.overall = 'Select an overall score from 1 to 4'
  const good = trimmed(input.good)
  const change = trimmed(input.change)
  if (!good) errors.good = 'Enter what was good about the entry'
  else if (good.length > FEEDBACK_MAX)
    errors.good = `What was good must be ${FEEDBACK_MAX.toLocaleString('en-GB')} characters or fewer`
  if (!change) errors.change = 'Enter one thing to do differently'
  else if (change.length > FEEDBACK_MAX)
    errors.change = `One thing to do differently must be ${FEEDBACK_MAX.toLocaleString('en-GB')} characters or fewer`
  return errors
}

/**
 * Quality assurance in an establishment: its settings within the national bounds, the monthly sample into the
 * Supervising Officers' queue, reviews (scores per criterion and feedback), the officer's acknowledgement and reply,
 * amendments appended, and commendations. Each change is audited in its own transaction; the officer is told in the
 * service (notices) and by email (the mailer, after the change is saved: an email that fails never undoes it).
 *
 * When the sample is drawn: the month before the current one (Europe/London) is drawn (topped up) each time the
 * queue is opened, so each complete month is drawn the first time the queue is opened after it ends; a Supervising
 * Officer may also draw the month so far with a button. Drawing is idempotent: each entry is sampled once (the unique
 * session_id), and each officer's random picks are topped up to the setting, never beyond it, with a seed from the
 * establishment, month and officer, so the same entries give the same sample.
 */
export function qaService(db: Kysely<Database>, deps: QaDeps) {
  const repo = qaRepository(db)
  const { audit, mailer, notices, logger } = deps

  async function bounds(trx: Kysely<Database> = db) {
    const p = await repo.policy(trx)
    return { min: p?.qa_sample_min ?? 1, default: p?.qa_sample_default ?? 2, max: p?.qa_sample_max ?? 10 }
  }

  /** The establishment's settings in use: its own, or the defaults; the sample kept within today's national bounds. */
  async function settings(establishmentId: number, trx: Kysely<Database> = db) {
    const [b, row] = await Promise.all([bounds(trx), repo.settings(establishmentId, trx)])
    const own = row?.sample_per_officer ?? b.default
    return {
      saved: !!row,
      bounds: b,
      samplePerOfficer: Math.min(b.max, Math.max(b.min, own)),
      /** the establishment's own value, when the national bounds have since moved past it */
      outsideBounds: own < b.min || own > b.max ? own : null,
      reviewDueDays: row?.review_due_days ?? QA_DEFAULTS.reviewDueDays,
      thinEntryChars: row?.thin_entry_chars ?? QA_DEFAULTS.thinEntryChars,
      supervisionWeeks: row?.supervision_weeks ?? QA_DEFAULTS.supervisionWeeks,
      updatedAt: row?.updated_at ?? null,
      updatedBy: row?.updated_by ?? null,
    }
  }

  /** Sends an email after the change that caused it is saved; never throws. */
  async function email(actor: Actor, e: Parameters<MailerService['send']>[1]) {
    try {
      return await mailer.send(actor, e)
    } catch (err) {
      logger?.error({ err, reference: e.reference }, 'could not email an officer')
      return null
    }
  }

  /** The officer's address: their user account's, else their staff record's. */
  async function officerAddress(userId: number | null, staffEmail: string | null | undefined) {
    const user = userId === null ? undefined : await repo.userEmail(userId)
    return user?.email || staffEmail || null
  }

  async function draw(actor: Actor, establishmentId: number, month: string) {
    if (!MONTH.test(month)) throw new Error(`not a month: ${month}`)
    const { from, until, last } = monthBounds(month)
    const s = await settings(establishmentId)
    const flagged = deps.integrity
      ? await deps.integrity.flaggedSessionIds(establishmentId, from, last)
      : new Set<number>()
    const rows = await repo.candidates(establishmentId, from, until)
    const taken = await repo.randomCounts(establishmentId, month)
    const byOfficer = new Map<number, SampleCandidate[]>()
    for (const r of rows) {
      const c: SampleCandidate = {
        sessionId: r.id,
        staffId: r.staff_id!,
        authorUserId: r.author_user_id,
        risk: riskReasons({
          flagged: flagged.has(r.id),
          precheckScore: r.precheck_score,
          concern: r.concern,
          sessionDate: r.session_date,
          startedInPost: r.started_in_post,
        }),
      }
      const list = byOfficer.get(c.staffId)
      if (list) list.push(c)
      else byOfficer.set(c.staffId, [c])
    }
    const picked = [...byOfficer].flatMap(([staffId, list]) =>
      monthlySample(list, s.samplePerOfficer - (taken.get(staffId) ?? 0), sampleSeed(establishmentId, month, staffId)),
    )
    if (picked.length === 0) return { month, added: [] as number[] }
    const sampledAt = stamp()
    const dueOn = addDays(today(), s.reviewDueDays)
    const added = await db.transaction().execute(async trx => {
      const ids: number[] = []
      for (const p of picked) {
        const id = await repo.insertSample(trx, {
          establishment_id: establishmentId,
          session_id: p.sessionId,
          staff_id: p.staffId,
          month,
          random: p.random ? 1 : 0,
          risk: p.risk.join(','),
          sampled_at: sampledAt,
          due_on: dueOn,
          status: 'due',
        })
        if (id !== null) ids.push(p.sessionId)
      }
      if (ids.length)
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'qa_sample',
          entityId: month,
          establishmentId,
          changes: { month, sessions: ids, due_on: dueOn },
        })
      return ids
    })
    return { month, added }
  }

  /** A review of the establishment, with its scores (criteria's words) and amendments. */
  async function getReview(establishmentId: number, id: number) {
    const r = await repo.review(establishmentId, id)
    if (!r) return null
    const [scores, amendments] = await Promise.all([repo.scores(id), repo.amendments(id)])
    return {
      ...r,
      officer: personName(r.staff_first_name, r.staff_last_name, r.author),
      prisoner: `${r.prisoner_first_name} ${r.prisoner_last_name}`,
      scores: scores.map(s => ({
        ...s,
        descriptors: [s.descriptor_1, s.descriptor_2, s.descriptor_3, s.descriptor_4],
        national: s.establishment_id === null,
      })),
      amendments: amendments.map(a => ({
        ...a,
        lines: amendmentLines(
          JSON.parse(a.changes) as Record<string, { from: unknown; to: unknown }>,
          new Map(scores.map(sc => [sc.code, sc.title])),
        ),
      })),
    }
  }

  /** What the commendation form is about: an entry or an officer of the establishment; null if neither. */
  async function commendTarget(establishmentId: number, by: { sessionId: number } | { staffId: number }) {
    if ('sessionId' in by) {
      const e = await repo.entry(establishmentId, by.sessionId)
      if (!e || e.status !== 'submitted') return null
      // the officer the entry is for; else the staff record of the user who wrote it
      const staffId =
        e.staff_id ??
        (e.author_user_id === null ? undefined : (await repo.staffOfUser(establishmentId, e.author_user_id))[0]?.id)
      if (staffId === undefined) return null
      return {
        kind: 'entry' as const,
        entry: e,
        staffId,
        officerUserId: e.author_user_id ?? e.staff_user_id ?? null,
        officer: personName(e.staff_first_name, e.staff_last_name, e.author_name ?? e.author),
        email: e.staff_email,
      }
    }
    const st = await repo.staffMember(establishmentId, by.staffId)
    if (!st) return null
    return {
      kind: 'officer' as const,
      entry: null,
      staffId: st.id,
      officerUserId: st.user_id,
      officer: personName(st.first_name, st.last_name),
      email: st.user_email || st.email,
    }
  }

  /** Who may amend a review: the Supervising Officer who wrote it, or the establishment admin. */
  const mayAmend = (review: { reviewer_user_id: number }, userId: number, roles: readonly string[]) =>
    roles.includes('ESTABLISHMENT_ADMIN') ||
    (roles.includes('SUPERVISING_OFFICER') && review.reviewer_user_id === userId)

  return {
    settings,
    bounds: () => bounds(),

    async saveSettings(actor: Actor, establishmentId: number, input: SettingsInput): Promise<Result> {
      return db.transaction().execute(async trx => {
        const b = await bounds(trx)
        const errors: Record<string, string> = {}
        if (
          !Number.isInteger(input.samplePerOfficer) ||
          input.samplePerOfficer < b.min ||
          input.samplePerOfficer > b.max
        )
          errors.samplePerOfficer = `Entries sampled per Key Worker must be from ${b.min} to ${b.max} (the national bounds)`
        const check = (key: 'reviewDueDays' | 'thinEntryChars' | 'supervisionWeeks', what: string) => {
          const { min, max } = QA_LIMITS[key]
          const v = input[key]
          if (!Number.isInteger(v) || v < min || v > max) errors[key] = `${what} must be from ${min} to ${max}`
        }
        check('reviewDueDays', 'Days to review a sampled entry')
        check('thinEntryChars', 'The shortest narrative of a 30-minute session')
        check('supervisionWeeks', 'Weeks between supervisions')
        if (Object.keys(errors).length) return fail(errors)
        const before = await repo.settings(establishmentId, trx)
        const values = {
          establishment_id: establishmentId,
          sample_per_officer: input.samplePerOfficer,
          review_due_days: input.reviewDueDays,
          thin_entry_chars: input.thinEntryChars,
          supervision_weeks: input.supervisionWeeks,
          updated_at: stamp(),
          updated_by: actor.username ?? 'system',
        }
        await repo.saveSettings(trx, values)
        const changes: Record<string, { from: unknown; to: unknown }> = {}
        for (const k of ['sample_per_officer', 'review_due_days', 'thin_entry_chars', 'supervision_weeks'] as const)
          if (before?.[k] !== values[k]) changes[k] = { from: before?.[k] ?? null, to: values[k] }
        await audit.record(trx, actor, {
          action: before ? 'update' : 'create',
          entity: 'qa_settings',
          entityId: establishmentId,
          establishmentId,
          changes,
        })
        return ok()
      })
    },

    /** The national bounds of the sample per Key Worker (the national team): min ≤ default ≤ max. */
    async saveBounds(actor: Actor, input: BoundsInput): Promise<Result> {
      const errors: Record<string, string> = {}
      const { min, max } = QA_LIMITS.sample
      for (const [key, v, what] of [
        ['sampleMin', input.min, 'The smallest sample'],
        ['sampleDefault', input.default, 'The default sample'],
        ['sampleMax', input.max, 'The largest sample'],
      ] as const)
        if (!Number.isInteger(v) || v < min || v > max)
          errors[key] = `${what} must be a whole number from ${min} to ${max}`
      if (!errors.sampleMin && !errors.sampleDefault && input.default < input.min)
        errors.sampleDefault = 'The default sample must be at least the smallest'
      if (!errors.sampleMax && !errors.sampleDefault && input.default > input.max)
        errors.sampleMax = 'The largest sample must be at least the default'
      if (!errors.sampleMin && !errors.sampleMax && input.min > input.max)
        errors.sampleMax ??= 'The largest sample must be at least the smallest'
      if (Object.keys(errors).length) return fail(errors)
      return db.transaction().execute(async trx => {
        const before = await bounds(trx)
        await repo.updatePolicy(trx, {
          qa_sample_min: input.min,
          qa_sample_default: input.default,
          qa_sample_max: input.max,
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'national_policy',
          entityId: 1,
          establishmentId: null,
          changes: {
            qa_sample_min: { from: before.min, to: input.min },
            qa_sample_default: { from: before.default, to: input.default },
            qa_sample_max: { from: before.max, to: input.max },
          },
        })
        return ok()
      })
    },

    /** Draws (tops up) one month's sample; the entries added. */
    draw,

    /** Draws the last complete month (see the service's note); called when the queue is opened. */
    ensureDrawn: (actor: Actor, establishmentId: number) => draw(actor, establishmentId, previousMonth(today())),

    /** The current month (for the "draw the month so far" button). */
    currentMonth: () => monthOf(today()),

    /** The sample of one month, in entry order (for the dashboard and tests). */
    sampleOfMonth: (establishmentId: number, month: string) => repo.samplesOfMonth(establishmentId, month),

    /**
     * The entries to review, oldest due first, each with why it was sampled and whether it is overdue (London days).
     * A reviewer is never offered their own entries: they are counted, for another Supervising Officer.
     */
    async queue(establishmentId: number, viewerUserId: number | null) {
      const t = today()
      const rows = (await repo.queue(establishmentId)).map(r => {
        const state = dueState(r.due_on, t)
        return {
          ...r,
          officer: personName(r.staff_first_name, r.staff_last_name, r.author),
          prisoner: `${r.prisoner_first_name} ${r.prisoner_last_name}`,
          reasons: [...(r.random ? ['Picked at random for the monthly sample'] : []), ...riskLabels(r.risk)],
          monthName: monthName(r.month),
          state,
          daysOverdue: daysOverdue(r.due_on, t),
          own:
            viewerUserId !== null &&
            (!mayReview(viewerUserId, { authorUserId: r.author_user_id }) || r.staff_user_id === viewerUserId),
        }
      })
      return {
        today: t,
        rows: rows.filter(r => !r.own),
        own: rows.filter(r => r.own).length,
        overdue: rows.filter(r => !r.own && r.state === 'overdue').length,
      }
    },

    /** What the review form needs: the entry, its sample (if any) and the rubric; or why it cannot be reviewed. */
    async reviewTarget(
      establishmentId: number,
      reviewerUserId: number,
      by: { sampleId: number } | { sessionId: number },
    ): Promise<
      | { kind: 'not-found' }
      | { kind: 'refused'; message: string }
      | {
          kind: 'ok'
          entry: NonNullable<Awaited<ReturnType<typeof repo.entry>>>
          sample: Awaited<ReturnType<typeof repo.sample>> | null
          rubric: QaRubric
        }
    > {
      const sample =
        'sampleId' in by
          ? await repo.sample(establishmentId, by.sampleId)
          : await repo.sampleOfSession(establishmentId, by.sessionId)
      if ('sampleId' in by && !sample) return { kind: 'not-found' }
      const entry = await repo.entry(establishmentId, sample?.session_id ?? ('sessionId' in by ? by.sessionId : 0))
      if (!entry || entry.status !== 'submitted') return { kind: 'not-found' }
      if (entry.author_user_id === reviewerUserId || entry.staff_user_id === reviewerUserId)
        return { kind: 'refused', message: 'This is your own entry: another Supervising Officer reviews it' }
      const done = await repo.reviewOfSession(establishmentId, entry.id)
      if (sample?.status === 'reviewed' || done)
        return { kind: 'refused', message: `This entry has already been reviewed${done ? ` by ${done.reviewer}` : ''}` }
      return { kind: 'ok', entry, sample: sample ?? null, rubric: await deps.rubric.current(establishmentId) }
    },

    /**
     * Records a review: checks every score and the feedback (all problems at once), refuses one's own entry and
     * another establishment's, writes the review and its scores, marks the sample reviewed, tells the officer (not for
     * calibration: the exercise tells them when it closes) and audits, in one transaction; then emails the officer.
     * Two reviews of one sample at once: the unique index lets one in, and the other is told, nothing saved.
     */
    async recordReview(actor: Actor, input: ReviewInput): Promise<Result<{ reviewId: number }>> {
      if (actor.userId === null) return fail({ form: 'Sign in to review an entry' })
      const reviewerId = actor.userId
      let establishmentId = actor.establishmentId
      let calibration: Awaited<ReturnType<typeof repo.calibration>> | undefined
      let entry: Awaited<ReturnType<typeof repo.entry>>
      if (input.kind === 'calibration') {
        calibration = input.calibrationId ? await repo.calibration(input.calibrationId) : undefined
        if (!calibration || (calibration.establishment_id !== null && calibration.establishment_id !== establishmentId))
          return fail({ form: 'There is no such calibration exercise' })
        if (calibration.status !== 'open') return fail({ form: 'This calibration exercise is closed' })
        const member = await repo.calibrationHas(db, calibration.id, input.sessionId, reviewerId)
        if (!member.entry) return fail({ form: 'This entry is not part of the calibration exercise' })
        if (!member.marker) return fail({ form: 'You are not a marker of this calibration exercise' })
        entry = await repo.entryAnywhere(input.sessionId)
        establishmentId = entry?.establishment_id ?? null
      } else {
        entry = establishmentId === null ? undefined : await repo.entry(establishmentId, input.sessionId)
      }
      if (!entry || establishmentId === null || entry.status !== 'submitted')
        return fail({ form: 'There is no such entry in this establishment' })
      if (entry.author_user_id === reviewerId || entry.staff_user_id === reviewerId)
        return fail({ form: 'This is your own entry: another Supervising Officer reviews it' })

      let kind = input.kind
      let sampleId: number | null = null
      if (kind !== 'calibration') {
        const sample =
          kind === 'sample' && input.sampleId
            ? await repo.sample(establishmentId, input.sampleId)
            : await repo.sampleOfSession(establishmentId, entry.id)
        if (kind === 'sample' && (!sample || sample.session_id !== entry.id))
          return fail({ form: 'This entry is not in the QA sample' })
        if (sample) {
          // an entry chosen by hand that is in the sample is the sample's review
          kind = 'sample'
          sampleId = sample.id
        }
        const done = await repo.reviewOfSession(establishmentId, entry.id)
        if (done || sample?.status === 'reviewed')
          return fail({
            form: `This entry has already been reviewed${done ? ` by ${done.reviewer}` : ''}: amend that review instead`,
          })
      }

      const rubric = calibration
        ? await deps.rubric.forReview(calibration.rubric_version_id, establishmentId)
        : await deps.rubric.current(establishmentId)
      const problems = reviewProblems(rubric, input)
      if (Object.keys(problems).length) return fail(problems)

      const officerUserId = entry.author_user_id ?? entry.staff_user_id ?? null
      const at = stamp()
      let reviewId: number
      try {
        reviewId = await db.transaction().execute(async trx => {
          const id = await repo.insertReview(trx, {
            establishment_id: establishmentId,
            session_id: entry.id,
            kind,
            sample_id: sampleId,
            calibration_id: calibration?.id ?? null,
            reviewer_user_id: reviewerId,
            reviewer: actor.username ?? 'unknown',
            rubric_version_id: rubric.versionId,
            overall_score: input.overall,
            feedback_good: input.good.trim(),
            feedback_change: input.change.trim(),
            officer_user_id: officerUserId,
            submitted_at: at,
            updated_at: at,
            read_at: null,
            acknowledged_at: null,
            reply: null,
            replied_at: null,
          })
          const byId = new Map(input.scores.map(s => [s.criterionId, s]))
          await repo.insertScores(
            trx,
            rubric.criteria.map(c => ({
              review_id: id,
              criterion_id: c.id,
              score: byId.get(c.id)?.score ?? null,
              comment: trimmed(byId.get(c.id)?.comment) || null,
            })),
          )
          if (sampleId !== null) await repo.markSampleReviewed(trx, sampleId)
          if (kind !== 'calibration' && officerUserId !== null)
            await notices.tell(trx, {
              userId: officerUserId,
              establishmentId,
              kind: 'qa-review',
              message: `${actor.username ?? 'A Supervising Officer'} reviewed your entry of ${formatDate(entry.session_date)}: read the feedback`,
              link: reviewLink(id),
            })
          await audit.record(trx, actor, {
            action: 'create',
            entity: 'qa_review',
            entityId: id,
            establishmentId,
            changes: {
              session_id: entry.id,
              kind,
              sample_id: sampleId,
              calibration_id: calibration?.id ?? null,
              rubric_version_id: rubric.versionId,
              overall_score: input.overall,
              scores: Object.fromEntries(input.scores.map(s => [s.criterionId, s.score])),
            },
          })
          return id
        })
      } catch (err) {
        if (isUniqueViolation(err) && kind === 'calibration')
          return fail({ form: 'You have marked this entry already: your first mark stands' })
        if (isUniqueViolation(err))
          return fail({
            form: 'Another Supervising Officer has just saved a review of this entry, so yours was not saved. Open the review to read theirs.',
          })
        throw err
      }

      if (kind !== 'calibration' && officerUserId !== null) {
        const to = await officerAddress(officerUserId, entry.staff_email)
        if (to)
          await email(actor, {
            establishmentId,
            to,
            template: 'qa-review',
            reference: `qa-review-${reviewId}`,
            subject: 'Feedback on your key work entry',
            body:
              `${actor.username ?? 'A Supervising Officer'} has reviewed your key work entry of ${formatDate(entry.session_date)} ` +
              `and scored it ${input.overall} – ${QUALITY_SCALE[input.overall as 1 | 2 | 3 | 4]} overall.\n\n` +
              `What was good: ${input.good.trim()}\n\nOne thing to do differently: ${input.change.trim()}\n\n` +
              'Sign in to Key Work and open Feedback to read the scores for each criterion, acknowledge the review and reply.',
          })
      }
      return ok({ reviewId })
    },

    review: getReview,

    /**
     * Tells each officer whose entry a calibration exercise marked that the marks are theirs to read, once the
     * exercise is closed (marking is blind until then): a notice per review and an email per officer. Called by the
     * calibration feature after it closes an exercise; telling twice is harmless but noisy, so call it once.
     */
    async releaseCalibration(actor: Actor, calibrationId: number): Promise<number> {
      const calibration = await repo.calibration(calibrationId)
      if (!calibration || calibration.status !== 'closed') return 0
      const reviews = await repo.reviewsOfCalibration(calibrationId)
      const told = new Map<number, { establishmentId: number; email: string | null; count: number }>()
      await db.transaction().execute(async trx => {
        for (const r of reviews) {
          if (r.officer_user_id === null) continue
          await notices.tell(trx, {
            userId: r.officer_user_id,
            establishmentId: r.establishment_id,
            kind: 'qa-review',
            message: `A calibration exercise marked your entry of ${formatDate(r.session_date)}: read the feedback`,
            link: reviewLink(r.id),
          })
          const t = told.get(r.officer_user_id)
          if (t) t.count++
          else told.set(r.officer_user_id, { establishmentId: r.establishment_id, email: r.staff_email, count: 1 })
        }
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_calibration',
          entityId: calibrationId,
          establishmentId: calibration.establishment_id,
          changes: { released_to: [...told.keys()] },
        })
      })
      for (const [userId, t] of told) {
        const to = await officerAddress(userId, t.email)
        if (to)
          await email(actor, {
            establishmentId: t.establishmentId,
            to,
            template: 'qa-review',
            reference: `qa-calibration-${calibrationId}-${userId}`,
            subject: 'Feedback on your key work entries',
            body:
              `Supervising Officers marked ${t.count === 1 ? 'one of your key work entries' : `${t.count} of your key work entries`} ` +
              'in a calibration exercise, and the exercise has closed.\n\n' +
              'Sign in to Key Work and open Feedback to read the scores for each criterion and the feedback.',
          })
      }
      return told.size
    },

    /** The establishment's reviews (outside calibration), newest first. */
    reviews: (establishmentId: number) => repo.reviews(establishmentId, REVIEWS_SHOWN),
    commendations: (establishmentId: number) => repo.commendations(establishmentId, REVIEWS_SHOWN),

    /** A Key Worker's feedback: their reviews and commendations; commendations are marked seen (audited). */
    async feedbackFor(actor: Actor & { userId: number }, establishmentId: number) {
      const staff = await repo.staffOfUser(establishmentId, actor.userId)
      const [reviews, commendations] = await Promise.all([
        repo.reviewsForOfficer(establishmentId, actor.userId),
        repo.commendationsForOfficer(
          establishmentId,
          actor.userId,
          staff.map(s => s.id),
        ),
      ])
      const unseen = commendations.filter(c => !c.seen_at).map(c => c.id)
      if (unseen.length)
        await db.transaction().execute(async trx => {
          await repo.markCommendationsSeen(trx, unseen, stamp())
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'qa_commendation',
            entityId: unseen.join(','),
            establishmentId,
            changes: { seen_at: { from: null, to: 'seen' } },
          })
        })
      return { reviews, commendations }
    },

    /** The officer reads their review: the first reading sets read_at, and the notices about it are read. */
    async readReview(actor: Actor & { userId: number }, establishmentId: number, id: number) {
      const r = await repo.review(establishmentId, id)
      if (!r || r.officer_user_id !== actor.userId) return null
      if (r.kind === 'calibration' && r.calibration_status !== 'closed') return null
      await db.transaction().execute(async trx => {
        await notices.readPage(trx, actor.userId, reviewLink(id))
        if (!r.read_at) {
          await repo.updateReview(trx, id, { read_at: stamp() })
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'qa_review',
            entityId: id,
            establishmentId,
            changes: { read_at: { from: null, to: 'read' } },
          })
        }
      })
      return getReview(establishmentId, id)
    },

    /** The officer acknowledges their review (once). */
    async acknowledge(actor: Actor & { userId: number }, establishmentId: number, id: number): Promise<Result> {
      return db.transaction().execute(async trx => {
        const r = await repo.review(establishmentId, id, trx)
        if (!r || r.officer_user_id !== actor.userId) return fail({ form: 'There is no such review of your entries' })
        if (r.acknowledged_at) return fail({ form: 'You have already acknowledged this review' })
        const at = stamp()
        await repo.updateReview(trx, id, { acknowledged_at: at, read_at: r.read_at ?? at })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_review',
          entityId: id,
          establishmentId,
          changes: { acknowledged_at: { from: null, to: at } },
        })
        return ok()
      })
    },

    /** The officer replies to their review (once); the reviewer is told. */
    async reply(actor: Actor & { userId: number }, establishmentId: number, id: number, text: string): Promise<Result> {
      const reply = trimmed(text)
      if (!reply) return fail({ reply: 'Enter your reply' })
      if (reply.length > FEEDBACK_MAX)
        return fail({ reply: `Your reply must be ${FEEDBACK_MAX.toLocaleString('en-GB')} characters or fewer` })
      return db.transaction().execute(async trx => {
        const r = await repo.review(establishmentId, id, trx)
        if (!r || r.officer_user_id !== actor.userId) return fail({ form: 'There is no such review of your entries' })
        if (r.reply) return fail({ reply: 'You have already replied to this review' })
        const at = stamp()
        await repo.updateReview(trx, id, { reply, replied_at: at, read_at: r.read_at ?? at })
        await notices.tell(trx, {
          userId: r.reviewer_user_id,
          establishmentId,
          kind: 'qa-reply',
          message: `${actor.username ?? 'The officer'} replied to your review of their entry of ${formatDate(r.session_date)}`,
          link: `/quality/review?id=${id}`,
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_review',
          entityId: id,
          establishmentId,
          changes: { reply: { from: null, to: reply } },
        })
        return ok()
      })
    },

    mayAmend,

    /**
     * Amends a review with a reason: what changed is appended to qa_review_amendments (never deleted), the review
     * and its scores updated, the officer told, all audited, in one transaction.
     */
    async amend(
      actor: Actor & { userId: number },
      roles: readonly string[],
      establishmentId: number,
      id: number,
      input: AmendInput,
    ): Promise<Result> {
      const r = await repo.review(establishmentId, id)
      if (!r) return fail({ form: 'There is no such review' })
      if (!mayAmend(r, actor.userId, roles))
        return fail({
          form: 'Only the Supervising Officer who wrote a review, or the establishment admin, may amend it',
        })
      const rubric = await deps.rubric.forReview(r.rubric_version_id, establishmentId)
      const existing = await repo.scores(id)
      // the criteria the review was scored against (a local criterion since retired stays in it)
      const criteria = existing.map(s => ({
        id: s.criterion_id,
        code: s.code,
        title: s.title,
        guidance: s.guidance,
        descriptors: [s.descriptor_1, s.descriptor_2, s.descriptor_3, s.descriptor_4] as [
          string,
          string,
          string,
          string,
        ],
        national: s.establishment_id === null,
      }))
      const problems = reviewProblems({ ...rubric, criteria }, input)
      const reason = trimmed(input.reason)
      if (!reason) problems.reason = 'Enter why you are amending the review'
      else if (reason.length > REASON_MAX)
        problems.reason = `The reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`
      if (Object.keys(problems).length) return fail(problems)
      const changes: Record<string, { from: unknown; to: unknown }> = {}
      if (r.overall_score !== input.overall) changes.overall_score = { from: r.overall_score, to: input.overall }
      if (r.feedback_good !== input.good.trim())
        changes.feedback_good = { from: r.feedback_good, to: input.good.trim() }
      if (r.feedback_change !== input.change.trim())
        changes.feedback_change = { from: r.feedback_change, to: input.change.trim() }
      const byId = new Map(input.scores.map(s => [s.criterionId, s]))
      const scoreChanges: { criterionId: number; score: number | null; comment: string | null }[] = []
      for (const s of existing) {
        const next = byId.get(s.criterion_id)!
        const comment = trimmed(next.comment) || null
        if (next.score !== s.score) changes[`score:${s.code}`] = { from: s.score, to: next.score }
        if (comment !== s.comment) changes[`comment:${s.code}`] = { from: s.comment, to: comment }
        if (next.score !== s.score || comment !== s.comment)
          scoreChanges.push({ criterionId: s.criterion_id, score: next.score, comment })
      }
      if (Object.keys(changes).length === 0) return fail({ form: 'Change a score or the feedback to amend the review' })
      const at = stamp()
      return db.transaction().execute(async trx => {
        await repo.updateReview(trx, id, {
          overall_score: input.overall,
          feedback_good: input.good.trim(),
          feedback_change: input.change.trim(),
          updated_at: at,
        })
        for (const s of scoreChanges) await repo.updateScore(trx, id, s.criterionId, s.score, s.comment)
        await repo.insertAmendment(trx, {
          review_id: id,
          amended_at: at,
          amended_by: actor.username ?? 'unknown',
          reason,
          changes: JSON.stringify(changes),
        })
        if (r.officer_user_id !== null && (r.kind !== 'calibration' || r.calibration_status === 'closed'))
          await notices.tell(trx, {
            userId: r.officer_user_id,
            establishmentId,
            kind: 'qa-review-amended',
            message: `The review of your entry of ${formatDate(r.session_date)} was amended: ${reason.slice(0, 200)}`,
            link: reviewLink(id),
          })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_review',
          entityId: id,
          establishmentId,
          changes: { ...changes, reason },
        })
        return ok()
      })
    },

    commendTarget,

    /** The establishment's Key Workers, to choose one to commend. */
    officers: (establishmentId: number) => repo.officers(establishmentId),

    /** An SO commends an entry or an officer: saved and audited, the officer told in the service and by email. */
    async commend(
      actor: Actor & { userId: number },
      establishmentId: number,
      by: { sessionId: number } | { staffId: number },
      text: string,
    ): Promise<Result<{ commendationId: number }>> {
      const target = await commendTarget(establishmentId, by)
      if (!target) return fail({ form: 'There is no such entry or officer in this establishment' })
      if (target.officerUserId === actor.userId) return fail({ form: 'You cannot commend yourself' })
      const body = trimmed(text)
      if (!body) return fail({ text: 'Enter what you are commending' })
      if (body.length > FEEDBACK_MAX)
        return fail({ text: `The commendation must be ${FEEDBACK_MAX.toLocaleString('en-GB')} characters or fewer` })
      const at = stamp()
      const id = await db.transaction().execute(async trx => {
        const cid = await repo.insertCommendation(trx, {
          establishment_id: establishmentId,
          session_id: target.entry?.id ?? null,
          staff_id: target.staffId,
          officer_user_id: target.officerUserId,
          text: body,
          by_user_id: actor.userId,
          by_name: actor.username ?? 'unknown',
          created_at: at,
          seen_at: null,
        })
        if (target.officerUserId !== null)
          await notices.tell(trx, {
            userId: target.officerUserId,
            establishmentId,
            kind: 'commendation',
            message: target.entry
              ? `${actor.username ?? 'A Supervising Officer'} commended your entry of ${formatDate(target.entry.session_date)}`
              : `${actor.username ?? 'A Supervising Officer'} commended your key work`,
            link: '/my-feedback',
          })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'qa_commendation',
          entityId: cid,
          establishmentId,
          changes: { session_id: target.entry?.id ?? null, staff_id: target.staffId, text: body },
        })
        return cid
      })
      const to = await officerAddress(target.officerUserId, target.email)
      if (to)
        await email(actor, {
          establishmentId,
          to,
          template: 'commendation',
          reference: `commendation-${id}`,
          subject: 'You have been commended for your key work',
          body:
            `${actor.username ?? 'A Supervising Officer'} has commended ` +
            (target.entry ? `your key work entry of ${formatDate(target.entry.session_date)}` : 'your key work') +
            `:\n\n${body}\n\nSign in to Key Work and open Feedback to see it.`,
        })
      return ok({ commendationId: id })
    },
  }
}

export type QaService = ReturnType<typeof qaService>
