import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { londonNow } from '../../domain/hubs'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { type Browser, signedIn } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'

// "Check my entry" on the session entry form (issue 15): the button (saves the draft, shows the hints), the JSON
// answer as the officer types (saves nothing; CSRF required), who may use it, and the pre-check stored on submit.

let world: SeededWorld
let kw: Browser
const today = londonNow().date
const [ty, tm, td] = today.split('-')

before(async () => {
  world = await seededWorld()
  kw = await signedIn(world, 'key_worker.mdi')
})
after(() => world.close())

const db = () => world.services.db.db
const mdi = () => world.seeded.MDI

let seq = 0
async function newPrisoner() {
  seq++
  const prisonNumber = `H${String(2000 + seq)}HH`
  const record = prisonerRecordSchema.parse({
    prisonNumber,
    firstName: 'Alan',
    lastName: `Check${seq}`,
    dateOfBirth: '1990-01-01',
    unit: mdi().unitCode,
    cell: '',
    receptionDate: '2025-01-10',
    releaseDate: '',
    status: 'in',
    complexity: 'low',
    firstLanguage: 'en',
    interpreterNeeded: 'no',
    nationality: 'British',
  })
  const r = await world.services.prisoners.create(
    { ...SYSTEM_ACTOR, establishmentId: mdi().establishmentId },
    mdi().establishmentId,
    record,
  )
  assert.ok(r.ok, JSON.stringify(r))
  return prisonNumber
}

async function start(b: Browser): Promise<number> {
  const pn = await newPrisoner()
  const page = await b.get(`/prisoners/${pn}/sessions/new`)
  const key = /name="client_key" value="([^"]+)"/.exec(page.text)?.[1]
  assert.ok(key)
  const res = await b.post(`/prisoners/${pn}/sessions`, { client_key: key }, `/prisoners/${pn}/sessions/new`)
  const m = /^\/sessions\/(\d+)\/edit$/.exec(res.headers.location ?? '')
  assert.ok(m, res.headers.location)
  return Number(m[1])
}

/** A delivered 40-minute session with a two-line narrative and nothing else. */
const thin = (): Record<string, string | string[]> => ({
  outcome: 'delivered',
  'sessionDate-day': String(Number(td)),
  'sessionDate-month': String(Number(tm)),
  'sessionDate-year': ty!,
  duration: '40',
  location: 'interview_room',
  private: 'yes',
  interpreterNeeded: 'no',
  concern: 'no',
  prisonerWords: 'I want to get a job in a kitchen.',
  agreed: 'Look at catering courses.',
})

const row = (id: number) =>
  db().selectFrom('key_work_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** Posts the form to the JSON endpoint with the user's CSRF token (or the one given; null: none). */
async function checkJson(b: Browser, id: number, fields: Record<string, string | string[]>, token?: string | null) {
  const _csrf = token === undefined ? await b.csrf('/') : token
  return b.agent
    .post(`/sessions/${id}/check`)
    .set('Accept', 'application/json')
    .type('form')
    .send({ ...(_csrf === null ? {} : { _csrf }), ...fields })
}

describe('Check my entry, without JavaScript', () => {
  it('shows the form with its button and the hints panel, empty until asked', async () => {
    const id = await start(kw)
    const page = await kw.get(`/sessions/${id}/edit`)
    assert.equal(page.status, 200)
    assert.match(page.text, /<button[^>]*value="check"[^>]*name="action"[^>]*>\s*Check my entry/)
    assert.match(page.text, /id="check-hints" aria-live="polite"/)
    assert.match(page.text, /Choose “Check my entry” below the form to see hints/)
    assert.match(page.text, /entry-check\.js" nonce="/)
    assert.match(page.text, /data-entry-check="\/sessions\/\d+\/check"/)
  })

  it('saves the draft as typed and shows the hints, losing nothing typed', async () => {
    const id = await start(kw)
    const res = await kw.post(`/sessions/${id}/draft`, { ...thin(), action: 'check' }, `/sessions/${id}/edit`)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/sessions/${id}/edit?check=1#check-results`)
    const saved = await row(id)
    assert.equal(saved.status, 'draft')
    assert.equal(saved.precheck, null, 'a check stores nothing on the entry until it is submitted')
    assert.equal((JSON.parse(saved.draft_form!) as Record<string, string>).agreed, 'Look at catering courses.')

    const page = await kw.get(`/sessions/${id}/edit?check=1`)
    assert.equal(page.status, 200)
    assert.match(page.text, /6 hints for this entry/)
    assert.match(page.text, /What Alan said is a few words \(33 characters\)/)
    assert.match(page.text, /This was a 40-minute session but the entry is about two lines \(58 characters\)/)
    assert.match(page.text, /href="#pathways"/)
    assert.match(page.text, /Clear, professional language/, 'each hint names its criterion')
    assert.match(page.text, /Estimates against the rubric/)
    // what was typed is still in the form
    assert.match(page.text, /Look at catering courses\./)
    assert.match(page.text, /name="duration"[^>]*value="40"/)
  })

  it('says so when there is nothing to hint', async () => {
    const id = await start(kw)
    const good = {
      ...thin(),
      pathways: ['education-training-employment'],
      prisonerWords:
        '"I want to work in a kitchen when I get out," he said. He is proud he passed food hygiene level 2 last month.',
      agreed: 'He will apply for the catering course by Friday and I will check with education at the next session.',
      goal0Description: 'Get a place on the catering course',
      goal0Measure: 'A start date from education',
      goal0TargetDate: '1/3/2099',
      referral0To: `service:${mdi().serviceId}`,
      referral0Note: 'Catering course place',
    }
    await kw.post(`/sessions/${id}/draft`, { ...good, action: 'check' }, `/sessions/${id}/edit`)
    const page = await kw.get(`/sessions/${id}/edit?check=1`)
    assert.match(page.text, /No hints: the entry covers everything the check can see/)
  })

  it('does not judge a session that did not take place', async () => {
    const id = await start(kw)
    const fields = { ...thin(), outcome: 'not_delivered', notDeliveredReason: 'other', notDeliveredDetail: 'Court' }
    await kw.post(`/sessions/${id}/draft`, { ...fields, action: 'check' }, `/sessions/${id}/edit`)
    const page = await kw.get(`/sessions/${id}/edit?check=1`)
    assert.match(page.text, /A session that did not take place is not checked against the rubric/)
    assert.doesNotMatch(page.text, /hints for this entry/)
  })
})

describe('Check my entry as the officer types (JSON)', () => {
  it('answers the hints for the form as posted, and saves nothing', async () => {
    const id = await start(kw)
    const before = await row(id)
    const res = await checkJson(kw, id, thin())
    assert.equal(res.status, 200)
    assert.match(String(res.headers['content-type']), /^application\/json/)
    const body = res.body as { hints: { criterion: string; field: string; title: string }[]; html: string }
    assert.deepEqual(
      body.hints.map(h => `${h.criterion} @${h.field}`),
      [
        'voice @prisonerWords',
        'needs @pathways',
        'goal @goal0Description',
        'signposting @referral0To',
        'follow-up @agreed',
        'language @prisonerWords',
      ],
    )
    assert.equal(body.hints[0]!.title, "The prisoner's own voice")
    assert.match(body.html, /6 hints for this entry/)
    assert.doesNotMatch(body.html, /<html|<form/, 'only the panel')
    const afterwards = await row(id)
    assert.deepEqual(afterwards, before, 'nothing saved')
  })

  it('requires the CSRF token, and changes nothing without it', async () => {
    const id = await start(kw)
    const res = await checkJson(kw, id, thin(), null)
    assert.equal(res.status, 403)
    const wrong = await checkJson(kw, id, thin(), 'not-the-token')
    assert.equal(wrong.status, 403)
  })

  it('refuses another establishment’s entry, another user’s draft, and answers 409 for a submitted one', async () => {
    const lei = await checkJson(kw, world.seeded.LEI.sessionId, thin())
    assert.equal(lei.status, 404)
    const so = await signedIn(world, 'supervising_officer.mdi')
    const id = await start(kw)
    const other = await checkJson(so, id, thin())
    assert.equal(other.status, 404, 'a draft is its author’s')
    const submitted = await checkJson(kw, mdi().sessionId, thin())
    assert.equal(submitted.status, 409)
    assert.equal((submitted.body as { status: string }).status, 'submitted')
  })

  it('is for those who record sessions: Supervising Officers yes, admins and the national team no', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const own = await start(so)
    assert.equal((await checkJson(so, own, thin())).status, 200)
    for (const username of ['establishment_admin.mdi', 'national']) {
      const b = await signedIn(world, username)
      const res = await checkJson(b, own, thin(), await b.csrf('/'))
      assert.equal(res.status, 403, username)
    }
  })

  it('answers bad input without a 500: odd fields, lists where text is expected, nothing at all', async () => {
    const id = await start(kw)
    const odd = await checkJson(kw, id, {
      outcome: ['delivered', 'not_delivered'],
      duration: 'forty',
      pathways: ['nonsense', 'health'],
      review99Status: 'achieved',
      goal500Description: 'x',
    })
    assert.equal(odd.status, 200)
    const empty = await checkJson(kw, id, {})
    assert.equal(empty.status, 200)
  })
})

describe('the pre-check stored with a submitted entry', () => {
  it('keeps the rubric version, the estimates and the hints, and the mean estimate; hints never block a submit', async () => {
    const id = await start(kw)
    const res = await kw.post(`/sessions/${id}/submit`, thin(), `/sessions/${id}/edit`)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/sessions/${id}`)
    const saved = await row(id)
    assert.equal(saved.status, 'submitted')
    const v1 = await db()
      .selectFrom('qa_rubric_versions')
      .select('id')
      .where('version', '=', 1)
      .executeTakeFirstOrThrow()
    const stored = JSON.parse(saved.precheck!) as Record<string, unknown>
    assert.equal(stored.rubricVersion, 1)
    assert.equal(stored.rubricVersionId, v1.id)
    // worked by hand from the entry: 33 + 25 characters written, no pathway, goal, referral or time
    assert.deepEqual(stored.estimates, {
      voice: 2,
      needs: 2,
      goal: 1,
      signposting: null,
      risk: null,
      strengths: null,
      interpreter: null,
      'follow-up': 2,
      language: 1,
    })
    assert.deepEqual(
      (stored.hints as { criterion: string }[]).map(h => h.criterion),
      ['voice', 'needs', 'goal', 'signposting', 'follow-up', 'language'],
    )
    assert.ok(Math.abs(saved.precheck_score! - 8 / 5) < 1e-6, String(saved.precheck_score))
  })

  it('stores nothing for an entry that could not be submitted', async () => {
    const id = await start(kw)
    const res = await kw.post(`/sessions/${id}/submit`, { ...thin(), duration: '' }, `/sessions/${id}/edit`)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/sessions/${id}/edit`)
    const saved = await row(id)
    assert.equal(saved.status, 'draft')
    assert.equal(saved.precheck, null)
    assert.equal(saved.precheck_score, null)
  })
})
