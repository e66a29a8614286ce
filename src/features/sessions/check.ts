// "Check my entry" (issue 15): the pre-check of an entry as typed, against the quality rubric. Hints never block a
// submit; the submit stores the pre-check (the rubric version, the per-criterion estimates and the hints) with the
// entry. The rules are in src/domain/precheck.ts.
import type { EntryForm } from '../../domain/sessionEntry'
import { NATIONAL_RUBRIC_V1, type Rubric, scoreLabel } from '../../domain/rubric'
import { type Precheck, type StoredPrecheck, forCodes, precheck, precheckScore } from '../../domain/precheck'
import type { SessionsContext } from './context'
import type { SessionRow } from './repository'
import { entryTextOf } from './schema'

/** A hint as the form shows it: with the title of the criterion it is about. */
export interface ShownHint {
  criterion: string
  title: string
  message: string
  field: string
}

/** The pre-check as the entry form shows it, and as the submit stores it. */
export interface EntryCheckResult {
  stored: StoredPrecheck & { rubricVersionId: number | null }
  score: number | null
  /** false for a session recorded as not delivered: nothing to judge */
  judged: boolean
  hints: ShownHint[]
  /** each national criterion's estimate, with its words ("2 – Requires improvement", or that a reader must judge) */
  estimates: { code: string; title: string; estimate: number | null; label: string }[]
}

/** The national rubric as used when no rubric service is wired (tests that build sessions alone): version 1. */
const SEED: Pick<Rubric, 'version' | 'criteria'> & { versionId: number | null } = {
  versionId: null,
  version: NATIONAL_RUBRIC_V1.version,
  criteria: NATIONAL_RUBRIC_V1.criteria.map((c, i) => ({ ...c, id: i + 1, national: true })),
}

/** The pre-check of a draft's form against the establishment's current rubric. */
export async function checkForm(
  c: SessionsContext,
  row: SessionRow,
  form: EntryForm,
  openGoalIds?: readonly number[],
): Promise<EntryCheckResult> {
  const rubric = c.deps.rubric ? await c.deps.rubric.current(row.establishment_id) : SEED
  const goals = openGoalIds ?? (await c.repo.openGoals(c.db, row.establishment_id, row.prisoner_id)).map(g => g.id)
  const national = rubric.criteria.filter(k => k.national)
  const text = entryTextOf(form)
  const p: Precheck = forCodes(
    precheck(text, {
      openGoalIds: goals,
      firstName: row.first_name,
      recordSaysInterpreter: !!row.prisoner_interpreter_needed,
    }),
    national.map(k => k.code),
  )
  const title = new Map(national.map(k => [k.code, k.title]))
  return {
    stored: { rubricVersion: rubric.version, rubricVersionId: rubric.versionId, ...p },
    score: precheckScore(p),
    judged: text.outcome !== 'not_delivered',
    hints: p.hints.map(h => ({ ...h, title: title.get(h.criterion) ?? h.criterion })),
    estimates: national
      .filter(k => k.code in p.estimates)
      .map(k => {
        const estimate = p.estimates[k.code as keyof Precheck['estimates']]
        return {
          code: k.code,
          title: k.title,
          estimate,
          label: estimate ? scoreLabel(estimate) : 'For a reader to judge',
        }
      }),
  }
}
