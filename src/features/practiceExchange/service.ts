import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { now } from '../../domain/clock'
import { londonDate } from '../../domain/dates'
import {
  type FigureSnapshot,
  type MeasureCode,
  type Periods,
  measureValue,
  monthList,
  monthPeriod,
  searchTerms,
} from '../../domain/practiceExchange'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { NoticesService } from '../notices/service'
import type { QualityService } from '../quality/service'
import type { StatisticsService } from '../statistics/service'
import { practiceExchangeRepository } from './repository'
import type { QuestionInput, ReviewInput, SubmissionInput } from './schema'

export interface PracticeExchangeDeps {
  audit: AuditService
  /** tells a Supervising Officer what the national team decided, and an asker that their question was answered */
  notices: Pick<NoticesService, 'tell'>
  statistics: Pick<StatisticsService, 'compute'>
  quality: Pick<QualityService, 'dashboard'>
}

export const SUBMISSION_STATUS_NAMES: Record<string, string> = {
  submitted: 'Waiting for review',
  published: 'Published',
  returned: 'Returned for changes',
}

const list = (codes: readonly string[]) => codes.join(',')
export const codesOf = (csv: string) => csv.split(',').filter(Boolean)

/** A stored snapshot read back; a row written by this service always parses. */
export function snapshotOf(json: string): FigureSnapshot[] {
  const v = JSON.parse(json) as unknown
  return Array.isArray(v) ? (v as FigureSnapshot[]) : []
}

/**
 * Good practice that travels (issue 17): Supervising Officers submit their establishment's good practice with
 * keywork's own figures before and after; the national team publishes it to every establishment or returns it with
 * a note; questions to the national policy team and their answers, searchable.
 */
export function practiceExchangeService(db: Kysely<Database>, deps: PracticeExchangeDeps) {
  const repo = practiceExchangeRepository(db)
  const { audit } = deps

  /** The figures of the measures for the two periods, from keywork's data as it is now. */
  async function takeFigures(
    establishmentId: number,
    measures: readonly MeasureCode[],
    periods: Periods,
  ): Promise<FigureSnapshot[]> {
    const scope = { kind: 'establishment' as const, establishmentId }
    const today = londonDate(now().toISOString())
    const read = async (p: { from: string; to: string }) => {
      const [stats, quality] = await Promise.all([
        deps.statistics.compute(scope, monthPeriod(p.from, p.to)),
        measures.includes('qaScore') ? deps.quality.dashboard(scope, monthList(p.from, p.to), today) : null,
      ])
      const counts = [0, 0, 0, 0]
      for (const m of quality?.months ?? []) m.counts.forEach((c, i) => (counts[i]! += c))
      return { figures: stats.figures, counts }
    }
    const before = await read(periods.before)
    const after = await read(periods.after)
    return measures.map(measure => ({
      measure,
      before: measureValue(measure, before.figures, before.counts),
      after: measureValue(measure, after.figures, after.counts),
    }))
  }

  const columnsOf = (input: SubmissionInput, figures: FigureSnapshot[], at: string) => ({
    title: input.title,
    what_they_did: input.whatTheyDid,
    what_changed: input.whatChanged,
    evidence: input.evidence,
    pathways: list(input.pathways),
    measures: list(input.measures),
    before_from: input.before.from,
    before_to: input.before.to,
    after_from: input.after.from,
    after_to: input.after.to,
    figures: JSON.stringify(figures),
    figures_at: at,
  })

  return {
    /** A Supervising Officer's submission from their establishment, its figures taken now, audited. */
    async submit(actor: Actor, establishmentId: number, input: SubmissionInput): Promise<Result<number>> {
      if (actor.userId === null) return fail({ form: 'Sign in to submit good practice' })
      // the figures first: on SQLite the transaction holds the only connection
      const figures = await takeFigures(establishmentId, input.measures, input)
      return db.transaction().execute(async trx => {
        const at = now().toISOString()
        const id = await repo.insertSubmission(trx, {
          establishment_id: establishmentId,
          ...columnsOf(input, figures, at),
          status: 'submitted',
          submitted_by_user_id: actor.userId!,
          submitted_by: actor.username ?? 'unknown',
          submitted_at: at,
          reviewed_by: null,
          reviewed_at: null,
          review_note: null,
          published_at: null,
          updated_at: at,
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'practice_submission',
          entityId: id,
          establishmentId,
          changes: { title: input.title, status: 'submitted', measures: input.measures, figures },
        })
        return ok(id)
      })
    },

    /** A returned submission of the establishment, changed and sent again: its figures taken again now, audited. */
    async resubmit(actor: Actor, establishmentId: number, id: number, input: SubmissionInput): Promise<Result> {
      const existing = await repo.submission(establishmentId, id)
      if (!existing) return fail({ form: 'Submission not found' })
      if (existing.status !== 'returned')
        return fail({ form: 'Only a submission the national team returned can be changed and sent again' })
      const figures = await takeFigures(establishmentId, input.measures, input)
      return db.transaction().execute(async trx => {
        const at = now().toISOString()
        const updated = await repo.updateSubmission(
          trx,
          id,
          'returned',
          { ...columnsOf(input, figures, at), status: 'submitted', submitted_at: at, updated_at: at },
          establishmentId,
        )
        if (updated !== 1) return fail({ form: 'This submission has just been changed by someone else' })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'practice_submission',
          entityId: id,
          establishmentId,
          changes: {
            status: { from: 'returned', to: 'submitted' },
            ...(existing.title !== input.title ? { title: { from: existing.title, to: input.title } } : {}),
            measures: input.measures,
            figures,
          },
        })
        return ok()
      })
    },

    /**
     * The national team's review of a waiting submission: published to every establishment, or returned with a note;
     * audited, and the submitter told in the service. Anything but a waiting submission is refused (a published one
     * cannot be returned).
     */
    async review(actor: Actor, id: number, input: ReviewInput): Promise<Result> {
      return db.transaction().execute(async trx => {
        const existing = await repo.submission(null, id, trx)
        if (!existing) return fail({ decision: 'Submission not found' })
        if (existing.status !== 'submitted')
          return fail({
            decision:
              existing.status === 'published'
                ? 'This submission has been published: it cannot be returned or published again'
                : 'This submission has been returned: it waits for the Supervising Officer to send it again',
          })
        const at = now().toISOString()
        const status = input.decision === 'publish' ? 'published' : 'returned'
        const updated = await repo.updateSubmission(trx, id, 'submitted', {
          status,
          reviewed_by: actor.username ?? 'unknown',
          reviewed_at: at,
          review_note: input.note,
          published_at: status === 'published' ? at : null,
          updated_at: at,
        })
        if (updated !== 1) return fail({ decision: 'This submission has just been reviewed by someone else' })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'practice_submission',
          entityId: id,
          establishmentId: existing.establishment_id,
          changes: { status: { from: 'submitted', to: status }, ...(input.note ? { note: input.note } : {}) },
        })
        await deps.notices.tell(trx, {
          userId: existing.submitted_by_user_id,
          establishmentId: existing.establishment_id,
          kind: 'practice-exchange',
          message:
            status === 'published'
              ? `Your good practice "${existing.title}" is now shared with every establishment`
              : `The national team returned your good practice "${existing.title}" with a note`,
          link: `/good-practice/submissions/${id}`,
        })
        return ok()
      })
    },

    /** One submission with its figures: of the establishment, or of any (null: the national team). */
    async submission(scope: number | null, id: number) {
      const row = await repo.submission(scope, id)
      return row ? { ...row, snapshot: snapshotOf(row.figures) } : null
    },
    submissions: (scope: number | null) => repo.submissions(scope),

    /** Published submissions, searched by words, of a pathway or a measure. */
    async shared(f: { query: string; pathway: string | null; measure: string | null }) {
      const rows = await repo.published({ terms: searchTerms(f.query), pathway: f.pathway, measure: f.measure })
      return rows.map(r => ({ ...r, snapshot: snapshotOf(r.figures) }))
    },

    /** A question to the national policy team from the asker's establishment, audited. */
    async ask(actor: Actor, establishmentId: number, input: QuestionInput): Promise<Result<number>> {
      if (actor.userId === null) return fail({ title: 'Sign in to ask a question' })
      return db.transaction().execute(async trx => {
        const at = now().toISOString()
        const id = await repo.insertQuestion(trx, {
          establishment_id: establishmentId,
          asked_by_user_id: actor.userId!,
          asked_by: actor.username ?? 'unknown',
          title: input.title,
          detail: input.detail,
          asked_at: at,
          answer: null,
          answered_by: null,
          answered_at: null,
          updated_at: at,
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'practice_question',
          entityId: id,
          establishmentId,
          changes: { title: input.title },
        })
        return ok(id)
      })
    },

    /**
     * Answers a question, or changes its answer (the answer before is kept in the audit trail); the asker is told in
     * the service in the same transaction.
     */
    async answer(actor: Actor, id: number, answer: string): Promise<Result> {
      return db.transaction().execute(async trx => {
        const existing = await repo.question(id, trx)
        if (!existing) return fail({ answer: 'Question not found' })
        if (existing.answer === answer) return ok()
        const at = now().toISOString()
        await repo.answer(trx, id, {
          answer,
          answered_by: actor.username ?? 'unknown',
          // the first answer's time orders the list; a correction keeps it
          answered_at: existing.answered_at ?? at,
          updated_at: at,
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'practice_question',
          entityId: id,
          establishmentId: existing.establishment_id,
          changes: { answer: { from: existing.answer, to: answer } },
        })
        await deps.notices.tell(trx, {
          userId: existing.asked_by_user_id,
          establishmentId: existing.establishment_id,
          kind: 'practice-exchange',
          message: existing.answer
            ? `The national team changed its answer to your question "${existing.title}"`
            : `The national team answered your question "${existing.title}"`,
          link: `/questions#question-${id}`,
        })
        return ok()
      })
    },

    question: (id: number) => repo.question(id),

    /**
     * The questions a user sees: every answered one (searched by words, newest first), and the unanswered ones they
     * asked, or all unanswered ones for the national team (`all`), which answers them.
     */
    questions: (f: { query: string; userId: number; all: boolean }) =>
      repo.questions({ terms: searchTerms(f.query), askerId: f.all ? null : f.userId }),
  }
}

export type PracticeExchangeService = ReturnType<typeof practiceExchangeService>
