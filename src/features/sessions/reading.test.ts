import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Request } from 'express'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import type { EntryForm } from '../../domain/sessionEntry'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { admitPrisoner } from '../../../test/support/prisoners'
import { officerOf, sessionsContext } from './context'
import {
  goalStatusName,
  locationName,
  outcomeName,
  pathwayNames,
  reasonName,
  referredTo,
  releasedMessage,
  stakeholderName,
} from './present'
import { keepUnsavedEntry, takeUnsavedEntry } from './unsaved'

// Reading entries back: the words pages show for stored codes, the read-only entry page's data, a prisoner's history
// (each entry with only its own goals, reviews, referrals and worksheets), the officer linked to a user, and the form
// kept when the sign-in expired as it was posted.

describe('the words shown for stored codes', () => {
  it('says why a session cannot be recorded for someone no longer here', () => {
    assert.equal(
      releasedMessage({ first_name: 'Ann', last_name: 'Lee', status: 'transferred' }),
      'Ann Lee has been transferred out, so a session cannot be recorded for them here',
    )
    assert.equal(
      releasedMessage({ first_name: 'Ann', last_name: 'Lee', status: 'released' }),
      'Ann Lee has been released, so a session cannot be recorded for them',
    )
  })

  it('names outcomes, reasons, locations, teams, goal statuses and pathways, and shows an unknown code as it is', () => {
    assert.deepEqual(
      [outcomeName('delivered'), outcomeName('not_delivered'), outcomeName('odd'), outcomeName(null)],
      ['Delivered', 'Not delivered', 'odd', ''],
    )
    assert.deepEqual(
      [reasonName('prisoner_refused'), reasonName('unavailable_court'), reasonName('odd'), reasonName(null)],
      ['Prisoner refused', 'Prisoner unavailable: court', 'odd', null],
    )
    assert.deepEqual(
      [locationName('hub_room'), locationName('cell'), locationName('odd'), locationName(null)],
      ['Key Worker hub room', 'Cell', 'odd', null],
    )
    assert.deepEqual([stakeholderName('pom'), stakeholderName(null)], ['Prison Offender Manager (POM)', null])
    assert.deepEqual(
      [goalStatusName('in_progress'), goalStatusName('achieved'), goalStatusName('odd')],
      ['In progress', 'Achieved', 'odd'],
    )
    assert.deepEqual(pathwayNames('accommodation,drugs-alcohol,odd'), ['Accommodation', 'Drugs and alcohol', 'odd'])
    assert.deepEqual(pathwayNames(''), [])
    assert.deepEqual(pathwayNames(null), [])
  })

  it('says who a referral went to: the service, else the team, else nothing', () => {
    assert.equal(referredTo({ service_name: 'Housing advice', stakeholder: 'pom' }), 'Housing advice')
    assert.equal(referredTo({ service_name: null, stakeholder: 'chaplaincy' }), 'Chaplaincy')
    assert.equal(referredTo({ service_name: null, stakeholder: null }), '')
  })
})

describe('a form posted after the sign-in expired', () => {
  /** A request as Express gives it to the handler: only what these functions read. */
  const request = (method: string, path: string, body: unknown, session: Record<string, unknown> = {}) =>
    ({ method, path, body, session }) as unknown as Request

  it('is kept only for a post of an entry’s draft or submit, and answers that entry’s page', () => {
    const body = { agreed: 'Typed before the sign-in ran out' }
    for (const path of ['/sessions/12/draft', '/sessions/12/submit']) {
      const req = request('POST', path, body)
      assert.equal(keepUnsavedEntry(req), '/sessions/12/edit', path)
      assert.deepEqual(req.session.unsaved, { page: '/sessions/12/edit', values: body }, path)
    }
    for (const [method, path] of [
      ['GET', '/sessions/12/draft'],
      ['POST', '/sessions/12/delete'],
      ['POST', '/old/sessions/12/draft'],
      ['POST', '/sessions/12/draft/again'],
      ['POST', '/sessions/1234567890/draft'],
    ] as const) {
      const req = request(method, path, body)
      assert.equal(keepUnsavedEntry(req), null, `${method} ${path}`)
      assert.equal(req.session.unsaved, undefined, `${method} ${path}`)
    }
  })

  it('is kept up to 150,000 characters of JSON, and beyond that only answered', () => {
    // pathways is a list field: fifty values, each kept up to 5,100 characters
    const formOf = (total: number) => {
      const fixed = JSON.stringify({ pathways: [] }).length // {"pathways":[]}
      const items: string[] = []
      let left = total - fixed
      while (left > 0) {
        // each item costs its characters, two quotes and (after the first) a comma
        const overhead = items.length ? 3 : 2
        const n = Math.min(5000, left - overhead)
        items.push('p'.repeat(n))
        left -= n + overhead
      }
      return { pathways: items }
    }
    const exact = formOf(150_000)
    assert.equal(JSON.stringify(exact).length, 150_000)
    const kept = request('POST', '/sessions/5/draft', exact)
    keepUnsavedEntry(kept)
    assert.deepEqual(kept.session.unsaved, { page: '/sessions/5/edit', values: exact })
    const over = formOf(150_001)
    assert.equal(JSON.stringify(over).length, 150_001)
    const dropped = request('POST', '/sessions/5/draft', over)
    assert.equal(keepUnsavedEntry(dropped), '/sessions/5/edit')
    assert.equal(dropped.session.unsaved, undefined)
  })

  it('is given back once, to that draft only, and only with the draft’s own client key', () => {
    const values: EntryForm = { agreed: 'Kept', client_key: 'key-5' }
    const session: Record<string, unknown> = { unsaved: { page: '/sessions/5/edit', values } }
    const req = request('GET', '/sessions/6/edit', undefined, session)
    // another draft's page: nothing, and the form stays for its own page
    assert.equal(takeUnsavedEntry(req, { id: 6, client_key: 'key-5' }), null)
    assert.deepEqual(session.unsaved, { page: '/sessions/5/edit', values })
    assert.deepEqual(takeUnsavedEntry(req, { id: 5, client_key: 'key-5' }), values)
    assert.equal(session.unsaved, undefined)
    assert.equal(takeUnsavedEntry(req, { id: 5, client_key: 'key-5' }), null)
    // a form posted with another key is taken away, never shown
    session.unsaved = { page: '/sessions/5/edit', values }
    assert.equal(takeUnsavedEntry(req, { id: 5, client_key: 'key-other' }), null)
    assert.equal(session.unsaved, undefined)
  })
})

describe('reading entries', () => {
  let world: SeededWorld
  const today = londonNow().date
  before(async () => {
    world = await seededWorld()
  })
  after(() => world.close())

  const db = () => world.services.db.db
  const sessions = () => world.services.sessions
  const mdi = () => world.seeded.MDI

  /** A user of MDI by name, as an actor, with their display name. */
  async function user(username: string) {
    const u = await db()
      .selectFrom('users')
      .select(['id', 'username', 'display_name'])
      .where('username', '=', username)
      .executeTakeFirstOrThrow()
    return { userId: u.id, username: u.username, displayName: u.display_name, establishmentId: mdi().establishmentId }
  }

  let seq = 0
  async function newPrisoner() {
    seq++
    const prisonNumber = `Q${String(4000 + seq)}QR`
    const id = await admitPrisoner(world.services, mdi().establishmentId, {
      prisonNumber,
      firstName: 'Sam',
      lastName: `Reader${seq}`,
      unit: mdi().unitCode,
      receptionDate: addDays(today, -200),
    })
    return { prisonNumber, id }
  }

  const form = (day: string, extra: EntryForm = {}): EntryForm => {
    const [y, m, d] = day.split('-')
    return {
      outcome: 'delivered',
      'sessionDate-day': d!,
      'sessionDate-month': m!,
      'sessionDate-year': y!,
      duration: '45',
      location: 'interview_room',
      private: 'yes',
      interpreterNeeded: 'no',
      concern: 'no',
      pathways: ['accommodation'],
      prisonerWords: `Talked about where he will live (${day}).`,
      agreed: `To write to the council (${day}).`,
      ...extra,
    }
  }

  /** Records an entry for the prisoner as the actor; its id. */
  async function record(actor: Awaited<ReturnType<typeof user>>, prisonNumber: string, f: EntryForm) {
    const started = await sessions().start(actor, mdi().establishmentId, prisonNumber)
    assert.ok(started !== 'not-found' && started.ok, JSON.stringify(started))
    const r = await sessions().submitEntry(actor, mdi().establishmentId, started.value.id, f)
    assert.equal(r.kind, 'submitted', JSON.stringify(r))
    return started.value.id
  }

  it('gives a prisoner’s entries newest first, each with only its own goals, reviews, referrals and worksheets', async () => {
    const kw = await user('key_worker.mdi')
    const { prisonNumber, id: prisonerId } = await newPrisoner()
    const worksheet = mdi().worksheetId
    const first = await record(
      kw,
      prisonNumber,
      form(addDays(today, -7), {
        goal0Description: 'Write to the council',
        goal0Measure: 'A letter sent',
        goal0TargetDate: addDays(today, 7),
        referral0To: 'stakeholder:resettlement',
        worksheets: [String(worksheet)],
      }),
    )
    const [goal] = await db().selectFrom('session_goals').select('id').where('set_in_session_id', '=', first).execute()
    // a goal just set is open
    assert.deepEqual(
      (await sessions().openGoals(mdi().establishmentId, prisonerId)).map(g => g.id),
      [goal!.id],
    )
    const second = await record(
      kw,
      prisonNumber,
      form(today, {
        [`review${goal!.id}Status`]: 'in_progress',
        [`review${goal!.id}Note`]: 'Drafted it',
        referral0To: `service:${mdi().serviceId}`,
      }),
    )
    const history = await sessions().forPrisoner(mdi().establishmentId, prisonerId)
    assert.deepEqual(
      history.map(h => h.id),
      [second, first],
    )
    const [two, one] = history
    assert.deepEqual(
      one!.goals.map(g => g.description),
      ['Write to the council'],
    )
    assert.deepEqual(two!.goals, [])
    assert.deepEqual(one!.reviews, [])
    assert.deepEqual(
      two!.reviews.map(r => [r.goal_id, r.status, r.note]),
      [[goal!.id, 'in_progress', 'Drafted it']],
    )
    assert.deepEqual(
      one!.referrals.map(r => r.to),
      ['Resettlement'],
    )
    const service = await db()
      .selectFrom('directory_services')
      .select('name')
      .where('id', '=', mdi().serviceId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(
      two!.referrals.map(r => r.to),
      [service.name],
    )
    assert.deepEqual(
      one!.worksheets.map(w => w.session_id),
      [first],
    )
    assert.deepEqual(two!.worksheets, [])
    assert.deepEqual(
      [one!.outcomeName, one!.locationName, one!.reasonName, one!.pathwayNames],
      ['Delivered', 'Interview room', null, ['Accommodation']],
    )
    // the read-only page of the second: its review, and the open goal still open (in progress)
    const page = await sessions().entry(mdi().establishmentId, second)
    assert.ok(page)
    assert.deepEqual(
      page.reviews.map(r => [r.goal_id, r.status]),
      [[goal!.id, 'in_progress']],
    )
    assert.deepEqual(
      (await sessions().openGoals(mdi().establishmentId, prisonerId)).map(g => g.id),
      [goal!.id],
    )
  })

  it('lists recent submitted entries, all authors’ or one author’s, and each prisoner’s last delivered date', async () => {
    const kw = await user('key_worker.mdi')
    const so = await user('supervising_officer.mdi')
    const { prisonNumber, id: prisonerId } = await newPrisoner()
    const older = await record(kw, prisonNumber, form(addDays(today, -3)))
    const newer = await record(so, prisonNumber, form(addDays(today, -1)))
    const started = await sessions().start(kw, mdi().establishmentId, prisonNumber)
    assert.ok(started !== 'not-found' && started.ok)
    const draftId = started.value.id
    const ids = async (authorUserId: number | null) =>
      (await sessions().recent(mdi().establishmentId, authorUserId, 500)).map(r => r.id)
    const all = await ids(null)
    assert.ok(all.includes(older) && all.includes(newer), 'both authors’ entries')
    assert.ok(all.indexOf(newer) < all.indexOf(older), 'newest first')
    assert.ok(!all.includes(draftId), 'no draft')
    const mine = await ids(kw.userId)
    assert.ok(mine.includes(older) && !mine.includes(newer) && !mine.includes(draftId))
    const theirs = await ids(so.userId)
    assert.ok(theirs.includes(newer) && !theirs.includes(older))
    const last = await sessions().lastDelivered(mdi().establishmentId)
    assert.equal(last.get(prisonerId), addDays(today, -1))
  })

  it('shows no draft as an entry, and names who recorded, amended and deleted an entry', async () => {
    const kw = await user('key_worker.mdi')
    const admin = await user('establishment_admin.mdi')
    const { prisonNumber } = await newPrisoner()
    const started = await sessions().start(kw, mdi().establishmentId, prisonNumber)
    assert.ok(started !== 'not-found' && started.ok)
    assert.equal(await sessions().entry(mdi().establishmentId, started.value.id), null)
    assert.equal(await sessions().entry(mdi().establishmentId, 987654), null)
    const id = await record(kw, (await newPrisoner()).prisonNumber, form(today))
    const amended = await sessions().amend(admin, mdi().establishmentId, id, {
      sessionDate: today,
      startsAt: '',
      durationMinutes: '50',
      location: 'interview_room',
      private: 'yes',
      concernEscalatedTo: '',
      interpreterWhyNot: '',
      prisonerWords: `Talked about where he will live (${today}).`,
      agreed: `To write to the council (${today}).`,
      reason: 'It ran longer',
    })
    assert.ok(amended !== 'not-found' && amended.ok, JSON.stringify(amended))
    assert.deepEqual(await sessions().remove(admin, mdi().establishmentId, id, 'Wrong prisoner'), {
      ok: true,
      value: undefined,
    })
    const page = await sessions().entry(mdi().establishmentId, id)
    assert.ok(page)
    assert.equal(page.row.status, 'deleted')
    assert.equal(page.current.durationMinutes, '50')
    // every name is the users table's display name, looked up by username
    const expected: Record<string, string> = {}
    for (const u of [kw, admin]) if (u.displayName) expected[u.username] = u.displayName
    assert.deepEqual(page.names, expected)
    assert.ok(Object.keys(expected).includes(admin.username), 'the admin has a display name to show')
  })

  it('finds the officer linked to a user, and none for a user with no link or no user', async () => {
    const c = sessionsContext(db(), {
      ...world.services,
      prisoners: world.services.prisoners,
    } as unknown as Parameters<typeof sessionsContext>[1])
    const kw = await user('key_worker.mdi')
    // the fixtures leave the staff record unlinked: linked here, last in this file
    await db().updateTable('staff').set({ user_id: kw.userId }).where('id', '=', mdi().staffId).execute()
    const officer = await officerOf(c, mdi().establishmentId, kw.userId)
    assert.equal(officer?.id, mdi().staffId)
    assert.equal(await officerOf(c, mdi().establishmentId, null), null)
    const admin = await user('establishment_admin.mdi')
    assert.equal(await officerOf(c, mdi().establishmentId, admin.userId), null)
  })
})
