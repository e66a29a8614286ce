import type { Response } from 'express'
import type { Services } from '../../services'
import { normalisePrisonNumber } from '../../domain/prisoner'
import { GOAL_STATUSES, REFERRAL_STATUSES } from '../../domain/sessions'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, param, post } from '../../web/routing'
import { HANDOVER_NOTE_MAX, parseHandover, withdrawSchema } from './schema'
import type { Preparer } from './service'

/** Everyone who reads prisoner records reads the handovers his record here sent or received. */
const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
/** His Key Worker (checked by the service), a Supervising Officer or an admin of the sending establishment. */
const PREPARERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const

/** A checkbox group as kept in the form: nothing, one value or several, as strings. */
const listOf = (v: unknown): string[] =>
  v === undefined || v === '' || v === null ? [] : (Array.isArray(v) ? v : [v]).map(x => String(x))

export function handoverRoutes(s: Services): RouteDef[] {
  const preparer = (res: Response): Preparer => ({
    actor: actorOf(res),
    forAnyMan: hasRole(res, 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'),
  })
  const prisonNumberOf = (req: Parameters<typeof param>[0]) => normalisePrisonNumber(param(req, 'prisonNumber'))
  /** 404 for a man the establishment has no record of, and for a Key Worker who is not his. */
  const mayPrepareOr404 = async (res: Response, prisonNumber: string) => {
    if ((await s.handover.access(preparer(res), establishmentOf(res).id, prisonNumber)) !== 'ok')
      throw new HttpError(404)
  }

  return [
    get('/prisoners/:prisonNumber/handover', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const prisonNumber = prisonNumberOf(req)
      const page = await s.handover.page(actorOf(res), est.id, prisonNumber)
      if (!page) throw new HttpError(404)
      const { prisoner } = page
      const canPrepare =
        hasRole(res, ...PREPARERS) && (await s.handover.access(preparer(res), est.id, prisonNumber)) === 'ok'
      res.render('handover/views/handovers', {
        pageTitle: `Transfer handovers: ${prisoner.first_name} ${prisoner.last_name}`,
        ...page,
        canPrepare,
        ...takeForm(req, {}),
        goalStatuses: GOAL_STATUSES,
        referralStatuses: REFERRAL_STATUSES,
      })
    }),

    get('/prisoners/:prisonNumber/handover/prepare', PREPARERS, async (req, res) => {
      const est = establishmentOf(res)
      const form = await s.handover.prepareForm(preparer(res), est.id, prisonNumberOf(req))
      if (!form || form === 'not-theirs') throw new HttpError(404)
      // the suggestion: every open goal and referral, and what was agreed last; nothing is shared until submitted
      const kept = takeForm(req, {
        receivingEstablishment: form.suggested ?? '',
        note: '',
        goals: form.goals.map(g => String(g.id)) as unknown,
        referrals: form.referrals.map(r => String(r.id)) as unknown,
        agreed: form.agreed.slice(0, 1).map(a => String(a.id)) as unknown,
      })
      res.render('handover/views/prepare', {
        pageTitle: `Prepare a handover for ${form.prisoner.first_name} ${form.prisoner.last_name}`,
        ...form,
        ...kept,
        chosen: {
          goals: listOf(kept.values.goals),
          referrals: listOf(kept.values.referrals),
          agreed: listOf(kept.values.agreed),
        },
        noteMax: HANDOVER_NOTE_MAX,
        goalStatuses: GOAL_STATUSES,
        referralStatuses: REFERRAL_STATUSES,
      })
    }),

    post('/prisoners/:prisonNumber/handover/prepare', PREPARERS, async (req, res) => {
      const est = establishmentOf(res)
      const prisonNumber = prisonNumberOf(req)
      await mayPrepareOr404(res, prisonNumber)
      const form = parseHandover(req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.handover.share(preparer(res), est.id, prisonNumber, form.data)
      if (r === 'not-found' || r === 'not-theirs') throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Handover shared with ${r.value.toName}`)
      res.redirect(303, `/prisoners/${prisonNumber}/handover`)
    }),

    post('/prisoners/:prisonNumber/handover/withdraw', PREPARERS, async (req, res) => {
      const est = establishmentOf(res)
      const prisonNumber = prisonNumberOf(req)
      const back = `/prisoners/${prisonNumber}/handover`
      await mayPrepareOr404(res, prisonNumber)
      const form = parseForm(withdrawSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
      const r = await s.handover.withdraw(preparer(res), est.id, prisonNumber, form.data.handover)
      if (r === 'not-found' || r === 'not-theirs') throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      flash(req, `Handover to ${r.value.toName} withdrawn`)
      res.redirect(303, back)
    }),
  ]
}
