import type { Services } from '../../services'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import {
  type TrainingPolicy,
  type UntrainedAllocation,
  UNTRAINED_ALLOCATIONS,
  UNTRAINED_ALLOCATION_NAMES,
  policyProblems,
  settingsProblems,
} from '../../domain/training'
import { looseNumbers, policySchema, settingsSchema } from './schema'

const NATIONAL = ['NATIONAL_POLICY'] as const
const EDITORS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const READERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const

const POLICY_NUMBERS = [
  'windowFromMonths',
  'windowToMonths',
  'windowToMax',
  'topupMonths',
  'topupMonthsMin',
  'topupMonthsMax',
  'cpdHours',
  'cpdHoursMin',
  'cpdHoursMax',
] as const
const POLICY_FIELDS = [...POLICY_NUMBERS, 'untrainedAllocation', 'untrainedLocal'] as const
const SETTINGS_NUMBERS = ['windowFromMonths', 'windowToMonths', 'topupMonths', 'cpdHours'] as const
const SETTINGS_FIELDS = [...SETTINGS_NUMBERS, 'untrainedAllocation', 'reason'] as const

/** The problems in the order of the form's fields, so the error summary reads top to bottom. */
function ordered(fields: readonly string[], ...sets: Record<string, string>[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of fields) {
    // the first set wins: the form's own message ("Enter …") before a bound
    const m = sets.find(s => s[f])?.[f]
    if (m) out[f] = m
  }
  return out
}

const asRule = (v: unknown): UntrainedAllocation | null => UNTRAINED_ALLOCATIONS.find(r => r === v) ?? null
const ruleItems = (checked: string) =>
  UNTRAINED_ALLOCATIONS.map(r => ({ value: r, text: UNTRAINED_ALLOCATION_NAMES[r], checked: checked === r }))

/** The national training rules (defaults and bounds) and each establishment's own settings within them. */
export function trainingRulesRoutes(s: Services): RouteDef[] {
  return [
    get('/national/training-rules', NATIONAL, async (req, res) => {
      const p = await s.trainingRules.policy()
      const defaults: Record<string, string> = {}
      for (const k of POLICY_NUMBERS) defaults[k] = String(p[k])
      const form = takeForm(req, {
        ...defaults,
        untrainedAllocation: p.untrainedAllocation as string,
        untrainedLocal: p.untrainedLocal ? 'yes' : 'no',
      })
      res.render('trainingRules/views/national', {
        pageTitle: 'National training rules',
        ...form,
        ruleItems: ruleItems(form.values.untrainedAllocation),
      })
    }),

    post('/national/training-rules', NATIONAL, async (req, res) => {
      const form = parseForm(policySchema, req.body)
      if (!form.ok) {
        // the bounds too, for every field that reads as a number: every problem at once
        const loose = looseNumbers(req.body, POLICY_NUMBERS)
        const body = (req.body ?? {}) as Record<string, unknown>
        const bounds = policyProblems({
          ...(Object.fromEntries(POLICY_NUMBERS.map(k => [k, loose[k] ?? NaN])) as Record<
            (typeof POLICY_NUMBERS)[number],
            number
          >),
          untrainedAllocation: asRule(body.untrainedAllocation) ?? 'warn',
          untrainedLocal: body.untrainedLocal === 'yes',
        })
        const onlyNumbers = Object.fromEntries(
          Object.entries(bounds).filter(([k]) => loose[k as (typeof POLICY_NUMBERS)[number]] !== null),
        )
        return redirectWithErrors(req, res, ordered(POLICY_FIELDS, form.errors, onlyNumbers))
      }
      const input: TrainingPolicy = { ...form.data, untrainedLocal: form.data.untrainedLocal === 'yes' }
      const r = await s.trainingRules.savePolicy(actorOf(res), input)
      if (!r.ok) return redirectWithErrors(req, res, ordered(POLICY_FIELDS, r.errors))
      flash(req, 'National training rules saved')
      res.redirect(303, '/national/training-rules')
    }),

    get('/establishment/training-rules', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const settings = await s.trainingRules.settings(est.id)
      const canEdit = hasRole(res, ...EDITORS)
      const blank = (v: number | null) => (v === null ? '' : String(v))
      const form = takeForm(req, {
        windowFromMonths: blank(settings.own.windowFromMonths),
        windowToMonths: blank(settings.own.windowToMonths),
        topupMonths: blank(settings.own.topupMonths),
        cpdHours: blank(settings.own.cpdHours),
        untrainedAllocation: (settings.own.untrainedAllocation ?? '') as string,
        reason: '',
      })
      const p = settings.policy
      res.render('trainingRules/views/establishment', {
        pageTitle: 'Training rules',
        establishment: est,
        settings,
        canEdit,
        isNational: hasRole(res, 'NATIONAL_POLICY'),
        ruleName: UNTRAINED_ALLOCATION_NAMES[settings.effective.untrainedAllocation],
        nationalRuleName: UNTRAINED_ALLOCATION_NAMES[p.untrainedAllocation],
        ruleItems: [
          {
            value: '',
            text: `The national rule (${UNTRAINED_ALLOCATION_NAMES[p.untrainedAllocation]})`,
            checked: form.values.untrainedAllocation === '',
          },
          ...ruleItems(form.values.untrainedAllocation),
        ],
        ...form,
      })
    }),

    post('/establishment/training-rules', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const form = parseForm(settingsSchema, req.body)
      if (!form.ok) {
        const policy = (await s.trainingRules.settings(est.id)).policy
        const loose = looseNumbers(req.body, SETTINGS_NUMBERS)
        const body = (req.body ?? {}) as Record<string, unknown>
        const bounds = settingsProblems(policy, { ...loose, untrainedAllocation: asRule(body.untrainedAllocation) })
        return redirectWithErrors(req, res, ordered(SETTINGS_FIELDS, form.errors, bounds))
      }
      const { reason, ...input } = form.data
      const r = await s.trainingRules.saveSettings(actorOf(res), est.id, input, reason)
      if (!r.ok) return redirectWithErrors(req, res, ordered(SETTINGS_FIELDS, r.errors))
      flash(req, 'Training rules saved')
      res.redirect(303, '/establishment/training-rules')
    }),
  ]
}
