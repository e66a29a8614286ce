import type { Kysely } from 'kysely'
import type { Selectable } from 'kysely'
import type { Database, TrialTable } from '../../platform/db/types'
import type { Actor, AuditService } from '../../platform/audit/service'
import { type Result, fail, ok } from '../../domain/result'
import { addDays, formatDate, parseDate, todayIso } from '../../domain/dates'
import { now } from '../../domain/clock'
import { effectiveSettings } from '../../domain/policy'
import {
  type DidResult,
  type PanelObservation,
  beforeAfter,
  estimateStaggeredDid,
  periodOfMonth,
  summarise,
  twoWayFixedEffects,
} from '../../domain/did'
import { type establishmentsService, overridesOf, toBounds } from '../establishments/service'
import { trialsRepository } from './repository'
import { compliance, lastDayOf, monthsBetween, per1000, ratio, shiftMonth, spellDaysByMonth } from './panel'
import { readOutcomeCsv } from './csv'
import {
  COUNT_MEASURES,
  KEYWORK_MEASURES,
  KINDS,
  type Kind,
  type KeyworkMeasure,
  type TrialDefinition,
  type TrialForm,
  isCountMeasure,
} from './schema'

export interface TrialsDeps {
  audit: AuditService
  establishments: Pick<ReturnType<typeof establishmentsService>, 'all' | 'policy'>
  /** the staff culture survey as an outcome (issue 17) */
  survey?: SurveyOutcomes
}

/** What the trials need of the staff survey: its questions as outcomes, and each establishment's means by round. */
export interface SurveyOutcomes {
  outcomeQuestions(): Promise<{ code: string; text: string }[]>
  establishmentMeans(
    questionCode: string,
  ): Promise<{ establishmentId: number; month: string; mean: number; n: number }[]>
}

export interface MeasureInfo {
  code: string
  name: string
  higherIsBetter: boolean
  unit: string
  source: 'keywork' | 'count' | 'survey'
}

/** Months of history before the first adoption that the panel reads. */
export const HISTORY_MONTHS = 12
/** How long a worked-out report is kept (the estimate's bootstrap takes a second or two on the national panel). */
const CACHE_MS = 10 * 60 * 1000

const SEPARATOR = /\s*[,;\t]\s*|\s+/

/** A trial's panel: y per unit (establishment id) and period (months since 2000-01). */
export type Panel = Map<string, PanelObservation[]>

export function trialsService(db: Kysely<Database>, deps: TrialsDeps) {
  const repo = trialsRepository(db)
  const { audit } = deps
  const cache = new Map<string, { at: number; report: TrialReport }>()

  async function measures(): Promise<MeasureInfo[]> {
    const own = (Object.keys(KEYWORK_MEASURES) as KeyworkMeasure[]).map(code => ({
      code,
      ...KEYWORK_MEASURES[code],
      source: 'keywork' as const,
    }))
    const counts = Object.entries(COUNT_MEASURES).map(([code, name]) => ({
      code: `count:${code}`,
      name: `${name} per 1,000 prisoners`,
      higherIsBetter: false,
      unit: 'per 1,000 prisoners',
      source: 'count' as const,
    }))
    const survey = deps.survey
      ? (await deps.survey.outcomeQuestions()).map(q => ({
          code: `survey:${q.code}`,
          name: `Staff survey: ${q.text}`,
          higherIsBetter: true,
          unit: 'mean answer',
          source: 'survey' as const,
        }))
      : []
    return [...own, ...counts, ...survey]
  }

  /**
   * Checks a typed form against the establishments and measures known: every problem at once, each field's problems
   * in one message. Adoptions: one establishment a line, its code and the date the intervention started there.
   */
  async function validate(form: TrialForm): Promise<Result<TrialDefinition>> {
    const establishments = await deps.establishments.all()
    const byCode = new Map(establishments.map(e => [e.code.toUpperCase(), e]))
    const today = todayIso()
    const errors: Record<string, string> = {}
    const adoptions: TrialDefinition['adoptions'] = []
    const problems: string[] = []
    const lines = form.adoptions.split(/\r?\n/)
    lines.forEach((line, i) => {
      const t = line.trim()
      if (!t) return
      const [code = '', ...rest] = t.split(SEPARATOR)
      const e = byCode.get(code.toUpperCase())
      const typed = rest.join(' ').trim()
      const date = typed ? parseDate(typed) : null
      const at = `Line ${i + 1}`
      if (!e) problems.push(`${at}: no establishment has the code ${code}`)
      if (!typed) problems.push(`${at}: enter the date the intervention started at ${code}, like ${code}, 1/4/2026`)
      else if (!date) problems.push(`${at}: the start date must be a real date, like 1/4/2026 (not ${typed})`)
      else if (date > today) problems.push(`${at}: the start date ${formatDate(date)} is in the future`)
      if (e && adoptions.some(a => a.establishmentId === e.id))
        problems.push(`${at}: ${e.code} is listed more than once`)
      else if (e && date && date <= today) adoptions.push({ establishmentId: e.id, startDate: date })
    })
    if (problems.length) errors.adoptions = problems.join('. ')
    else if (adoptions.length === 0)
      errors.adoptions = 'Enter at least one adopting establishment and the date the intervention started there'

    const comparisons: number[] = []
    if (form.comparison === 'chosen') {
      const cproblems: string[] = []
      for (const code of form.comparisons.split(/[\s,;]+/).filter(Boolean)) {
        const e = byCode.get(code.toUpperCase())
        if (!e) cproblems.push(`no establishment has the code ${code}`)
        else if (
          form.adoptions.split(/\r?\n/).some(l => l.trim().split(SEPARATOR)[0]?.toUpperCase() === e.code.toUpperCase())
        )
          cproblems.push(`${e.code} cannot be both adopting and a comparison`)
        else if (!comparisons.includes(e.id)) comparisons.push(e.id)
      }
      if (cproblems.length) errors.comparisons = capitalise(cproblems.join('; '))
      else if (comparisons.length === 0) errors.comparisons = 'Enter the codes of the comparison establishments'
    } else if (form.comparisons.trim())
      errors.comparisons =
        'You listed comparison establishments: choose "Only the establishments I list", or clear the list'

    const known = new Set((await measures()).map(m => m.code))
    if (form.outcomes.length === 0) errors.outcomes = 'Choose at least one outcome measure'
    else if (form.outcomes.some(o => !known.has(o))) errors.outcomes = 'Choose outcome measures from the list'

    if (Object.keys(errors).length) return fail(errors)
    return ok({
      name: form.name,
      kind: form.kind as Kind,
      description: form.description ?? '',
      adoptions,
      comparisons,
      outcomes: form.outcomes,
    })
  }

  const snapshot = (d: TrialDefinition) => JSON.stringify(d)

  async function get(id: number) {
    const found = await repo.trial(id)
    if (!found) return null
    const establishments = await deps.establishments.all()
    const byId = new Map(establishments.map(e => [e.id, e]))
    return { ...found, byId }
  }

  /** The monthly figures of every establishment for the measures, in a few grouped queries. */
  async function panel(measureCodes: string[], fromMonth: string, toMonth: string) {
    const months = monthsBetween(fromMonth, toMonth)
    const from = `${fromMonth}-01`
    const to = lastDayOf(toMonth)
    const out = new Map<string, Map<number, Map<string, number>>>()
    const put = (measure: string, est: number, month: string, y: number | null) => {
      if (y === null || !Number.isFinite(y)) return
      let m = out.get(measure)
      if (!m) out.set(measure, (m = new Map()))
      let e = m.get(est)
      if (!e) m.set(est, (e = new Map()))
      e.set(month, y)
    }
    const wants = (c: string) => measureCodes.includes(c)
    const needSpells = wants('compliance') || measureCodes.some(c => c.startsWith('count:'))
    const [establishments, policy, daily, spells, qa] = await Promise.all([
      deps.establishments.all(),
      deps.establishments.policy(),
      wants('compliance') || wants('gap_days') ? repo.dailyByMonth(from, to) : [],
      needSpells ? repo.spells(from, to) : [],
      wants('qa_score') ? repo.qaByMonth(from, to) : [],
    ])
    const bounds = toBounds(policy)
    const weeks = new Map(establishments.map(e => [e.id, effectiveSettings(bounds, overridesOf(e)).frequencyWeeks]))
    const eligible = spellDaysByMonth(spells, months)
    const days = (est: number, month: string) => eligible.get(est)?.get(month) ?? 0
    for (const d of daily) {
      if (wants('compliance'))
        put(
          'compliance',
          d.establishmentId,
          d.month,
          compliance(d.delivered, days(d.establishmentId, d.month), weeks.get(d.establishmentId) ?? 1),
        )
      if (wants('gap_days')) put('gap_days', d.establishmentId, d.month, ratio(d.gapDays, d.gapCount))
    }
    if (wants('compliance'))
      // an establishment with eligible prisoners and no session at all that month delivered none: 0%
      for (const [est, byMonth] of eligible)
        for (const [month, eligibleDays] of byMonth)
          if (eligibleDays > 0 && !out.get('compliance')?.get(est)?.has(month)) put('compliance', est, month, 0)
    for (const q of qa) put('qa_score', q.establishmentId, q.month, ratio(q.total, q.reviews))
    if (wants('seen_28'))
      for (const month of months) {
        const day = lastDayOf(month)
        for (const r of await repo.seenOn(day, addDays(day, -27)))
          put('seen_28', r.establishmentId, month, ratio(r.seen, r.eligible, 100))
      }
    for (const code of measureCodes.filter(c => c.startsWith('count:'))) {
      for (const c of await repo.counts(code.slice(6), fromMonth, toMonth))
        put(
          code,
          c.establishment_id,
          c.month,
          per1000(c.count, c.population, days(c.establishment_id, c.month), c.month),
        )
    }
    for (const code of measureCodes.filter(c => c.startsWith('survey:'))) {
      if (!deps.survey) continue
      for (const r of await deps.survey.establishmentMeans(code.slice(7)))
        if (r.month >= fromMonth && r.month <= toMonth) put(code, r.establishmentId, r.month, r.mean)
    }
    return out
  }

  async function buildReport(id: number): Promise<TrialReport | null> {
    const found = await get(id)
    if (!found) return null
    const { trial, adoptions, comparisons, outcomes, byId } = found
    const thisMonth = todayIso().slice(0, 7)
    const first = adoptions.map(a => a.startDate.slice(0, 7)).sort()[0] ?? thisMonth
    const fromMonth = shiftMonth(first, -HISTORY_MONTHS)
    const toMonth = shiftMonth(thisMonth, -1)
    const adopters = new Set(adoptions.map(a => a.establishmentId))
    const comparisonIds = comparisons.length
      ? comparisons
      : [...byId.values()].filter(e => e.enabled === 1 && !adopters.has(e.id)).map(e => e.id)
    const adoption = new Map<number, number | null>()
    for (const a of adoptions) adoption.set(a.establishmentId, periodOfMonth(a.startDate.slice(0, 7)))
    for (const c of comparisonIds) adoption.set(c, null)
    const all = await measures()
    const info = new Map(all.map(m => [m.code, m]))
    const data = toMonth >= fromMonth ? await panel(outcomes, fromMonth, toMonth) : new Map()
    const results: OutcomeReport[] = outcomes.map(code => {
      const m = info.get(code) ?? { code, name: code, higherIsBetter: true, unit: '', source: 'keywork' as const }
      const observations: PanelObservation[] = []
      for (const [unit, byMonth] of data.get(code) ?? new Map<number, Map<string, number>>())
        if (adoption.has(unit))
          for (const [month, y] of byMonth) observations.push({ unit, period: periodOfMonth(month), y })
      observations.sort((a, b) => a.unit - b.unit || a.period - b.period)
      let result: DidResult | null = null
      let twfe: number | null = null
      let summary: string[] = []
      let problem: string | null = null
      try {
        result = estimateStaggeredDid({ observations, adoption })
        twfe = twoWayFixedEffects(observations, adoption)
        summary = summarise(result, { name: m.name, higherIsBetter: m.higherIsBetter, unit: m.unit })
      } catch (err) {
        problem = `The estimate could not be worked out (${err instanceof Error ? err.message : 'unknown error'}).`
      }
      let single: OutcomeReport['beforeAfter'] = null
      if (adoptions.length === 1) {
        const a = adoptions[0]!
        try {
          single = beforeAfter(
            observations.filter(o => o.unit === a.establishmentId),
            periodOfMonth(a.startDate.slice(0, 7)),
          )
        } catch {
          single = null
        }
      }
      return { measure: m, observations: observations.length, result, twfe, summary, problem, beforeAfter: single }
    })
    return {
      trial,
      kindName: KINDS[trial.kind as Kind] ?? trial.kind,
      adoptions: adoptions.map(a => ({
        ...a,
        code: byId.get(a.establishmentId)?.code ?? '',
        name: byId.get(a.establishmentId)?.name ?? '',
        month: a.startDate.slice(0, 7),
      })),
      comparisonsChosen: comparisons.length > 0,
      comparisons: comparisonIds.map(id => ({ id, code: byId.get(id)?.code ?? '', name: byId.get(id)?.name ?? '' })),
      window: { from: fromMonth, to: toMonth },
      outcomes: results,
      workedOutAt: now().toISOString(),
    }
  }

  return {
    measures,
    validate,
    panel,
    list: () => repo.list(),
    get,
    revisions: (id: number) => repo.revisions(id),

    /** Creates the trial, its first version and the audit event, in one transaction. */
    async create(actor: Actor, def: TrialDefinition): Promise<number> {
      const at = now().toISOString()
      const by = actor.username ?? 'unknown'
      return db.transaction().execute(async trx => {
        const id = await repo.insertTrial(trx, { name: def.name, kind: def.kind, description: def.description, at, by })
        await repo.replaceParts(trx, id, def)
        await repo.insertRevision(trx, { trialId: id, version: 1, snapshot: snapshot(def), at, by })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'trial',
          entityId: id,
          establishmentId: null,
          changes: def,
        })
        return id
      })
    },

    /** Saves a new version of the trial: the previous one stays in its history; audited with what changed. */
    async update(actor: Actor, id: number, def: TrialDefinition): Promise<Result<number>> {
      const at = now().toISOString()
      const by = actor.username ?? 'unknown'
      return db.transaction().execute(async trx => {
        const existing = await repo.trial(id, trx)
        if (!existing) return fail<number>({ form: 'This trial no longer exists' })
        const before: TrialDefinition = {
          name: existing.trial.name,
          kind: existing.trial.kind as Kind,
          description: existing.trial.description,
          adoptions: existing.adoptions,
          comparisons: existing.comparisons,
          outcomes: existing.outcomes,
        }
        const version = existing.trial.version + 1
        await repo.updateTrial(trx, id, {
          name: def.name,
          kind: def.kind,
          description: def.description,
          version,
          at,
          by,
        })
        await repo.replaceParts(trx, id, def)
        await repo.insertRevision(trx, { trialId: id, version, snapshot: snapshot(def), at, by })
        const changes: Record<string, { from: unknown; to: unknown }> = {}
        for (const k of Object.keys(def) as (keyof TrialDefinition)[])
          if (JSON.stringify(before[k]) !== JSON.stringify(def[k])) changes[k] = { from: before[k], to: def[k] }
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'trial',
          entityId: id,
          establishmentId: null,
          changes: { version, ...changes },
        })
        return ok(version)
      })
    },

    /** The report, worked out once and kept for ten minutes (or until the trial or the imported counts change). */
    async report(id: number): Promise<TrialReport | null> {
      const [trial, fingerprint] = await Promise.all([
        db.selectFrom('trials').select('version').where('id', '=', id).executeTakeFirst(),
        repo.countsFingerprint(),
      ])
      if (!trial) return null
      const key = `${id}:${trial.version}:${fingerprint}:${todayIso()}`
      const kept = cache.get(key)
      if (kept && now().getTime() - kept.at < CACHE_MS) return kept.report
      const report = await buildReport(id)
      if (!report) return null
      for (const k of cache.keys()) if (k.startsWith(`${id}:`)) cache.delete(k)
      cache.set(key, { at: now().getTime(), report })
      return report
    },

    /**
     * Imports a CSV of monthly counts: every row checked first, every problem listed with its row; nothing saved when
     * any row is wrong. A row for an establishment, month and measure already held replaces it. One transaction.
     */
    async importCounts(
      actor: Actor,
      bytes: Uint8Array,
      fileName: string,
    ): Promise<{ ok: true; added: number; replaced: number } | { ok: false; messages: string[] }> {
      const establishments = await deps.establishments.all()
      const codes = new Map(establishments.map(e => [e.code.toUpperCase(), e.id]))
      const read = readOutcomeCsv(bytes, codes, todayIso().slice(0, 7))
      if (!read.ok) return read
      const at = now().toISOString()
      const by = actor.username ?? 'unknown'
      return db.transaction().execute(async trx => {
        const existing = await repo.existingKeys(trx, read.rows)
        let replaced = 0
        for (const r of read.rows) {
          if (existing.has(`${r.establishmentId}|${r.month}|${r.measure}`)) replaced++
          await repo.replaceCount(trx, { ...r, at, by })
        }
        const added = read.rows.length - replaced
        const importId = await repo.insertImport(trx, { fileName, added, replaced, at, by })
        await audit.record(trx, actor, {
          action: 'import',
          entity: 'trial_outcome_counts',
          entityId: importId,
          establishmentId: null,
          changes: {
            file: fileName,
            added,
            replaced,
            measures: [...new Set(read.rows.map(r => r.measure))],
            months: [...new Set(read.rows.map(r => r.month))].sort(),
          },
        })
        return { ok: true as const, added, replaced }
      })
    },

    async outcomes() {
      const [summary, imports] = await Promise.all([repo.countSummary(), repo.imports()])
      return {
        summary: summary.map(s => ({
          ...s,
          name: isCountMeasure(s.measure) ? COUNT_MEASURES[s.measure] : s.measure,
        })),
        imports,
      }
    },
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

export interface OutcomeReport {
  measure: MeasureInfo
  observations: number
  result: DidResult | null
  twfe: number | null
  summary: string[]
  problem: string | null
  beforeAfter: { before: number | null; after: number | null; difference: number | null; warning: string } | null
}

export interface TrialReport {
  trial: Selectable<TrialTable>
  kindName: string
  adoptions: { establishmentId: number; startDate: string; code: string; name: string; month: string }[]
  comparisonsChosen: boolean
  comparisons: { id: number; code: string; name: string }[]
  window: { from: string; to: string }
  outcomes: OutcomeReport[]
  workedOutAt: string
}

export type TrialsService = ReturnType<typeof trialsService>
