// Reading entries: the read-only entry page, a prisoner's history, lists and the figures other features use.
// Invariants: reads only; drafts are never returned as entries (only to their author, through draft.ts), and only
// submitted, delivered entries count towards the last delivered session.
import type { BookletService } from '../../domain/directory'
import { toBooklet } from '../directory/service'
import { currentValues } from './amend'
import type { SessionsContext } from './context'
import {
  goalStatusName,
  locationName,
  outcomeName,
  pathwayNames,
  reasonName,
  referredTo,
  stakeholderName,
} from './present'

export function queries(c: SessionsContext) {
  const { db, repo, deps } = c
  return {
    /** Any entry of the establishment (draft, submitted or deleted), with its prisoner. */
    get: (establishmentId: number, id: number) => repo.byId(db, establishmentId, id),

    /** A submitted or deleted entry with everything hung off it, for the read-only page. */
    async entry(establishmentId: number, id: number) {
      const row = await repo.byId(db, establishmentId, id)
      if (!row || row.status === 'draft') return null
      const [goals, reviews, referrals, worksheets, amendments] = await Promise.all([
        repo.goalsSetIn([row.id]),
        repo.reviewsIn([row.id]),
        repo.referralsIn([row.id]),
        repo.worksheetsIn([row.id]),
        repo.amendmentsOf(row.id),
      ])
      const names = await repo.displayNames([row.author, row.deleted_by ?? '', ...amendments.map(a => a.amended_by)])
      // the contact details as the form showed them (phones and places as text, not records)
      const services = new Map<string, BookletService | null>()
      for (const r of referrals)
        if (r.service_id && !services.has(r.service_id)) {
          const detail = await deps.directory.get(establishmentId, r.service_id)
          services.set(r.service_id, detail ? toBooklet(detail) : null)
        }
      return {
        row,
        goals,
        reviews,
        referrals: referrals.map(r => ({
          ...r,
          service: r.service_id ? (services.get(r.service_id) ?? null) : null,
          stakeholderName: stakeholderName(r.stakeholder),
        })),
        worksheets,
        amendments: amendments.map(a => ({
          ...a,
          changes: JSON.parse(a.changes) as Record<string, { from: string; to: string }>,
        })),
        current: currentValues(row, amendments),
        /** username → name, for who recorded, amended or deleted the entry */
        names,
        pathways: pathwayNames(row.pathways),
      }
    },

    draftsOf: (establishmentId: number, userId: number) => repo.draftsOf(establishmentId, userId),
    recent: (establishmentId: number, authorUserId: number | null, limit = 50) =>
      repo.recent(establishmentId, authorUserId, limit),

    /** The date of each prisoner's last delivered session (submitted, delivered; drafts and deleted never count). */
    async lastDelivered(establishmentId: number): Promise<Map<number, string>> {
      const rows = await repo.lastDelivered(establishmentId)
      return new Map(rows.filter(r => r.last).map(r => [r.prisoner_id, String(r.last)]))
    },

    /** A prisoner's submitted entries, newest first, each with its goals, reviews, referrals and worksheets. */
    async forPrisoner(establishmentId: number, prisonerId: number) {
      const rows = await repo.forPrisoner(establishmentId, prisonerId)
      const ids = rows.map(r => r.id)
      const [goals, reviews, referrals, worksheets] = await Promise.all([
        repo.goalsSetIn(ids),
        repo.reviewsIn(ids),
        repo.referralsIn(ids),
        repo.worksheetsIn(ids),
      ])
      return rows.map(r => ({
        ...r,
        outcomeName: outcomeName(r.outcome),
        reasonName: reasonName(r.not_delivered_reason),
        locationName: locationName(r.location),
        pathwayNames: pathwayNames(r.pathways),
        goals: goals.filter(g => g.set_in_session_id === r.id),
        reviews: reviews.filter(g => g.session_id === r.id),
        referrals: referrals.filter(x => x.session_id === r.id).map(x => ({ ...x, to: referredTo(x) })),
        worksheets: worksheets.filter(w => w.session_id === r.id),
      }))
    },

    /** The prisoner's open goals (open or in progress). */
    openGoals: (establishmentId: number, prisonerId: number) => repo.openGoals(db, establishmentId, prisonerId),

    goalStatusName,
  }
}
