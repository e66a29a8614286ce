// `keywork demo`: training and professional development for every establishment (src/demo/generator/training.ts),
// after the year of quality assurance: the national programme seeded when a reset emptied it, each establishment's
// local module, start dates moved for the few officers who make every stage show, past courses with their register,
// completions and certificates (one reissued after retraining), ratings, coming courses with enrolments and a
// waiting list, one regional course, reflective journals and top-ups assigned from QA reviews, written in bulk in one
// transaction per establishment with one audit event.
import type { Db } from '../../platform/db/database'
import { type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import type { ModuleFormat, ModuleKind, TrainingRules } from '../../domain/training'
import { type PlannedCertificate, type TrainingModule, generateTraining } from '../generator/training'
import { demoQualityRepository, demoTrainingRepository } from './repository'

export interface DemoTrainingSummary {
  courses: number
  enrolments: number
  completions: number
  certificates: number
  feedback: number
  journal: number
  assignments: number
  /** start dates in post set or moved so that every stage shows */
  starts: number
  /** officers who did the initial course in the middle of the quality year, per establishment */
  midYear: { establishmentId: number; staffIds: number[] }[]
}

export interface DemoTrainingDeps {
  audit: AuditService
  training: {
    ensureNational(): Promise<void>
    modulesFor(
      establishmentId: number | null,
    ): Promise<
      { id: number; code: string; title: string; kind: ModuleKind; format: ModuleFormat; hours: number; days: number }[]
    >
  }
  trainingRules?: { rulesFor(establishmentId: number): Promise<TrainingRules> }
  establishments: { all(): Promise<{ id: number; code: string; name: string; region: string }[]> }
}

/** The demo's Key Worker sign-in: their record is the one worth showing. */
const SHOWCASE_USERNAME = 'keyworker'
const SHOWCASE_SUPERVISOR = 'supervisor'

export async function loadDemoTraining(
  db: Db,
  deps: DemoTrainingDeps,
  opts: { seed: number; today: string; onProgress?: (done: number, total: number, name: string) => void },
): Promise<DemoTrainingSummary> {
  const repo = demoTrainingRepository(db.db)
  const quality = demoQualityRepository(db.db)
  // a reset emptied the programme: version 1 again before its modules are looked up
  await deps.training.ensureNational()
  const national = (await deps.training.modulesFor(null)).filter(m => m.kind === 'initial' || m.kind === 'topup')
  const moduleIds = new Map(national.map(m => [m.code, m.id]))
  const modules: TrainingModule[] = national.map(m => ({
    code: m.code,
    title: m.title,
    kind: m.kind,
    format: m.format,
    hours: m.hours,
    days: m.days,
  }))
  const all = (await deps.establishments.all()).sort((a, b) => a.id - b.id)
  const summary: DemoTrainingSummary = {
    courses: 0,
    enrolments: 0,
    completions: 0,
    certificates: 0,
    feedback: 0,
    journal: 0,
    assignments: 0,
    starts: 0,
    midYear: [],
  }
  // the demo's own Supervising Officer runs the coming courses at their establishment
  const lead = await repo.userId(SHOWCASE_SUPERVISOR)
  for (const [index, est] of all.entries()) {
    const supervisors = await quality.supervisors(est.id)
    supervisors.sort((a, b) => (a.userId === lead ? -1 : b.userId === lead ? 1 : a.userId - b.userId))
    const [officers, reviews, showcase, rules] = await Promise.all([
      repo.officers(
        est.id,
        supervisors.map(s => s.userId),
      ),
      repo.reviews(est.id),
      repo.staffOfUser(est.id, SHOWCASE_USERNAME),
      deps.trainingRules?.rulesFor(est.id),
    ])
    const plan = generateTraining({
      seed: opts.seed,
      stream: est.id,
      today: opts.today,
      establishment: { code: est.code, name: est.name, region: est.region },
      officers: officers.map(o => ({
        staffId: o.id,
        userId: o.user_id,
        name: `${o.first_name} ${o.last_name}`,
        startedInPost: o.started_in_post,
        keyWorker: o.key_worker === 1,
      })),
      supervisors: supervisors.map(s => ({ userId: s.userId, name: s.name, staffId: s.staffId })),
      showcaseStaffId: showcase,
      reviews: reviews.map(r => ({
        id: r.id,
        staffId: r.staff_id!,
        date: r.session_date ?? r.submitted_at.slice(0, 10),
        submittedAt: r.submitted_at,
        overall: r.overall_score,
        reviewerUserId: r.reviewer_user_id,
        reviewer: r.reviewer,
      })),
      modules,
      ...(rules ? { rules } : {}),
      regional: index === 0,
      showcase: index === 0,
    })

    await db.db.transaction().execute(async trx => {
      const now = new Date().toISOString()
      for (const s of plan.starts) await repo.setStartedInPost(trx, s.staffId, s.startedInPost, now)
      const l = plan.localModule
      const localId = await repo.insertModule(trx, {
        programme_version_id: null,
        establishment_id: est.id,
        code: l.code,
        title: l.title,
        kind: 'local',
        summary: l.summary,
        outcomes: l.outcomes.join('\n'),
        format: l.format,
        hours: l.hours,
        days: l.days,
        prerequisites: '',
        position: 1,
        active: 1,
        created_at: now,
        created_by: 'Jo Whitfield',
        updated_at: now,
        updated_by: 'Jo Whitfield',
      })
      const idOf = (code: string) => (code === l.code ? localId : (moduleIds.get(code) ?? null))

      const courseIds: number[] = []
      for (const c of plan.courses)
        courseIds.push(
          await repo.insertCourse(trx, {
            module_id: idOf(c.moduleCode)!,
            establishment_id: c.region === null ? est.id : null,
            region: c.region,
            trainer_user_id: c.trainerUserId,
            trainer: c.trainer,
            place: c.place,
            capacity: c.capacity,
            status: c.status,
            notes: c.notes,
            created_at: c.createdAt,
            created_by: c.createdBy,
            cancelled_at: c.cancelledAt,
            cancelled_by: c.cancelledBy,
            cancel_reason: c.cancelReason,
            completed_at: c.completedAt,
            completed_by: c.completedBy,
          }),
        )
      const each = <T>(f: (c: (typeof plan.courses)[number], id: number) => T[]) =>
        plan.courses.flatMap((c, k) => f(c, courseIds[k]!))
      await repo.insertCourseDays(
        trx,
        each((c, id) => c.days.map(d => ({ course_id: id, day: d.day, starts_at: d.startsAt, ends_at: d.endsAt }))),
      )
      await repo.insertEnrolments(
        trx,
        each((c, id) =>
          c.enrolments.map(e => ({
            course_id: id,
            staff_id: e.staffId,
            status: e.status,
            enrolled_at: e.enrolledAt,
            enrolled_by: e.enrolledBy,
            waiting_since: e.waitingSince,
            updated_at: e.updatedAt,
            updated_by: e.updatedBy,
          })),
        ),
      )
      await repo.insertAttendance(
        trx,
        each((c, id) =>
          c.attendance.map(a => ({
            course_id: id,
            day: a.day,
            staff_id: a.staffId,
            present: a.present ? 1 : 0,
            recorded_at: `${a.day}T16:30:00.000Z`,
            recorded_by: c.trainer,
          })),
        ),
      )
      await repo.insertFeedback(
        trx,
        each((c, id) =>
          c.feedback.map(f => ({
            course_id: id,
            module_id: idOf(c.moduleCode)!,
            staff_id: f.staffId,
            rating: f.rating,
            comment: f.comment,
            created_at: f.createdAt,
          })),
        ),
      )

      const completionRows = await repo.insertCompletions(
        trx,
        plan.completions.map(c => ({
          establishment_id: est.id,
          staff_id: c.staffId,
          module_id: idOf(c.moduleCode),
          module_code: c.moduleCode,
          kind: c.kind,
          title: c.title,
          completed_on: c.completedOn,
          hours: c.hours,
          outcome: c.outcome,
          evidence: c.evidence,
          source: c.source,
          course_id: c.course === null ? null : courseIds[c.course]!,
          external_id: c.externalId,
          recorded_at: c.recordedAt,
          recorded_by: c.recordedBy,
          voided_at: null,
          voided_by: null,
          void_reason: null,
        })),
      )
      const completionId = new Map(
        completionRows.map(r => [`${String(r.staff_id)}:${String(r.module_code)}:${String(r.completed_on)}`, r.id]),
      )
      const idOfCompletion = (k: number) => {
        const c = plan.completions[k]!
        return completionId.get(`${c.staffId}:${c.moduleCode}:${c.completedOn}`)!
      }
      // certificates newest first: one replaced after retraining points at the one that replaced it
      const generation = (c: PlannedCertificate): number =>
        c.supersededBy === null ? 0 : 1 + generation(plan.certificates[c.supersededBy]!)
      const certificateId = new Map<string, number>()
      const generations = Math.max(0, ...plan.certificates.map(generation))
      for (let g = 0; g <= generations; g++) {
        const rows = plan.certificates
          .filter(c => generation(c) === g)
          .map(c => ({
            code: c.code,
            completion_id: idOfCompletion(c.completion),
            staff_id: c.staffId,
            establishment_id: est.id,
            name: c.name,
            module_title: c.moduleTitle,
            completed_on: c.completedOn,
            issued_on: c.issuedOn,
            issued_at: c.issuedAt,
            issued_by: c.issuedBy,
            superseded_by: c.supersededBy === null ? null : certificateId.get(plan.certificates[c.supersededBy]!.code)!,
            revoked_at: null,
            revoke_reason: null,
          }))
        for (const r of await repo.insertCertificates(trx, rows)) certificateId.set(String(r.code), r.id)
      }

      await repo.insertJournal(
        trx,
        plan.journal.map(j => ({
          establishment_id: est.id,
          staff_id: j.staffId,
          user_id: j.userId,
          form: j.form,
          title: j.title,
          written_on: j.writtenOn,
          description: j.description,
          feelings: j.feelings,
          evaluation: j.evaluation,
          analysis: j.analysis,
          conclusion: j.conclusion,
          action_plan: j.actionPlan,
          minutes: j.minutes,
          shared: j.shared ? 1 : 0,
          shared_at: j.sharedAt,
          flags: '[]',
          created_at: j.createdAt,
          updated_at: j.sharedAt ?? j.createdAt,
        })),
      )
      await repo.insertAssignments(
        trx,
        plan.assignments.map(a => ({
          establishment_id: est.id,
          staff_id: a.staffId,
          module_code: a.moduleCode,
          review_id: a.reviewId,
          reason: a.reason,
          due_on: a.dueOn,
          assigned_at: a.assignedAt,
          assigned_by_user_id: a.assignedByUserId,
          assigned_by: a.assignedBy,
          cancelled_at: null,
        })),
      )
      const counts = {
        courses: plan.courses.length,
        enrolments: plan.courses.reduce((n, c) => n + c.enrolments.length, 0),
        completions: plan.completions.length,
        certificates: plan.certificates.length,
        feedback: plan.courses.reduce((n, c) => n + c.feedback.length, 0),
        journal: plan.journal.length,
        assignments: plan.assignments.length,
        starts: plan.starts.length,
      }
      await deps.audit.record(trx, SYSTEM_ACTOR, {
        action: 'import',
        entity: 'demo_training',
        entityId: est.code,
        establishmentId: est.id,
        changes: { seed: opts.seed, today: opts.today, localModule: l.code, ...counts, midYear: plan.midYear },
      })
      for (const [k, v] of Object.entries(counts)) summary[k as keyof typeof counts] += v
      summary.midYear.push({ establishmentId: est.id, staffIds: plan.midYear })
    })
    opts.onProgress?.(index + 1, all.length, est.name)
  }
  return summary
}
