// Participants' feedback on a course and the module ratings it adds up to.
// Invariants:
// - only an officer who completed the course gives feedback, once; saved with its audit event in one transaction;
// - ratings are grouped by module and programme version (a local module apart); comments are shown without names,
//   the latest first, at most 20.
import { type Result, fail, ok } from '../../domain/result'
import { type RatingSummary, ratingSummary } from '../../domain/courses'
import type { Actor } from '../../platform/audit/service'
import { type CourseViewer, type CoursesContext, stamp } from './context'

export function courseFeedback(ctx: CoursesContext) {
  const { db, repo, audit, visibleCourse } = ctx

  return {
    /** A participant who completed the course rates it (1 to 5) with a comment, once. */
    async giveFeedback(
      actor: Actor,
      v: CourseViewer,
      courseId: number,
      input: { rating: number; comment: string },
    ): Promise<Result> {
      const me = await repo.staffOfUser(v.establishmentId, v.userId)
      return db.transaction().execute(async trx => {
        const c = await visibleCourse(trx, v, courseId)
        if (!c) return fail({ form: 'Course not found' })
        const enrolments = await repo.enrolments(c.id, trx)
        const mine = enrolments.find(e => me.some(m => m.id === e.staff_id))
        if (!mine || mine.status !== 'completed')
          return fail({ form: 'Only an officer who completed this course may give feedback on it' })
        if (await repo.feedback(trx, c.id, mine.staff_id))
          return fail({ form: 'You have already given your feedback on this course' })
        const id = await repo.insertFeedback(trx, {
          course_id: c.id,
          module_id: c.module_id,
          staff_id: mine.staff_id,
          rating: input.rating,
          comment: input.comment,
          created_at: stamp(),
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'training_feedback',
          entityId: id,
          establishmentId: mine.establishment_id,
          changes: { course_id: c.id, module_id: c.module_id, rating: input.rating },
        })
        return ok()
      })
    },

    /**
     * Module ratings by module and programme version: nationally (null), or given by an establishment's officers.
     * Comments are shown without names, the latest first.
     */
    async ratings(establishmentId: number | null) {
      const rows = await repo.ratings(establishmentId)
      const groups = new Map<
        string,
        {
          moduleCode: string
          moduleTitle: string
          programmeVersion: number | null
          local: boolean
          ratings: number[]
          comments: { comment: string; rating: number; on: string }[]
        }
      >()
      for (const r of rows) {
        const key = `${r.module_code}\u0000${r.programme_version ?? 'local'}\u0000${r.module_establishment_id ?? ''}`
        let g = groups.get(key)
        if (!g) {
          g = {
            moduleCode: r.module_code,
            moduleTitle: r.module_title,
            programmeVersion: r.programme_version === null ? null : Number(r.programme_version),
            local: r.module_establishment_id !== null,
            ratings: [],
            comments: [],
          }
          groups.set(key, g)
        }
        g.ratings.push(Number(r.rating))
        if (r.comment.trim()) g.comments.push({ comment: r.comment, rating: Number(r.rating), on: r.created_at })
      }
      return [...groups.values()].map(g => ({
        ...g,
        summary: ratingSummary(g.ratings) as RatingSummary,
        comments: g.comments.slice(0, 20),
      }))
    },
  }
}
