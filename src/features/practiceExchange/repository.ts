import { type Expression, type Insertable, type Kysely, type SqlBool, type Updateable, sql } from 'kysely'
import type { Database, PracticeQuestionTable, PracticeSubmissionTable } from '../../platform/db/types'
import { LIKE_ESCAPE, containsPattern } from '../../domain/practiceExchange'

/**
 * Good practice that travels (issue 17): writes only practice_submissions and practice_questions. A submission is
 * its establishment's until published (then everyone's); `scope` null is the national team's, which reviews every
 * establishment's. Searches are LIKE over lower-cased text with `%`, `_` and the escape character escaped, the same on
 * both engines.
 */
export function practiceExchangeRepository(db: Kysely<Database>) {
  /** Every word in at least one of the columns (lower-cased), matched literally. */
  const matchesAll = (columns: string[], terms: string[]): Expression<SqlBool> =>
    sql<SqlBool>`${sql.join(
      terms.map(
        t =>
          sql`(${sql.join(
            columns.map(c => sql`lower(${sql.ref(c)}) like ${containsPattern(t)} escape ${sql.lit(LIKE_ESCAPE)}`),
            sql` or `,
          )})`,
      ),
      sql` and `,
    )}`
  const submission = (k: Kysely<Database>) =>
    k
      .selectFrom('practice_submissions as p')
      .innerJoin('establishments as e', 'e.id', 'p.establishment_id')
      .selectAll('p')
      .select(['e.name as establishment_name', 'e.code as establishment_code'])

  return {
    async insertSubmission(trx: Kysely<Database>, row: Insertable<PracticeSubmissionTable>): Promise<number> {
      const r = await trx.insertInto('practice_submissions').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    /** One submission: of the establishment given, or of any when `scope` is null (the national team). */
    submission(scope: number | null, id: number, k: Kysely<Database> = db) {
      let q = submission(k).where('p.id', '=', id)
      if (scope !== null) q = q.where('p.establishment_id', '=', scope)
      return q.executeTakeFirst()
    },
    /** Submissions of one establishment or all (null): waiting first (oldest first), then the rest, latest first. */
    submissions(scope: number | null) {
      let q = submission(db)
      if (scope !== null) q = q.where('p.establishment_id', '=', scope)
      return q
        .orderBy(sql`case when p.status = 'submitted' then 0 else 1 end`)
        .orderBy(sql`case when p.status = 'submitted' then p.submitted_at end`)
        .orderBy('p.updated_at', 'desc')
        .orderBy('p.id', 'desc')
        .limit(300)
        .execute()
    },
    /** Changes a submission only from the state given (so two reviewers cannot both decide it); rows changed. */
    async updateSubmission(
      trx: Kysely<Database>,
      id: number,
      fromStatus: string,
      values: Updateable<PracticeSubmissionTable>,
      establishmentId?: number,
    ): Promise<number> {
      let q = trx.updateTable('practice_submissions').set(values).where('id', '=', id).where('status', '=', fromStatus)
      if (establishmentId !== undefined) q = q.where('establishment_id', '=', establishmentId)
      const r = await q.executeTakeFirst()
      return Number(r.numUpdatedRows)
    },
    /** Published submissions, newest first: matching every word, of a pathway and a measure when given. */
    published(f: { terms: string[]; pathway: string | null; measure: string | null }) {
      let q = submission(db).where('p.status', '=', 'published')
      if (f.terms.length)
        q = q.where(matchesAll(['p.title', 'p.what_they_did', 'p.what_changed', 'p.evidence', 'e.name'], f.terms))
      const inList = (column: string, code: string) =>
        sql<SqlBool>`(',' || ${sql.ref(column)} || ',') like ${containsPattern(`,${code},`)} escape ${sql.lit(LIKE_ESCAPE)}`
      if (f.pathway) q = q.where(inList('p.pathways', f.pathway))
      if (f.measure) q = q.where(inList('p.measures', f.measure))
      return q.orderBy('p.published_at', 'desc').orderBy('p.id', 'desc').limit(100).execute()
    },

    async insertQuestion(trx: Kysely<Database>, row: Insertable<PracticeQuestionTable>): Promise<number> {
      const r = await trx.insertInto('practice_questions').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    question(id: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('practice_questions as q')
        .innerJoin('establishments as e', 'e.id', 'q.establishment_id')
        .selectAll('q')
        .select(['e.name as establishment_name'])
        .where('q.id', '=', id)
        .executeTakeFirst()
    },
    /**
     * Questions: the answered ones (matching every word, newest answer first) and the unanswered ones of one asker,
     * or every unanswered one when `askerId` is null (the national team's queue, oldest first).
     */
    async questions(f: { terms: string[]; askerId: number | null }) {
      const base = () =>
        db
          .selectFrom('practice_questions as q')
          .innerJoin('establishments as e', 'e.id', 'q.establishment_id')
          .selectAll('q')
          .select(['e.name as establishment_name'])
      let answered = base().where('q.answered_at', 'is not', null)
      let waiting = base().where('q.answered_at', 'is', null)
      if (f.terms.length) {
        const match = matchesAll(['q.title', 'q.detail', 'q.answer'], f.terms)
        answered = answered.where(match)
        waiting = waiting.where(match)
      }
      if (f.askerId !== null) waiting = waiting.where('q.asked_by_user_id', '=', f.askerId)
      const [a, w] = await Promise.all([
        answered.orderBy('q.answered_at', 'desc').orderBy('q.id', 'desc').limit(100).execute(),
        waiting.orderBy('q.asked_at').orderBy('q.id').limit(200).execute(),
      ])
      return { answered: a, waiting: w }
    },
    async answer(trx: Kysely<Database>, id: number, values: Updateable<PracticeQuestionTable>): Promise<number> {
      const r = await trx.updateTable('practice_questions').set(values).where('id', '=', id).executeTakeFirst()
      return Number(r.numUpdatedRows)
    },
  }
}

export type SubmissionRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof practiceExchangeRepository>['submission']>>
>
export type QuestionRow = NonNullable<Awaited<ReturnType<ReturnType<typeof practiceExchangeRepository>['question']>>>
