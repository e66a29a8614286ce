import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Actor, AuditService } from '../../platform/audit/service'
import { type Result, fail, ok } from '../../domain/result'
import type { Rubric } from '../../domain/rubric'
import { monthDays } from '../../domain/quality'
import {
  type CalibrationReport,
  type Mark,
  calibrationReport,
  pickEntries,
  precheckEstimates,
} from '../../domain/qualityCalibration'
import type { NoticesService } from '../notices/service'
import type { QaService } from '../qa/service'
import { type CalibrationRow, calibrationRepository } from './repository'
import type { CalibrationInput } from './schema'

/** Who is asking: the user, the establishment they act in, and whether they are the national team or an SO there. */
export interface Viewer {
  userId: number
  username: string
  establishmentId: number
  national: boolean
  supervising: boolean
}

export interface CalibrationDeps {
  audit: AuditService
  /** the QA reviews' one way to record a review: a calibration mark is a review of kind 'calibration' */
  qa: Pick<QaService, 'recordReview'>
  /** in-service notices: each officer whose entry was marked is told when the exercise closes */
  notices: Pick<NoticesService, 'tell'>
  rubric: {
    current(establishmentId: number): Promise<Rubric>
    forReview(rubricVersionId: number, establishmentId: number): Promise<Rubric>
  }
}

export interface MarkInput {
  overall: number
  good: string
  change: string
  scores: { criterionId: number; score: number | null }[]
}

const n = (v: unknown) => Number(v ?? 0)

export function calibrationService(db: Kysely<Database>, deps: CalibrationDeps) {
  const repo = calibrationRepository(db)
  const { audit } = deps

  /**
   * The exercise if the viewer may see it: the establishment's they act in, those they mark, and for the national
   * team the national ones (another establishment's is not found, whoever asks).
   */
  async function visible(viewer: Viewer, id: number) {
    const c = await repo.get(db, id)
    if (!c) return null
    if (c.establishment_id === viewer.establishmentId || (c.establishment_id === null && viewer.national)) return c
    return (await repo.isMarker(id, viewer.userId)) ? c : null
  }

  /** who may close an exercise: the national team any it sees; an establishment's Supervising Officers its own */
  const owns = (viewer: Viewer, c: CalibrationRow) =>
    viewer.national || (viewer.supervising && c.establishment_id === viewer.establishmentId)

  /**
   * The criteria an entry is marked against: the exercise's rubric version with the entry's establishment's own
   * criteria (as the QA reviews score it).
   */
  async function markingCriteria(c: CalibrationRow, entryEstablishmentId: number) {
    return (await deps.rubric.forReview(c.rubric_version_id, entryEstablishmentId)).criteria
  }

  /**
   * The reports of exercises, from three queries whatever their number: each exercise's entries, markers and marks,
   * against the criteria reported (a national exercise's the national ones, its entries being of many
   * establishments; an establishment's all of its own), each rubric read once.
   */
  async function reports(exercises: CalibrationRow[]): Promise<Map<number, CalibrationReport>> {
    const inputs = await repo.reportInputs(exercises.map(c => n(c.id)))
    const rubrics = new Map<string, Promise<Rubric>>()
    const rubricOf = (versionId: number, establishmentId: number) => {
      const key = `${versionId}:${establishmentId}`
      let r = rubrics.get(key)
      if (!r) rubrics.set(key, (r = deps.rubric.forReview(versionId, establishmentId)))
      return r
    }
    const out = new Map<number, CalibrationReport>()
    await Promise.all(
      exercises.map(async c => {
        const id = n(c.id)
        const entries = inputs.entries.filter(e => e.calibrationId === id)
        const est = c.establishment_id ?? entries[0]?.establishmentId ?? null
        const criteria =
          est === null
            ? []
            : (await rubricOf(c.rubric_version_id, n(est))).criteria.filter(
                x => c.establishment_id !== null || x.national,
              )
        const marks = new Map<string, Mark & { scores: Map<number, number | null> }>()
        for (const r of inputs.marks) {
          if (r.calibrationId !== id) continue
          const key = `${r.session_id}:${r.reviewer_user_id}`
          let m = marks.get(key)
          if (!m)
            marks.set(
              key,
              (m = {
                sessionId: r.session_id,
                markerId: r.reviewer_user_id,
                overall: r.overall_score,
                scores: new Map(),
              }),
            )
          if (r.criterion_id !== null) m.scores.set(r.criterion_id, r.score)
        }
        const prechecks = new Map<number, Record<string, number | null>>()
        for (const e of entries) {
          const p = precheckEstimates(e.precheck)
          if (p) prechecks.set(e.id, p)
        }
        out.set(
          id,
          calibrationReport({
            sessionIds: entries.map(e => e.id),
            markerIds: inputs.markers.filter(m => m.calibrationId === id).map(m => m.userId),
            criteria: criteria.map(x => ({ id: x.id, code: x.code, title: x.title })),
            marks: [...marks.values()],
            prechecks,
          }),
        )
      }),
    )
    return out
  }

  const report = async (c: CalibrationRow) => (await reports([c])).get(n(c.id))!

  return {
    list: (viewer: Viewer) => repo.list(viewer),

    /** Supervising Officers who may mark an exercise the viewer sets up (the national team: any establishment's). */
    markerCandidates: (viewer: Viewer) => repo.markerCandidates(viewer.national ? null : viewer.establishmentId),

    /**
     * Sets up an exercise: the national team's is national (entries of any establishment, markers from any); a
     * Supervising Officer's is their establishment's. Entries: `count` at random from a month, or by entry number;
     * every one must be a submitted entry the exercise may take.
     */
    async create(actor: Actor, viewer: Viewer, input: CalibrationInput, seed: number): Promise<Result<number>> {
      const establishmentId = viewer.national ? null : viewer.establishmentId
      const errors: Record<string, string> = {}
      let sessionIds: number[] = []
      if (input.pick === 'random' && input.month) {
        const { from, to } = monthDays(input.month)
        const all = await repo.entriesOfMonth(establishmentId, from, to)
        if (all.length < 2) errors.month = 'That month has fewer than 2 submitted entries: choose another month'
        else sessionIds = pickEntries(all, input.count, seed)
      } else {
        const found = new Set(await repo.submittedAmong(establishmentId, input.ids))
        const missing = input.ids.filter(id => !found.has(id))
        if (missing.length)
          errors.ids = `${missing.length === 1 ? 'Entry' : 'Entries'} ${missing.join(', ')} ${missing.length === 1 ? 'is not a submitted entry' : 'are not submitted entries'} ${establishmentId === null ? 'of any establishment' : 'of this establishment'}`
        sessionIds = input.ids
      }
      const candidates = new Set((await repo.markerCandidates(establishmentId)).map(c => n(c.id)))
      if (input.markers.some(m => !candidates.has(m))) errors.markers = 'Choose the markers from the list'
      if (Object.keys(errors).length) return fail(errors)
      const rubric = await deps.rubric.current(viewer.establishmentId)
      return db.transaction().execute(async trx => {
        const at = new Date().toISOString()
        const id = await repo.insert(
          trx,
          {
            establishment_id: establishmentId,
            title: input.title,
            rubric_version_id: rubric.versionId,
            due_on: null,
            created_at: at,
            created_by_user_id: actor.userId,
            created_by: actor.username ?? 'unknown',
          },
          sessionIds,
          input.markers,
        )
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'qa_calibration',
          entityId: id,
          establishmentId,
          changes: {
            title: input.title,
            national: establishmentId === null,
            entries: sessionIds,
            markers: input.markers,
          },
        })
        return ok(id)
      })
    },

    /**
     * An exercise as the viewer may see it: while open, a marker sees only their own marks and everyone only how
     * many each marker has done; once closed, the report. null: not found or not theirs (404).
     */
    async exercise(viewer: Viewer, id: number) {
      const c = await visible(viewer, id)
      if (!c) return null
      const [entries, markers, progress, mine] = await Promise.all([
        repo.entries(id),
        repo.markers(id),
        repo.progress(id),
        repo.marks(id, viewer.userId),
      ])
      const marked = new Set(mine.map(m => m.session_id))
      return {
        calibration: c,
        entries: entries.map(e => ({ ...e, id: n(e.id), markedByMe: marked.has(n(e.id)) })),
        markers: markers.map(m => ({ ...m, id: n(m.id), done: progress.get(n(m.id)) ?? 0 })),
        isMarker: markers.some(m => n(m.id) === viewer.userId),
        isOwner: owns(viewer, c),
        report: c.status === 'closed' ? await report(c) : null,
      }
    },

    /** An entry to mark, with the criteria and the viewer's own mark (never another's). null: 404. */
    async entryToMark(viewer: Viewer, id: number, sessionId: number) {
      const c = await visible(viewer, id)
      if (!c || !(await repo.isMarker(id, viewer.userId)) || !(await repo.hasEntry(id, sessionId))) return null
      const entry = (await repo.entries(id)).find(e => n(e.id) === sessionId)
      if (!entry) return null
      const [criteria, mine] = await Promise.all([
        markingCriteria(c, n(entry.establishment_id)),
        repo.marks(id, viewer.userId),
      ])
      const own = mine.filter(m => m.session_id === sessionId)
      return {
        calibration: c,
        entry,
        criteria,
        mine: own.length
          ? { overall: own[0]!.overall_score, scores: new Map(own.map(m => [m.criterion_id, m.score])) }
          : null,
        ownEntry: entry.author_user_id !== null && n(entry.author_user_id) === viewer.userId,
      }
    },

    /** Records the viewer's mark of an entry: once, while the exercise is open, never of their own entry. */
    async mark(actor: Actor, viewer: Viewer, id: number, sessionId: number, input: MarkInput): Promise<Result | null> {
      const target = await this.entryToMark(viewer, id, sessionId)
      if (!target) return null
      if (target.calibration.status !== 'open')
        return fail({ form: 'This exercise is closed: marks can no longer be made' })
      if (target.ownEntry) return fail({ form: 'You wrote this entry, so you cannot mark it' })
      if (target.mine) return fail({ form: 'You have marked this entry already' })
      const known = new Set(target.criteria.map(c => c.id))
      if (input.scores.length !== known.size || input.scores.some(s => !known.has(s.criterionId)))
        return fail({ form: 'Score every criterion of the rubric' })
      if (
        input.scores.some(s => s.score !== null && !(s.score >= 1 && s.score <= 4)) ||
        !(input.overall >= 1 && input.overall <= 4)
      )
        return fail({ overall: 'Scores must be from 1 to 4' })
      const r = await deps.qa.recordReview(actor, {
        sessionId,
        kind: 'calibration',
        calibrationId: id,
        scores: input.scores,
        overall: input.overall,
        good: input.good,
        change: input.change,
      })
      return r.ok ? ok() : fail(r.errors)
    },

    /** Closes an exercise (its owner): the marks become visible in the report. null: not found or not theirs. */
    async close(actor: Actor, viewer: Viewer, id: number): Promise<Result | null> {
      const c = await visible(viewer, id)
      if (!c || !owns(viewer, c)) return null
      return db.transaction().execute(async trx => {
        const at = new Date().toISOString()
        if (!(await repo.close(trx, id, at))) return fail({ form: 'This exercise is closed already' })
        // the marks were blind to the officers too: now each can read the feedback on their entry
        for (const m of await repo.marksToTell(trx, id))
          await deps.notices.tell(trx, {
            userId: m.officerUserId,
            establishmentId: m.establishmentId,
            kind: 'qa-calibration',
            message: 'Your entry was marked in a calibration exercise: read the feedback',
            link: `/my-feedback/review?id=${m.id}`,
          })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_calibration',
          entityId: id,
          establishmentId: c.establishment_id,
          changes: { status: { from: 'open', to: 'closed' } },
        })
        return ok()
      })
    },

    /**
     * The agreement figures for the dashboard: exercises closed in the time range, national ones and the
     * establishment's (null: every one), each with its report.
     */
    async closedReports(establishmentId: number | null, fromAt: string, beforeAt: string) {
      const closed = await repo.closedBetween(establishmentId, fromAt, beforeAt)
      const all = await reports(closed)
      return closed.map(c => ({
        id: n(c.id),
        title: c.title,
        national: c.establishment_id === null,
        closedAt: c.closed_at!,
        report: all.get(n(c.id))!,
      }))
    },
  }
}

export type CalibrationService = ReturnType<typeof calibrationService>
