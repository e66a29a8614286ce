import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Actor, AuditService } from '../../platform/audit/service'
import { type Result, fail, ok } from '../../domain/result'
import { todayIso } from '../../domain/dates'
import { protectCells } from '../../domain/disclosure'
import {
  type Agreement,
  DEFAULT_CRITERIA,
  DEFAULT_QUESTIONS,
  SCALE_MIN,
  agreement,
  candidateCode,
  checkQuestion,
  finalScore,
  keptUntil,
  mean,
  needsModeration,
  onScale,
  retentionDue,
} from '../../domain/recruitment'
import { recruitmentRepository } from './repository'
import type { AssignmentInput, CampaignInput, CandidateInput, ModerationInput, SettingsInput } from './schema'

export interface RecruitmentDeps {
  audit: AuditService
}

export type CampaignRow = NonNullable<Awaited<ReturnType<ReturnType<typeof recruitmentRepository>['campaign']>>>
export type QuestionRow = Awaited<ReturnType<ReturnType<typeof recruitmentRepository>['questions']>>[number]
export type CandidateRow = NonNullable<Awaited<ReturnType<ReturnType<typeof recruitmentRepository>['candidate']>>>

export const anchorsOf = (q: Pick<QuestionRow, 'anchors'>): string[] => {
  try {
    const a = JSON.parse(q.anchors) as unknown
    return Array.isArray(a) ? a.map(String) : []
  } catch {
    return []
  }
}

/** Scores typed in the scoring form: question id → the score as typed and the evidence noted. */
export type ScoreInput = Map<number, { score: string; evidence: string }>

export interface QuestionResult {
  question: QuestionRow
  criterion: string
  agreement: Agreement
}

export function recruitmentService(db: Kysely<Database>, deps: RecruitmentDeps) {
  const repo = recruitmentRepository(db)
  const { audit } = deps
  const now = () => new Date().toISOString()

  /** Everything scored in a campaign, per candidate: each assessor's scores and the moderator's decisions. */
  async function scoreBook(campaignId: number, k: Kysely<Database> = db) {
    const [candidates, scores, submissions, moderations] = await Promise.all([
      repo.candidates(campaignId, k),
      repo.scores(campaignId, k),
      repo.submissions(campaignId, k),
      repo.moderations(campaignId, k),
    ])
    const submitted = new Set(submissions.map(s => `${s.candidate_id}:${s.assessor_user_id}`))
    const scoreOf = new Map(scores.map(s => [`${s.candidate_id}:${s.assessor_user_id}:${s.question_id}`, s]))
    const moderated = new Map(moderations.map(m => [`${m.candidate_id}:${m.question_id}`, m]))
    return { candidates, submitted, scoreOf, moderated }
  }

  /** A candidate's state: who has submitted, and, once both have, each question's two scores and final. */
  function stateOf(
    c: CandidateRow,
    questions: readonly QuestionRow[],
    book: Awaited<ReturnType<typeof scoreBook>>,
    gap: number,
  ) {
    const aDone = c.assessor_a_user_id !== null && book.submitted.has(`${c.id}:${c.assessor_a_user_id}`)
    const bDone = c.assessor_b_user_id !== null && book.submitted.has(`${c.id}:${c.assessor_b_user_id}`)
    const both = aDone && bDone
    const perQuestion = questions.map(q => {
      const a = both ? (book.scoreOf.get(`${c.id}:${c.assessor_a_user_id}:${q.id}`)?.score ?? null) : null
      const b = both ? (book.scoreOf.get(`${c.id}:${c.assessor_b_user_id}:${q.id}`)?.score ?? null) : null
      const m = book.moderated.get(`${c.id}:${q.id}`)
      const final = finalScore(a, b, gap, m?.score ?? null)
      return { question: q, a, b, moderation: m ?? null, final }
    })
    const finals = perQuestion.map(p => p.final.score)
    const complete = both && finals.every(f => f !== null)
    const overall = complete ? mean(finals as number[]) : null
    const awaitingModeration = perQuestion.filter(p => p.final.method === 'awaiting_moderation').length
    return { aDone, bDone, both, perQuestion, complete, overall, awaitingModeration }
  }

  return {
    settings: () => repo.settings(),

    async updateSettings(actor: Actor, input: SettingsInput): Promise<Result> {
      return db.transaction().execute(async trx => {
        const was = await repo.settings(trx)
        if (was.retention_days === input.retentionDays && was.min_group === input.minGroup) return ok()
        await repo.updateSettings(trx, {
          retention_days: input.retentionDays,
          min_group: input.minGroup,
          updated_at: now(),
          updated_by: actor.username ?? 'system',
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'recruitment_settings',
          entityId: 1,
          changes: {
            retention_days: { from: was.retention_days, to: input.retentionDays },
            min_group: { from: was.min_group, to: input.minGroup },
          },
        })
        return ok()
      })
    },

    campaigns: () => repo.campaigns(),
    campaign: (id: number) => repo.campaign(id),
    criteria: (campaignId: number) => repo.criteria(campaignId),
    questions: (campaignId: number) => repo.questions(campaignId),
    assessors: () => repo.assessors(),
    establishments: () => repo.establishments(),
    locked: (campaignId: number) => repo.anySubmission(campaignId),

    async userNames(ids: readonly (number | null)[]) {
      const wanted = [...new Set(ids.filter((x): x is number => x !== null))]
      return new Map((await repo.userNames(wanted)).map(u => [Number(u.id), u.display_name]))
    },

    /** A new campaign with the default framework (criteria and anchored questions), which the national team adjusts. */
    async createCampaign(actor: Actor, input: CampaignInput): Promise<Result<number>> {
      const ests = await repo.establishments()
      const est = input.scope === 'establishment' ? ests.find(e => e.code === input.establishment) : undefined
      const errors: Record<string, string> = {}
      if (input.scope === 'establishment' && !est) errors.establishment = 'Choose the establishment from the list'
      if (input.scope === 'region' && !ests.some(e => e.region === input.region))
        errors.region = 'Choose the region from the list'
      if (Object.keys(errors).length) return fail(errors)
      return db.transaction().execute(async trx => {
        const at = now()
        const id = await repo.insertCampaign(trx, {
          title: input.title,
          establishment_id: est?.id ?? null,
          region: input.scope === 'region' ? input.region : null,
          opens_on: input.opensOn,
          closes_on: input.closesOn,
          moderation_gap: input.moderationGap,
          retention_days: input.retentionDays,
          pass_mark: input.passMark,
          assessor_a_user_id: input.assessorA,
          assessor_b_user_id: input.assessorB,
          moderator_user_id: input.moderator,
          created_at: at,
          created_by: actor.username ?? 'system',
        })
        const criterionIds = new Map<string, number>()
        for (const [i, c] of DEFAULT_CRITERIA.entries())
          criterionIds.set(c.code, await repo.insertCriterion(trx, { campaign_id: id, ...c, position: i + 1 }))
        for (const [i, q] of DEFAULT_QUESTIONS.entries())
          await repo.insertQuestion(trx, {
            campaign_id: id,
            criterion_id: criterionIds.get(q.criterion)!,
            kind: q.kind,
            text: q.text,
            anchors: JSON.stringify(q.anchors),
            position: i + 1,
          })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'recruitment_campaign',
          entityId: id,
          changes: {
            title: input.title,
            scope: input.scope,
            establishment_id: est?.id ?? null,
            region: input.scope === 'region' ? input.region : null,
            opens_on: input.opensOn,
            closes_on: input.closesOn,
            moderation_gap: input.moderationGap,
            retention_days: input.retentionDays,
            pass_mark: input.passMark,
            questions: DEFAULT_QUESTIONS.length,
          },
        })
        return ok(id)
      })
    },

    /** Adds a question to the framework while nobody has scored: every score point needs its written anchor. */
    async addQuestion(
      actor: Actor,
      campaignId: number,
      input: { criterion: string; kind: string; text: string; anchors: string[] },
    ): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        const campaign = await repo.campaign(campaignId, trx)
        if (!campaign) return fail({ form: 'Campaign not found' })
        if (await repo.anySubmission(campaignId, trx))
          return fail({ form: 'Assessors have started scoring: the questions of this campaign can no longer change' })
        const criteria = await repo.criteria(campaignId, trx)
        const criterionId = /^[1-9][0-9]{0,15}$/.test(input.criterion) ? Number(input.criterion) : null
        const errors = checkQuestion(
          { criterionId, kind: input.kind, text: input.text, anchors: input.anchors },
          campaign.scale_max,
          criteria.map(c => Number(c.id)),
        )
        if (Object.keys(errors).length) return fail(errors)
        const anchors = input.anchors.slice(0, campaign.scale_max).map(a => a.trim())
        const position = (await repo.questions(campaignId, trx)).reduce((m, q) => Math.max(m, q.position), 0) + 1
        const id = await repo.insertQuestion(trx, {
          campaign_id: campaignId,
          criterion_id: criterionId!,
          kind: input.kind,
          text: input.text.trim(),
          anchors: JSON.stringify(anchors),
          position,
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'recruitment_question',
          entityId: id,
          changes: {
            campaign_id: campaignId,
            criterion_id: criterionId,
            kind: input.kind,
            text: input.text.trim(),
            anchors,
          },
        })
        return ok(id)
      })
    },

    async removeQuestion(actor: Actor, campaignId: number, questionId: number): Promise<Result> {
      return db.transaction().execute(async trx => {
        if (await repo.anySubmission(campaignId, trx))
          return fail({
            question: 'Assessors have started scoring: the questions of this campaign can no longer change',
          })
        const questions = await repo.questions(campaignId, trx)
        const q = questions.find(x => Number(x.id) === questionId)
        if (!q) return fail({ question: 'Choose a question of this campaign' })
        if (questions.length === 1) return fail({ question: 'A campaign needs at least one question' })
        await repo.deleteQuestion(trx, campaignId, questionId)
        await audit.record(trx, actor, {
          action: 'delete',
          entity: 'recruitment_question',
          entityId: questionId,
          changes: { campaign_id: campaignId, text: q.text },
        })
        return ok()
      })
    },

    /**
     * A candidate: a new code (VBR-year-number), the personal data apart, two assessors and a moderator, three
     * different people. The audit trail names the code, never the person.
     */
    async addCandidate(
      actor: Actor,
      campaignId: number,
      input: CandidateInput,
    ): Promise<Result<{ id: number; code: string }>> {
      const errors = checkAssignment(input, await repo.assessors())
      const ests = await repo.establishments()
      const est = input.establishment ? ests.find(e => e.code === input.establishment) : undefined
      if (input.establishment && !est) errors.establishment = 'Choose the establishment applied for from the list'
      if (Object.keys(errors).length) return fail(errors)
      return db.transaction().execute(async trx => {
        const campaign = await repo.campaign(campaignId, trx)
        if (!campaign) return fail({ form: 'Campaign not found' })
        const year = Number(todayIso().slice(0, 4))
        const number = (await repo.lastCodeNumber(trx, year)) + 1
        const code = candidateCode(year, number)
        const at = now()
        const id = await repo.insertCandidate(trx, {
          campaign_id: campaignId,
          code,
          code_year: year,
          code_number: number,
          assessor_a_user_id: input.assessorA,
          assessor_b_user_id: input.assessorB,
          moderator_user_id: input.moderator,
          created_at: at,
          created_by: actor.username ?? 'system',
          personal_deleted_at: null,
        })
        await repo.insertPersonal(trx, {
          candidate_id: id,
          name: input.name,
          email: input.email,
          establishment_id: est?.id ?? null,
          created_at: at,
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'recruitment_candidate',
          entityId: id,
          changes: {
            campaign_id: campaignId,
            code,
            assessor_a_user_id: input.assessorA,
            assessor_b_user_id: input.assessorB,
            moderator_user_id: input.moderator,
          },
        })
        return ok({ id, code })
      })
    },

    /** Changes a candidate's assessors and moderator, until either assessor has submitted. */
    async assign(actor: Actor, campaignId: number, candidateId: number, input: AssignmentInput): Promise<Result> {
      const errors = checkAssignment(input, await repo.assessors())
      if (Object.keys(errors).length) return fail(errors)
      return db.transaction().execute(async trx => {
        const c = await repo.candidate(campaignId, candidateId, trx)
        if (!c) return fail({ form: 'Candidate not found' })
        const book = await repo.submissions(campaignId, trx)
        if (book.some(s => Number(s.candidate_id) === candidateId))
          return fail({
            form: 'An assessor has submitted scores for this candidate: the assessors can no longer change',
          })
        const to = {
          assessor_a_user_id: input.assessorA,
          assessor_b_user_id: input.assessorB,
          moderator_user_id: input.moderator,
        }
        const changes: Record<string, unknown> = {}
        for (const k of Object.keys(to) as (keyof typeof to)[])
          if (c[k] !== to[k]) changes[k] = { from: c[k], to: to[k] }
        if (!Object.keys(changes).length) return ok()
        changes.reason = input.reason
        await repo.setAssignments(trx, campaignId, candidateId, to)
        await audit.record(trx, actor, {
          action: 'assign',
          entity: 'recruitment_candidate',
          entityId: candidateId,
          changes,
        })
        return ok()
      })
    },

    candidate: (campaignId: number, candidateId: number) => repo.candidate(campaignId, candidateId),

    /** A candidate's personal data: for the national team's pages only. */
    personal: (candidateId: number) => repo.personal(candidateId),

    /** What a user must do: the candidates they assess (submitted or not) and the moderations waiting for them. */
    async assignments(userId: number) {
      const rows = await repo.assignedTo(userId)
      const out: {
        campaignId: number
        title: string
        toScore: { id: number; code: string; submitted: boolean }[]
        toModerate: number
      }[] = []
      const campaigns = [...new Set(rows.map(r => Number(r.campaign_id)))]
      for (const campaignId of campaigns) {
        const campaign = (await repo.campaign(campaignId))!
        const questions = await repo.questions(campaignId)
        const book = await scoreBook(campaignId)
        const mine = rows.filter(r => Number(r.campaign_id) === campaignId)
        const toScore = mine
          .filter(r => r.assessor_a_user_id === userId || r.assessor_b_user_id === userId)
          .map(r => ({ id: Number(r.id), code: r.code, submitted: book.submitted.has(`${r.id}:${userId}`) }))
        let toModerate = 0
        for (const c of book.candidates.filter(c => c.moderator_user_id === userId))
          toModerate += stateOf(c, questions, book, campaign.moderation_gap).awaitingModeration
        out.push({ campaignId, title: campaign.title, toScore, toModerate })
      }
      return out
    },

    /** The scoring page of one assessor: the candidate if they assess it, and whether (and what) they submitted. */
    async forAssessor(campaignId: number, candidateId: number, userId: number) {
      const candidate = await repo.candidate(campaignId, candidateId)
      if (!candidate || (candidate.assessor_a_user_id !== userId && candidate.assessor_b_user_id !== userId))
        return undefined
      const campaign = (await repo.campaign(campaignId))!
      const [criteria, questions, submission] = await Promise.all([
        repo.criteria(campaignId),
        repo.questions(campaignId),
        repo.submission(candidateId, userId),
      ])
      // only this assessor's own scores: never the other's
      const own = submission
        ? (await repo.scores(campaignId)).filter(
            s => Number(s.candidate_id) === candidateId && s.assessor_user_id === userId,
          )
        : []
      return { campaign, candidate, criteria, questions, submission: submission ?? null, own }
    },

    /**
     * An assessor's scores for a candidate, all at once: one submission per assessor and candidate (a second is
     * refused), a score on the scale for every question; nothing is saved unless all of it is.
     */
    async submitScores(actor: Actor, campaignId: number, candidateId: number, input: ScoreInput): Promise<Result> {
      if (actor.userId === null) return fail({ form: 'Sign in to score' })
      const userId = actor.userId
      const save = db.transaction().execute(async (trx): Promise<Result> => {
        const candidate = await repo.candidate(campaignId, candidateId, trx)
        if (!candidate || (candidate.assessor_a_user_id !== userId && candidate.assessor_b_user_id !== userId))
          return fail({ form: 'You are not an assessor of this candidate' })
        if (await repo.submission(candidateId, userId, trx))
          return fail({
            form: `You have already submitted your scores for ${candidate.code}: each assessor scores a candidate once`,
          })
        const campaign = (await repo.campaign(campaignId, trx))!
        const questions = await repo.questions(campaignId, trx)
        const errors: Record<string, string> = {}
        const rows: { question_id: number; score: number; evidence: string }[] = []
        for (const [i, q] of questions.entries()) {
          const typed = input.get(Number(q.id))
          const raw = (typed?.score ?? '').trim()
          const score = /^-?\d+$/.test(raw) ? Number(raw) : NaN
          const evidence = (typed?.evidence ?? '').trim()
          if (!raw) errors[`score-${q.id}`] = `Choose a score for question ${i + 1}`
          else if (!onScale(score, campaign.scale_max))
            errors[`score-${q.id}`] =
              `The score for question ${i + 1} must be from ${SCALE_MIN} to ${campaign.scale_max}`
          if (evidence.length > 2000)
            errors[`evidence-${q.id}`] = `The evidence for question ${i + 1} must be 2000 characters or fewer`
          rows.push({ question_id: Number(q.id), score, evidence })
        }
        if (Object.keys(errors).length) return fail(errors)
        const submissionId = await repo.insertSubmission(trx, candidateId, userId, now())
        await repo.insertScores(
          trx,
          rows.map(r => ({ ...r, submission_id: submissionId })),
        )
        await audit.record(trx, actor, {
          action: 'submit',
          entity: 'recruitment_candidate',
          entityId: candidateId,
          changes: { code: candidate.code, scores: Object.fromEntries(rows.map(r => [r.question_id, r.score])) },
        })
        return ok()
      })
      try {
        return await save
      } catch (err) {
        // two submissions at once: the unique key on (candidate, assessor) let one in; the other is refused the same way
        if (await repo.submission(candidateId, userId))
          return fail({
            form: 'You have already submitted your scores for this candidate: each assessor scores a candidate once',
          })
        throw err
      }
    },

    /** The moderator's queue in a campaign: questions of their candidates where the two scores differ by more than the gap. */
    async moderation(campaignId: number, userId: number) {
      const campaign = await repo.campaign(campaignId)
      if (!campaign) return undefined
      const [questions, book] = await Promise.all([repo.questions(campaignId), scoreBook(campaignId)])
      const mine = book.candidates.filter(c => c.moderator_user_id === userId)
      if (!mine.length) return undefined
      const waiting: { candidate: CandidateRow; question: QuestionRow; number: number; a: number; b: number }[] = []
      const decided: {
        candidate: CandidateRow
        question: QuestionRow
        number: number
        a: number
        b: number
        score: number
        reason: string
      }[] = []
      for (const c of mine) {
        const st = stateOf(c, questions, book, campaign.moderation_gap)
        for (const [i, p] of st.perQuestion.entries()) {
          if (p.a === null || p.b === null || !needsModeration(p.a, p.b, campaign.moderation_gap)) continue
          if (p.moderation)
            decided.push({
              candidate: c,
              question: p.question,
              number: i + 1,
              a: p.a,
              b: p.b,
              score: p.moderation.score,
              reason: p.moderation.reason,
            })
          else waiting.push({ candidate: c, question: p.question, number: i + 1, a: p.a, b: p.b })
        }
      }
      return { campaign, waiting, decided, candidates: mine.length }
    },

    /** The moderator's final score for a question the two assessors scored more than the gap apart, with a reason. */
    async moderate(actor: Actor, campaignId: number, input: ModerationInput): Promise<Result> {
      if (actor.userId === null) return fail({ form: 'Sign in to moderate' })
      const userId = actor.userId
      return db.transaction().execute(async trx => {
        const campaign = await repo.campaign(campaignId, trx)
        const c = campaign ? await repo.candidate(campaignId, input.candidate, trx) : undefined
        if (!campaign || !c || c.moderator_user_id !== userId)
          return fail({ form: 'You are not the moderator of this candidate' })
        const questions = await repo.questions(campaignId, trx)
        const book = await scoreBook(campaignId, trx)
        const p = stateOf(c, questions, book, campaign.moderation_gap).perQuestion.find(
          x => Number(x.question.id) === input.question,
        )
        if (!p || p.a === null || p.b === null || !needsModeration(p.a, p.b, campaign.moderation_gap))
          return fail({
            form: 'This question does not need moderating: both assessors have not scored it more than the gap apart',
          })
        if (p.moderation)
          return fail({ form: `A final score has already been recorded for ${c.code} on this question` })
        if (!onScale(input.score, campaign.scale_max))
          return fail({
            [`score-${c.id}-${input.question}`]: `The final score must be from ${SCALE_MIN} to ${campaign.scale_max}`,
          })
        await repo.insertModeration(
          trx,
          {
            candidate_id: c.id,
            question_id: input.question,
            score: input.score,
            reason: input.reason,
            moderator_user_id: userId,
          },
          now(),
        )
        await audit.record(trx, actor, {
          action: 'moderate',
          entity: 'recruitment_candidate',
          entityId: c.id,
          changes: {
            code: c.code,
            question_id: input.question,
            scores: [p.a, p.b],
            final: input.score,
            reason: input.reason,
          },
        })
        return ok()
      })
    },

    /** The campaign page's list: each candidate's progress (no scores until both assessors have submitted). */
    async progress(campaignId: number) {
      const campaign = await repo.campaign(campaignId)
      if (!campaign) return []
      const [questions, book] = await Promise.all([repo.questions(campaignId), scoreBook(campaignId)])
      return book.candidates.map(c => ({ candidate: c, ...stateOf(c, questions, book, campaign.moderation_gap) }))
    },

    /** One candidate's scores, for the national team: each assessor's only once both have submitted. */
    async candidateState(campaignId: number, candidateId: number) {
      const campaign = await repo.campaign(campaignId)
      const c = campaign ? await repo.candidate(campaignId, candidateId) : undefined
      if (!campaign || !c) return undefined
      const [questions, book] = await Promise.all([repo.questions(campaignId), scoreBook(campaignId)])
      return { campaign, candidate: c, ...stateOf(c, questions, book, campaign.moderation_gap) }
    },

    /**
     * Results: inter-rater agreement per question (first against second assessor, candidates both scored), and the
     * aggregates (candidates assessed, mean final score by criterion, outcome) with small-number protection: a cell
     * of fewer candidates than the national minimum group never shows, nor one that could be worked out from others.
     */
    async results(campaignId: number) {
      const campaign = await repo.campaign(campaignId)
      if (!campaign) return undefined
      const [criteria, questions, book, settings] = await Promise.all([
        repo.criteria(campaignId),
        repo.questions(campaignId),
        scoreBook(campaignId),
        repo.settings(),
      ])
      const states = book.candidates.map(c => ({ c, st: stateOf(c, questions, book, campaign.moderation_gap) }))
      const paired = states.filter(s => s.st.both)
      const criterionName = new Map(criteria.map(c => [Number(c.id), c.name]))
      const perQuestion: QuestionResult[] = questions.map(q => {
        const pairs = paired
          .map(s => s.st.perQuestion.find(p => p.question.id === q.id)!)
          .filter(p => p.a !== null && p.b !== null)
          .map(p => [p.a!, p.b!] as const)
        return {
          question: q,
          criterion: criterionName.get(q.criterion_id) ?? '',
          agreement: agreement(pairs, campaign.scale_max),
        }
      })
      const complete = states.filter(s => s.st.complete)
      const meets = complete.filter(s => s.st.overall! >= campaign.pass_mark)
      const threshold = settings.min_group
      const cells = [
        { key: 'assessed', n: complete.length },
        { key: 'meets', parent: 'assessed', n: meets.length },
        { key: 'not', parent: 'assessed', n: complete.length - meets.length },
      ]
      const shown = protectCells(cells, threshold)
      const byCriterion = criteria.map(cr => {
        const qs = questions.filter(q => q.criterion_id === cr.id).map(q => q.id)
        const m = (group: typeof complete) =>
          mean(
            group.flatMap(s =>
              s.st.perQuestion.filter(p => qs.includes(p.question.id)).map(p => p.final.score as number),
            ),
          )
        return {
          name: cr.name,
          kind: cr.kind,
          questions: qs.length,
          all: qs.length && shown.has('assessed') ? m(complete) : null,
          meets: qs.length && shown.has('meets') ? m(meets) : null,
          not: qs.length && shown.has('not') ? m(complete.filter(s => !meets.includes(s))) : null,
        }
      })
      return {
        campaign,
        threshold,
        candidates: book.candidates.length,
        paired: paired.length,
        perQuestion,
        outcome: {
          assessed: shown.has('assessed') ? complete.length : null,
          meets: shown.has('meets') ? meets.length : null,
          not: shown.has('not') ? complete.length - meets.length : null,
        },
        byCriterion,
      }
    },

    /** The retention dry run: how many candidates' personal data is kept, until when, and how many are due today. */
    async retentionPreview(campaignId: number, today = todayIso()) {
      const campaign = await repo.campaign(campaignId)
      if (!campaign) return undefined
      const kept = (await repo.withPersonal(campaignId)).length
      const due = retentionDue(campaign.closes_on, campaign.retention_days, today) ? kept : 0
      return { kept, due, keptUntil: keptUntil(campaign.closes_on, campaign.retention_days) }
    },

    /**
     * The daily job: deletes (not hides) the personal data of every candidate whose campaign's retention period has
     * ended, keeping codes and scores; one audit event per campaign. Running it again deletes nothing more.
     */
    async deleteExpiredPersonalData(actor: Actor, today = todayIso()): Promise<{ deleted: number }> {
      const due = (await repo.allCampaignDates()).filter(c => retentionDue(c.closes_on, c.retention_days, today))
      let deleted = 0
      for (const c of due) {
        deleted += await db.transaction().execute(async trx => {
          const ids = await repo.withPersonal(Number(c.id), trx)
          if (!ids.length) return 0
          await repo.deletePersonal(trx, ids, now())
          await audit.record(trx, actor, {
            action: 'delete_personal_data',
            entity: 'recruitment_campaign',
            entityId: Number(c.id),
            changes: { candidates: ids, kept_until: keptUntil(c.closes_on, c.retention_days) },
          })
          return ids.length
        })
      }
      return { deleted }
    },
  }
}

/** Two assessors and a moderator: three different people, each one who may assess. */
function checkAssignment(
  input: { assessorA: number | null; assessorB: number | null; moderator: number | null },
  eligible: readonly { id: number }[],
): Record<string, string> {
  const errors: Record<string, string> = {}
  const ok = new Set(eligible.map(u => Number(u.id)))
  if (input.assessorA === null || !ok.has(input.assessorA)) errors.assessorA = 'Choose the first assessor from the list'
  if (input.assessorB === null || !ok.has(input.assessorB))
    errors.assessorB = 'Choose the second assessor from the list'
  else if (input.assessorB === input.assessorA)
    errors.assessorB = 'Choose a different second assessor: two people score each candidate independently'
  if (input.moderator === null || !ok.has(input.moderator)) errors.moderator = 'Choose the moderator from the list'
  else if (input.moderator === input.assessorA || input.moderator === input.assessorB)
    errors.moderator = 'Choose a moderator who is not one of the candidate’s assessors'
  return errors
}

export type RecruitmentService = ReturnType<typeof recruitmentService>
