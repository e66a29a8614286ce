import assert from 'node:assert/strict'
import { NO_LOCAL_SETTINGS, type UntrainedAllocation } from '../../src/domain/training'
import { SYSTEM_ACTOR } from '../../src/platform/audit/service'
import type { Services } from '../../src/services'

/** An establishment opened through the establishments service: its id. */
export async function openEstablishment(s: Services, code: string, name: string): Promise<number> {
  const made = await s.establishments.create(SYSTEM_ACTOR, {
    code,
    name,
    category: 'Category C training',
    region: 'Midlands',
  })
  assert.ok(made.ok, JSON.stringify(made))
  return made.value
}

/** Sets the establishment's automatic allocation and ratio (null: the national default), as its settings page does. */
export async function setAllocationSettings(
  s: Services,
  establishmentId: number,
  settings: { autoAllocation: boolean; ratio: number | null },
) {
  const est = await s.establishments.byId(establishmentId)
  assert.ok(est)
  const r = await s.establishments.updateSettings(SYSTEM_ACTOR, establishmentId, {
    name: est.name,
    category: est.category,
    region: est.region,
    autoAllocation: settings.autoAllocation,
    ratio: settings.ratio,
    frequencyWeeks: null,
    sessionMinutes: null,
  })
  assert.ok(r.ok, JSON.stringify(r))
}

/** The establishment's rule for Key Workers without the initial course. */
export async function setUntrainedRule(s: Services, establishmentId: number, rule: UntrainedAllocation) {
  const r = await s.trainingRules.saveSettings({ ...SYSTEM_ACTOR, establishmentId }, establishmentId, {
    ...NO_LOCAL_SETTINGS,
    untrainedAllocation: rule,
  })
  assert.ok(r.ok, JSON.stringify(r))
}

/** A passed initial Key Worker course for the officer. */
export async function recordInitialCourse(s: Services, establishmentId: number, staffId: number) {
  await s.db.db
    .insertInto('training_completions')
    .values({
      establishment_id: establishmentId,
      staff_id: staffId,
      module_id: null,
      module_code: 'KW-INITIAL',
      kind: 'initial',
      title: 'Key Worker initial course',
      completed_on: '2026-01-01',
      hours: 30,
      outcome: 'passed',
      source: 'manual',
      course_id: null,
      external_id: null,
      recorded_at: '2026-01-01T12:00:00.000Z',
      recorded_by: 'test',
    })
    .execute()
}

/** How many allocation rows there are, and how many audit events of allocations. */
export async function allocationCounts(s: Services): Promise<{ rows: number; events: number }> {
  const count = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n)
  return {
    rows: await count(
      s.db.db
        .selectFrom('allocations')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
    events: await count(
      s.db.db
        .selectFrom('audit_events')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('entity', '=', 'allocation')
        .executeTakeFirstOrThrow(),
    ),
  }
}

/** The audit events of these allocations, oldest first, their changes parsed. */
export async function allocationEvents(s: Services, allocationIds: number[]) {
  if (allocationIds.length === 0) return []
  const rows = await s.db.db
    .selectFrom('audit_events')
    .select(['action', 'username', 'entity_id', 'establishment_id', 'changes'])
    .where('entity', '=', 'allocation')
    .where(
      'entity_id',
      'in',
      allocationIds.map(id => String(id)),
    )
    .orderBy('id')
    .execute()
  return rows.map(e => ({ ...e, changes: JSON.parse(e.changes ?? 'null') as unknown }))
}

/** "20 December 2026" for 2026-12-20, written without the service's date formatting. */
export const spokenDate = (iso: string) =>
  new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })

/** Every allocation of the prisoner (by prison number), oldest first. */
export async function allocationRowsOf(s: Services, prisonNumber: string) {
  return s.db.db
    .selectFrom('allocations')
    .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
    .select([
      'allocations.id',
      'allocations.staff_id',
      'allocations.allocated_by',
      'allocations.allocation_reason',
      'allocations.handover_note',
      'allocations.deallocated_at',
      'allocations.deallocated_by',
      'allocations.deallocation_reason',
      'allocations.deallocation_note',
    ])
    .where('prisoners.prison_number', '=', prisonNumber)
    .orderBy('allocations.id')
    .execute()
}

/** The prisoner's current Key Worker and why they were allocated, or null when he has none. */
export async function currentAllocation(s: Services, prisonNumber: string) {
  const row = await s.db.db
    .selectFrom('allocations')
    .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
    .select(['allocations.staff_id', 'allocations.allocation_reason'])
    .where('prisoners.prison_number', '=', prisonNumber)
    .where('allocations.deallocated_at', 'is', null)
    .executeTakeFirst()
  return row ?? null
}
