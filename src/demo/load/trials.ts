// `keywork demo`: the trials demo (issue 17), after the year of history: the two interventions of
// src/demo/generator/trials.ts (one whose planted effect on delivery the history already carries, one with none),
// defined by the national team through the trials service, and eighteen months of violence, self-harm and
// adjudication counts per establishment uploaded as the CSV the team would upload. Each through the service, so each
// is audited and checked as a real one would be.
import type { Db } from '../../platform/db/database'
import type { Actor } from '../../platform/audit/service'
import type { TrialsService } from '../../features/trials/service'
import type { UsersService } from '../../features/users/service'
import { countsCsv, demoOutcomeCounts, demoTrials } from '../generator/trials'

export interface DemoTrialsDeps {
  trials: Pick<TrialsService, 'create' | 'importCounts'>
  users: Pick<UsersService, 'list'>
  establishments: { all(): Promise<{ id: number; code: string }[]> }
}

export interface DemoTrialsSummary {
  trials: number
  adoptions: number
  counts: number
}

export async function loadDemoTrials(
  db: Db,
  deps: DemoTrialsDeps,
  opts: { seed: number; today: string },
): Promise<DemoTrialsSummary> {
  const national = (await deps.users.list(null, 'national')).find(u => u.username === 'national')
  const actor: Actor = { userId: national?.id ?? null, username: national?.username ?? 'demo', establishmentId: null }
  const establishments = (await deps.establishments.all()).sort((a, b) => a.id - b.id)
  const summary: DemoTrialsSummary = { trials: 0, adoptions: 0, counts: 0 }

  // the counts first, so that the reports have them when first opened
  const held = await db.db
    .selectFrom('prisoners')
    .select(['establishment_id'])
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'in')
    .groupBy('establishment_id')
    .execute()
  const population = new Map(held.map(r => [r.establishment_id, Number(r.n)]))
  const rows = demoOutcomeCounts(
    opts.seed,
    opts.today,
    establishments.map(e => ({ id: e.id, code: e.code, population: population.get(e.id) ?? 0 })),
  )
  if (rows.length > 0) {
    const r = await deps.trials.importCounts(actor, new TextEncoder().encode(countsCsv(rows)), 'outcome-counts.csv')
    if (!r.ok) throw new Error(`demo outcome counts: ${r.messages.join(' ')}`)
    summary.counts = r.added + r.replaced
  }

  for (const t of demoTrials(
    establishments.map(e => e.id),
    opts.today,
  )) {
    if (t.adoptions.length === 0) continue
    await deps.trials.create(actor, {
      name: t.name,
      kind: t.kind,
      description: t.description,
      adoptions: t.adoptions,
      comparisons: t.comparisons,
      outcomes: t.outcomes,
    })
    summary.trials++
    summary.adoptions += t.adoptions.length
  }
  return summary
}
