import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { londonNow } from '../../domain/hubs'
import { signedIn } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { sessionsService } from './service'

// The submit use case on its own (no route): it emails the services referred to once the entry is committed, and a
// failed email never undoes the entry.

let world: SeededWorld
before(async () => {
  world = await seededWorld()
})
after(() => world.close())

const [y, m, d] = londonNow().date.split('-')
const form = () => ({
  outcome: 'delivered',
  'sessionDate-day': d!,
  'sessionDate-month': m!,
  'sessionDate-year': y!,
  duration: '30',
  location: 'cell',
  private: 'no',
  interpreterNeeded: 'no',
  concern: 'no',
  agreed: 'Ask about housing',
  referral0To: `service:${world.seeded.MDI.serviceId}`,
})

/** The sessions service as services.ts builds it, with these referrals and logger. */
function sessionsWith(
  referrals: Parameters<typeof sessionsService>[1]['referrals'],
  logged: unknown[],
): ReturnType<typeof sessionsService> {
  const s = world.services
  return sessionsService(s.db.db, {
    audit: s.audit,
    prisoners: s.prisoners,
    staff: s.staff,
    establishments: s.establishments,
    directory: s.directory,
    worksheets: s.worksheets,
    hubs: s.hubs,
    statistics: s.statistics,
    referrals,
    logger: { error: (...args: unknown[]) => void logged.push(args) },
  })
}

/** The fixture's user of MDI, who records here; and a user who is not them. */
const owner = () => ({
  userId: world.seeded.MDI.userId,
  username: 'fixture.mdi',
  establishmentId: world.seeded.MDI.establishmentId,
})
const someoneElse = () => ({ ...owner(), userId: owner().userId + 1000, username: 'someone.else' })

/** A new draft for MDI's prisoner, by the fixture's user; its id. */
async function draftOf(sessions: ReturnType<typeof sessionsService>): Promise<number> {
  const started = await sessions.start(owner(), owner().establishmentId, world.seeded.MDI.prisonNumber)
  assert.ok(started !== 'not-found' && started.ok)
  return started.value.id
}

describe('submitting an entry', () => {
  it('emails the new referrals with the actor who submitted, once the entry is recorded', async () => {
    const mdi = world.seeded.MDI
    const actor = owner()
    const calls: { actor: unknown; establishmentId: number; ids: number[]; status: string }[] = []
    const sessions = sessionsWith(
      {
        sendForNewReferrals: async (a, establishmentId, ids) => {
          // the entry is committed before the email step: it reads as submitted from outside the transaction
          const row = await world.services.sessions.get(establishmentId, id)
          calls.push({ actor: a, establishmentId, ids, status: row?.status ?? 'none' })
          return []
        },
      },
      [],
    )
    const id = await draftOf(sessions)
    const r = await sessions.submitEntry(actor, mdi.establishmentId, id, form())
    assert.equal(r.kind, 'submitted')
    const referrals = await world.services.db.db
      .selectFrom('referrals')
      .select('id')
      .where('session_id', '=', id)
      .execute()
    assert.equal(referrals.length, 1)
    assert.deepEqual(calls, [
      { actor, establishmentId: mdi.establishmentId, ids: [referrals[0]!.id], status: 'submitted' },
    ])
    // sent again, it records and emails nothing more
    assert.deepEqual(await sessions.submitEntry(actor, mdi.establishmentId, id, form()), {
      kind: 'not-draft',
      status: 'submitted',
      mine: true,
    })
    assert.equal(calls.length, 1)
  })

  it('keeps the entry when the email step fails, and logs it', async () => {
    const mdi = world.seeded.MDI
    const actor = owner()
    const logged: unknown[] = []
    const sessions = sessionsWith(
      {
        sendForNewReferrals: () => Promise.reject(new Error('the outbox is down')),
      },
      logged,
    )
    const id = await draftOf(sessions)
    const r = await sessions.submitEntry(actor, mdi.establishmentId, id, form())
    assert.equal(r.kind, 'submitted')
    assert.equal((await world.services.sessions.get(mdi.establishmentId, id))?.status, 'submitted')
    assert.equal(logged.length, 1)
  })

  it('reads the entry once for whose it is: another user’s draft is not found, and stays a draft', async () => {
    const mdi = world.seeded.MDI
    const sessions = sessionsWith(undefined, [])
    const id = await draftOf(sessions)
    const other = someoneElse()
    assert.deepEqual(await sessions.submitEntry(other, mdi.establishmentId, id, form()), {
      kind: 'not-found',
    })
    assert.equal((await world.services.sessions.get(mdi.establishmentId, id))?.status, 'draft')
  })
})

describe('saving a draft', () => {
  it('reads the entry once for whose it is and whether it is still a draft', async () => {
    const mdi = world.seeded.MDI
    const sessions = sessionsWith(undefined, [])
    const id = await draftOf(sessions)
    const typed = { ...form(), agreed: 'Typed so far' }
    assert.deepEqual(await sessions.saveDraft(owner(), mdi.establishmentId, id, typed), { kind: 'saved' })
    assert.deepEqual(await sessions.saveDraft(owner(), mdi.establishmentId, id, typed), { kind: 'unchanged' })
    const other = someoneElse()
    assert.deepEqual(await sessions.saveDraft(other, mdi.establishmentId, id, form()), { kind: 'not-found' })
    assert.deepEqual(await sessions.saveDraft(owner(), world.seeded.LEI.establishmentId, id, form()), {
      kind: 'not-found',
    })
    assert.equal((await sessions.submitEntry(owner(), mdi.establishmentId, id, typed)).kind, 'submitted')
    assert.deepEqual(await sessions.saveDraft(owner(), mdi.establishmentId, id, form()), {
      kind: 'not-draft',
      status: 'submitted',
    })
  })

  it('answers the script 409 with the status once the entry is submitted, and a form with the entry', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    const pn = world.seeded.MDI.prisonNumber
    const startPage = await kw.get(`/prisoners/${pn}/sessions/new`)
    const key = /name="client_key" value="([^"]+)"/.exec(startPage.text)?.[1]
    assert.ok(key)
    const started = await kw.post(`/prisoners/${pn}/sessions`, { client_key: key }, `/prisoners/${pn}/sessions/new`)
    const id = Number(/^\/sessions\/(\d+)\/edit$/.exec(started.headers.location ?? '')?.[1])
    assert.ok(id)
    const submitted = await kw.post(`/sessions/${id}/submit`, form(), `/sessions/${id}/edit`)
    assert.equal(submitted.headers.location, `/sessions/${id}`)
    const _csrf = await kw.csrf(`/sessions/${id}`)
    for (const path of ['draft', 'submit']) {
      const json = await kw.agent
        .post(`/sessions/${id}/${path}`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ _csrf, ...form() })
      assert.equal(json.status, 409, path)
      assert.deepEqual(json.body, { saved: false, status: 'submitted' }, path)
      const html = await kw.post(`/sessions/${id}/${path}`, form(), `/sessions/${id}`)
      assert.equal(html.status, 303, path)
      assert.equal(html.headers.location, `/sessions/${id}`, path)
    }
  })
})
