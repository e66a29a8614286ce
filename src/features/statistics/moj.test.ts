import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Kysely } from 'kysely'
import { signedIn, testWorld } from '../../../test/harness'
import type { Database } from '../../platform/db/types'
import { setClock } from '../../domain/clock'
import { recordSession } from '../../../test/support/sessions'
import { historyFromRecords, insertOfficer } from '../../../test/support/statisticsFixtures'

// A Key Worker's statistics count the prisoners on their caseload that day, cover on its own line; the CSV's
// Ministry of Justice columns; one clock (Europe/London). Every expected value is worked out here by hand. The MoJ
// columns follow ministryofjustice/keyworker-api: services/PrisonStatsService.kt asStats() and projectedSessions()
// (an establishment), services/Statistic.kt percentage() (null when either side is 0, 2 decimals HALF_EVEN) and
// services/GetKeyworkerDetails.kt keyworkerSessionStats() (a Key Worker: sessions with anyone allocated to them in
// the period, compliance 0.0 when null).

let world: Awaited<ReturnType<typeof testWorld>>
let db: Kysely<Database>

async function prisoner(establishmentId: number, n: number, reception: string) {
  const at = '2026-01-01T12:00:00.000Z'
  const r = await db
    .insertInto('prisoners')
    .values({
      prison_number: `M${1000 + n}JT`,
      first_name: 'Moj',
      last_name: `Test ${n}`,
      date_of_birth: '1990-01-01',
      establishment_id: establishmentId,
      unit_id: null,
      cell: null,
      reception_date: reception,
      release_date: null,
      status: 'in',
      complexity: 'low',
      first_language: 'English',
      interpreter_needed: 0,
      nationality: 'British',
      created_at: at,
      updated_at: at,
    })
    .returning(['id', 'prison_number'])
    .executeTakeFirstOrThrow()
  await historyFromRecords(db, [r.id])
  return r
}

function officer(establishmentId: number, n: number) {
  return insertOfficer(db, {
    establishmentId,
    staffNumber: `MOJ${n}`,
    lastName: `Hand ${n}`,
    at: '2026-01-01T12:00:00.000Z',
  })
}

async function allocate(
  establishmentId: number,
  prisonerId: number,
  staffId: number,
  at: string,
  until: string | null,
) {
  await db
    .insertInto('allocations')
    .values({
      establishment_id: establishmentId,
      prisoner_id: prisonerId,
      staff_id: staffId,
      allocated_at: at,
      allocated_by: 'test',
      allocation_reason: 'manual',
      deallocated_at: until,
      deallocated_by: null,
      deallocation_reason: null,
      deallocation_note: null,
      handover_note: null,
    })
    .execute()
}

async function session(
  establishmentId: number,
  x: { prisoner: number; staff: number; date: string; delivered?: boolean; private?: number },
) {
  const at = '2026-03-28T12:00:00.000Z'
  const delivered = x.delivered ?? true
  await db
    .insertInto('key_work_sessions')
    .values({
      establishment_id: establishmentId,
      prisoner_id: x.prisoner,
      staff_id: x.staff,
      author_user_id: null,
      author: 'test',
      status: 'submitted',
      on_caseload: 1,
      outcome: delivered ? 'delivered' : 'not_delivered',
      not_delivered_reason: delivered ? null : 'prisoner_refused',
      not_delivered_detail: null,
      session_date: x.date,
      starts_at: '10:00',
      duration_minutes: 45,
      location: 'cell',
      hub_booking_id: null,
      private: x.private ?? 0,
      interpreter_needed: 0,
      interpreter_used: 0,
      interpreter_service: null,
      interpreter_booking_ref: null,
      interpreter_language: null,
      interpreter_why_not: null,
      pathways: '',
      concern: 0,
      concern_escalated_to: null,
      prisoner_words: 'Said things',
      agreed: null,
      client_key: `moj-${x.prisoner}-${x.date}-${x.staff}`,
      created_at: at,
      updated_at: at,
      submitted_at: at,
      deleted_at: null,
      deleted_by: null,
      deleted_reason: null,
    })
    .execute()
}

const CUSTOM = (from: string, to: string) => {
  const [fy, fm, fd] = from.split('-')
  const [ty, tm, td] = to.split('-')
  return `period=custom&from-day=${fd}&from-month=${fm}&from-year=${fy}&to-day=${td}&to-month=${tm}&to-year=${ty}`
}
const csvRow = (csv: string, label: string) =>
  csv.split('\r\n').find(l => l.startsWith(`${label},`) || l.startsWith(`"${label}",`))

let mdi: number
let s1: number

before(async () => {
  world = await testWorld()
  db = world.services.db.db
  mdi = world.est.MDI!
  await db.updateTable('establishments').set({ frequency_weeks: 1 }).where('id', '=', mdi).execute()
  s1 = await officer(mdi, 1)
  const s2 = await officer(mdi, 2)
  // Moorland: 8 men in custody since 1 January, none of high complexity: 8 eligible every day
  const p = []
  for (let i = 1; i <= 8; i++) p.push((await prisoner(mdi, i, '2026-01-01')).id)
  const [p1, p2, p3] = p as [number, number, number]
  // S1's caseload: P1 from 8 March; P2 from 8 March until 21 March (off the caseload from the 21st); P3 is S2's
  await allocate(mdi, p1, s1, '2026-03-08T10:00:00.000Z', null)
  await allocate(mdi, p2, s1, '2026-03-08T10:00:00.000Z', '2026-03-21T10:00:00.000Z')
  await allocate(mdi, p3, s2, '2026-01-05T10:00:00.000Z', null)
  // S1's sessions in March
  await session(mdi, { prisoner: p1, staff: s1, date: '2026-03-05' }) // before P1's allocation: cover
  await session(mdi, { prisoner: p1, staff: s1, date: '2026-03-10', private: 1 }) // caseload
  await session(mdi, { prisoner: p2, staff: s1, date: '2026-03-12' }) // caseload
  await session(mdi, { prisoner: p2, staff: s1, date: '2026-03-24' }) // after P2 left the caseload: cover
  await session(mdi, { prisoner: p3, staff: s1, date: '2026-03-15' }) // S2's prisoner: cover
  await session(mdi, { prisoner: p1, staff: s1, date: '2026-03-24', delivered: false }) // caseload, not delivered
  await world.services.statistics.rebuild(mdi) // written straight to the table: the pre-aggregates from them
  setClock('2026-04-01T12:00:00.000Z')
})
after(async () => {
  setClock(null)
  await world.close()
})

const MARCH = { from: '2026-03-01', to: '2026-03-28' } // 28 days; previous period 1–28 February

describe('a Key Worker delivers to the prisoners on their caseload that day; cover on its own line', () => {
  it('rule: delivered counts caseload sessions only, cover apart, against the caseload’s projection', async () => {
    const f = (await world.services.statistics.compute({ kind: 'officer', establishmentId: mdi, staffId: s1 }, MARCH))
      .figures
    // caseload days: P1 8–28 March = 21, P2 8–20 March = 13; 34 ÷ 7 projected
    assert.equal(f.eligible, 34 / 28)
    assert.ok(Math.abs(f.projected - 34 / 7) < 1e-9)
    assert.equal(f.projectedWhole, 4)
    assert.equal(f.delivered, 2, 'P1 on 10 March and P2 on 12 March')
    assert.equal(f.coverDelivered, 3, 'P1 before his allocation, P2 after it, S2’s P3')
    assert.equal(f.notDelivered, 1)
    assert.ok(Math.abs(f.compliance! - 700 / 17) < 1e-9, 'compliance 2 ÷ (34 ÷ 7) × 100 = 41.18%, not 102.9%')
    assert.equal(f.privatePercent, 50, 'one of the two caseload sessions was private')
  })

  it('rule: the page shows delivered and cover on lines of their own', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.get(`/statistics?${CUSTOM(MARCH.from, MARCH.to)}&scope=officer-${s1}`)
    assert.equal(res.status, 200)
    const row = (key: string) => new RegExp(`data-measure="${key}"[\\s\\S]*?</tr>`).exec(res.text)?.[0] ?? ''
    assert.match(row('delivered'), /Sessions delivered to prisoners on the caseload[\s\S]*>2</)
    assert.match(row('coverDelivered'), /Cover sessions delivered[\s\S]*>3</)
    assert.match(row('compliance'), />41\.2%</)
    const establishment = await so.get(`/statistics?${CUSTOM(MARCH.from, MARCH.to)}`)
    assert.doesNotMatch(establishment.text, /data-measure="coverDelivered"/, 'cover is a Key Worker’s line only')
  })
})

describe('statistics.csv reproduces the Ministry of Justice’s method in columns of its own', () => {
  it('rule: the establishment: eligible and projected truncated, 15.625% rounds half-even to 15.62, empty where they publish nothing', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.get(`/statistics.csv?${CUSTOM(MARCH.from, MARCH.to)}`)
    assert.equal(res.status, 200)
    const csv = res.text
    assert.equal(
      csv.split('\r\n')[0],
      'measure,scope,from,to,value,previous_from,previous_to,previous_value,moj_value,previous_moj_value',
    )
    const tail = (v: string, pv: string, m: string, pm: string) =>
      `,Moorland (HMP),2026-03-01,2026-03-28,${v},2026-02-01,2026-02-28,${pv},${m},${pm}`
    // PrisonStatsService.kt: 8 eligible a day, average truncated to 8; 8 × (28 ÷ 7) = 32 projected both periods; 5
    // delivered in March (every delivered session), none in February
    assert.equal(
      csvRow(csv, 'Eligible prisoners (average per day)'),
      `Eligible prisoners (average per day)${tail('8', '8', '8', '8')}`,
    )
    assert.equal(csvRow(csv, 'Projected sessions'), `Projected sessions${tail('32', '32', '32', '32')}`)
    assert.equal(csvRow(csv, 'Sessions delivered'), `Sessions delivered${tail('5', '0', '5', '0')}`)
    // 5 ÷ 32 × 100 = 15.625: half-even keeps the even 2 (half-up would give 15.63); February: percentage() is null
    // for 0 sessions and asStats() gives 0.0 in its place
    assert.equal(
      csvRow(csv, 'Compliance (delivered ÷ projected)'),
      `Compliance (delivered ÷ projected)${tail('15.625', '0', '15.62', '0.00')}`,
    )
    // figures they do not publish have no MoJ value: private 1 of 5 answered = 20% is ours alone
    assert.equal(
      csvRow(csv, 'Delivered sessions held in private, of those where privacy was answered'),
      `"Delivered sessions held in private, of those where privacy was answered"${tail('20', '', '', '')}`,
    )
    assert.equal(
      csvRow(csv, 'Delivered sessions where privacy was answered (unanswered are left out)'),
      `Delivered sessions where privacy was answered (unanswered are left out)${tail('5', '0', '', '')}`,
    )
    // theirs average nightly counts (statistics/PrisonStatisticCalculator.kt, then asStats()): eligible prisoners
    // with a Key Worker at the end of each day. March: P1 8–28 = 21 days, P2 8–20 = 13, P3 all 28: 62 ÷ 28 = 2.2 → 2;
    // February: P3 alone, 28 ÷ 28 = 1. Ours: who has one on the last day, P1 and P3 (2), in February P3 (1)
    assert.equal(
      csvRow(csv, 'Prisoners with a Key Worker (last day)'),
      `Prisoners with a Key Worker (last day)${tail('2', '1', '2', '1')}`,
    )
    // of 8 eligible: 2 ÷ 8 = 25.00 and 1 ÷ 8 = 12.50
    assert.equal(
      csvRow(csv, 'Eligible prisoners with a Key Worker (last day)'),
      `Eligible prisoners with a Key Worker (last day)${tail('25', '12.5', '25.00', '12.50')}`,
    )
    // reception (1 January) to allocation: P1 and P2 on 8 March, 31 + 28 + 7 = 66 days each, one nightly figure of
    // 66; nobody allocated in February: no figure in either method
    assert.equal(
      csvRow(csv, 'Average days from reception to a Key Worker'),
      `Average days from reception to a Key Worker${tail('66', '', '66', '')}`,
    )
    // reception to a first session: P1 on 5 March (63 days), P2 on 12 March (70), P3 on 15 March (73); P1's 10 March
    // and P2's 24 March are not first. Ours pools them: 206 ÷ 3 = 68.6667; theirs averages the three nightly figures
    // 63, 70 and 73 and truncates: 68
    assert.equal(
      csvRow(csv, 'Average days from reception to the first session'),
      `Average days from reception to the first session${tail('68.6667', '', '68', '')}`,
    )
    // an interpreter was never needed: empty in both methods, both periods
    assert.equal(
      csvRow(csv, 'Delivered sessions with an interpreter, of those needing one where use was answered'),
      `"Delivered sessions with an interpreter, of those needing one where use was answered"${tail('', '', '', '')}`,
    )
  })

  it('rule: a Key Worker: their method counts sessions with anyone allocated in the period, against their projection', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.get(`/statistics.csv?${CUSTOM(MARCH.from, MARCH.to)}&scope=officer-${s1}`)
    assert.equal(res.status, 200)
    // the scope column (the officer's name as the scope list shows it) is left out
    const cells = (label: string) => {
      const line = csvRow(res.text, label) ?? ''
      assert.ok(line.startsWith(`${label},`), label)
      return line.slice(line.indexOf(',2026-03-01,'))
    }
    const tail = (v: string, pv: string, m: string, pm: string) =>
      `,2026-03-01,2026-03-28,${v},2026-02-01,2026-02-28,${pv},${m},${pm}`
    // caseload days 21 + 13 = 34 over 28 days: ours 1.2143 a day, theirs truncated to 1; February: nobody, 0
    assert.equal(cells('Eligible prisoners (average per day)'), tail('1.2143', '0', '1', '0'))
    // projected: ours 34 ÷ 7 = 4.857…; theirs 1 × (28 ÷ 7) = 4
    assert.equal(cells('Projected sessions'), tail('4.8571', '0', '4', '0'))
    // ours 2 on the caseload that day; theirs every session S1 held with P1 or P2 (allocated to S1 at some time in
    // March): 2 + P1 on 5 March + P2 on 24 March = 4, but not S2's P3 on 15 March
    assert.equal(cells('Sessions delivered to prisoners on the caseload'), tail('2', '0', '4', '0'))
    assert.equal(cells('Cover sessions delivered (prisoners not on the caseload that day)'), tail('3', '0', '', ''))
    // ours 2 ÷ 4.857… = 41.1765%; theirs 4 ÷ 4 = 100.00; February: projected 0, ours null, theirs 0.00
    assert.equal(cells('Compliance (delivered ÷ projected)'), tail('41.1765', '', '100.00', '0.00'))
    // their Key Worker page has no nightly figures: prisoners with a Key Worker and the reception averages are empty
    assert.equal(cells('Prisoners with a Key Worker (last day)'), tail('1', '0', '', ''))
    // ours: of the caseload sessions only P2's on 12 March is a first (P1 was seen on 5 March): 70 days
    assert.equal(cells('Average days from reception to the first session'), tail('70', '', '', ''))
  })
})

describe('one clock: today and every day are London days (at 00:30 British Summer Time)', () => {
  it('rule: a session recorded at 00:30 on 2 July counts on 2 July, its referral and goal too, and today is 2 July', async () => {
    const lei = world.est.LEI!
    const man = await prisoner(lei, 9, '2026-06-01')
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'key_worker.lei')
      .executeTakeFirstOrThrow()
    setClock('2026-07-01T23:30:00.000Z') // 00:30 on 2 July in London
    try {
      const id = await recordSession(
        world.services.sessions,
        { userId: user.id, username: 'key_worker.lei', establishmentId: lei },
        lei,
        man.prison_number,
        {
          goal0Description: 'Find a job',
          goal0Measure: 'An interview booked',
          referral0To: 'stakeholder:pom',
          referral0Note: 'About release plans',
        },
      )
      const s = await db
        .selectFrom('key_work_sessions')
        .select('session_date')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.equal(s.session_date, '2026-07-02')
      const daily = await db
        .selectFrom('stat_daily')
        .select(['day', 'delivered'])
        .where('establishment_id', '=', lei)
        .execute()
      assert.deepEqual(daily, [{ day: '2026-07-02', delivered: 1 }])
      const followUps = await db
        .selectFrom('stat_followups')
        .select(['day', 'referrals_made', 'goals_set'])
        .where('establishment_id', '=', lei)
        .execute()
      assert.deepEqual(
        followUps.map(r => ({ ...r, referrals_made: Number(r.referrals_made), goals_set: Number(r.goals_set) })),
        [{ day: '2026-07-02', referrals_made: 1, goals_set: 1 }],
        'made at 23:30 UTC on 1 July: 2 July in London',
      )
      // the rebuild counts the same London day
      const { stored, fresh } = await world.services.statistics.verifyFollowUps(lei)
      assert.deepEqual(fresh, stored)

      const so = await signedIn(world, 'supervising_officer.lei')
      const page = await so.get('/statistics?period=4w')
      assert.equal(page.status, 200)
      assert.match(page.text, /5 June 2026 to 2 July 2026/, 'the last 4 weeks end today in London')
      const row = (key: string) => new RegExp(`data-measure="${key}"[\\s\\S]*?</tr>`).exec(page.text)?.[0] ?? ''
      assert.match(row('delivered'), /<td[^>]*>1</)
      assert.match(row('referralsMade'), /<td[^>]*>1</)
      assert.match(row('goalsSet'), /<td[^>]*>1</)
      // a custom period may end today in London
      const custom = await so.get(`/statistics?${CUSTOM('2026-07-02', '2026-07-02')}`)
      assert.doesNotMatch(custom.text, /must be today or in the past/)
      assert.match(custom.text, /data-measure="delivered"[\s\S]*?<td[^>]*>1</)
    } finally {
      setClock('2026-04-01T12:00:00.000Z')
    }
  })
})
