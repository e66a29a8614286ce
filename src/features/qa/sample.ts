// The monthly sample and the Supervising Officers' queue.
// Invariants:
// - the month before the current one (Europe/London) is drawn (topped up) each time the queue is opened, so each
//   complete month is drawn the first time the queue is opened after it ends; a Supervising Officer may also draw
//   the month so far;
// - drawing is idempotent: each entry is sampled once (the unique session_id), and each officer's random picks are
//   topped up to the setting, never beyond it, with a seed from the establishment, month and officer, so the same
//   entries give the same sample; entries an integrity check flagged, and other risks, are added as such;
// - the queue never offers a reviewer their own entries: they are counted, for another Supervising Officer;
// - due and overdue are London days.
import { addDays } from '../../domain/dates'
import { type SampleCandidate, mayReview, monthlySample } from '../../domain/qaSample'
import type { Actor } from '../../platform/audit/service'
import { type QaContext, personName, stamp, today } from './context'
import {
  MONTH,
  daysOverdue,
  dueState,
  monthBounds,
  monthName,
  monthOf,
  previousMonth,
  riskLabels,
  riskReasons,
  sampleSeed,
} from './rules'
import type { qaSettings } from './settings'

export function qaSample(
  { db, repo, deps, audit }: QaContext,
  { settings }: Pick<ReturnType<typeof qaSettings>, 'settings'>,
) {
  async function draw(actor: Actor, establishmentId: number, month: string) {
    if (!MONTH.test(month)) throw new Error(`not a month: ${month}`)
    const { from, until, last } = monthBounds(month)
    const s = await settings(establishmentId)
    const flagged = deps.integrity
      ? await deps.integrity.flaggedSessionIds(establishmentId, from, last)
      : new Set<number>()
    const rows = await repo.candidates(establishmentId, from, until)
    const taken = await repo.randomCounts(establishmentId, month)
    const byOfficer = new Map<number, SampleCandidate[]>()
    for (const r of rows) {
      const c: SampleCandidate = {
        sessionId: r.id,
        staffId: r.staff_id!,
        authorUserId: r.author_user_id,
        risk: riskReasons({
          flagged: flagged.has(r.id),
          precheckScore: r.precheck_score,
          concern: r.concern,
          sessionDate: r.session_date,
          startedInPost: r.started_in_post,
        }),
      }
      const list = byOfficer.get(c.staffId)
      if (list) list.push(c)
      else byOfficer.set(c.staffId, [c])
    }
    const picked = [...byOfficer].flatMap(([staffId, list]) =>
      monthlySample(list, s.samplePerOfficer - (taken.get(staffId) ?? 0), sampleSeed(establishmentId, month, staffId)),
    )
    if (picked.length === 0) return { month, added: [] as number[] }
    const sampledAt = stamp()
    const dueOn = addDays(today(), s.reviewDueDays)
    const added = await db.transaction().execute(async trx => {
      const ids: number[] = []
      for (const p of picked) {
        const id = await repo.insertSample(trx, {
          establishment_id: establishmentId,
          session_id: p.sessionId,
          staff_id: p.staffId,
          month,
          random: p.random ? 1 : 0,
          risk: p.risk.join(','),
          sampled_at: sampledAt,
          due_on: dueOn,
          status: 'due',
        })
        if (id !== null) ids.push(p.sessionId)
      }
      if (ids.length)
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'qa_sample',
          entityId: month,
          establishmentId,
          changes: { month, sessions: ids, due_on: dueOn },
        })
      return ids
    })
    return { month, added }
  }

  return {
    /** Draws (tops up) one month's sample; the entries added. */
    draw,

    /** Draws the last complete month (see the service's note); called when the queue is opened. */
    ensureDrawn: (actor: Actor, establishmentId: number) => draw(actor, establishmentId, previousMonth(today())),

    /** The current month (for the "draw the month so far" button). */
    currentMonth: () => monthOf(today()),

    /** The sample of one month, in entry order (for the dashboard and tests). */
    sampleOfMonth: (establishmentId: number, month: string) => repo.samplesOfMonth(establishmentId, month),

    /**
     * The entries to review, oldest due first, each with why it was sampled and whether it is overdue (London days).
     * A reviewer is never offered their own entries: they are counted, for another Supervising Officer.
     */
    async queue(establishmentId: number, viewerUserId: number | null) {
      const t = today()
      const rows = (await repo.queue(establishmentId)).map(r => {
        const state = dueState(r.due_on, t)
        return {
          ...r,
          officer: personName(r.staff_first_name, r.staff_last_name, r.author),
          prisoner: `${r.prisoner_first_name} ${r.prisoner_last_name}`,
          reasons: [...(r.random ? ['Picked at random for the monthly sample'] : []), ...riskLabels(r.risk)],
          monthName: monthName(r.month),
          state,
          daysOverdue: daysOverdue(r.due_on, t),
          own:
            viewerUserId !== null &&
            (!mayReview(viewerUserId, { authorUserId: r.author_user_id }) || r.staff_user_id === viewerUserId),
        }
      })
      return {
        today: t,
        rows: rows.filter(r => !r.own),
        own: rows.filter(r => r.own).length,
        overdue: rows.filter(r => !r.own && r.state === 'overdue').length,
      }
    },
  }
}
