import { addDays } from '../../src/domain/dates'
import { londonNow } from '../../src/domain/hubs'
import type { Services } from '../../src/services'
import { seededWorld } from '../fixtures'
import { createUser } from '../harness'
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

/**
 * For the QA tests: a fresh seeded world with a second Supervising Officer in MDI (the first never reviews their own
 * entries) and the Key Worker's email, and the helpers the tests share. Close it with `world.close()`.
 */
export async function qaTestWorld() {
  const world = await seededWorld()
  const s = world.services
  const db = s.db.db
  const mdi = world.seeded.MDI
  const lei = world.seeded.LEI
  const SYSTEM = { userId: null, username: 'system', establishmentId: mdi.establishmentId }

  const userId = async (username: string) =>
    (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id
  const actorFor = async (username: string, establishmentId = mdi.establishmentId) => ({
    userId: await userId(username),
    username,
    establishmentId,
  })
  const count = async (table: 'qa_reviews' | 'qa_review_scores' | 'qa_commendations' | 'qa_review_amendments') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  // a second Supervising Officer in MDI (the first never reviews their own entries), and the Key Worker's email
  await createUser(s, 'second_so.mdi', [{ role: 'SUPERVISING_OFFICER', establishmentId: mdi.establishmentId }])
  await db.updateTable('users').set({ email: 'kw.mdi@example.org' }).where('username', '=', 'key_worker.mdi').execute()
  const rubric = await s.rubric.current(mdi.establishmentId)
  const kwId = await userId('key_worker.mdi')

  /** A review of an entry through the service by `username`: every criterion scored `score`, overall 3, short feedback. */
  const reviewAs = async (username: string, sessionId: number, o: { score?: number; establishmentId?: number } = {}) =>
    s.qa.recordReview(await actorFor(username, o.establishmentId), {
      sessionId,
      kind: 'chosen',
      scores: rubric.criteria.map(c => ({ criterionId: c.id, score: o.score ?? 3 })),
      overall: 3,
      good: 'x',
      change: 'y',
    })

  /** A regular expression matching `text` as the page shows it (HTML-escaped). */
  const shown = (text: string) =>
    new RegExp(
      text
        .replace(/&/g, '&amp;')
        .replace(/'/g, '&#39;')
        .replace(/"/g, '&quot;')
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )

  /** A filled review form: every criterion scored `score`, overall `score`. */
  function reviewForm(score = '3', extra: Record<string, string> = {}): Record<string, string> {
    const body: Record<string, string> = {
      overall: score,
      good: 'The prisoner’s own words are there.',
      change: 'Agree a goal with a date.',
    }
    for (const c of rubric.criteria) body[`score-${c.id}`] = score
    return { ...body, ...extra }
  }

  const newEntry = (o: Partial<Parameters<typeof entryOf>[1]> = {}) =>
    entryOf(s, {
      establishmentId: mdi.establishmentId,
      prisonNumber: mdi.prisonNumber,
      staffId: mdi.staffId,
      authorUsername: 'key_worker.mdi',
      ...o,
    })

  /** An entry of `sessionDate` drawn into its month's sample, and its sample. */
  const sampledEntry = async (sessionDate: string) => {
    const entry = await newEntry({ sessionDate })
    await s.qa.draw(SYSTEM, mdi.establishmentId, sessionDate.slice(0, 7))
    const sample = await db
      .selectFrom('qa_samples')
      .selectAll()
      .where('session_id', '=', entry)
      .executeTakeFirstOrThrow()
    return { entry, sample }
  }

  /** An entry of the Key Worker reviewed by the Supervising Officer of MDI. */
  const reviewedEntry = async () => {
    const entry = await newEntry()
    const reviewId = await reviewed(s, {
      establishmentId: mdi.establishmentId,
      sessionId: entry,
      reviewerUsername: 'supervising_officer.mdi',
    })
    return { entry, reviewId }
  }

  return {
    world,
    s,
    db,
    mdi,
    lei,
    SYSTEM,
    userId,
    actorFor,
    count,
    rubric,
    kwId,
    reviewAs,
    shown,
    reviewForm,
    newEntry,
    sampledEntry,
    reviewedEntry,
  }
}
