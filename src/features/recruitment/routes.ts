import type { Request } from 'express'
import type { Services } from '../../services'
import { actorOf, ctxOf } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { formText, joinDateInputs, splitDate } from '../../forms/fields'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { addDays, todayIso } from '../../domain/dates'
import {
  CRITERION_KIND_NAMES,
  type CriterionKind,
  QUESTION_KIND_NAMES,
  type QuestionKind,
  SCALE_MIN,
} from '../../domain/recruitment'
import { assignmentSchema, campaignSchema, candidateSchema, moderationSchema, settingsSchema } from './schema'
import { type ScoreInput, anchorsOf } from './service'

/** The national team runs campaigns; assessors and moderators are Supervising Officers, admins or the national team. */
const NP = ['NATIONAL_POLICY'] as const
const PANEL = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const

const pct = (x: number | null) => (x === null ? '' : `${Math.round(x * 100)}%`)
const dec = (x: number | null, places = 2) => (x === null ? '' : x.toFixed(places))
const scaleOf = (max: number) => Array.from({ length: max - SCALE_MIN + 1 }, (_, i) => SCALE_MIN + i)
const scopeText = (c: { establishment_name: string | null; region: string | null }) =>
  c.establishment_name ? c.establishment_name : c.region ? `${c.region} region` : 'All establishments'

export function recruitmentRoutes(s: Services): RouteDef[] {
  const campaignOr404 = async (req: Request) => {
    const c = await s.recruitment.campaign(intParam(req, 'campaignId'))
    if (!c) throw new HttpError(404)
    return c
  }
  const userOptions = async (selected: unknown) =>
    [{ value: '', text: 'Choose a person' }]
      .concat(
        (await s.recruitment.assessors()).map(u => ({
          value: String(u.id),
          text: `${u.display_name} (${u.username})`,
        })),
      )
      .map(o => ({ ...o, selected: o.value !== '' && o.value === String(selected ?? '') }))

  return [
    get('/recruitment', PANEL, async (_req, res) => {
      const ctx = ctxOf(res)
      const national = ctx.roles.includes('NATIONAL_POLICY')
      const assignments = await s.recruitment.assignments(ctx.userId)
      res.render('recruitment/views/list', {
        pageTitle: 'Recruitment',
        national,
        campaigns: national
          ? (await s.recruitment.campaigns()).map(c => ({
              ...c,
              scope: scopeText(c),
              candidates: Number(c.candidates),
            }))
          : [],
        assignments,
      })
    }),

    get('/recruitment/settings', NP, async (req, res) => {
      const st = await s.recruitment.settings()
      res.render('recruitment/views/settings', {
        pageTitle: 'Recruitment settings',
        ...takeForm(req, { retentionDays: String(st.retention_days), minGroup: String(st.min_group) }),
      })
    }),
    post('/recruitment/settings', NP, async (req, res) => {
      const parsed = parseForm(settingsSchema, req.body)
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const r = await s.recruitment.updateSettings(actorOf(res), parsed.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Recruitment settings saved')
      res.redirect(303, '/recruitment')
    }),

    get('/recruitment/new', NP, async (req, res) => {
      const st = await s.recruitment.settings()
      const today = todayIso()
      const o = splitDate(today)
      const c = splitDate(addDays(today, 28))
      const kept = takeForm(req, {
        title: '',
        'opensOn-day': o.day,
        'opensOn-month': o.month,
        'opensOn-year': o.year,
        'closesOn-day': c.day,
        'closesOn-month': c.month,
        'closesOn-year': c.year,
        scope: 'national',
        establishment: '',
        region: '',
        moderationGap: '1',
        retentionDays: String(st.retention_days),
        passMark: '2.5',
        assessorA: '',
        assessorB: '',
        moderator: '',
      } as Record<string, string>)
      const ests = await s.recruitment.establishments()
      res.render('recruitment/views/new', {
        pageTitle: 'New recruitment campaign',
        establishments: [{ value: '', text: 'Choose an establishment' }]
          .concat(ests.map(e => ({ value: e.code, text: e.name })))
          .map(x => ({ ...x, selected: x.value === kept.values.establishment })),
        regions: [{ value: '', text: 'Choose a region' }]
          .concat([...new Set(ests.map(e => e.region))].sort().map(r => ({ value: r, text: r })))
          .map(x => ({ ...x, selected: x.value === kept.values.region })),
        assessorA: await userOptions(kept.values.assessorA),
        assessorB: await userOptions(kept.values.assessorB),
        moderator: await userOptions(kept.values.moderator),
        defaultRetention: st.retention_days,
        ...kept,
      })
    }),
    post('/recruitment/new', NP, async (req, res) => {
      const parsed = parseForm(
        campaignSchema,
        joinDateInputs(req.body as Record<string, unknown>, ['opensOn', 'closesOn']),
      )
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const r = await s.recruitment.createCampaign(actorOf(res), parsed.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Campaign created with the default framework: adjust its questions before assessors start scoring')
      res.redirect(303, `/recruitment/${r.value}`)
    }),

    get('/recruitment/:campaignId', NP, async (req, res) => {
      const campaign = await campaignOr404(req)
      const [criteria, questions, progress, preview, locked] = await Promise.all([
        s.recruitment.criteria(campaign.id),
        s.recruitment.questions(campaign.id),
        s.recruitment.progress(campaign.id),
        s.recruitment.retentionPreview(campaign.id),
        s.recruitment.locked(campaign.id),
      ])
      const names = await s.recruitment.userNames(
        progress.flatMap(p => [
          p.candidate.assessor_a_user_id,
          p.candidate.assessor_b_user_id,
          p.candidate.moderator_user_id,
        ]),
      )
      const criterionName = new Map(criteria.map(c => [c.id, c.name]))
      res.render('recruitment/views/campaign', {
        pageTitle: campaign.title,
        campaign,
        scope: scopeText(campaign),
        locked,
        preview,
        scale: scaleOf(campaign.scale_max),
        criteria: criteria.map(c => ({ ...c, kindName: CRITERION_KIND_NAMES[c.kind as CriterionKind] ?? 'Criterion' })),
        questions: questions.map((q, i) => ({
          ...q,
          number: i + 1,
          criterion: criterionName.get(q.criterion_id) ?? '',
          kindName: QUESTION_KIND_NAMES[q.kind as QuestionKind] ?? 'Question',
          anchors: anchorsOf(q),
        })),
        candidates: progress.map(p => ({
          id: p.candidate.id,
          code: p.candidate.code,
          assessorA: names.get(p.candidate.assessor_a_user_id ?? 0) ?? 'Not assigned',
          assessorB: names.get(p.candidate.assessor_b_user_id ?? 0) ?? 'Not assigned',
          moderator: names.get(p.candidate.moderator_user_id ?? 0) ?? 'Not assigned',
          status: !p.both
            ? `${Number(p.aDone) + Number(p.bDone)} of 2 assessors submitted`
            : p.awaitingModeration
              ? `Waiting for moderation (${p.awaitingModeration} ${p.awaitingModeration === 1 ? 'question' : 'questions'})`
              : `Scored: ${dec(p.overall)}`,
          outcome: p.complete ? (p.overall! >= campaign.pass_mark ? 'Meets the standard' : 'Below the standard') : '',
          deleted: p.candidate.personal_deleted_at !== null,
        })),
        ...takeForm(req, {}),
      })
    }),

    get('/recruitment/:campaignId/questions/new', NP, async (req, res) => {
      const campaign = await campaignOr404(req)
      const criteria = await s.recruitment.criteria(campaign.id)
      const kept = takeForm(req, { criterion: '', kind: 'interview', text: '' } as Record<string, string>)
      res.render('recruitment/views/question', {
        pageTitle: `Add a question to ${campaign.title}`,
        campaign,
        locked: await s.recruitment.locked(campaign.id),
        scale: scaleOf(campaign.scale_max),
        criteria: [{ value: '', text: 'Choose a criterion' }]
          .concat(criteria.map(c => ({ value: String(c.id), text: c.name })))
          .map(x => ({ ...x, selected: x.value === kept.values.criterion })),
        ...kept,
      })
    }),
    post('/recruitment/:campaignId/questions/new', NP, async (req, res) => {
      const campaign = await campaignOr404(req)
      const b = req.body as Record<string, unknown>
      const str = (k: string) => (typeof b[k] === 'string' ? b[k] : '')
      const r = await s.recruitment.addQuestion(actorOf(res), campaign.id, {
        criterion: str('criterion'),
        kind: str('kind'),
        text: str('text'),
        anchors: scaleOf(campaign.scale_max).map(n => str(`anchor${n}`)),
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Question added')
      res.redirect(303, `/recruitment/${campaign.id}#questions`)
    }),
    post('/recruitment/:campaignId/questions/remove', NP, async (req, res) => {
      const campaign = await campaignOr404(req)
      const raw = (req.body as Record<string, unknown>).question
      const id = typeof raw === 'string' && /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : 0
      const r = await s.recruitment.removeQuestion(actorOf(res), campaign.id, id)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, `/recruitment/${campaign.id}`)
      flash(req, 'Question removed')
      res.redirect(303, `/recruitment/${campaign.id}#questions`)
    }),

    get('/recruitment/:campaignId/candidates/new', NP, async (req, res) => {
      const campaign = await campaignOr404(req)
      const kept = takeForm(req, {
        name: '',
        email: '',
        establishment: '',
        assessorA: String(campaign.assessor_a_user_id ?? ''),
        assessorB: String(campaign.assessor_b_user_id ?? ''),
        moderator: String(campaign.moderator_user_id ?? ''),
      } as Record<string, string>)
      const ests = await s.recruitment.establishments()
      res.render('recruitment/views/candidate-new', {
        pageTitle: `Add a candidate to ${campaign.title}`,
        campaign,
        establishments: [{ value: '', text: 'Not given' }]
          .concat(ests.map(e => ({ value: e.code, text: e.name })))
          .map(x => ({ ...x, selected: x.value === kept.values.establishment })),
        assessorA: await userOptions(kept.values.assessorA),
        assessorB: await userOptions(kept.values.assessorB),
        moderator: await userOptions(kept.values.moderator),
        ...kept,
      })
    }),
    post('/recruitment/:campaignId/candidates/new', NP, async (req, res) => {
      const campaign = await campaignOr404(req)
      const parsed = parseForm(candidateSchema, req.body)
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const r = await s.recruitment.addCandidate(actorOf(res), campaign.id, parsed.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Candidate added: assessors will know them as ${r.value.code}`)
      res.redirect(303, `/recruitment/${campaign.id}/candidates/${r.value.id}`)
    }),

    get('/recruitment/:campaignId/candidates/:candidateId', NP, async (req, res) => {
      const campaign = await campaignOr404(req)
      const state = await s.recruitment.candidateState(campaign.id, intParam(req, 'candidateId'))
      if (!state) throw new HttpError(404)
      const c = state.candidate
      const personal = await s.recruitment.personal(c.id)
      // the national team reads a candidate's personal data: audited
      await auditView(s.audit, res, { entity: 'recruitment_candidate', entityId: c.id })
      const kept = takeForm(req, {
        assessorA: String(c.assessor_a_user_id ?? ''),
        assessorB: String(c.assessor_b_user_id ?? ''),
        moderator: String(c.moderator_user_id ?? ''),
        reason: '',
      } as Record<string, string>)
      const names = await s.recruitment.userNames([c.assessor_a_user_id, c.assessor_b_user_id, c.moderator_user_id])
      res.render('recruitment/views/candidate', {
        pageTitle: `Candidate ${c.code}`,
        campaign,
        candidate: c,
        personal: personal ?? null,
        state: {
          ...state,
          overall: dec(state.overall),
          perQuestion: state.perQuestion.map((p, i) => ({
            number: i + 1,
            text: p.question.text,
            a: p.a,
            b: p.b,
            final: p.final.score === null ? '' : dec(p.final.score, 1),
            how:
              p.final.method === 'mean'
                ? 'Mean of the two'
                : p.final.method === 'moderated'
                  ? `Moderated: ${p.moderation?.reason ?? ''}`
                  : p.final.method === 'awaiting_moderation'
                    ? 'Waiting for the moderator'
                    : 'Waiting for both assessors',
          })),
        },
        names: {
          a: names.get(c.assessor_a_user_id ?? 0) ?? 'Not assigned',
          b: names.get(c.assessor_b_user_id ?? 0) ?? 'Not assigned',
          m: names.get(c.moderator_user_id ?? 0) ?? 'Not assigned',
        },
        assessorA: await userOptions(kept.values.assessorA),
        assessorB: await userOptions(kept.values.assessorB),
        moderator: await userOptions(kept.values.moderator),
        ...kept,
      })
    }),
    post('/recruitment/:campaignId/candidates/:candidateId', NP, async (req, res) => {
      const campaign = await campaignOr404(req)
      const c = await s.recruitment.candidate(campaign.id, intParam(req, 'candidateId'))
      if (!c) throw new HttpError(404)
      const parsed = parseForm(assignmentSchema, req.body)
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const r = await s.recruitment.assign(actorOf(res), campaign.id, c.id, parsed.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Assessors and moderator saved')
      res.redirect(303, `/recruitment/${campaign.id}/candidates/${c.id}`)
    }),

    get('/recruitment/:campaignId/candidates/:candidateId/score', PANEL, async (req, res) => {
      const userId = ctxOf(res).userId
      const found = await s.recruitment.forAssessor(intParam(req, 'campaignId'), intParam(req, 'candidateId'), userId)
      if (!found) throw new HttpError(404)
      const own = new Map(found.own.map(o => [o.question_id, o]))
      const criterionName = new Map(found.criteria.map(c => [c.id, c.name]))
      const kept = takeForm(req, {} as Record<string, string>)
      res.render('recruitment/views/score', {
        pageTitle: `Score candidate ${found.candidate.code}`,
        campaign: found.campaign,
        candidate: found.candidate,
        submitted: found.submission,
        questions: found.questions.map((q, i) => ({
          id: q.id,
          number: i + 1,
          text: q.text,
          criterion: criterionName.get(q.criterion_id) ?? '',
          kindName: QUESTION_KIND_NAMES[q.kind as QuestionKind] ?? 'Question',
          anchors: anchorsOf(q).map((a, j) => ({ score: SCALE_MIN + j, text: a })),
          mine: own.get(q.id) ?? null,
        })),
        ...kept,
      })
    }),
    post('/recruitment/:campaignId/candidates/:candidateId/score', PANEL, async (req, res) => {
      const userId = ctxOf(res).userId
      const campaignId = intParam(req, 'campaignId')
      const candidateId = intParam(req, 'candidateId')
      const found = await s.recruitment.forAssessor(campaignId, candidateId, userId)
      if (!found) throw new HttpError(404)
      const b = req.body as Record<string, unknown>
      const input: ScoreInput = new Map()
      for (const q of found.questions) {
        const sc = b[`score-${q.id}`]
        const ev = b[`evidence-${q.id}`]
        input.set(q.id, { score: typeof sc === 'string' ? sc : '', evidence: typeof ev === 'string' ? ev : '' })
      }
      const r = await s.recruitment.submitScores(actorOf(res), campaignId, candidateId, input)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Your scores for ${found.candidate.code} are submitted`)
      res.redirect(303, '/recruitment')
    }),

    get('/recruitment/:campaignId/moderation', PANEL, async (req, res) => {
      const m = await s.recruitment.moderation(intParam(req, 'campaignId'), ctxOf(res).userId)
      if (!m) throw new HttpError(404)
      const kept = takeForm(req, {} as Record<string, string>)
      res.render('recruitment/views/moderation', {
        pageTitle: `Moderation: ${m.campaign.title}`,
        campaign: m.campaign,
        scale: scaleOf(m.campaign.scale_max),
        waiting: m.waiting.map(w => ({
          key: `${w.candidate.id}-${w.question.id}`,
          candidateId: w.candidate.id,
          questionId: w.question.id,
          code: w.candidate.code,
          number: w.number,
          text: w.question.text,
          a: w.a,
          b: w.b,
          anchors: anchorsOf(w.question),
        })),
        decided: m.decided.map(d => ({
          code: d.candidate.code,
          number: d.number,
          a: d.a,
          b: d.b,
          score: d.score,
          reason: d.reason,
        })),
        ...kept,
      })
    }),
    post('/recruitment/:campaignId/moderation', PANEL, async (req, res) => {
      const campaignId = intParam(req, 'campaignId')
      const m = await s.recruitment.moderation(campaignId, ctxOf(res).userId)
      if (!m) throw new HttpError(404)
      const parsed = parseForm(moderationSchema, req.body)
      if (!parsed.ok) {
        const b = req.body as Record<string, unknown>
        const key = `${formText(b.candidate)}-${formText(b.question)}`
        const known = m.waiting.some(w => `${w.candidate.id}-${w.question.id}` === key)
        const errors: Record<string, string> = {}
        if (!known) errors.form = 'Choose a question waiting for your final score'
        else {
          if (parsed.errors.score) errors[`score-${key}`] = parsed.errors.score
          if (parsed.errors.reason) errors[`reason-${key}`] = parsed.errors.reason
        }
        return redirectWithErrors(req, res, errors)
      }
      const r = await s.recruitment.moderate(actorOf(res), campaignId, parsed.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Final score recorded')
      res.redirect(303, `/recruitment/${campaignId}/moderation`)
    }),

    get('/recruitment/:campaignId/results', NP, async (req, res) => {
      const r = await s.recruitment.results(intParam(req, 'campaignId'))
      if (!r) throw new HttpError(404)
      res.render('recruitment/views/results', {
        pageTitle: `Results: ${r.campaign.title}`,
        ...r,
        perQuestion: r.perQuestion.map((q, i) => ({
          number: i + 1,
          text: q.question.text,
          criterion: q.criterion,
          n: q.agreement.n,
          enough: q.agreement.enough,
          exact: pct(q.agreement.exact),
          adjacent: pct(q.agreement.adjacent),
          kappa: q.agreement.kappa === null ? 'Cannot be computed' : dec(q.agreement.kappa),
          alpha: q.agreement.alpha === null ? 'Cannot be computed' : dec(q.agreement.alpha),
        })),
        byCriterion: r.byCriterion.map(c => ({
          ...c,
          kindName: CRITERION_KIND_NAMES[c.kind as CriterionKind] ?? 'Criterion',
          all: dec(c.all),
          meets: dec(c.meets),
          not: dec(c.not),
        })),
      })
    }),
  ]
}
