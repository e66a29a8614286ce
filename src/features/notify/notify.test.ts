import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../config'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { buildServices } from '../../services'
import { signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { insertReferral, insertSession } from '../../../test/support/referrals'
import { FAKE_API_KEY, startFakeNotify } from '../../../test/support/fakeNotify'

const TEMPLATE_ID = 'f33517ff-2a88-4f6e-b855-c550268ce08a'

const world = await seededWorld()
const s = world.services
const fake = await startFakeNotify()
after(async () => {
  await fake.close()
  await world.close()
})
const mdi = world.seeded.MDI
const lei = world.seeded.LEI
const actor = { ...SYSTEM_ACTOR, username: 'key_worker.mdi', establishmentId: mdi.establishmentId }

/** The same database, with services configured to send through the fake Notify. */
function withNotify(baseUrl: string) {
  return buildServices(
    { ...s.config, notify: { apiKey: FAKE_API_KEY, referralTemplateId: TEMPLATE_ID, baseUrl } },
    s.db,
  )
}

async function newReferral(opts: { serviceId?: string | null; stakeholder?: string; note?: string } = {}) {
  const prisonerId = (await s.prisoners.get(mdi.establishmentId, mdi.prisonNumber))!.id
  const sessionId = await insertSession(s.db.db, {
    establishmentId: mdi.establishmentId,
    prisonerId,
    staffId: mdi.staffId,
    author: 'key_worker.mdi',
    sessionDate: addDays(londonNow().date, -1),
  })
  return insertReferral(s.db.db, {
    establishmentId: mdi.establishmentId,
    prisonerId,
    sessionId,
    serviceId: opts.serviceId === undefined ? mdi.serviceId : opts.serviceId,
    stakeholder: opts.stakeholder ?? null,
    note: opts.note ?? 'Needs housing advice before release.',
    followUpDate: '2031-03-27',
    createdBy: 'key_worker.mdi',
  })
}

describe('configuration', () => {
  it('reads Notify settings, and refuses a key without a template', () => {
    const env = { NODE_ENV: 'test' as const, LOG_LEVEL: 'silent' }
    assert.equal(loadConfig(env).notify, null)
    const c = loadConfig({ ...env, NOTIFY_API_KEY: FAKE_API_KEY, NOTIFY_REFERRAL_TEMPLATE_ID: TEMPLATE_ID })
    assert.deepEqual(c.notify, { apiKey: FAKE_API_KEY, referralTemplateId: TEMPLATE_ID })
    assert.throws(() => loadConfig({ ...env, NOTIFY_API_KEY: FAKE_API_KEY }), /NOTIFY_REFERRAL_TEMPLATE_ID/)
    assert.throws(() => loadConfig({ ...env, NOTIFY_API_KEY: 'short' }), /NOTIFY_API_KEY/)
    assert.throws(
      () =>
        loadConfig({
          ...env,
          NOTIFY_API_KEY: FAKE_API_KEY,
          NOTIFY_REFERRAL_TEMPLATE_ID: TEMPLATE_ID,
          NOTIFY_BASE_URL: 'ftp://x',
        }),
      /NOTIFY_BASE_URL/,
    )
  })
})

describe('without Notify: the outbox', () => {
  it('kept the fixture referral’s email in the outbox, unsent, with the prisoner and the Key Worker', async () => {
    const scope = { establishmentId: mdi.establishmentId, includeNational: false }
    const email = await s.mailer.get(scope, mdi.emailId)
    assert.ok(email)
    assert.equal(email.status, 'outbox')
    assert.equal(email.notify_id, null)
    assert.equal(email.to_address, 'resettlement.mdi@example.org')
    assert.equal(email.reference, `referral-${mdi.referralId}`)
    assert.match(email.subject, /Tomasz Nowak \(A1111AA\)/)
    assert.match(
      email.body,
      /Sam Officer MDI, Key Worker at Moorland \(HMP\), has referred Tomasz Nowak \(prison number A1111AA\)/,
    )
    assert.match(email.body, /Needs an address for release/)
  })

  it('lists emails to an establishment admin, with a page per email showing the body', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const list = await admin.get('/outbox')
    assert.equal(list.status, 200)
    assert.match(list.text, /resettlement\.mdi@example\.org/)
    assert.match(list.text, /In the outbox \(not sent\)/)
    assert.doesNotMatch(list.text, /resettlement\.lei@example\.org/, 'another establishment’s emails stay hidden')
    const page = await admin.get(`/outbox/${mdi.emailId}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /has referred Tomasz Nowak/)
    assert.match(page.text, new RegExp(`href="/referrals/${mdi.referralId}"`))
    assert.equal((await admin.get(`/outbox/${lei.emailId}`)).status, 404)
  })

  it('is closed to Key Workers and Supervising Officers', async () => {
    for (const user of ['key_worker.mdi', 'supervising_officer.mdi']) {
      const b = await signedIn(world, user)
      assert.equal((await b.get('/outbox')).status, 403)
      assert.equal((await b.get(`/outbox/${mdi.emailId}`)).status, 403)
    }
  })

  it('does not email a stakeholder referral, and records it', async () => {
    const id = await newReferral({ serviceId: null, stakeholder: 'pom' })
    const [r] = await s.referrals.sendForNewReferrals(actor, mdi.establishmentId, [id])
    assert.equal(r?.kind, 'stakeholder')
    assert.deepEqual(await s.referrals.emailsFor(mdi.establishmentId, id), [])
  })

  it('ignores a referral of another establishment', async () => {
    const [r] = await s.referrals.sendForNewReferrals(actor, mdi.establishmentId, [lei.referralId])
    assert.equal(r?.kind, 'not_found')
  })
})

describe('with GOV.UK Notify (a fake Notify server)', () => {
  let notifying: ReturnType<typeof withNotify>
  before(() => {
    notifying = withNotify(fake.url)
  })

  it('sends the referral with the template, the address, the personalisation and a signed JWT', async () => {
    fake.setMode('ok')
    const before = fake.requests.length
    const id = await newReferral({ note: 'Housing: no fixed abode on release.' })
    const [r] = await notifying.referrals.sendForNewReferrals(actor, mdi.establishmentId, [id])
    assert.equal(r?.kind, 'email')
    assert.ok(r?.kind === 'email' && r.status === 'sent', JSON.stringify(r))
    assert.equal(fake.requests.length, before + 1)
    const req = fake.requests.at(-1)!
    assert.equal(req.method, 'POST')
    assert.equal(req.path, '/v2/notifications/email')
    assert.match(req.authorization ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/)
    assert.ok(req.jwtValid, 'the JWT is signed with the key’s secret and issued by its service')
    assert.equal(req.body.template_id, TEMPLATE_ID)
    assert.equal(req.body.email_address, 'resettlement.mdi@example.org')
    assert.equal(req.body.reference, `referral-${id}`)
    const p = req.body.personalisation!
    assert.equal(p.prisoner_name, 'Tomasz Nowak')
    assert.equal(p.prison_number, 'A1111AA')
    assert.equal(p.key_worker, 'Sam Officer MDI')
    assert.equal(p.note, 'Housing: no fixed abode on release.')
    assert.equal(p.follow_up_date, '27 March 2031')
    assert.equal(p.service_name, 'Resettlement advice MDI')
    assert.match(p.subject!, /Referral from Moorland \(HMP\): Tomasz Nowak \(A1111AA\)/)
    assert.match(p.body!, /Housing: no fixed abode on release\./)

    const [email] = await s.referrals.emailsFor(mdi.establishmentId, id)
    assert.equal(email?.status, 'sent')
    assert.equal(email?.notify_id, fake.ids.at(-1))
    assert.ok(email?.sent_at)
  })

  it('emails a service without its own address at its first contact with one', async () => {
    const serviceId = await s.directory.create(actor, mdi.establishmentId, {
      name: 'Family support',
      description: 'Keeps men in touch with their children.',
      organizationName: 'Families First',
      status: 'active',
      provision: 'external',
      applicationProcess: null,
      eligibility: null,
      waitTime: null,
      email: null,
      url: null,
      interpretationServices: null,
      location: null,
      contacts: [
        { name: 'No Email', title: null, email: null, phone: null },
        { name: 'Pat Reed', title: 'Family worker', email: 'pat.reed@example.org', phone: null },
      ],
      phones: [],
      schedules: [],
      languages: ['en'],
      pathways: ['children-families'],
    })
    assert.ok(serviceId.ok, JSON.stringify(serviceId))
    const id = await newReferral({ serviceId: serviceId.value })
    const [r] = await notifying.referrals.sendForNewReferrals(actor, mdi.establishmentId, [id])
    assert.ok(r?.kind === 'email' && r.to === 'pat.reed@example.org', JSON.stringify(r))
    assert.equal(fake.requests.at(-1)?.body.email_address, 'pat.reed@example.org')
    assert.match(fake.requests.at(-1)?.body.personalisation?.body ?? '', /^Dear Pat Reed,/)
  })

  it('records a Notify 400 as failed, keeps the referral and shows the failure', async () => {
    fake.setMode('bad-request')
    const id = await newReferral()
    const [r] = await notifying.referrals.sendForNewReferrals(actor, mdi.establishmentId, [id])
    fake.setMode('ok')
    assert.ok(r?.kind === 'email' && r.status === 'failed', JSON.stringify(r))
    const referral = await s.referrals.get(mdi.establishmentId, id)
    assert.equal(referral?.status, 'sent', 'the referral stands')
    const [email] = await s.referrals.emailsFor(mdi.establishmentId, id)
    assert.equal(email?.status, 'failed')
    assert.equal(email?.notify_id, null)
    assert.match(email?.error ?? '', /Notify 400: BadRequestError: .*team-only API key/)

    const kw = await signedIn(world, 'key_worker.mdi')
    const page = await kw.get(`/referrals/${id}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Not sent/)
    assert.match(page.text, /team-only API key/)
    const admin = await signedIn(world, 'establishment_admin.mdi')
    assert.match((await admin.get(`/outbox/${email!.id}`)).text, /This email was not sent: Notify 400/)
  })

  it('records an unreachable Notify as failed, without throwing', async () => {
    const closed = await startFakeNotify()
    await closed.close()
    const id = await newReferral()
    const [r] = await withNotify(closed.url).referrals.sendForNewReferrals(actor, mdi.establishmentId, [id])
    assert.ok(r?.kind === 'email' && r.status === 'failed', JSON.stringify(r))
    assert.match(r.error ?? '', /Notify could not be reached/)
  })
})
