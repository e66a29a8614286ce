import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type World, signedIn, testWorld } from '../../../test/harness'

// A hand-built establishment at the national default of 6 prisoners per Key Worker (bounds 4 to 10):
//   two full-time Key Workers with 6 prisoners each, a part-time one (18.5 hours: capacity 3) with 3: no room;
//   two Key Workers away (one on leave until 20 December 2026, one with no return date), holding nobody;
//   two active full-time officers not flagged as Key Workers; eight prisoners waiting.
// Room at each ratio (hand-worked): 7 → 1 + 1 + 1 = 3, 8 → 2 + 2 + 1 = 5, 9 → 3 + 3 + 2 = 8: raising to 9 makes room
// for all eight. Flagging the two officers would make room for 2 × 6 = 12.
type Staff = {
  number: string
  first: string
  last: string
  unit: 'A' | 'B'
  hours?: number
  keyWorker?: boolean
  status?: string
  back?: string | null
  holds?: number
}

async function build(world: World, code: string, staff: Staff[], waiting: number) {
  const db = world.services.db.db
  const establishmentId = world.est[code]!
  const now = '2026-01-01T00:00:00.000Z'
  const unitIds: Record<string, number> = {}
  for (const u of ['A', 'B']) {
    const row = await db
      .insertInto('residential_units')
      .values({
        establishment_id: establishmentId,
        code: `W${u}`,
        name: `${u} wing`,
        parent_id: null,
        capacity: 100,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    unitIds[u] = row.id
  }
  let n = 0
  const prisoner = async (unit: string) => {
    n++
    const row = await db
      .insertInto('prisoners')
      .values({
        prison_number: `${code[0]}${String(1000 + n)}XY`,
        first_name: `Man${String.fromCharCode(64 + (n % 26) + 1)}`,
        last_name: `Waiting${n}`,
        date_of_birth: '1990-01-01',
        establishment_id: establishmentId,
        unit_id: unitIds[unit]!,
        cell: null,
        reception_date: '2026-01-01',
        release_date: null,
        status: 'in',
        complexity: 'low',
        first_language: 'en',
        interpreter_needed: 0,
        nationality: 'British',
        created_at: now,
        updated_at: now,
      })
      .returning(['id', 'prison_number'])
      .executeTakeFirstOrThrow()
    return row
  }
  const ids: Record<string, number> = {}
  for (const s of staff) {
    const hours = s.hours ?? 37
    const row = await db
      .insertInto('staff')
      .values({
        establishment_id: establishmentId,
        staff_number: s.number,
        first_name: s.first,
        last_name: s.last,
        grade: 'Band 3',
        email: null,
        working_pattern: hours < 37 ? 'part_time' : 'full_time',
        weekly_hours: hours,
        started_in_post: null,
        languages: 'en',
        status: s.status ?? 'active',
        status_return_date: s.back ?? null,
        home_unit_id: unitIds[s.unit]!,
        user_id: null,
        key_worker: s.keyWorker === false ? 0 : 1,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids[s.number] = row.id
    for (let k = 0; k < (s.holds ?? 0); k++) {
      const p = await prisoner(s.unit)
      await db
        .insertInto('allocations')
        .values({
          establishment_id: establishmentId,
          prisoner_id: p.id,
          staff_id: row.id,
          allocated_at: now,
          allocated_by: 'test',
          allocation_reason: 'manual',
          deallocated_at: null,
          deallocated_by: null,
          deallocation_reason: null,
          deallocation_note: null,
          handover_note: null,
        })
        .execute()
    }
  }
  const waitingNumbers: string[] = []
  for (let k = 0; k < waiting; k++) waitingNumbers.push((await prisoner(k % 2 ? 'A' : 'B')).prison_number)
  return { establishmentId, staffIds: ids, waiting: waitingNumbers }
}

/** A page's text without tags, spaces collapsed. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ')

describe('allocation when nobody has room: why, and what would help', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let waiting: string[]
  before(async () => {
    world = await testWorld()
    const built = await build(
      world,
      'MDI',
      [
        { number: 'LEI0042', first: 'John', last: 'Smith', unit: 'A', holds: 6 },
        { number: 'LEI0043', first: 'John', last: 'Smith', unit: 'B', holds: 6 },
        { number: 'LEI0050', first: 'Ann', last: 'Part', unit: 'A', hours: 18.5, holds: 3 },
        { number: 'LEI0060', first: 'Lee', last: 'Leave', unit: 'A', status: 'annual_leave', back: '2026-12-20' },
        { number: 'LEI0061', first: 'Sam', last: 'Absent', unit: 'B', status: 'long_term_absence' },
        { number: 'LEI0070', first: 'Kim', last: 'Unflagged', unit: 'A', keyWorker: false },
        { number: 'LEI0071', first: 'Ray', last: 'Unflagged', unit: 'B', keyWorker: false },
      ],
      8,
    )
    waiting = built.waiting
  })
  after(() => world.close())

  const EXPECTED = [
    '8 prisoners need a Key Worker and no Key Worker has room at 6 prisoners per Key Worker.',
    'Raising capacity to 9 prisoners per Key Worker, within the national maximum of 10, would make room for 8 more',
    '2 active officers are not flagged as Key Workers: flagging them would make room for up to 12 more',
    '2 Key Workers are away (leave, absence or no prisoner contact): back on 20 December 2026; 1 with no return date.',
  ]

  it('the preview says why, with the numbers, and groups the men waiting in one line instead of one each', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = await so.get('/allocate/preview')
    assert.equal(page.status, 200)
    const t = text(page.text)
    for (const line of EXPECTED) assert.ok(t.includes(line), `missing: ${line}\n${t}`)
    assert.ok(t.includes('8 prisoners: No Key Worker has room on their caseload.'), t)
    assert.equal(t.split('No Key Worker has room on their caseload').length - 1, 1, 'one grouped line, not eight')
    // a Supervising Officer cannot change staff: an establishment admin can
    assert.match(t, /ask an establishment admin/)
  })

  it('the manual allocation pages say the same, with links for an establishment admin', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const list = text((await so.get('/allocate')).text)
    for (const line of EXPECTED) assert.ok(list.includes(line), `missing on /allocate: ${line}`)
    const one = text((await so.get(`/prisoners/${waiting[0]}/allocate`)).text)
    assert.ok(one.includes(EXPECTED[1]!), one)
    assert.ok(one.includes(EXPECTED[2]!), one)
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const page = (await admin.get('/allocate')).text
    assert.match(page, /href="\/establishment\/settings"/)
    assert.match(page, /href="\/staff\?status=active"/)
  })
})

describe('changing a proposed allocation to any Key Worker with room', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let built: Awaited<ReturnType<typeof build>>
  before(async () => {
    world = await testWorld()
    // two officers called John Smith: A wing with room for 6, B wing with room for 1; a third with no room
    built = await build(
      world,
      'LEI',
      [
        { number: 'LEI0042', first: 'John', last: 'Smith', unit: 'A', holds: 0 },
        { number: 'LEI0043', first: 'John', last: 'Smith', unit: 'B', holds: 5 },
        { number: 'LEI0044', first: 'Jo', last: 'Full', unit: 'A', holds: 6 },
      ],
      3,
    )
  })
  after(() => world.close())

  const fieldsOf = (html: string) => {
    const fields: Record<string, string> = { fingerprint: /name="fingerprint" value="([^"]+)"/.exec(html)![1]! }
    for (const m of html.matchAll(/name="proposed_([A-Z0-9]+)" value="(\d+)"/g)) {
      fields[`proposed_${m[1]}`] = m[2]!
      fields[`staff_${m[1]}`] = m[2]!
    }
    return fields
  }

  it('offers every Key Worker with room, told apart by staff number and houseblock, and none without', async () => {
    const so = await signedIn(world, 'supervising_officer.lei')
    const page = (await so.get('/allocate/preview')).text
    const select = /<select[^>]*id="staff_[A-Z0-9]+"[^>]*>([\s\S]*?)<\/select>/.exec(page)![1]!
    assert.match(select, /Smith, John \(LEI0042, A wing\)/)
    assert.match(select, /Smith, John \(LEI0043, B wing\)/)
    assert.doesNotMatch(select, /LEI0044/)
    // the manual drop-down tells them apart too
    const manual = (await so.get(`/prisoners/${built.waiting[0]}/allocate`)).text
    assert.match(manual, /Smith, John \(LEI0042, A wing\) – 0 of 6/)
    assert.match(manual, /Smith, John \(LEI0043, B wing\) – 5 of 6/)
  })

  it('refuses a change to a Key Worker without room, naming the row and saving nothing', async () => {
    const so = await signedIn(world, 'supervising_officer.lei')
    const fields = fieldsOf((await so.get('/allocate/preview')).text)
    const row = built.waiting[1]!
    fields[`staff_${row}`] = String(built.staffIds.LEI0044)
    const res = await so.post('/allocate/confirm', fields, '/allocate/preview')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/allocate/preview?')
    const back = text((await so.get('/allocate/preview')).text)
    const n = Number(row.slice(1, 5)) - 1000
    assert.ok(
      back.includes(`Waiting${n}, Man`) && back.includes(`(${row}): Full, Jo (LEI0044, A wing) would have more than 6`),
      back,
    )
    assert.equal((await world.services.autoAllocation.unallocated(built.establishmentId)).prisoners.length, 3)
  })

  it('saves a change to a Key Worker the engine did not propose, when they have room', async () => {
    const so = await signedIn(world, 'supervising_officer.lei')
    const fields = fieldsOf((await so.get('/allocate/preview')).text)
    const b = String(built.staffIds.LEI0043)
    const row = built.waiting.find(pn => fields[`proposed_${pn}`] !== b)!
    fields[`staff_${row}`] = b
    // the other rows go to the A wing John Smith, so B wing's one place is this row's
    for (const pn of built.waiting) if (pn !== row) fields[`staff_${pn}`] = String(built.staffIds.LEI0042)
    const res = await so.post('/allocate/confirm', fields, '/allocate/preview')
    assert.equal(res.headers.location, '/allocate?')
    const db = world.services.db.db
    const saved = await db
      .selectFrom('allocations')
      .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
      .select(['allocations.staff_id', 'allocations.allocation_reason'])
      .where('prisoners.prison_number', '=', row)
      .where('allocations.deallocated_at', 'is', null)
      .executeTakeFirstOrThrow()
    assert.deepEqual(saved, { staff_id: built.staffIds.LEI0043, allocation_reason: 'manual' })
    assert.equal((await world.services.autoAllocation.unallocated(built.establishmentId)).prisoners.length, 0)
  })
})
