import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { type Result, fail, ok } from '../../domain/result'
import { todayIso } from '../../domain/dates'
import { now } from '../../domain/clock'
import type { Actor, AuditService } from '../../platform/audit/service'
import {
  NATIONAL_QUESTIONS,
  type RoundInput,
  type SurveyRole,
  checkAnswers,
  checkRound,
  checkThresholds,
  closedDay,
  freeTextShown,
  resultCells,
  roundStatus,
} from '../../domain/survey'
import { surveyRepository } from './repository'

export interface SurveyDeps {
  audit: AuditService
}

/** The hash kept of a one-time token: the raw token lives only in the person's browser. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/

export function surveyService(db: Kysely<Database>, deps: SurveyDeps) {
  const repo = surveyRepository(db)
  const { audit } = deps

  /** The round open today, if any (rounds never overlap). */
  async function openRound() {
    const today = todayIso()
    return (await repo.rounds()).find(r => roundStatus(r, today) === 'open') ?? null
  }

  async function results(roundId: number) {
    const round = await repo.round(roundId)
    if (!round) return null
    const [questions, settings, counts, sums] = await Promise.all([
      repo.questions(roundId),
      repo.settings(),
      repo.counts(roundId),
      repo.sums(roundId),
    ])
    const status = roundStatus(round, todayIso())
    const scale = questions.filter(q => q.kind === 'scale')
    const codes = scale.map(q => q.code)
    const groups = new Map<string, { establishmentId: number; role: string; n: number; sums: Record<string, number> }>()
    for (const c of counts)
      groups.set(`${c.establishment_id}/${c.role}`, {
        establishmentId: c.establishment_id,
        role: c.role,
        n: Number(c.n),
        sums: {},
      })
    for (const s of sums) {
      const g = groups.get(`${s.establishment_id}/${s.role}`)
      if (g) g.sums[s.code] = Number(s.total)
    }
    const cells = resultCells([...groups.values()], codes, settings.threshold)
    // free text: per establishment, on the number who answered there, with the higher threshold
    const perEstablishment = new Map<number, number>()
    for (const g of groups.values())
      perEstablishment.set(g.establishmentId, (perEstablishment.get(g.establishmentId) ?? 0) + g.n)
    const textShown = freeTextShown(perEstablishment, settings.free_text_threshold)
    const texts = questions.some(q => q.kind === 'text') ? await repo.freeText(roundId) : []
    return { round, status, questions, scale, settings, cells, textShown, texts }
  }

  return {
    NATIONAL_QUESTIONS,
    settings: () => repo.settings(),
    rounds: () => repo.rounds(),
    round: (id: number) => repo.round(id),
    questions: (roundId: number) => repo.questions(roundId),
    establishments: () => repo.establishments(),
    staffCount: () => repo.staffCount(),
    openRound,

    async saveSettings(actor: Actor, threshold: number, freeText: number): Promise<Result> {
      const errors = checkThresholds(threshold, freeText)
      if (Object.keys(errors).length) return fail(errors)
      await db.transaction().execute(async trx => {
        await repo.saveSettings(trx, threshold, freeText, now().toISOString(), actor.username ?? 'system')
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'survey_settings',
          entityId: 1,
          changes: { threshold, freeTextThreshold: freeText },
          establishmentId: null,
        })
      })
      return ok()
    },

    /** Publishes a round: every problem at once; the round and its questions in one transaction, audited. */
    async publishRound(actor: Actor, input: RoundInput): Promise<Result<number>> {
      const errors = checkRound(input, todayIso(), await repo.rounds())
      if (Object.keys(errors).length) return fail(errors)
      const id = await db.transaction().execute(async trx => {
        // dates are checked again inside the transaction: two rounds published at once cannot both open
        const again = checkRound(input, todayIso(), await repo.rounds(trx))
        if (Object.keys(again).length) return null
        const roundId = await repo.insertRound(
          trx,
          {
            title: input.title,
            opens_on: input.opensOn,
            closes_on: input.closesOn,
            created_at: now().toISOString(),
            created_by: actor.username ?? 'system',
          },
          input.questions,
        )
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'survey_round',
          entityId: roundId,
          changes: { title: input.title, opensOn: input.opensOn, closesOn: input.closesOn, questions: input.questions },
          establishmentId: null,
        })
        return roundId
      })
      if (id === null) return fail({ opensOn: 'Another round was published for these dates: check the dates' })
      return ok(id)
    },

    /** The wording may change until the first person starts the round (and never once it has closed). */
    async mayReword(roundId: number): Promise<boolean> {
      const round = await repo.round(roundId)
      if (!round || roundStatus(round, todayIso()) === 'closed') return false
      return (await repo.tokensTaken(roundId)) === 0
    },

    /** Changes a round's title and the wording of its questions, in one transaction, audited; refused once started. */
    async rewordRound(
      actor: Actor,
      roundId: number,
      input: { title: string; questions: { code: string; text: string }[] },
    ): Promise<Result> {
      const refused = fail({
        form: 'Someone has started this round, or it has closed: its wording can no longer change',
      })
      const done = await db.transaction().execute(async trx => {
        const round = await repo.round(roundId, trx)
        if (!round || roundStatus(round, todayIso()) === 'closed' || (await repo.tokensTaken(roundId, trx)) > 0)
          return false
        await repo.rewordRound(trx, roundId, input.title, input.questions)
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'survey_round',
          entityId: roundId,
          changes: input,
          establishmentId: null,
        })
        return true
      })
      return done ? ok() : refused
    },

    async closeRound(actor: Actor, roundId: number): Promise<Result> {
      const round = await repo.round(roundId)
      if (!round) return fail({ form: 'There is no such round' })
      if (roundStatus(round, todayIso()) === 'closed') return fail({ form: 'This round is already closed' })
      await db.transaction().execute(async trx => {
        await repo.closeRound(trx, roundId, todayIso())
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'survey_round',
          entityId: roundId,
          changes: { closedOn: todayIso() },
          establishmentId: null,
        })
      })
      return ok()
    },

    /** Whether the user took their token for the round (the only thing kept about them). */
    async hasTakenToken(roundId: number, userId: number) {
      return !!(await repo.invitation(roundId, userId))
    },

    /** Whether a staff member should be told a survey is open: one is, and they have not taken part. */
    async waitingFor(userId: number) {
      const round = await openRound()
      if (!round) return null
      return (await repo.invitation(round.id, userId)) ? null : round
    },

    /**
     * Gives a person their one-time token for the open round: records (round, user) and the token's hash with the
     * establishment and role, in one transaction, audited as "took a token" only. The raw token is returned once
     * and kept nowhere on the server. A second one for the same person and round is refused.
     */
    async takeToken(
      actor: Actor & { userId: number },
      roundId: number,
      establishmentId: number,
      role: SurveyRole,
    ): Promise<Result<string>> {
      const round = await repo.round(roundId)
      if (!round || roundStatus(round, todayIso()) !== 'open') return fail({ form: 'This survey is not open' })
      if (await repo.invitation(roundId, actor.userId))
        return fail({
          form: 'You have already started this survey, so we cannot give you another form: we keep no link to your answers, so nobody can answer twice.',
        })
      const token = randomBytes(32).toString('base64url')
      try {
        await db.transaction().execute(async trx => {
          await repo.insertInvitation(trx, roundId, actor.userId)
          await repo.insertToken(trx, {
            token_hash: tokenHash(token),
            round_id: roundId,
            establishment_id: establishmentId,
            role,
          })
          await audit.record(trx, actor, {
            action: 'create',
            entity: 'survey_token',
            entityId: roundId,
            establishmentId,
          })
        })
      } catch {
        // the unique (round, user) key: the same person starting twice at once
        return fail({ form: 'You have already started this survey, so we cannot give you another form.' })
      }
      return ok(token)
    },

    /** What a token is: unknown, used, or ready for the round. */
    async tokenState(token: string, roundId: number): Promise<'ready' | 'used' | 'unknown'> {
      if (!TOKEN_FORMAT.test(token)) return 'unknown'
      const t = await repo.token(tokenHash(token))
      if (!t || t.round_id !== roundId) return 'unknown'
      return t.used ? 'used' : 'ready'
    },

    /**
     * Saves a response: the token checked unused and marked used, the response (random id, round, establishment,
     * role) and its answers inserted, in one transaction. No user, no audit of the answers.
     */
    async submit(token: string, raw: Record<string, unknown>): Promise<Result<void>> {
      const hash = TOKEN_FORMAT.test(token) ? tokenHash(token) : null
      const t = hash ? await repo.token(hash) : undefined
      if (!t || !hash)
        return fail({ form: 'This survey form is not valid. Start the survey again from the home page.' })
      if (t.used) return fail({ form: 'These answers were already sent with this form: a form can be sent once.' })
      const round = await repo.round(t.round_id)
      if (!round || roundStatus(round, todayIso()) !== 'open')
        return fail({ form: 'This survey has closed: your answers could not be sent.' })
      const questions = await repo.questions(t.round_id)
      const checked = checkAnswers(
        questions.map(q => ({ id: q.id, code: q.code, kind: q.kind === 'text' ? 'text' : 'scale', text: q.text })),
        raw,
      )
      if (!checked.ok) return checked
      const saved = await db.transaction().execute(async trx => {
        if ((await repo.useToken(trx, hash)) !== 1) return false
        await repo.insertResponse(
          trx,
          { id: randomUUID(), round_id: t.round_id, establishment_id: t.establishment_id, role: t.role },
          checked.answers,
        )
        return true
      })
      if (!saved) return fail({ form: 'These answers were already sent with this form: a form can be sent once.' })
      return ok()
    },

    results,

    /** The survey's agreement questions, as trial outcome measures (the national set's codes). */
    async outcomeQuestions(): Promise<{ code: string; text: string }[]> {
      return NATIONAL_QUESTIONS.filter(q => q.kind === 'scale').map(q => ({ code: q.code, text: q.text }))
    },

    /**
     * A question's mean per establishment and closed round, only where the results page shows the establishment
     * (at least the threshold answered, after complementary suppression).
     */
    async establishmentMeans(
      questionCode: string,
    ): Promise<{ establishmentId: number; month: string; mean: number; n: number }[]> {
      const today = todayIso()
      const out: { establishmentId: number; month: string; mean: number; n: number }[] = []
      for (const round of await repo.rounds()) {
        if (roundStatus(round, today) !== 'closed') continue
        const r = await results(round.id)
        if (!r || !r.scale.some(q => q.code === questionCode)) continue
        for (const c of r.cells)
          if (c.level === 'establishment' && c.shown && c.means && c.establishmentId !== null)
            out.push({
              establishmentId: c.establishmentId,
              month: closedDay(round).slice(0, 7),
              mean: c.means[questionCode]!,
              n: c.n,
            })
      }
      return out.sort((a, b) => a.month.localeCompare(b.month) || a.establishmentId - b.establishmentId)
    },
  }
}

export type SurveyService = ReturnType<typeof surveyService>
