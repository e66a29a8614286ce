import { addDays } from '../../src/domain/dates'
import { londonNow } from '../../src/domain/hubs'
import type { Services } from '../../src/services'
import { insertSession } from './referrals'

/**
 * For tests: a submitted entry of the establishment's seeded Key Worker (written as theirs: author_user_id is the
 * user `authorUsername`), and optionally its review by `reviewerUsername` through the qa service, scoring every
 * criterion `score`.
 */
export async function entryOf(
  s: Services,
  o: {
    establishmentId: number
    prisonNumber: string
    staffId: number | null
    authorUsername: string
    sessionDate?: string
    concern?: boolean
    precheckScore?: number | null
  },
): Promise<number> {
  const db = s.db.db
  const prisoner = await s.prisoners.get(o.establishmentId, o.prisonNumber)
  if (!prisoner) throw new Error(`no prisoner ${o.prisonNumber}`)
  const author = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', o.authorUsername)
    .executeTakeFirstOrThrow()
  const id = await insertSession(db, {
    establishmentId: o.establishmentId,
    prisonerId: prisoner.id,
    staffId: o.staffId,
    author: o.authorUsername,
    sessionDate: o.sessionDate ?? addDays(londonNow().date, -3),
    agreed: 'To look at housing options together next time.',
    prisonerWords: 'I want somewhere to live.',
  })
  await db
    .updateTable('key_work_sessions')
    .set({
      author_user_id: author.id,
      concern: o.concern ? 1 : 0,
      precheck_score: o.precheckScore ?? null,
    })
    .where('id', '=', id)
    .execute()
  return id
}

export async function reviewed(
  s: Services,
  o: { establishmentId: number; sessionId: number; reviewerUsername: string; score?: number },
): Promise<number> {
  const reviewer = await s.db.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', o.reviewerUsername)
    .executeTakeFirstOrThrow()
  const rubric = await s.rubric.current(o.establishmentId)
  const r = await s.qa.recordReview(
    { userId: reviewer.id, username: o.reviewerUsername, establishmentId: o.establishmentId },
    {
      sessionId: o.sessionId,
      kind: 'chosen',
      scores: rubric.criteria.map(c => ({ criterionId: c.id, score: o.score ?? 3, comment: null })),
      overall: o.score ?? 3,
      good: 'The prisoner’s own words are recorded.',
      change: 'Set a goal with a date.',
    },
  )
  if (!r.ok) throw new Error(`review: ${JSON.stringify(r.errors)}`)
  return r.value.reviewId
}
