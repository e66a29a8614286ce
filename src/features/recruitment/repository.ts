import type { Insertable, Kysely } from 'kysely'
import type {
  Database,
  RecruitmentCampaignTable,
  RecruitmentCandidatePersonalTable,
  RecruitmentCandidateTable,
  RecruitmentCriterionTable,
  RecruitmentQuestionTable,
} from '../../platform/db/types'

/**
 * Values-based recruitment (issue 17). Campaigns are national records (the national team runs each, whichever
 * establishment it acts in); assessors and moderators reach a candidate only through their own assignment, by code.
 * Candidates' personal data is read by `personal` alone, which only the national team's pages call.
 */
export function recruitmentRepository(db: Kysely<Database>) {
  return {
    settings(k: Kysely<Database> = db) {
      return k.selectFrom('recruitment_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()
    },
    async updateSettings(
      trx: Kysely<Database>,
      values: { retention_days: number; min_group: number; updated_at: string; updated_by: string },
    ) {
      await trx.updateTable('recruitment_settings').set(values).where('id', '=', 1).execute()
    },

    campaigns() {
      return db
        .selectFrom('recruitment_campaigns as c')
        .leftJoin('establishments as e', 'e.id', 'c.establishment_id')
        .select(['c.id', 'c.title', 'c.opens_on', 'c.closes_on', 'c.region', 'e.name as establishment_name'])
        .select(eb =>
          eb
            .selectFrom('recruitment_candidates as k')
            .whereRef('k.campaign_id', '=', 'c.id')
            .select(eb.fn.countAll<number>().as('n'))
            .as('candidates'),
        )
        .orderBy('c.opens_on', 'desc')
        .orderBy('c.id', 'desc')
        .execute()
    },
    campaign(id: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('recruitment_campaigns as c')
        .leftJoin('establishments as e', 'e.id', 'c.establishment_id')
        .selectAll('c')
        .select('e.name as establishment_name')
        .where('c.id', '=', id)
        .executeTakeFirst()
    },
    async insertCampaign(trx: Kysely<Database>, row: Insertable<RecruitmentCampaignTable>) {
      const r = await trx.insertInto('recruitment_campaigns').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    async insertCriterion(trx: Kysely<Database>, row: Insertable<RecruitmentCriterionTable>) {
      const r = await trx.insertInto('recruitment_criteria').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    async insertQuestion(trx: Kysely<Database>, row: Insertable<RecruitmentQuestionTable>) {
      const r = await trx.insertInto('recruitment_questions').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    async deleteQuestion(trx: Kysely<Database>, campaignId: number, id: number) {
      await trx.deleteFrom('recruitment_questions').where('campaign_id', '=', campaignId).where('id', '=', id).execute()
    },
    criteria(campaignId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('recruitment_criteria')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .orderBy('position')
        .orderBy('id')
        .execute()
    },
    questions(campaignId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('recruitment_questions')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .orderBy('position')
        .orderBy('id')
        .execute()
    },

    /** Whether any assessor has submitted scores in the campaign: its framework is then fixed. */
    async anySubmission(campaignId: number, k: Kysely<Database> = db) {
      const r = await k
        .selectFrom('recruitment_submissions as s')
        .innerJoin('recruitment_candidates as c', 'c.id', 's.candidate_id')
        .select('s.id')
        .where('c.campaign_id', '=', campaignId)
        .limit(1)
        .executeTakeFirst()
      return !!r
    },

    async lastCodeNumber(trx: Kysely<Database>, year: number) {
      const r = await trx
        .selectFrom('recruitment_candidates')
        .select(eb => eb.fn.max('code_number').as('n'))
        .where('code_year', '=', year)
        .executeTakeFirst()
      return Number(r?.n ?? 0)
    },
    async insertCandidate(trx: Kysely<Database>, row: Insertable<RecruitmentCandidateTable>) {
      const r = await trx.insertInto('recruitment_candidates').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    async insertPersonal(trx: Kysely<Database>, row: Insertable<RecruitmentCandidatePersonalTable>) {
      await trx.insertInto('recruitment_candidate_personal').values(row).execute()
    },
    async setAssignments(
      trx: Kysely<Database>,
      campaignId: number,
      id: number,
      values: {
        assessor_a_user_id: number | null
        assessor_b_user_id: number | null
        moderator_user_id: number | null
      },
    ) {
      await trx
        .updateTable('recruitment_candidates')
        .set(values)
        .where('campaign_id', '=', campaignId)
        .where('id', '=', id)
        .execute()
    },
    candidate(campaignId: number, id: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('recruitment_candidates')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    candidates(campaignId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('recruitment_candidates')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .orderBy('code_year')
        .orderBy('code_number')
        .execute()
    },
    /** A candidate's personal data: the national team's pages only. */
    personal(candidateId: number) {
      return db
        .selectFrom('recruitment_candidate_personal as p')
        .leftJoin('establishments as e', 'e.id', 'p.establishment_id')
        .select(['p.candidate_id', 'p.name', 'p.email', 'p.created_at', 'e.name as establishment_name'])
        .where('p.candidate_id', '=', candidateId)
        .executeTakeFirst()
    },
    /** Which of a campaign's candidates still have personal data kept. */
    async withPersonal(campaignId: number, k: Kysely<Database> = db) {
      const rows = await k
        .selectFrom('recruitment_candidate_personal as p')
        .innerJoin('recruitment_candidates as c', 'c.id', 'p.candidate_id')
        .select('p.candidate_id')
        .where('c.campaign_id', '=', campaignId)
        .execute()
      return rows.map(r => Number(r.candidate_id))
    },
    async deletePersonal(trx: Kysely<Database>, candidateIds: readonly number[], at: string) {
      if (!candidateIds.length) return
      await trx.deleteFrom('recruitment_candidate_personal').where('candidate_id', 'in', candidateIds).execute()
      await trx
        .updateTable('recruitment_candidates')
        .set({ personal_deleted_at: at })
        .where('id', 'in', candidateIds)
        .execute()
    },
    allCampaignDates() {
      return db.selectFrom('recruitment_campaigns').select(['id', 'closes_on', 'retention_days']).execute()
    },

    submission(candidateId: number, userId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('recruitment_submissions')
        .selectAll()
        .where('candidate_id', '=', candidateId)
        .where('assessor_user_id', '=', userId)
        .executeTakeFirst()
    },
    async insertSubmission(trx: Kysely<Database>, candidateId: number, userId: number, at: string) {
      const r = await trx
        .insertInto('recruitment_submissions')
        .values({ candidate_id: candidateId, assessor_user_id: userId, submitted_at: at })
        .returning('id')
        .executeTakeFirstOrThrow()
      return Number(r.id)
    },
    async insertScores(
      trx: Kysely<Database>,
      rows: { submission_id: number; question_id: number; score: number; evidence: string }[],
    ) {
      if (rows.length) await trx.insertInto('recruitment_scores').values(rows).execute()
    },
    /** Every score of a campaign, with the assessor and candidate it belongs to. */
    scores(campaignId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('recruitment_scores as s')
        .innerJoin('recruitment_submissions as b', 'b.id', 's.submission_id')
        .innerJoin('recruitment_candidates as c', 'c.id', 'b.candidate_id')
        .select(['b.candidate_id', 'b.assessor_user_id', 's.question_id', 's.score', 's.evidence'])
        .where('c.campaign_id', '=', campaignId)
        .execute()
    },
    submissions(campaignId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('recruitment_submissions as b')
        .innerJoin('recruitment_candidates as c', 'c.id', 'b.candidate_id')
        .select(['b.candidate_id', 'b.assessor_user_id', 'b.submitted_at'])
        .where('c.campaign_id', '=', campaignId)
        .execute()
    },
    moderations(campaignId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('recruitment_moderations as m')
        .innerJoin('recruitment_candidates as c', 'c.id', 'm.candidate_id')
        .select(['m.candidate_id', 'm.question_id', 'm.score', 'm.reason', 'm.moderator_user_id', 'm.decided_at'])
        .where('c.campaign_id', '=', campaignId)
        .execute()
    },
    async insertModeration(
      trx: Kysely<Database>,
      row: { candidate_id: number; question_id: number; score: number; reason: string; moderator_user_id: number },
      at: string,
    ) {
      await trx
        .insertInto('recruitment_moderations')
        .values({ ...row, decided_at: at })
        .execute()
    },

    /** The candidates a user assesses or moderates, with their campaign. */
    assignedTo(userId: number) {
      return db
        .selectFrom('recruitment_candidates as c')
        .innerJoin('recruitment_campaigns as k', 'k.id', 'c.campaign_id')
        .select([
          'c.id',
          'c.code',
          'c.campaign_id',
          'c.assessor_a_user_id',
          'c.assessor_b_user_id',
          'c.moderator_user_id',
          'k.title',
          'k.closes_on',
        ])
        .where(eb =>
          eb.or([
            eb('c.assessor_a_user_id', '=', userId),
            eb('c.assessor_b_user_id', '=', userId),
            eb('c.moderator_user_id', '=', userId),
          ]),
        )
        .orderBy('k.closes_on', 'desc')
        .orderBy('c.code_number')
        .execute()
    },

    /** Users who may assess or moderate: enabled, holding SO, EA or national roles. */
    assessors() {
      return db
        .selectFrom('users as u')
        .innerJoin('user_roles as r', 'r.user_id', 'u.id')
        .select(['u.id', 'u.username', 'u.display_name'])
        .where('u.enabled', '=', 1)
        .where('r.role', 'in', ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'])
        .distinct()
        .orderBy('u.display_name')
        .orderBy('u.id')
        .execute()
    },
    userNames(ids: readonly number[]) {
      if (!ids.length) return Promise.resolve([])
      return db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute()
    },
    establishments() {
      return db.selectFrom('establishments').select(['id', 'code', 'name', 'region']).orderBy('name').execute()
    },
  }
}

export type RecruitmentRepository = ReturnType<typeof recruitmentRepository>
