// `keywork demo`: a year of quality assurance for every establishment (src/demo/generator/quality.ts), after the
// history: more Supervising Officers where the demo has too few, the planted integrity cases, the samples, reviews
// and their scores, commendations, library nominations, supervision and one calibration exercise, written in bulk in
// one transaction per establishment with one audit event; then the integrity checks' full scan, and the flags it
// raised dated and most of the older ones resolved.
import type { Kysely } from 'kysely'
import type { Db } from '../../platform/db/database'
import type { Database } from '../../platform/db/types'
import { type Actor, type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import type { Rubric } from '../../domain/rubric'
import { formatDate } from '../../domain/dates'
import {
  type QualityEntry,
  type QualitySupervisor,
  demoPrecheck,
  generateQuality,
  resolveFlags,
} from '../generator/quality'
import { demoQualityRepository } from './repository'

export interface DemoQualitySummary {
  samples: number
  reviews: number
  commendations: number
  nominations: number
  supervisions: number
  calibrations: number
  flags: number
  resolved: number
  /** the planted pairs, for the record and the tests */
  planted: { establishmentId: number; kind: 'near_duplicate' | 'overlap'; sessionId: number; otherSessionId: number }[]
}

export interface DemoQualityDeps {
  audit: AuditService
  rubric: { current(establishmentId: number): Promise<Rubric> }
  integrity: { scan(establishmentId: number, actor: Actor): Promise<unknown> }
  establishments: { all(): Promise<{ id: number; code: string; name: string }[]> }
  statistics: { rebuild(establishmentId: number, trx: Kysely<Database>): Promise<number> }
}

/** Supervising Officers per establishment: the first holds the calibration exercise, which needs three markers. */
const SUPERVISORS_FIRST = 3
const SUPERVISORS = 2
const DUE_DAYS = 14
const THIN_ENTRY_CHARS = 150
const SUPERVISION_WEEKS = 6

export async function loadDemoQuality(
  db: Db,
  deps: DemoQualityDeps,
  opts: { seed: number; today: string; onProgress?: (done: number, total: number, name: string) => void },
): Promise<DemoQualitySummary> {
  const repo = demoQualityRepository(db.db)
  const all = (await deps.establishments.all()).sort((a, b) => a.id - b.id)
  const summary: DemoQualitySummary = {
    samples: 0,
    reviews: 0,
    commendations: 0,
    nominations: 0,
    supervisions: 0,
    calibrations: 0,
    flags: 0,
    resolved: 0,
    planted: [],
  }
  for (const [index, est] of all.entries()) {
    const now = new Date().toISOString()
    const rubric = await deps.rubric.current(est.id)
    const [officers, rows] = await Promise.all([repo.officers(est.id), repo.entries(est.id)])
    const entries: QualityEntry[] = rows.map(r => ({
      id: r.id,
      staffId: r.staff_id!,
      prisonerId: r.prisoner_id,
      prisonerName: r.first_name,
      date: r.session_date ?? '',
      startsAt: r.starts_at ?? '09:00',
      durationMinutes: r.duration_minutes,
      pathways: r.pathways,
      concern: r.concern,
      interpreterNeeded: r.interpreter_needed ?? 0,
      interpreterUsed: r.interpreter_used,
      words: r.prisoner_words,
      agreed: r.agreed,
      authorUserId: r.author_user_id,
    }))
    const byId = new Map(rows.map(r => [r.id, r]))
    const existing: QualitySupervisor[] = await repo.supervisors(est.id)
    const wanted = index === 0 ? SUPERVISORS_FIRST : SUPERVISORS
    const spare = existing.length < wanted ? await repo.spareSupervisors(est.id, wanted - existing.length) : []

    const supervisors = await db.db.transaction().execute(async trx => {
      // enough Supervising Officers to share the reviews (sign-ins without a password: demo data only)
      const supervisors: QualitySupervisor[] = [...existing]
      for (const [k, s] of spare.entries()) {
        const name = `${s.first_name} ${s.last_name}`
        const username = `so.${est.code.toLowerCase()}.${existing.length + k + 1}`
        const userId = await repo.addSupervisor(trx, est.id, { staffId: s.id, username, name, email: s.email }, now)
        supervisors.push({ userId, name, staffId: s.id })
      }
      // the settings the demo's Supervising Officers chose: a thin entry is under 150 characters here
      await repo.settings(trx, {
        establishment_id: est.id,
        sample_per_officer: 2,
        review_due_days: DUE_DAYS,
        thin_entry_chars: THIN_ENTRY_CHARS,
        supervision_weeks: SUPERVISION_WEEKS,
        updated_at: now,
        updated_by: 'demo',
      })
      const plan = generateQuality({
        seed: opts.seed,
        stream: est.id,
        today: opts.today,
        officers: officers.map(o => ({ staffId: o.id, userId: o.user_id, name: `${o.first_name} ${o.last_name}` })),
        supervisors,
        entries,
        criteria: rubric.criteria.map(c => ({ id: c.id, code: c.code })),
        // the library's three hand-written entries: two from the first establishment, one from the second
        publish: index === 0 ? 2 : index === 1 ? 1 : 0,
        libraryFrom: index === 0 ? 0 : 2,
        calibrate: index === 0,
        dueDays: DUE_DAYS,
        supervisionWeeks: SUPERVISION_WEEKS,
      })

      // the planted copies and overlaps, with the pre-check of a copied text again
      for (const c of plan.changes) {
        const row = byId.get(c.sessionId)!
        const text = c.words !== undefined || c.agreed !== undefined
        const check = text
          ? demoPrecheck(
              {
                outcome: 'delivered',
                date: row.session_date ?? opts.today,
                startsAt: row.starts_at ?? '09:00',
                durationMinutes: row.duration_minutes,
                location: null,
                private: null,
                interpreterNeeded: row.interpreter_needed ?? 0,
                interpreterUsed: row.interpreter_used,
                interpreterService: null,
                interpreterRef: null,
                interpreterLanguage: null,
                interpreterWhyNot: null,
                pathways: row.pathways,
                concern: row.concern,
                concernEscalatedTo: null,
                prisonerWords: c.words ?? row.prisoner_words,
                agreed: c.agreed ?? row.agreed,
                goals: [],
                referrals: [],
              },
              row.first_name,
              rubric.version,
            )
          : null
        await repo.changeSession(trx, c.sessionId, {
          ...(c.date !== undefined ? { session_date: c.date } : {}),
          ...(c.startsAt !== undefined ? { starts_at: c.startsAt } : {}),
          ...(c.words !== undefined ? { prisoner_words: c.words } : {}),
          ...(c.agreed !== undefined ? { agreed: c.agreed } : {}),
          ...(check ? { precheck: check.precheck, precheck_score: check.score } : {}),
        })
      }
      // the changes moved entries' dates and pre-check scores: the statistics' day aggregates (the dashboard's entries
      // and pre-check mean, migration 025) are made again from the establishment's entries, in the same transaction
      if (plan.changes.length) await deps.statistics.rebuild(est.id, trx)

      const sampleIds = new Map(
        (
          await repo.insertSamples(
            trx,
            plan.samples.map(s => ({
              establishment_id: est.id,
              session_id: s.sessionId,
              staff_id: s.staffId,
              month: s.month,
              random: 1,
              risk: '',
              sampled_at: s.sampledAt,
              due_on: s.dueOn,
              status: s.status,
            })),
          )
        ).map(r => [r.session_id as number, r.id]),
      )
      const c = plan.calibration
      const calibrationId = c
        ? await repo.insertCalibration(
            trx,
            {
              establishment_id: est.id,
              title: c.title,
              rubric_version_id: rubric.versionId,
              status: 'closed',
              due_on: c.dueOn,
              created_at: c.createdAt,
              created_by_user_id: c.createdByUserId,
              created_by: c.createdBy,
              closed_at: c.closedAt,
            },
            c.sessionIds,
            c.markers,
          )
        : null
      const reviewIds = await repo.insertReviews(
        trx,
        plan.reviews.map(r => ({
          establishment_id: est.id,
          session_id: r.sessionId,
          kind: r.kind,
          sample_id: r.kind === 'sample' ? sampleIds.get(r.sessionId)! : null,
          calibration_id: r.kind === 'calibration' ? calibrationId : null,
          reviewer_user_id: r.reviewerUserId,
          reviewer: r.reviewer,
          rubric_version_id: rubric.versionId,
          overall_score: r.overall,
          feedback_good: r.good,
          feedback_change: r.change,
          officer_user_id: r.officerUserId,
          submitted_at: r.submittedAt,
          updated_at: r.submittedAt,
          read_at: r.readAt,
          acknowledged_at: r.acknowledgedAt,
          reply: r.reply,
          replied_at: r.repliedAt,
        })),
      )
      const reviewId = new Map(reviewIds.map(r => [`${r.kind}:${r.session_id}:${r.reviewer_user_id}`, r.id]))
      await repo.insertScores(
        trx,
        plan.reviews.flatMap(r => {
          const id = reviewId.get(`${r.kind}:${r.sessionId}:${r.reviewerUserId}`)!
          return r.scores.map(s => ({ review_id: id, criterion_id: s.criterionId, score: s.score, comment: s.comment }))
        }),
      )
      // what an officer who signs in has still to read, as the service told them
      const long = (iso: string) => formatDate(iso.slice(0, 10))
      await repo.insertNotices(trx, [
        ...plan.reviews
          .filter(r => r.kind === 'sample' && r.officerUserId !== null && r.readAt === null)
          .map(r => ({
            user_id: r.officerUserId!,
            establishment_id: est.id,
            kind: 'qa-review',
            message: `${r.reviewer} reviewed your entry of ${long(byId.get(r.sessionId)?.session_date ?? r.submittedAt)}: read the feedback`,
            link: `/my-feedback/review?id=${reviewId.get(`${r.kind}:${r.sessionId}:${r.reviewerUserId}`)!}`,
            created_at: r.submittedAt,
            read_at: null,
          })),
        ...plan.commendations
          .filter(m => m.officerUserId !== null && m.seenAt === null)
          .map(m => ({
            user_id: m.officerUserId!,
            establishment_id: est.id,
            kind: 'commendation',
            message: m.sessionId
              ? `${m.byName} commended your entry of ${long(byId.get(m.sessionId)?.session_date ?? m.createdAt)}`
              : `${m.byName} commended your key work`,
            link: '/my-feedback',
            created_at: m.createdAt,
            read_at: null,
          })),
      ])
      await repo.insertCommendations(
        trx,
        plan.commendations.map(m => ({
          establishment_id: est.id,
          session_id: m.sessionId,
          staff_id: m.staffId,
          officer_user_id: m.officerUserId,
          text: m.text,
          by_user_id: m.byUserId,
          by_name: m.byName,
          created_at: m.createdAt,
          seen_at: m.seenAt,
        })),
      )
      await repo.insertGoodPractice(
        trx,
        plan.nominations.map(n => ({
          establishment_id: est.id,
          session_id: n.sessionId,
          nominated_by_user_id: n.byUserId,
          nominated_by: n.byName,
          nominated_at: n.nominatedAt,
          reason: n.reason,
          status: n.status,
          title: n.title,
          text: n.text,
          pathways: n.pathways,
          decided_by: n.decidedAt ? 'Chris Adeyemi' : null,
          decided_at: n.decidedAt,
          decision_note: n.decisionNote,
        })),
      )
      await repo.insertSupervisions(
        trx,
        plan.supervisions.map(s => {
          const at = `${s.heldOn}T16:00:00.000Z`
          return {
            establishment_id: est.id,
            staff_id: s.staffId,
            supervisor_user_id: s.supervisorUserId,
            supervisor: s.supervisor,
            held_on: s.heldOn,
            topics: s.topics,
            agreed: s.agreed,
            next_due_on: s.nextDueOn,
            created_at: at,
            updated_at: at,
            updated_by: s.supervisor,
          }
        }),
      )
      await deps.audit.record(trx, SYSTEM_ACTOR, {
        action: 'import',
        entity: 'demo_quality',
        entityId: est.code,
        establishmentId: est.id,
        changes: {
          seed: opts.seed,
          today: opts.today,
          samples: plan.samples.length,
          reviews: plan.reviews.length,
          commendations: plan.commendations.length,
          nominations: plan.nominations.length,
          supervisions: plan.supervisions.length,
          calibration: calibrationId,
          planted: plan.planted,
        },
      })
      summary.samples += plan.samples.length
      summary.reviews += plan.reviews.length
      summary.commendations += plan.commendations.length
      summary.nominations += plan.nominations.length
      summary.supervisions += plan.supervisions.length
      summary.calibrations += calibrationId === null ? 0 : 1
      summary.planted.push(...plan.planted.map(p => ({ establishmentId: est.id, ...p })))
      return supervisors
    })

    // the integrity checks over the year, then the flags dated and most older ones resolved
    await deps.integrity.scan(est.id, { ...SYSTEM_ACTOR, username: 'demo', establishmentId: est.id })
    const flags = await repo.flags(est.id)
    const resolutions = resolveFlags(
      flags.map(f => ({
        id: f.id,
        kind: f.kind,
        staffId: f.staff_id,
        submittedAt: f.submitted_at,
        otherSubmittedAt: f.other_submitted_at,
      })),
      { seed: opts.seed, stream: est.id, today: opts.today, supervisors },
    )
    await db.db.transaction().execute(async trx => {
      for (const r of resolutions)
        await repo.dateAndResolveFlag(trx, r.id, {
          raised_at: r.raisedAt,
          ...(r.resolution
            ? {
                status: 'resolved',
                outcome: r.resolution.outcome,
                note: r.resolution.note,
                resolved_by_user_id: r.resolution.resolvedByUserId,
                resolved_by: r.resolution.resolvedBy,
                resolved_at: r.resolution.resolvedAt,
              }
            : {}),
        })
      const resolved = resolutions.filter(r => r.resolution).length
      await deps.audit.record(trx, SYSTEM_ACTOR, {
        action: 'import',
        entity: 'demo_integrity',
        entityId: est.code,
        establishmentId: est.id,
        changes: { seed: opts.seed, flags: resolutions.length, resolved },
      })
      summary.flags += resolutions.length
      summary.resolved += resolved
    })
    opts.onProgress?.(index + 1, all.length, est.name)
  }
  return summary
}
