import { type Kysely, sql } from 'kysely'
import type { Database } from '../../platform/db/types'
import { DEFAULT_FREE_TEXT_THRESHOLD, DEFAULT_THRESHOLD } from '../../domain/survey'

/**
 * The survey's queries (issue 17). Writes survey_* tables only. Responses and answers are read only as totals
 * (counts and sums per establishment and role) or as free-text lists; nothing here reads a response with anything
 * that names a person, and nothing writes one with a user.
 */
export function surveyRepository(db: Kysely<Database>) {
  return {
    /** the national thresholds; the defaults when the row is missing (a demo reset empties every table) */
    async settings(k: Kysely<Database> = db) {
      const row = await k.selectFrom('survey_settings').selectAll().where('id', '=', 1).executeTakeFirst()
      return (
        row ?? {
          id: 1,
          threshold: DEFAULT_THRESHOLD,
          free_text_threshold: DEFAULT_FREE_TEXT_THRESHOLD,
          updated_at: null,
          updated_by: null,
        }
      )
    },
    async saveSettings(k: Kysely<Database>, threshold: number, freeText: number, at: string, by: string) {
      const values = { threshold, free_text_threshold: freeText, updated_at: at, updated_by: by }
      const r = await k.updateTable('survey_settings').set(values).where('id', '=', 1).executeTakeFirst()
      if (Number(r.numUpdatedRows) === 0)
        await k
          .insertInto('survey_settings')
          .values({ id: 1, ...values })
          .execute()
    },
    rounds(k: Kysely<Database> = db) {
      return k.selectFrom('survey_rounds').selectAll().orderBy('opens_on', 'desc').orderBy('id', 'desc').execute()
    },
    round(id: number, k: Kysely<Database> = db) {
      return k.selectFrom('survey_rounds').selectAll().where('id', '=', id).executeTakeFirst()
    },
    questions(roundId: number, k: Kysely<Database> = db) {
      return k.selectFrom('survey_questions').selectAll().where('round_id', '=', roundId).orderBy('position').execute()
    },
    async insertRound(
      k: Kysely<Database>,
      round: { title: string; opens_on: string; closes_on: string; created_at: string; created_by: string },
      questions: { code: string; kind: string; text: string }[],
    ) {
      const { id } = await k.insertInto('survey_rounds').values(round).returning('id').executeTakeFirstOrThrow()
      await k
        .insertInto('survey_questions')
        .values(questions.map((q, i) => ({ round_id: id, code: q.code, kind: q.kind, text: q.text, position: i + 1 })))
        .execute()
      return id
    },
    /** how many people took a token for the round (nothing says who answered) */
    async tokensTaken(roundId: number, k: Kysely<Database> = db) {
      const r = await k
        .selectFrom('survey_tokens')
        .select(sql<number>`count(*)`.as('n'))
        .where('round_id', '=', roundId)
        .executeTakeFirstOrThrow()
      return Number(r.n)
    },
    async rewordRound(k: Kysely<Database>, id: number, title: string, questions: { code: string; text: string }[]) {
      await k.updateTable('survey_rounds').set({ title }).where('id', '=', id).execute()
      for (const q of questions)
        await k
          .updateTable('survey_questions')
          .set({ text: q.text })
          .where('round_id', '=', id)
          .where('code', '=', q.code)
          .execute()
    },
    closeRound(k: Kysely<Database>, id: number, day: string) {
      return k
        .updateTable('survey_rounds')
        .set({ closed_on: day })
        .where('id', '=', id)
        .where('closed_on', 'is', null)
        .executeTakeFirst()
    },
    invitation(roundId: number, userId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('survey_invitations')
        .select('round_id')
        .where('round_id', '=', roundId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
    },
    insertInvitation(k: Kysely<Database>, roundId: number, userId: number) {
      return k.insertInto('survey_invitations').values({ round_id: roundId, user_id: userId }).execute()
    },
    insertToken(
      k: Kysely<Database>,
      t: { token_hash: string; round_id: number; establishment_id: number; role: string },
    ) {
      return k.insertInto('survey_tokens').values(t).execute()
    },
    token(hash: string, k: Kysely<Database> = db) {
      return k.selectFrom('survey_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst()
    },
    /** marks an unused token used; 0 rows when it was used already (two submits racing: only one wins) */
    async useToken(k: Kysely<Database>, hash: string) {
      const r = await k
        .updateTable('survey_tokens')
        .set({ used: 1 })
        .where('token_hash', '=', hash)
        .where('used', '=', 0)
        .executeTakeFirst()
      return Number(r.numUpdatedRows)
    },
    async insertResponse(
      k: Kysely<Database>,
      response: { id: string; round_id: number; establishment_id: number; role: string },
      answers: { questionId: number; value: number | null; text: string | null }[],
    ) {
      await k.insertInto('survey_responses').values(response).execute()
      if (answers.length)
        await k
          .insertInto('survey_answers')
          .values(
            answers.map(a => ({
              response_id: response.id,
              question_id: a.questionId,
              value: a.value,
              answer_text: a.text,
            })),
          )
          .execute()
    },
    /** per establishment and role: how many answered the round */
    counts(roundId: number) {
      return db
        .selectFrom('survey_responses')
        .select(['establishment_id', 'role', sql<number>`count(*)`.as('n')])
        .where('round_id', '=', roundId)
        .groupBy(['establishment_id', 'role'])
        .execute()
    },
    /** per establishment, role and question: the sum of the scale answers */
    sums(roundId: number) {
      return db
        .selectFrom('survey_answers as a')
        .innerJoin('survey_responses as r', 'r.id', 'a.response_id')
        .innerJoin('survey_questions as q', 'q.id', 'a.question_id')
        .select(['r.establishment_id', 'r.role', 'q.code', sql<number>`sum(a.value)`.as('total')])
        .where('r.round_id', '=', roundId)
        .where('q.kind', '=', 'scale')
        .groupBy(['r.establishment_id', 'r.role', 'q.code'])
        .execute()
    },
    /** the free-text answers of a round with their establishment, in the order of the random response ids */
    freeText(roundId: number) {
      return db
        .selectFrom('survey_answers as a')
        .innerJoin('survey_responses as r', 'r.id', 'a.response_id')
        .select(['r.establishment_id', 'a.answer_text'])
        .where('r.round_id', '=', roundId)
        .where('a.answer_text', 'is not', null)
        .orderBy('r.id')
        .execute()
    },
    establishments() {
      return db.selectFrom('establishments').select(['id', 'code', 'name']).orderBy('name').execute()
    },
    /** how many people hold a staff role in an establishment today (the response rate's denominator) */
    async staffCount() {
      const r = await db
        .selectFrom('user_roles')
        .select(sql<number>`count(distinct user_id)`.as('n'))
        .where('role', 'in', ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'])
        .where('establishment_id', 'is not', null)
        .executeTakeFirstOrThrow()
      return Number(r.n)
    },
  }
}
