import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { DEFAULT_TRAINING_RULES, NO_LOCAL_SETTINGS } from '../../domain/training'

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
const mdi = world.seeded.MDI
const lei = world.seeded.LEI

const NATIONAL_FORM = {
  windowFromMonths: '3',
  windowToMonths: '9',
  windowToMax: '12',
  topupMonths: '12',
  topupMonthsMin: '6',
  topupMonthsMax: '24',
  cpdHours: '6',
  cpdHoursMin: '6',
  cpdHoursMax: '40',
  untrainedAllocation: 'warn',
  untrainedLocal: 'yes',
}

const policyRow = () => db.selectFrom('training_policy').selectAll().executeTakeFirstOrThrow()
const settingsCount = async () =>
  Number(
    (
      await db
        .selectFrom('training_settings')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

async function newStaff(establishmentId: number, staffNumber: string) {
  const r = await s.staff.create(SYSTEM_ACTOR, establishmentId, {
    staffNumber,
    firstName: 'Test',
    lastName: staffNumber,
    grade: 'Band 3',
    email: null,
    workingPattern: 'full_time',
    weeklyHours: 37,
    startedInPost: null,
    languages: ['en'],
    status: 'active',
    statusReturnDate: null,
    homeUnit: null,
    userId: null,
  } as never)
  assert.ok(r.ok)
  return r.value
}

async function complete(
  establishmentId: number,
  staffId: number,
  kind: string,
  outcome: string,
  voided = false,
): Promise<void> {
  await db
    .insertInto('training_completions')
    .values({
      establishment_id: establishmentId,
      staff_id: staffId,
      module_id: null,
      module_code: kind === 'initial' ? 'KW-INITIAL' : 'KW-TOPUP-MI',
      kind,
      title: 'A module',
      completed_on: '2026-01-10',
      hours: 30,
      outcome,
      source: 'manual',
      course_id: null,
      external_id: null,
      recorded_at: '2026-01-10T10:00:00.000Z',
      recorded_by: 'test',
      voided_at: voided ? '2026-01-11T10:00:00.000Z' : null,
      voided_by: voided ? 'test' : null,
      void_reason: voided ? 'entered by mistake' : null,
    })
    .execute()
}

describe('training rules: defaults and who is trained', () => {
  it('uses the national defaults where nothing is set: 3 to 9 months, top-up 12, CPD 6 hours, warn', async () => {
    assert.deepEqual(await s.trainingRules.rulesFor(mdi.establishmentId), DEFAULT_TRAINING_RULES)
    assert.deepEqual(await s.trainingRules.rulesFor(mdi.establishmentId), {
      windowFromMonths: 3,
      windowToMonths: 9,
      topupMonths: 12,
      cpdHours: 6,
      untrainedAllocation: 'warn',
    })
  })

  it('counts only a non-voided initial course not failed, of this establishment', async () => {
    const before = await s.trainingRules.trainedStaffIds(mdi.establishmentId)
    const passed = await newStaff(mdi.establishmentId, 'TR1')
    const completedOnly = await newStaff(mdi.establishmentId, 'TR2')
    const failed = await newStaff(mdi.establishmentId, 'TR3')
    const voided = await newStaff(mdi.establishmentId, 'TR4')
    const topupOnly = await newStaff(mdi.establishmentId, 'TR5')
    const elsewhere = await newStaff(lei.establishmentId, 'TR6')
    await complete(mdi.establishmentId, passed, 'initial', 'passed')
    await complete(mdi.establishmentId, passed, 'initial', 'passed') // twice: still one officer
    await complete(mdi.establishmentId, completedOnly, 'initial', 'completed')
    await complete(mdi.establishmentId, failed, 'initial', 'failed')
    await complete(mdi.establishmentId, voided, 'initial', 'passed', true)
    await complete(mdi.establishmentId, topupOnly, 'topup', 'passed')
    await complete(lei.establishmentId, elsewhere, 'initial', 'passed')
    const now = await s.trainingRules.trainedStaffIds(mdi.establishmentId)
    assert.deepEqual([...now].sort(), [...before, passed, completedOnly].sort())
    assert.equal(now.has(elsewhere), false)
    assert.equal((await s.trainingRules.trainedStaffIds(lei.establishmentId)).has(elsewhere), true)
  })
})

describe('training rules: the national page', () => {
  it('is the national team’s only', async () => {
    for (const who of ['supervising_officer.mdi', 'establishment_admin.mdi', 'key_worker.mdi']) {
      const b = await signedIn(world, who)
      assert.equal((await b.get('/national/training-rules')).status, 403, who)
    }
    const national = await signedIn(world, 'national')
    const page = await national.get('/national/training-rules')
    assert.equal(page.status, 200)
    assert.match(page.text, /National training rules/)
    assert.match(page.text, /name="windowToMax" type="text" value="12"/)
    assert.match(page.text, /Warn: allocate only after the user confirms/)
  })

  it('lists every problem at once and saves nothing', async () => {
    const national = await signedIn(world, 'national')
    const before = await policyRow()
    const res = await national.post('/national/training-rules', {
      ...NATIONAL_FORM,
      windowFromMonths: 'soon',
      windowToMonths: '20',
      topupMonths: '30',
      cpdHours: '',
      cpdHoursMin: '10',
      cpdHoursMax: '5',
      untrainedAllocation: 'sometimes',
    })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/national/training-rules')
    const page = await national.get('/national/training-rules')
    assert.match(page.text, /There is a problem/)
    for (const m of [
      /The months from the start in post to the opening of the initial course window must be a number/,
      /The window must close no later than the latest an establishment may close it/,
      /The top-up interval must be from 6 to 24 months/,
      /Enter the CPD hours a year/,
      /The largest CPD target must be at least the smallest/,
      /Select what happens when an untrained officer is allocated prisoners/,
    ])
      assert.match(page.text, m)
    assert.deepEqual(await policyRow(), before)
  })

  it('saves the defaults and bounds, audited, and every establishment without its own values follows', async () => {
    const national = await signedIn(world, 'national')
    const res = await national.post('/national/training-rules', {
      ...NATIONAL_FORM,
      windowFromMonths: '2',
      windowToMonths: '6',
      cpdHours: '7.5',
      untrainedAllocation: 'refuse',
    })
    assert.equal(res.status, 303)
    const row = await policyRow()
    assert.equal(row.window_from_months, 2)
    assert.equal(row.window_to_months, 6)
    assert.equal(Number(row.cpd_hours), 7.5)
    assert.equal(row.untrained_allocation, 'refuse')
    assert.equal(row.updated_by, 'national')
    const events = await s.audit.forEntity('training_policy', '1')
    assert.equal(events[0]!.action, 'update')
    assert.equal(events[0]!.username, 'national')
    assert.deepEqual(JSON.parse(events[0]!.changes!), {
      windowFromMonths: { from: 3, to: 2 },
      windowToMonths: { from: 9, to: 6 },
      cpdHours: { from: 6, to: 7.5 },
      untrainedAllocation: { from: 'warn', to: 'refuse' },
    })
    assert.deepEqual(await s.trainingRules.rulesFor(lei.establishmentId), {
      windowFromMonths: 2,
      windowToMonths: 6,
      topupMonths: 12,
      cpdHours: 7.5,
      untrainedAllocation: 'refuse',
    })
    // back to the defaults for the tests that follow
    assert.ok(
      (
        await s.trainingRules.savePolicy(SYSTEM_ACTOR, {
          ...(await s.trainingRules.policy()),
          ...DEFAULT_TRAINING_RULES,
        })
      ).ok,
    )
  })
})

describe('training rules: an establishment’s own settings', () => {
  const path = '/establishment/training-rules'

  it('shows the rules in force to a Supervising Officer, read only; a Key Worker may not see the page', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = await so.get(path)
    assert.equal(page.status, 200)
    assert.match(page.text, /Opens 3 months and closes 9 months after the start in post/)
    assert.match(page.text, /Every 12 months/)
    assert.match(page.text, /6 hours in any 12 months/)
    assert.match(page.text, /Warn: allocate only after the user confirms/)
    assert.doesNotMatch(page.text, /Save training rules/)
    const before = await settingsCount()
    assert.equal((await so.post(path, { topupMonths: '6', reason: 'x' }, path)).status, 403)
    assert.equal(await settingsCount(), before)
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get(path)).status, 403)
  })

  it('lists every problem at once against the national bounds and saves nothing', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const before = await settingsCount()
    const res = await admin.post(path, {
      windowFromMonths: '',
      windowToMonths: '13',
      topupMonths: '3',
      cpdHours: 'lots',
      untrainedAllocation: '',
      reason: '',
    })
    assert.equal(res.status, 303)
    const page = await admin.get(path)
    assert.match(page.text, /There is a problem/)
    for (const m of [
      /The months to the end of the window must be a whole number from 1 to 12 \(the national bound\)/,
      /The top-up interval must be a whole number of months from 6 to 24 \(the national bounds\)/,
      /The CPD hours a year must be a number, like 6, or blank/,
      /Enter the reason for the change/,
    ])
      assert.match(page.text, m)
    assert.equal(await settingsCount(), before)
    // a window that would open after it closes
    await admin.post(path, { windowFromMonths: '10', reason: 'Longer induction here' })
    assert.match((await admin.get(path)).text, /The window must open before it closes/)
    assert.equal(await settingsCount(), before)
  })

  it('saves values within the bounds, blank for the national default, audited with the reason; only here', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const res = await admin.post(path, {
      windowFromMonths: '',
      windowToMonths: '12',
      topupMonths: '18',
      cpdHours: '10',
      untrainedAllocation: 'refuse',
      reason: 'A new houseblock opens in spring',
    })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, path)
    assert.deepEqual(await s.trainingRules.rulesFor(mdi.establishmentId), {
      windowFromMonths: 3,
      windowToMonths: 12,
      topupMonths: 18,
      cpdHours: 10,
      untrainedAllocation: 'refuse',
    })
    assert.deepEqual(await s.trainingRules.rulesFor(lei.establishmentId), DEFAULT_TRAINING_RULES)
    const events = await s.audit.forEntity('training_settings', String(mdi.establishmentId))
    assert.equal(events[0]!.action, 'create')
    assert.equal(events[0]!.username, 'establishment_admin.mdi')
    assert.equal(events[0]!.establishment_id, mdi.establishmentId)
    assert.deepEqual(JSON.parse(events[0]!.changes!), {
      windowToMonths: { from: null, to: 12 },
      topupMonths: { from: null, to: 18 },
      cpdHours: { from: null, to: 10 },
      untrainedAllocation: { from: null, to: 'refuse' },
      reason: { from: null, to: 'A new houseblock opens in spring' },
    })
    const page = await admin.get(path)
    assert.match(page.text, /Opens 3 months and closes 12 months after the start in post/)
    assert.match(page.text, /Refuse: untrained officers are never allocated prisoners/)
  })

  it('keeps to the national bounds when they move, and to the national rule when establishments may not choose', async () => {
    const policy = await s.trainingRules.policy()
    assert.ok(
      (
        await s.trainingRules.savePolicy(SYSTEM_ACTOR, {
          ...policy,
          topupMonthsMax: 15,
          windowToMax: 10,
          windowToMonths: 9,
        })
      ).ok,
    )
    const rules = await s.trainingRules.rulesFor(mdi.establishmentId)
    assert.equal(rules.topupMonths, 15, 'the own 18 is brought within the new bound')
    assert.equal(rules.windowToMonths, 10)
    assert.ok(
      (
        await s.trainingRules.savePolicy(SYSTEM_ACTOR, {
          ...policy,
          untrainedLocal: false,
          untrainedAllocation: 'allow',
        })
      ).ok,
    )
    assert.equal((await s.trainingRules.rulesFor(mdi.establishmentId)).untrainedAllocation, 'allow')
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const page = await admin.get(path)
    assert.match(page.text, /The national team sets what happens when a Key Worker has not done the initial course/)
    const r = await s.trainingRules.saveSettings(SYSTEM_ACTOR, mdi.establishmentId, {
      ...NO_LOCAL_SETTINGS,
      untrainedAllocation: 'refuse',
    })
    assert.equal(r.ok, false)
    assert.match(r.ok ? '' : r.errors.untrainedAllocation!, /The national team sets what happens/)
    assert.ok((await s.trainingRules.savePolicy(SYSTEM_ACTOR, policy)).ok)
  })

  it('is linked from the establishment settings and the national policy', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    assert.match((await admin.get('/establishment/settings')).text, /href="\/establishment\/training-rules"/)
    const national = await signedIn(world, 'national')
    assert.match((await national.get('/national/policy')).text, /href="\/national\/training-rules"/)
  })
})
