// Automatic allocation on a world built here, small enough to know every answer by hand: five men waiting, Kay with
// room for two on Houseblock 1, Kim with room for one on Houseblock 2, Nia who is not a Key Worker. The preview's
// filters, groups, choices and explanation; each refusal of a confirmation by its words and with nothing saved; the
// rows and audit events of what was confirmed; who the training rules name.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import {
  allocationCounts,
  openEstablishment,
  recordInitialCourse,
  setAllocationSettings,
  setUntrainedRule,
} from '../../../test/support/allocations'
import { admitPrisoner } from '../../../test/support/prisoners'
import { hireOfficer } from '../../../test/support/staff'
import { addDays, todayIso } from '../../domain/dates'
import type { UntrainedAllocation } from '../../domain/training'
import { AUTO_OFF } from './auto'

type Services = Awaited<ReturnType<typeof testServices>>
const NO_ROOM = 'No Key Worker has room on their caseload'
const NOTHING = 'Nothing was saved.'

describe('automatic allocation: preview and confirm on a world known by hand', () => {
  let s: Services
  let est: number
  const actor = () => ({ userId: null, username: 'so.auto', establishmentId: est })
  let kay: number
  let kim: number
  let nia: number
  let elsewhere: number
  /** prison numbers: P1 HB1 long ago, P2 HB2 interpreter 2 days ago, P3 HB1 today, P4 no unit, P5 HB2 10 days ago */
  const P: Record<string, string> = {}

  const settings = (autoAllocation: boolean) => setAllocationSettings(s, est, { autoAllocation, ratio: 6 })
  const setRule = (rule: UntrainedAllocation) => setUntrainedRule(s, est, rule)
  const countAllocations = async () => (await allocationCounts(s)).rows
  const numbers = (rows: { prison_number: string }[]) => rows.map(r => r.prison_number).sort()

  before(async () => {
    s = await testServices()
    est = await openEstablishment(s, 'AUT', 'Autby (HMP)')
    const other = await openEstablishment(s, 'OTH', 'Otherby (HMP)')
    await settings(true)
    await setRule('allow')
    for (const [code, name] of [
      ['HB1', 'Houseblock 1'],
      ['HB2', 'Houseblock 2'],
    ] as const)
      assert.ok((await s.units.create(actor(), est, { code, name, capacity: 100 })).ok)
    kay = await hireOfficer(s, est, {
      staffNumber: 'KAY1',
      firstName: 'Kay',
      lastName: 'One',
      homeUnit: 'HB1',
      capacityOverride: 2,
    })
    kim = await hireOfficer(s, est, {
      staffNumber: 'KIM2',
      firstName: 'Kim',
      lastName: 'Two',
      homeUnit: 'HB2',
      capacityOverride: 1,
    })
    nia = await hireOfficer(s, est, { staffNumber: 'NIA3', firstName: 'Nia', lastName: 'Three', keyWorker: 'no' })
    elsewhere = await hireOfficer(s, other, { staffNumber: 'ELS1', firstName: 'Eli', lastName: 'Else' })
    const today = todayIso()
    const men: [string, string, string, string, string?][] = [
      ['P1', 'Able', 'HB1', '2026-01-05'],
      ['P2', 'Baker', 'HB2', addDays(today, -2), 'pl'],
      ['P3', 'Carter', 'HB1', today],
      ['P4', 'Dyer', '', '2026-06-01'],
      ['P5', 'Ellis', 'HB2', addDays(today, -10)],
    ]
    let n = 0
    for (const [key, lastName, unit, receptionDate, language] of men) {
      n++
      P[key] = `W${1000 + n}AU`
      await admitPrisoner(s, est, {
        prisonNumber: P[key]!,
        firstName: 'Wes',
        lastName,
        unit,
        receptionDate,
        ...(language ? { firstLanguage: language, interpreterNeeded: 'yes' as const } : {}),
      })
    }
  })
  after(() => s.close())

  it('filters those waiting by houseblock, by interpreter, and by days since reception (that day counts)', async () => {
    const all = await s.autoAllocation.unallocated(est)
    assert.deepEqual(numbers(all.prisoners), [P.P1, P.P2, P.P3, P.P4, P.P5].sort())
    assert.deepEqual(numbers((await s.autoAllocation.unallocated(est, { unitCode: 'HB1' })).prisoners), [P.P1, P.P3])
    assert.deepEqual(numbers((await s.autoAllocation.unallocated(est, { interpreter: true })).prisoners), [P.P2])
    assert.deepEqual(
      numbers((await s.autoAllocation.unallocated(est, { waitingDays: 10 })).prisoners),
      [P.P1, P.P4, P.P5].sort(),
    )
    assert.deepEqual(
      numbers((await s.autoAllocation.unallocated(est, { unitCode: 'HB2', waitingDays: 10 })).prisoners),
      [P.P5],
    )
    // the officers as the engine sees them: capacity from the override, load, Key Worker or not
    assert.deepEqual(
      all.officers.map(o => [o.id, o.capacity, o.load, o.keyWorker, o.label]).sort(),
      [
        [kay, 2, 0, true, 'One, Kay (KAY1, Houseblock 1)'],
        [kim, 1, 0, true, 'Two, Kim (KIM2, Houseblock 2)'],
        [nia, 6, 0, false, 'Three, Nia (NIA3)'],
      ].sort(),
    )
    // a filter is part of what a preview rests on
    assert.notEqual(all.fingerprint, (await s.autoAllocation.unallocated(est, { unitCode: 'HB1' })).fingerprint)
  })

  it('previews three placed and two waiting for room, grouped, explained, with each Key Worker’s room', async () => {
    const p = await s.autoAllocation.preview(est, {})
    assert.equal(p.pairs.length, 3)
    const placed = p.pairs.map(pair => pair.officer.id).sort()
    assert.deepEqual(placed, [kay, kay, kim].sort())
    assert.deepEqual(
      p.unallocated.map(u => u.reason),
      [NO_ROOM, NO_ROOM],
    )
    assert.deepEqual(
      p.unallocatedGroups.map(g => [g.reason, g.rows.length]),
      [[NO_ROOM, 2]],
    )
    const e = p.explanation!
    assert.deepEqual([e.waiting, e.room, e.ratio, e.notFlagged], [2, 3, 6, { count: 1, room: 6 }])
    assert.deepEqual(e.away, { count: 0, firstBack: null, lastBack: null, noDate: 0 })
    assert.deepEqual(
      p.officersWithRoom.map(o => [o.id, o.name, o.load, o.capacity, o.proposed, o.untrained]).sort(),
      [
        [kay, 'One, Kay (KAY1, Houseblock 1)', 0, 2, 2, false],
        [kim, 'Two, Kim (KIM2, Houseblock 2)', 0, 1, 1, false],
      ].sort(),
    )
    assert.equal(p.untrainedRule, 'allow')
    assert.deepEqual(p.untrainedWarnings, [])
    assert.deepEqual(p.refusedUntrained, [])
    // one man waiting, and room for him: nothing to explain
    const one = await s.autoAllocation.preview(est, { interpreter: true })
    assert.equal(one.pairs.length, 1)
    assert.equal(one.explanation, null)
    assert.deepEqual(one.unallocatedGroups, [])
  })

  it('refuses each wrong confirmation by its words, naming the row, and saves nothing', async () => {
    const p = await s.autoAllocation.preview(est, {})
    const rows = await countAllocations()
    const confirm = (r: { prisonNumber: string; staffId: number | null; overridden: boolean }[]) =>
      s.autoAllocation.confirm(actor(), est, {}, p.fingerprint, r)
    assert.deepEqual(await confirm([{ prisonNumber: 'Z9999ZZ', staffId: kay, overridden: false }]), {
      ok: false,
      errors: { staff_Z9999ZZ: `Z9999ZZ is not waiting for a Key Worker. ${NOTHING}` },
    })
    for (const staffId of [nia, elsewhere])
      assert.deepEqual(await confirm([{ prisonNumber: P.P4!, staffId, overridden: true }]), {
        ok: false,
        errors: {
          [`staff_${P.P4}`]: `Dyer, Wes (${P.P4}): the officer chosen is not an active Key Worker here. Choose another. ${NOTHING}`,
        },
      })
    // Kim has room for one: the second row to her is refused
    assert.deepEqual(
      await confirm([
        { prisonNumber: P.P2!, staffId: kim, overridden: false },
        { prisonNumber: P.P5!, staffId: kim, overridden: false },
      ]),
      {
        ok: false,
        errors: {
          [`staff_${P.P5}`]: `Ellis, Wes (${P.P5}): Two, Kim (KIM2, Houseblock 2) would have more than 1 prisoners (0 already). Choose another Key Worker. ${NOTHING}`,
        },
      },
    )
    // a row the Supervising Officer changed is checked after the untouched ones, so the error names the changed row
    assert.deepEqual(
      await confirm([
        { prisonNumber: P.P1!, staffId: kim, overridden: true },
        { prisonNumber: P.P2!, staffId: kim, overridden: false },
      ]),
      {
        ok: false,
        errors: {
          [`staff_${P.P1}`]: `Able, Wes (${P.P1}): Two, Kim (KIM2, Houseblock 2) would have more than 1 prisoners (0 already). Choose another Key Worker. ${NOTHING}`,
        },
      },
    )
    await settings(false)
    try {
      assert.deepEqual(await confirm([{ prisonNumber: P.P1!, staffId: kay, overridden: false }]), {
        ok: false,
        errors: { form: AUTO_OFF },
      })
    } finally {
      await settings(true)
    }
    assert.equal(await countAllocations(), rows)
  })

  it('refuses a preview made before the allocations changed', async () => {
    const p = await s.autoAllocation.preview(est, {})
    assert.ok((await s.allocations.allocate(actor(), est, P.P4!, kay, { reason: 'manual' })).ok)
    try {
      assert.deepEqual(
        await s.autoAllocation.confirm(actor(), est, {}, p.fingerprint, [
          { prisonNumber: P.P1!, staffId: kay, overridden: false },
        ]),
        {
          ok: false,
          errors: {
            form: 'Allocations changed since this preview was made. Nothing was saved: check the new preview and confirm again.',
          },
        },
      )
    } finally {
      assert.ok((await s.allocations.deallocate(actor(), est, P.P4!, 'manual', 'test')).ok)
    }
  })

  it('saves the rows confirmed (a changed one as manual), skips those left unallocated, and audits each', async () => {
    const p = await s.autoAllocation.preview(est, {})
    const r = await s.autoAllocation.confirm(actor(), est, {}, p.fingerprint, [
      { prisonNumber: P.P1!, staffId: kay, overridden: false },
      { prisonNumber: P.P3!, staffId: kim, overridden: true },
      { prisonNumber: P.P4!, staffId: null, overridden: true },
    ])
    assert.deepEqual(r, { ok: true, value: 2 })
    const rows = await s.db.db
      .selectFrom('allocations')
      .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
      .select([
        'allocations.id',
        'prisoners.prison_number',
        'allocations.staff_id',
        'allocations.allocated_by',
        'allocations.allocation_reason',
      ])
      .where('allocations.establishment_id', '=', est)
      .where('allocations.deallocated_at', 'is', null)
      .orderBy('allocations.id')
      .execute()
    assert.deepEqual(
      rows.map(row => [row.prison_number, row.staff_id, row.allocated_by, row.allocation_reason]),
      [
        [P.P1, kay, 'so.auto', 'auto'],
        [P.P3, kim, 'so.auto', 'manual'],
      ],
    )
    const events = await s.db.db
      .selectFrom('audit_events')
      .select(['action', 'username', 'establishment_id', 'changes'])
      .where('entity', '=', 'allocation')
      .where(
        'entity_id',
        'in',
        rows.map(row => String(row.id)),
      )
      .orderBy('id')
      .execute()
    assert.deepEqual(
      events.map(e => ({ ...e, changes: JSON.parse(e.changes ?? 'null') })),
      [
        {
          action: 'create',
          username: 'so.auto',
          establishment_id: est,
          changes: { prisoner: P.P1, staff_id: kay, reason: 'auto' },
        },
        {
          action: 'create',
          username: 'so.auto',
          establishment_id: est,
          changes: { prisoner: P.P3, staff_id: kim, reason: 'manual' },
        },
      ],
    )
    // Kim is full now: no longer offered; Kay has one place left
    const next = await s.autoAllocation.preview(est, {})
    assert.deepEqual(
      next.officersWithRoom.map(o => [o.id, o.load, o.capacity]),
      [[kay, 1, 2]],
    )
  })

  it('names, where the rules warn, the untrained among the officers asked about; nobody otherwise', async () => {
    assert.deepEqual(await s.autoAllocation.untrainedAmong(est, [kay, kim]), [], 'the rule allows')
    await setRule('warn')
    try {
      assert.deepEqual((await s.autoAllocation.untrainedAmong(est, [kim, kay])).sort(), [
        'One, Kay (KAY1, Houseblock 1)',
        'Two, Kim (KIM2, Houseblock 2)',
      ])
      assert.deepEqual(await s.autoAllocation.untrainedAmong(est, []), [])
      // Kay completes the initial course
      await recordInitialCourse(s, est, kay)
      assert.deepEqual(await s.autoAllocation.untrainedAmong(est, [kay]), [])
      assert.deepEqual(await s.autoAllocation.untrainedAmong(est, [kay, kim]), ['Two, Kim (KIM2, Houseblock 2)'])
      // the preview marks Kim as not trained among those with room (Kay has a place; Kim is full)
      const p = await s.autoAllocation.preview(est, {})
      assert.deepEqual(
        p.officersWithRoom.map(o => [o.id, o.untrained]),
        [[kay, false]],
      )
    } finally {
      await setRule('allow')
    }
  })
})
