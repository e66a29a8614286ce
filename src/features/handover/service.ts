import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Actor, AuditService } from '../../platform/audit/service'
import { type Result, fail, ok } from '../../domain/result'
import { now } from '../../domain/clock'
import { formatDate } from '../../domain/dates'
import { referralTarget } from '../../domain/referrals'
import { type HandoverKind, countByKind, handoverContents, mayHandOver } from '../../domain/handover'
import { handoverRepository } from './repository'
import type { HandoverInput } from './schema'

/**
 * Who is asking, in the establishment they act in: a Supervising Officer or an admin there may prepare a handover for
 * any man; a Key Worker only for a man whose latest Key Worker there they are.
 */
export interface Preparer {
  actor: Actor
  /** holds the Supervising Officer's or the admin's role there */
  forAnyMan: boolean
}

/** One shared item as the pages show it (the sender's ids stay with the sender). */
export interface SharedItem {
  kind: HandoverKind
  text: string
  detail: string | null
  status: string | null
  since: string | null
  due: string | null
}

export interface HandoverView {
  id: number
  fromName: string
  toName: string
  note: string | null
  keyWorker: string | null
  preparedBy: string
  sharedAt: string
  readAt: string | null
  withdrawnAt: string | null
  withdrawnBy: string | null
  goals: SharedItem[]
  referrals: SharedItem[]
  agreed: SharedItem[]
  contents: string
}

type Row = Awaited<ReturnType<ReturnType<typeof handoverRepository>['involving']>>[number]
type ItemRow = Awaited<ReturnType<ReturnType<typeof handoverRepository>['items']>>[number]

function viewOf(h: Row, items: readonly ItemRow[]): HandoverView {
  const mine = items.filter(i => i.handover_id === h.id)
  const of = (kind: HandoverKind): SharedItem[] =>
    mine
      .filter(i => i.kind === kind)
      .map(i => ({ kind, text: i.text, detail: i.detail, status: i.status, since: i.since, due: i.due }))
  return {
    id: h.id,
    fromName: h.from_name,
    toName: h.to_name,
    note: h.note,
    keyWorker: h.key_worker,
    preparedBy: h.prepared_by_name,
    sharedAt: h.shared_at,
    readAt: h.read_at,
    withdrawnAt: h.withdrawn_at,
    withdrawnBy: h.withdrawn_by,
    goals: of('goal'),
    referrals: of('referral'),
    agreed: of('agreed'),
    contents: handoverContents(countByKind(mine), h.note !== null),
  }
}

/**
 * Transfer handovers (issue 18): the sending establishment chooses what of his open work to share with the
 * establishment he moves to, and that establishment reads it; nobody else finds it. What is shared is a snapshot.
 */
export function handoverService(db: Kysely<Database>, deps: { audit: AuditService }) {
  const repo = handoverRepository(db)
  const { audit } = deps

  async function mayPrepare(exec: Kysely<Database>, who: Preparer, establishmentId: number, prisonerId: number) {
    if (who.forAnyMan) return true
    if (who.actor.userId === null) return false
    const kw = await repo.lastKeyWorker(exec, establishmentId, prisonerId)
    return kw?.user_id === who.actor.userId
  }

  /** His open goals, open referrals and latest agreed actions here: what the sender may choose from. */
  async function choices(exec: Kysely<Database>, establishmentId: number, prisonerId: number) {
    const [goals, referrals, agreed] = await Promise.all([
      repo.openGoals(exec, establishmentId, prisonerId),
      repo.openReferrals(exec, establishmentId, prisonerId),
      repo.lastAgreed(exec, establishmentId, prisonerId),
    ])
    return {
      goals,
      referrals: referrals.map(r => ({ ...r, target: referralTarget(r) })),
      agreed: agreed.map(a => ({ ...a, agreed: a.agreed ?? '' })),
    }
  }

  return {
    /** Whether the user may prepare (or withdraw) a handover for him here: 'not-found' when there is no record of him. */
    async access(who: Preparer, establishmentId: number, prisonNumber: string) {
      const prisoner = await repo.prisoner(db, establishmentId, prisonNumber)
      if (!prisoner) return 'not-found' as const
      return (await mayPrepare(db, who, establishmentId, prisoner.id)) ? ('ok' as const) : ('not-theirs' as const)
    },

    /**
     * The form to prepare a handover: undefined when the establishment has no record of him, 'not-theirs' for a Key
     * Worker who is not his. Audits the view of his record.
     */
    async prepareForm(who: Preparer, establishmentId: number, prisonNumber: string) {
      const prisoner = await repo.prisoner(db, establishmentId, prisonNumber)
      if (!prisoner) return undefined
      if (!(await mayPrepare(db, who, establishmentId, prisoner.id))) return 'not-theirs' as const
      const [options, establishments, arrived, keyWorker] = await Promise.all([
        choices(db, establishmentId, prisoner.id),
        repo.otherEstablishments(establishmentId),
        repo.arrivedFrom(establishmentId, prisonNumber),
        repo.lastKeyWorker(db, establishmentId, prisoner.id),
      ])
      await audit.recordAlone(who.actor, {
        action: 'view',
        entity: 'prisoner',
        entityId: prisonNumber,
        establishmentId,
        changes: { page: 'handover form' },
      })
      return {
        prisoner,
        eligible: mayHandOver(prisoner.status),
        ...options,
        establishments,
        /** where he arrived from here, if he has: the receiver suggested */
        suggested: establishments.find(e => e.id === arrived?.establishment_id)?.code ?? null,
        keyWorker: keyWorker ? `${keyWorker.first_name} ${keyWorker.last_name}` : null,
      }
    },

    /**
     * Shares a handover: the chosen items copied as they are now, with the note, for the receiving establishment
     * only; audited. Refused (saving nothing) for a man released, an establishment that is not another one, an item
     * no longer open, or while a handover to the same establishment waits unread (withdraw it first).
     */
    async share(
      who: Preparer,
      establishmentId: number,
      prisonNumber: string,
      input: HandoverInput,
    ): Promise<Result<{ id: number; toName: string }> | 'not-found' | 'not-theirs'> {
      return db.transaction().execute(async trx => {
        const prisoner = await repo.prisoner(trx, establishmentId, prisonNumber)
        if (!prisoner) return 'not-found' as const
        if (!(await mayPrepare(trx, who, establishmentId, prisoner.id))) return 'not-theirs' as const
        if (!mayHandOver(prisoner.status))
          return fail({ receivingEstablishment: 'He has been released: there is no establishment to hand over to' })
        const to = await repo.establishmentByCode(trx, input.receivingEstablishment)
        if (!to || to.id === establishmentId)
          return fail({ receivingEstablishment: 'Choose the establishment he is transferred to' })
        if (await repo.waiting(trx, establishmentId, prisoner.id, to.id))
          return fail({
            receivingEstablishment: `A handover to ${to.name} is waiting to be read: withdraw it before you share another`,
          })
        const options = await choices(trx, establishmentId, prisoner.id)
        const errors: Record<string, string> = {}
        const pick = <T extends { id: number }>(field: string, what: string, from: T[], ids: number[]) => {
          const byId = new Map(from.map(x => [x.id, x]))
          if (ids.some(id => !byId.has(id)))
            errors[field] = `${what} you chose is no longer open or is not his: check the list and share again`
          return from.filter(x => ids.includes(x.id))
        }
        const goals = pick('goals', 'A goal', options.goals, input.goals)
        const referrals = pick('referrals', 'A referral', options.referrals, input.referrals)
        const agreed = pick('agreed', 'A session', options.agreed, input.agreed)
        if (Object.keys(errors).length) return fail(errors)

        const items = [
          ...goals.map(g => ({
            kind: 'goal',
            source_id: g.id,
            text: g.description,
            detail: g.measure,
            status: g.status,
            since: g.session_date,
            due: g.target_date,
          })),
          ...referrals.map(r => ({
            kind: 'referral',
            source_id: r.id,
            text: r.target,
            detail: null,
            status: r.status,
            since: r.session_date,
            due: r.follow_up_date,
          })),
          ...agreed.map(a => ({
            kind: 'agreed',
            source_id: a.id,
            text: a.agreed,
            detail: null,
            status: null,
            since: a.session_date,
            due: null,
          })),
        ].map((i, position) => ({ ...i, position }))
        const [keyWorker, preparer] = await Promise.all([
          repo.lastKeyWorker(trx, establishmentId, prisoner.id),
          repo.displayName(trx, who.actor.userId),
        ])
        const id = await repo.insert(
          trx,
          {
            sending_establishment_id: establishmentId,
            receiving_establishment_id: to.id,
            prisoner_id: prisoner.id,
            prison_number: prisoner.prison_number,
            note: input.note,
            key_worker: keyWorker ? `${keyWorker.first_name} ${keyWorker.last_name}` : null,
            prepared_by: who.actor.username ?? 'unknown',
            prepared_by_name: preparer?.display_name || who.actor.username || 'unknown',
            prepared_by_user_id: who.actor.userId,
            shared_at: now().toISOString(),
            read_at: null,
            withdrawn_at: null,
            withdrawn_by: null,
          },
          items,
        )
        // which items, by the sender's ids: the text itself stays in the handover, not in the trail
        await audit.record(trx, who.actor, {
          action: 'create',
          entity: 'transfer_handover',
          entityId: id,
          establishmentId,
          changes: {
            prison_number: prisoner.prison_number,
            to: to.code,
            goals: goals.map(g => g.id),
            referrals: referrals.map(r => r.id),
            agreed: agreed.map(a => a.id),
            note: input.note !== null,
          },
        })
        return ok({ id, toName: to.name })
      })
    },

    /**
     * His handovers as the establishment may see them: those it received (not withdrawn) and those it sent.
     * undefined when it has no record of him. Audits the view of his record, and marks the received ones read.
     */
    async page(actor: Actor, establishmentId: number, prisonNumber: string) {
      return db.transaction().execute(async trx => {
        const prisoner = await repo.prisoner(trx, establishmentId, prisonNumber)
        if (!prisoner) return undefined
        const rows = await repo.involving(trx, establishmentId, prisonNumber)
        const items = await repo.items(
          trx,
          rows.map(r => r.id),
        )
        const receivedRows = rows.filter(r => r.receiving_establishment_id === establishmentId)
        const sentRows = rows.filter(r => r.sending_establishment_id === establishmentId)
        const at = now().toISOString()
        await repo.markRead(
          trx,
          receivedRows.filter(r => r.read_at === null).map(r => r.id),
          at,
        )
        await audit.record(trx, actor, {
          action: 'view',
          entity: 'prisoner',
          entityId: prisonNumber,
          establishmentId,
          changes: { page: 'handover', received: receivedRows.map(r => r.id), sent: sentRows.map(r => r.id) },
        })
        return {
          prisoner,
          // the receiver's first view is now, if it was not before
          received: receivedRows.map(r => viewOf({ ...r, read_at: r.read_at ?? at }, items)),
          sent: sentRows.map(r => viewOf(r, items)),
        }
      })
    },

    /**
     * For his prisoner page (whose view is audited there): the handovers received, in a phrase each, those sent with
     * whether they were read (nothing of their content), and whether the user may prepare one (who: null, may not).
     */
    async card(
      who: Preparer | null,
      establishmentId: number,
      prisoner: { id: number; prison_number: string; status: string },
    ) {
      const rows = await repo.involving(db, establishmentId, prisoner.prison_number)
      // the "Prepare a handover" link, once he has been transferred out, for those who may
      const canPrepare =
        who !== null && prisoner.status === 'transferred' && (await mayPrepare(db, who, establishmentId, prisoner.id))
      if (rows.length === 0) return { received: [], sent: [], canPrepare }
      const items = await repo.items(
        db,
        rows.map(r => r.id),
      )
      const brief = (r: Row) => {
        const v = viewOf(r, items)
        return {
          id: v.id,
          fromName: v.fromName,
          toName: v.toName,
          preparedBy: v.preparedBy,
          sharedAt: v.sharedAt,
          readAt: v.readAt,
          withdrawnAt: v.withdrawnAt,
          contents: v.contents,
        }
      }
      return {
        received: rows.filter(r => r.receiving_establishment_id === establishmentId).map(brief),
        sent: rows.filter(r => r.sending_establishment_id === establishmentId).map(brief),
        canPrepare,
      }
    },

    /** Withdraws a handover the establishment sent about him, while the receiver has not read it; audited. */
    async withdraw(
      who: Preparer,
      establishmentId: number,
      prisonNumber: string,
      handoverId: number,
    ): Promise<Result<{ toName: string }> | 'not-found' | 'not-theirs'> {
      return db.transaction().execute(async trx => {
        const prisoner = await repo.prisoner(trx, establishmentId, prisonNumber)
        if (!prisoner) return 'not-found' as const
        if (!(await mayPrepare(trx, who, establishmentId, prisoner.id))) return 'not-theirs' as const
        const h = await repo.sent(trx, establishmentId, prisoner.id, handoverId)
        if (!h) return fail({ handover: 'Choose the handover to withdraw' })
        if (h.withdrawn_at) return fail({ handover: `The handover to ${h.to_name} has already been withdrawn` })
        if (h.read_at)
          return fail({
            handover: `${h.to_name} read the handover on ${formatDate(h.read_at)}: it can no longer be withdrawn`,
          })
        const at = now().toISOString()
        if (!(await repo.withdraw(trx, h.id, who.actor.username ?? 'unknown', at)))
          return fail({ handover: `${h.to_name} has just read the handover: it can no longer be withdrawn` })
        await audit.record(trx, who.actor, {
          action: 'withdraw',
          entity: 'transfer_handover',
          entityId: h.id,
          establishmentId,
          changes: { prison_number: prisonNumber, to: h.to_code },
        })
        return ok({ toName: h.to_name })
      })
    },
  }
}

export type HandoverService = ReturnType<typeof handoverService>
