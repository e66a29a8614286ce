import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { signedIn, testWorld } from '../../../test/harness'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { insertSession } from '../../../test/support/referrals'

const world = await testWorld()
after(() => world.close())
const s = world.services

describe('the national overview', () => {
  it('shows each establishment’s eligible prisoners, % allocated and sessions delivered in the last 28 days', async () => {
    const mdi = world.est.MDI!
    const today = londonNow().date
    const staffId = (
      await s.db.db
        .insertInto('staff')
        .values({
          establishment_id: mdi,
          staff_number: 'N0001',
          first_name: 'Nia',
          last_name: 'Officer',
          grade: 'Band 3',
          working_pattern: 'full_time',
          started_in_post: '2023-01-01',
          weekly_hours: 37,
          email: null,
          languages: 'English',
          status: 'active',
          status_return_date: null,
          home_unit_id: null,
          user_id: null,
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    const ids: number[] = []
    for (const [prisonNumber, complexity] of [
      ['N1000AA', 'low'],
      ['N1001AA', 'medium'],
      ['N1002AA', 'high'],
    ] as const) {
      const record = prisonerRecordSchema.parse({
        prisonNumber,
        firstName: 'A',
        lastName: prisonNumber,
        dateOfBirth: '1/1/1990',
        receptionDate: '1/1/2026',
        status: 'in',
        complexity,
        firstLanguage: 'en',
        interpreterNeeded: 'no',
        nationality: 'British',
      })
      assert.ok((await s.prisoners.create(SYSTEM_ACTOR, mdi, record)).ok)
      ids.push((await s.prisoners.get(mdi, prisonNumber))!.id)
    }
    // one of the two eligible men has a Key Worker; the high-complexity man has one too, but is not eligible
    for (const prisonerId of [ids[0]!, ids[2]!])
      await s.db.db
        .insertInto('allocations')
        .values({
          establishment_id: mdi,
          prisoner_id: prisonerId,
          staff_id: staffId,
          allocated_at: '2026-01-02T09:00:00.000Z',
          allocated_by: 'x',
          allocation_reason: 'manual',
          deallocated_at: null,
          deallocated_by: null,
          deallocation_reason: null,
          deallocation_note: null,
          handover_note: null,
        })
        .execute()
    const base = { establishmentId: mdi, prisonerId: ids[0]!, staffId, author: 'x' }
    await insertSession(s.db.db, { ...base, sessionDate: today }) // counts
    await insertSession(s.db.db, { ...base, sessionDate: addDays(today, -27) }) // counts: the 28th day
    await insertSession(s.db.db, { ...base, sessionDate: addDays(today, -28) }) // too old
    await insertSession(s.db.db, { ...base, sessionDate: today, outcome: 'not_delivered' }) // not delivered
    await insertSession(s.db.db, { ...base, sessionDate: today, status: 'draft' }) // not submitted

    const national = await signedIn(world, 'national')
    const page = (await national.get('/national')).text
    const rowOf = (code: string) => {
      const m = new RegExp(
        `<tr class="govuk-table__row">\\s*<th scope="row"[^>]*>[^<]*\\(${code}\\)</th>([\\s\\S]*?)</tr>`,
      ).exec(page)
      assert.ok(m, `a row for ${code}`)
      return [...m[1]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map(c => c[1]!.trim())
    }
    assert.deepEqual(rowOf('MDI'), ['2', '50%', '2'])
    assert.deepEqual(rowOf('LEI'), ['0', 'No eligible prisoners', '0'])
    assert.match(page, /name="establishment" value="LEI"/)
  })

  it('is for the national team only', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.get('/national')).status, 403)
  })
})
