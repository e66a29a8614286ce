import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { londonNow } from '../../domain/hubs'
import type { Actor, AuditService } from '../../platform/audit/service'
import { isOverdue } from '../../domain/referrals'
import { type AllocationRow, amended, buildTimeline, referralTargetName, sessionOutcome } from './build'
import { timelineRepository } from './repository'

export const SUMMARY_SESSIONS = 5

export interface TimelineDeps {
  audit: AuditService
  prisoners: {
    get(
      establishmentId: number,
      prisonNumber: string,
    ): Promise<{ id: number; prison_number: string; first_name: string; last_name: string } | undefined>
  }
  allocations: { historyForPrisoner(establishmentId: number, prisonerId: number): Promise<AllocationRow[]> }
}

/** A prisoner's key work on one page (the timeline) and on one sheet of paper (the summary). */
export function timelineService(db: Kysely<Database>, deps: TimelineDeps) {
  const repo = timelineRepository(db)
  const { audit, prisoners, allocations } = deps

  async function viewed(actor: Actor, establishmentId: number, prisonNumber: string, page: string) {
    const prisoner = await prisoners.get(establishmentId, prisonNumber)
    if (!prisoner) return undefined
    await audit.recordAlone(actor, {
      action: 'view',
      entity: 'prisoner',
      entityId: prisonNumber,
      establishmentId,
      changes: { page },
    })
    return prisoner
  }

  return {
    /** Every session, goal, referral and allocation, newest first; audits the view. Deleted entries for admins. */
    async forPrisoner(actor: Actor, establishmentId: number, prisonNumber: string, opts: { includeDeleted: boolean }) {
      const prisoner = await viewed(actor, establishmentId, prisonNumber, 'timeline')
      if (!prisoner) return undefined
      const [sessions, goals, goalReviews, referrals, history] = await Promise.all([
        repo.sessions(establishmentId, prisoner.id, opts.includeDeleted),
        repo.goals(establishmentId, prisoner.id),
        repo.goalReviews(establishmentId, prisoner.id),
        repo.referrals(establishmentId, prisoner.id),
        allocations.historyForPrisoner(establishmentId, prisoner.id),
      ])
      const [amendments, referralChanges] = await Promise.all([
        repo.amendments(sessions.map(s => s.id)),
        repo.referralChanges(
          establishmentId,
          referrals.map(r => r.id),
        ),
      ])
      const names = await repo.displayNames(
        [
          ...sessions.flatMap(s => [s.author, s.deleted_by]),
          ...amendments.map(a => a.amended_by),
          ...goals.map(g => g.author),
          ...goalReviews.map(r => r.author),
          ...referrals.map(r => r.created_by),
          ...referralChanges.map(c => c.username),
          ...history.flatMap(a => [a.allocated_by, a.deallocated_by]),
        ].filter((u): u is string => !!u),
      )
      return {
        prisoner,
        keyWorker: history.find(a => a.deallocated_at === null),
        events: buildTimeline({
          names,
          sessions,
          amendments,
          goals,
          goalReviews,
          referrals,
          referralChanges,
          allocations: history,
        }),
      }
    },

    /** For a handover or a POM: current Key Worker, open goals, open referrals, the last sessions' agreed actions. */
    async summary(actor: Actor, establishmentId: number, prisonNumber: string, sessionCount = SUMMARY_SESSIONS) {
      const prisoner = await viewed(actor, establishmentId, prisonNumber, 'timeline summary')
      if (!prisoner) return undefined
      const today = londonNow().date
      const [sessions, goals, referrals, history] = await Promise.all([
        repo.sessions(establishmentId, prisoner.id, false),
        repo.goals(establishmentId, prisoner.id),
        repo.referrals(establishmentId, prisoner.id),
        allocations.historyForPrisoner(establishmentId, prisoner.id),
      ])
      const recent = sessions.slice(0, sessionCount)
      const [amendments, names] = await Promise.all([
        repo.amendments(recent.map(r => r.id)),
        repo.displayNames(recent.map(r => r.author)),
      ])
      return {
        prisoner,
        today,
        keyWorker: history.find(a => a.deallocated_at === null),
        openGoals: goals.filter(g => g.status === 'open' || g.status === 'in_progress'),
        openReferrals: referrals
          .filter(r => r.status === 'sent' || r.status === 'acknowledged')
          .map(r => ({ ...r, target: referralTargetName(r), overdue: isOverdue(r, today) })),
        recentSessions: recent
          .map(r =>
            amended(
              r,
              amendments.filter(a => a.session_id === r.id),
            ),
          )
          .map(r => ({ ...r, outcomeText: sessionOutcome(r), authorName: names.get(r.author) ?? r.author })),
        sessionCount,
      }
    },
  }
}

export type TimelineService = ReturnType<typeof timelineService>
