import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import supertest from 'supertest'
import { addDays, todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { Browser, signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'
import { staffRecordSchema } from '../staff/schema'
import { CODE_ALPHABET, newCertificateCode, normaliseCertificateCode } from './certificateCode'
import type { NewCompletion } from './service'

// Training records (issue 16): completions append-only, certificates (issue, reissue, revoke, public check), the CSV
// import and the xAPI statements (all or nothing, idempotent), and another establishment's officer refused.

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
const mdi = world.seeded.MDI
const lei = world.seeded.LEI
const today = todayIso()
const actor = { ...SYSTEM_ACTOR, establishmentId: mdi.establishmentId }

const count = async (table: 'training_completions' | 'training_certificates') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

async function officer(establishmentId: number, staffNumber: string, firstName: string, email: string | null) {
  const r = await s.staff.create(
    actor,
    establishmentId,
    staffRecordSchema.parse({
      staffNumber,
      firstName,
      lastName: 'Tester',
      grade: 'Band 3',
      workingPattern: 'full_time',
      startedInPost: '2024-01-15',
      languages: 'English',
      status: 'active',
      ...(email ? { email } : {}),
    }),
  )
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

let ann = 0
let ben = 0
let leo = 0
before(async () => {
  await s.training.ensureNational()
  ann = await officer(mdi.establishmentId, 'MDI0201', 'Ann', 'ann.tester@example.org')
  ben = await officer(mdi.establishmentId, 'MDI0202', 'Ben', null)
  leo = await officer(lei.establishmentId, 'LEI0203', 'Leo', 'leo.tester@example.org')
})

const completion = (staffId: number, code: string, completedOn: string, extra: Partial<NewCompletion> = {}) => ({
  establishmentId: mdi.establishmentId,
  staffId,
  moduleId: null,
  moduleCode: code,
  kind: code === 'KW-INITIAL' ? ('initial' as const) : ('topup' as const),
  title: code === 'KW-INITIAL' ? 'Initial Key Worker course' : 'Motivational interviewing refresher',
  completedOn,
  hours: 3,
  outcome: 'passed' as const,
  source: 'manual' as const,
  ...extra,
})

const record = (c: NewCompletion) =>
  db.transaction().execute(trx => s.trainingRecords.recordCompletions(trx, actor, [c]))
const certificateOf = (completionId: number) =>
  db.selectFrom('training_certificates').selectAll().where('completion_id', '=', completionId).executeTakeFirstOrThrow()
const anon = () => supertest(world.app)

describe('certificate codes', () => {
  it('are 12 characters of the alphabet without look-alikes, grouped in fours, and read back however typed', () => {
    for (let i = 0; i < 50; i++) {
      const code = newCertificateCode()
      assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
      for (const c of code.replaceAll('-', '')) assert.ok(CODE_ALPHABET.includes(c), c)
    }
    for (const c of ['0', 'O', '1', 'I', 'L', '5', 'S', '8', 'B', '2', 'Z']) assert.ok(!CODE_ALPHABET.includes(c), c)
    assert.equal(normaliseCertificateCode(' acde fghj-kmnp '), 'ACDE-FGHJ-KMNP')
    assert.equal(normaliseCertificateCode('ACDE-FGHJ-KMN'), null)
    assert.equal(normaliseCertificateCode('ACDE-FGHJ-KMN0'), null)
  })
})

describe('certificates and the public check', () => {
  let firstId = 0
  let secondId = 0

  it('issues a certificate for a completion, which the public page verifies without signing in', async () => {
    firstId = (await record(completion(ann, 'KW-TOPUP-MI', '2025-03-10')))[0]!
    const cert = await certificateOf(firstId)
    assert.equal(cert.name, 'Ann Tester')
    assert.equal(cert.module_title, 'Motivational interviewing refresher')
    assert.equal(cert.completed_on, '2025-03-10')
    assert.equal(cert.superseded_by, null)
    const res = await anon().get(`/certificates/verify?code=${encodeURIComponent(cert.code.toLowerCase())}`)
    assert.equal(res.status, 200)
    assert.match(res.text, /Ann Tester/)
    assert.match(res.text, /Motivational interviewing refresher/)
    assert.match(res.text, /10 March 2025/)
    assert.doesNotMatch(res.text, /superseded|revoked/i)
    // only the name, module and date: not the staff number, the establishment or the hours
    assert.doesNotMatch(res.text, /MDI0201|Moorland/)
    const form = await anon().get('/certificates/verify')
    assert.equal(form.status, 200)
    assert.match(form.text, /Verification code/)
    const empty = await anon().get('/certificates/verify?code=')
    assert.equal(empty.status, 200)
    assert.match(empty.text, /There is a problem/)
    assert.match(empty.text, /Enter the verification code/)
  })

  it('does not issue one for a failed outcome', async () => {
    const before = await count('training_certificates')
    await record(completion(ben, 'KW-TOPUP-MI', '2025-04-01', { outcome: 'failed' }))
    assert.equal(await count('training_certificates'), before)
  })

  it('reissues after retraining: a new certificate with the new date, the earlier one superseded and kept', async () => {
    secondId = (await record(completion(ann, 'KW-TOPUP-MI', '2026-03-12')))[0]!
    const first = await certificateOf(firstId)
    const second = await certificateOf(secondId)
    assert.notEqual(first.code, second.code)
    assert.equal(second.completed_on, '2026-03-12')
    assert.equal(Number(first.superseded_by), Number(second.id))
    assert.equal(second.superseded_by, null)
    const old = await anon().get(`/certificates/verify?code=${first.code}`)
    assert.equal(old.status, 200)
    assert.match(old.text, /superseded by a later certificate/)
    const page = await (await signedIn(world, 'supervising_officer.mdi')).get(`/training/officers/${ann}`)
    assert.equal(page.status, 200)
    assert.match(page.text, new RegExp(first.code))
    assert.match(page.text, new RegExp(second.code))
    assert.match(page.text, /Superseded by a later certificate/)
  })

  it('voids a completion with a reason and keeps it: its certificate is revoked, the earlier one current again', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const before = await count('training_completions')
    const empty = await so.post(`/training/completions/${secondId}/void`, { reason: '' })
    assert.equal(empty.status, 303)
    assert.equal((await certificateOf(secondId)).revoked_at, null, 'an empty reason voids nothing')
    const res = await so.post(`/training/completions/${secondId}/void`, {
      reason: 'Recorded against the wrong officer',
    })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/training/officers/${ann}`)
    assert.equal(await count('training_completions'), before, 'append-only: nothing deleted')
    const row = await db
      .selectFrom('training_completions')
      .selectAll()
      .where('id', '=', secondId)
      .executeTakeFirstOrThrow()
    assert.equal(row.void_reason, 'Recorded against the wrong officer')
    assert.equal(row.voided_by, 'supervising_officer.mdi')
    assert.equal(row.completed_on, '2026-03-12', 'the completion itself is unchanged')
    const second = await certificateOf(secondId)
    assert.notEqual(second.revoked_at, null)
    const revoked = await anon().get(`/certificates/verify?code=${second.code}`)
    assert.equal(revoked.status, 200)
    assert.match(revoked.text, /revoked/)
    const first = await certificateOf(firstId)
    assert.equal(first.superseded_by, null)
    const valid = await anon().get(`/certificates/verify?code=${first.code}`)
    assert.doesNotMatch(valid.text, /superseded|revoked/i)
    const events = await db
      .selectFrom('audit_events')
      .select(['action'])
      .where('action', '<>', 'view')
      .where(eb =>
        eb.or([
          eb.and([eb('entity', '=', 'training_completion'), eb('entity_id', '=', String(secondId))]),
          eb.and([eb('entity', '=', 'training_certificate'), eb('entity_id', '=', String(second.id))]),
        ]),
      )
      .execute()
    assert.deepEqual(events.map(e => e.action).sort(), ['create', 'create', 'revoke', 'void'])
    // voided twice: refused, nothing changes
    const again = await s.trainingRecords.voidCompletion(actor, mdi.establishmentId, secondId, 'again')
    assert.equal(again.ok, false)
    const still = await db
      .selectFrom('training_completions')
      .selectAll()
      .where('id', '=', secondId)
      .executeTakeFirstOrThrow()
    assert.equal(still.void_reason, 'Recorded against the wrong officer')
  })

  it('answers an unknown or malformed code with a 404 that reveals nothing', async () => {
    for (const code of ['ACDE-FGHJ-KMNP', 'not a code', "' or 1=1 --"]) {
      const res = await anon().get(`/certificates/verify?code=${encodeURIComponent(code)}`)
      assert.equal(res.status, 404, code)
      assert.match(res.text, /Certificate not found/)
      assert.doesNotMatch(res.text, /Tester|Motivational/)
    }
  })

  it('gives the officer’s certificate as a PDF to their SO, and 404 for another establishment’s', async () => {
    const cert = await certificateOf(firstId)
    const so = await signedIn(world, 'supervising_officer.mdi')
    const pdf = await so.get(`/training/certificates/${cert.id}`).buffer(true)
    assert.equal(pdf.status, 200)
    assert.match(String(pdf.headers['content-type']), /application\/pdf/)
    assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-')
    // what is printed: the holder, the module, the date and the code to check it with
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cert-')), 'certificate.pdf')
    fs.writeFileSync(file, pdf.body as Buffer)
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
    assert.match(text, new RegExp(cert.name))
    assert.match(text, new RegExp(cert.module_title))
    assert.match(text, new RegExp(cert.code))
    assert.match(text, /\/certificates\/verify/)
    const leiSo = await signedIn(world, 'supervising_officer.lei')
    assert.equal((await leiSo.get(`/training/certificates/${cert.id}`)).status, 404)
    // a Key Worker who is not the holder: 404; linked to the record: their own certificate
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get(`/training/certificates/${cert.id}`)).status, 404)
  })
})

describe('an officer’s record and plan', () => {
  it('counts a passed initial course as trained, with the top-up due 12 months after', async () => {
    await record(completion(ben, 'KW-INITIAL', '2025-06-02', { hours: 30 }))
    const st = await s.trainingRecords.statusFor(mdi.establishmentId, ben)
    assert.equal(st.trained, true)
    assert.equal(st.initial.state, 'done')
    assert.equal(st.initial.completedOn, '2025-06-02')
    assert.equal(st.topup.dueOn, '2026-06-02')
    const facts = await s.trainingRecords.completionsFor([ben, leo])
    assert.deepEqual(
      facts.get(ben)!.map(f => [f.moduleCode, f.outcome]),
      [
        ['KW-TOPUP-MI', 'failed'],
        ['KW-INITIAL', 'passed'],
      ],
    )
    assert.deepEqual(facts.get(leo), [])
  })

  it('shows a signed-in officer their own record on the training home', async () => {
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'key_worker.mdi')
      .executeTakeFirstOrThrow()
    await db.updateTable('staff').set({ user_id: user.id }).where('id', '=', ben).execute()
    try {
      const kw = await signedIn(world, 'key_worker.mdi')
      const res = await kw.get('/training')
      assert.equal(res.status, 200)
      assert.match(res.text, /My training record/)
      assert.match(res.text, /Initial Key Worker course/)
      assert.match(res.text, /2 June 2025/)
      assert.doesNotMatch(res.text, /undefined|\[object Object\]|in_window|not_applicable/)
    } finally {
      await db.updateTable('staff').set({ user_id: null }).where('id', '=', ben).execute()
    }
  })

  it('records a completion by hand, refusing a future date and saving nothing', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const before = await count('training_completions')
    const [y, m, d] = addDays(today, 2).split('-')
    const bad = await so.post(`/training/officers/${ann}/completions/new`, {
      moduleCode: 'KW-TOPUP-MH',
      'completedOn-day': d!,
      'completedOn-month': m!,
      'completedOn-year': y!,
      outcome: 'passed',
      evidence: '',
    })
    assert.equal(bad.status, 303)
    assert.equal(await count('training_completions'), before)
    const form = await so.get(bad.headers.location!)
    assert.match(form.text, /must be today or in the past/)
    assert.match(form.text, /Enter the evidence/)
    const good = await so.post(`/training/officers/${ann}/completions/new`, {
      moduleCode: 'KW-TOPUP-MH',
      'completedOn-day': '3',
      'completedOn-month': '2',
      'completedOn-year': '2026',
      outcome: 'passed',
      hours: '',
      evidence: 'Attended the health care team’s session; sign-in sheet kept',
    })
    assert.equal(good.status, 303)
    const row = await db
      .selectFrom('training_completions')
      .selectAll()
      .where('staff_id', '=', ann)
      .where('module_code', '=', 'KW-TOPUP-MH')
      .executeTakeFirstOrThrow()
    assert.equal(row.completed_on, '2026-02-03')
    assert.equal(row.source, 'manual')
    assert.equal(Number(row.hours), 3, 'the module’s hours when none are given')
  })

  it('refuses another establishment’s officer with a 404, audited', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.get(`/training/officers/${leo}`)
    assert.equal(res.status, 404)
    assert.doesNotMatch(res.text, /Leo Tester/)
    const refused = await db
      .selectFrom('audit_events')
      .select(['entity_id'])
      .where('action', '=', 'refused')
      .where('entity_id', '=', String(leo))
      .execute()
    assert.ok(refused.length >= 1)
    const before = await count('training_completions')
    const post = await so.post(
      `/training/officers/${leo}/completions/new`,
      {
        moduleCode: 'KW-INITIAL',
        'completedOn-day': '1',
        'completedOn-month': '1',
        'completedOn-year': '2026',
        outcome: 'passed',
        evidence: 'x',
      },
      `/training/officers/${ann}/completions/new`,
    )
    assert.equal(post.status, 404)
    assert.equal(await count('training_completions'), before)
  })

  it('links each role only to the training pages it may open', async () => {
    const links = async (username: string) => {
      const html = (await (await signedIn(world, username)).get('/training')).text
      return [...html.matchAll(/<li><a class="govuk-link" href="([^"]+)"/g)].map(m => m[1])
    }
    assert.deepEqual(await links('key_worker.mdi'), ['/training/courses', '/journal', '/training/programme'])
    assert.deepEqual(await links('supervising_officer.mdi'), [
      '/training/courses',
      '/journal/shared',
      '/training/programme',
      '/training/dashboard',
      '/training/officers',
      '/training/import',
    ])
  })

  it('lists the establishment’s officers with their state in words', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.get('/training/officers')
    assert.equal(res.status, 200)
    assert.match(res.text, /Ann Tester/)
    assert.match(res.text, /Ben Tester/)
    assert.doesNotMatch(res.text, /Leo Tester/)
    assert.doesNotMatch(res.text, /undefined|in_window|not_yet_due|no_start_date|not_applicable/)
  })

  it('lists Key Workers by default, and every officer on asking', async () => {
    const cal = await officer(mdi.establishmentId, 'MDI0209', 'Cal', null)
    await db.updateTable('staff').set({ key_worker: 0 }).where('id', '=', cal).execute()
    const so = await signedIn(world, 'supervising_officer.mdi')
    const keyWorkers = await so.get('/training/officers')
    assert.match(keyWorkers.text, /Ann Tester/)
    assert.doesNotMatch(keyWorkers.text, /Cal Tester/)
    const everyone = await so.get('/training/officers?show=all')
    assert.match(everyone.text, /Ann Tester/)
    assert.match(everyone.text, /Cal Tester/)
  })
})

describe('importing completions from a CSV file', () => {
  const upload = async (csv: string) => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const _csrf = await admin.csrf('/training/import')
    return admin.agent
      .post('/training/import')
      .field('_csrf', _csrf)
      .attach('file', Buffer.from(csv), 'completions.csv')
  }

  it('imports nothing when any row is bad, and lists every error', async () => {
    const before = await count('training_completions')
    const future = addDays(today, 3)
    const csv = [
      'staff_number,module_code,completed_on,outcome,hours,external_id',
      'MDI0201,KW-TOPUP-ENTRIES,2026-01-05,completed,2,E-1', // good
      'NOPE999,KW-TOPUP-ENTRIES,2026-01-05,completed,2,E-2', // unknown officer
      'MDI0201,KW-NOTHING,2026-01-05,completed,2,E-3', // unknown module
      'MDI0201,KW-TOPUP-ENTRIES,31/02/2026,completed,2,E-4', // not a real date
      `MDI0201,KW-TOPUP-ENTRIES,${future},completed,2,E-5`, // in the future
      'MDI0201,KW-TOPUP-ENTRIES,2026-01-06,attended,2,E-6', // bad outcome
      'MDI0201,KW-TOPUP-ENTRIES,2026-01-05,completed,2,E-7', // the same as row 2
      'LEI0203,KW-TOPUP-ENTRIES,2026-01-05,completed,2,E-8', // another establishment's officer
    ].join('\n')
    const res = await upload(csv)
    assert.equal(res.status, 422)
    assert.equal(await count('training_completions'), before)
    assert.match(res.text, /Nothing was imported/)
    assert.match(res.text, /Row 3, staff_number: No officer of this establishment has staff number NOPE999/)
    assert.match(res.text, /Row 4, module_code: KW-NOTHING is not a module/)
    assert.match(res.text, /Row 5, completed_on: The date completed must be a real date/)
    assert.match(res.text, /Row 6, completed_on: The date completed must be today or in the past/)
    assert.match(res.text, /Row 7, outcome: The outcome must be one of: completed, passed, failed/)
    assert.match(res.text, /Row 8: Row 2 records the same officer, module and date/)
    assert.match(res.text, /Row 9, staff_number: No officer of this establishment has staff number LEI0203/)
    const out = await s.trainingRecords.importCsv(actor, mdi.establishmentId, Buffer.from(csv), 'x.csv')
    assert.equal(out.status, 'rejected')
    assert.deepEqual(out.status === 'rejected' ? out.errors.map(e => e.row) : [], [3, 4, 5, 6, 7, 8, 9])
  })

  it('refuses a file without the required columns, or too big', async () => {
    const out = await s.trainingRecords.importCsv(actor, mdi.establishmentId, Buffer.from('who,what\nA,B\n'), 'x.csv')
    assert.deepEqual(out.status === 'file-problem' ? out.messages : [], [
      'The file has no staff_number column',
      'The file has no module_code column',
      'The file has no completed_on column',
    ])
    const big = await s.trainingRecords.importCsv(
      actor,
      mdi.establishmentId,
      Buffer.alloc(1024 * 1024 + 1, 'a'),
      'x.csv',
    )
    assert.deepEqual(big.status === 'file-problem' ? big.messages : [], ['The file must be smaller than 1 MB'])
  })

  it('imports a good file, and refuses it a second time by its external ids', async () => {
    const before = await count('training_completions')
    const csv =
      'Staff number,Module code,Completed on,Outcome,Hours,External id\nmdi0201,kw-topup-entries,05/01/2026,passed,1.5,E-100\n'
    const res = await upload(csv)
    assert.equal(res.status, 303)
    assert.equal(await count('training_completions'), before + 1)
    const row = await db
      .selectFrom('training_completions')
      .selectAll()
      .where('external_id', '=', 'E-100')
      .executeTakeFirstOrThrow()
    assert.equal(row.staff_id, ann)
    assert.equal(row.module_code, 'KW-TOPUP-ENTRIES')
    assert.equal(row.completed_on, '2026-01-05')
    assert.equal(Number(row.hours), 1.5)
    assert.equal(row.source, 'csv')
    const again = await upload(csv)
    assert.equal(again.status, 422)
    assert.match(again.text, /External id E-100 was imported before/)
    assert.equal(await count('training_completions'), before + 1)
  })
})

describe('xAPI statements', () => {
  let token = ''
  let hsdsToken = ''
  let namedXapi = ''
  let nationalToken = ''
  const made = async (owner: number | null, name: string, scope: 'hsds' | 'xapi') => {
    const r = await s.hsdsTokens.create(actor, owner, name, scope)
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    return r.value.token
  }
  before(async () => {
    token = await made(mdi.establishmentId, 'Learning record store', 'xapi')
    hsdsToken = await made(mdi.establishmentId, 'Directory partner', 'hsds')
    // the name no longer decides: a directory token named "xAPI …" is a directory token
    namedXapi = await made(mdi.establishmentId, 'xAPI but for the directory', 'hsds')
    nationalToken = await made(null, 'National partner', 'hsds')
  })
  const statement = (over: Record<string, unknown> = {}) => ({
    id: '6f1d7c52-0d7e-4b8a-9c1e-2f6a7b3c4d5e',
    actor: { objectType: 'Agent', mbox: 'mailto:Ann.Tester@example.org' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
    object: { objectType: 'Activity', id: 'https://lms.example.org/activities/KW-TOPUP-PATHWAYS' },
    result: { success: true, duration: 'PT1H30M' },
    timestamp: '2026-02-10T15:30:00+00:00',
    ...over,
  })
  const postStatements = (body: unknown, bearer = token) =>
    supertest(world.app)
      .post('/api/xapi/statements')
      .set('Authorization', `Bearer ${bearer}`)
      .send(body as object)

  it('refuses a statement without an actor, or with an unknown verb, naming it, and saves nothing', async () => {
    const before = await count('training_completions')
    const noActor = await postStatements(statement({ actor: undefined }))
    assert.equal(noActor.status, 400)
    assert.match(JSON.stringify(noActor.body.errors), /actor is missing/)
    const verb = 'http://adlnet.gov/expapi/verbs/attempted'
    // all or nothing: a good statement with a bad one records neither
    const badVerb = await postStatements([
      statement({ id: '0b7c0b0e-1111-4222-8333-444455556666' }),
      statement({ verb: { id: verb } }),
    ])
    assert.equal(badVerb.status, 400)
    assert.deepEqual(badVerb.body.errors, [
      'statement 2: verb "http://adlnet.gov/expapi/verbs/attempted" is not one keywork records: use ' +
        'http://adlnet.gov/expapi/verbs/completed, passed or failed',
    ])
    const stranger = await postStatements(statement({ actor: { mbox: 'mailto:leo.tester@example.org' } }))
    assert.equal(stranger.status, 400)
    assert.match(JSON.stringify(stranger.body.errors), /not an officer of this establishment/)
    assert.equal(await count('training_completions'), before)
  })

  it('needs an xAPI token of the establishment: none 401, a directory token 403 (audited), nothing saved', async () => {
    const before = await count('training_completions')
    const none = await supertest(world.app).post('/api/xapi/statements').send(statement())
    assert.equal(none.status, 401)
    const directory =
      'This token is for the services directory (HSDS API), not training records: the establishment’s admin ' +
      'makes a training records (xAPI) token on the API tokens page'
    for (const bearer of [hsdsToken, namedXapi]) {
      const wrong = await postStatements(statement(), bearer)
      assert.deepEqual([wrong.status, wrong.body], [403, { status: 403, message: directory }])
      const read = await supertest(world.app)
        .get('/api/xapi/statements?since=2000-01-01T00:00:00Z')
        .set('Authorization', `Bearer ${bearer}`)
      assert.deepEqual([read.status, read.body], [403, { status: 403, message: directory }])
    }
    const national = await postStatements(statement(), nationalToken)
    assert.equal(national.status, 403)
    const refusal = await db
      .selectFrom('audit_events')
      .select(['action', 'entity', 'username', 'establishment_id', 'changes'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    assert.deepEqual(
      { ...refusal, changes: JSON.parse(String(refusal.changes)) as unknown },
      {
        action: 'refused',
        entity: 'api_token',
        username: 'API token: National partner',
        establishment_id: null,
        changes: {
          reason: 'another purpose',
          purpose: 'Services directory (HSDS API)',
          method: 'POST',
          path: '/api/xapi/statements',
          status: 403,
        },
      },
    )
    const unknown = await postStatements(statement(), 'kwh_' + 'x'.repeat(43))
    assert.equal(unknown.status, 401)
    assert.equal(await count('training_completions'), before)
  })

  it('an xAPI token opens no directory: the HSDS API answers 403, naming why', async () => {
    const res = await supertest(world.app).get('/api/hsds/services').set('Authorization', `Bearer ${token}`)
    assert.deepEqual(
      [res.status, res.body],
      [
        403,
        {
          status: 403,
          message:
            'This token is for training records (xAPI), not the services directory: the API tokens page makes a ' +
            'services directory (HSDS API) token',
        },
      ],
    )
  })

  it('a national token is never for training records', async () => {
    const before = await db
      .selectFrom('api_tokens')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const r = await s.hsdsTokens.create(actor, null, 'National LRS', 'xapi')
    assert.equal(r.ok, false)
    assert.match(JSON.stringify(!r.ok && r.errors), /Only an establishment has a training records \(xAPI\) token/)
    const after = await db
      .selectFrom('api_tokens')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(Number(after.n), Number(before.n))
  })

  it('records a statement once: a re-post records nothing twice', async () => {
    const before = await count('training_completions')
    const first = await postStatements(statement())
    assert.equal(first.status, 200, JSON.stringify(first.body))
    assert.deepEqual(first.body, { ids: ['6f1d7c52-0d7e-4b8a-9c1e-2f6a7b3c4d5e'], recorded: 1, already: 0 })
    const again = await postStatements([statement()])
    assert.equal(again.status, 200)
    assert.deepEqual(again.body, { ids: ['6f1d7c52-0d7e-4b8a-9c1e-2f6a7b3c4d5e'], recorded: 0, already: 1 })
    assert.equal(await count('training_completions'), before + 1)
    const row = await db
      .selectFrom('training_completions')
      .selectAll()
      .where('external_id', '=', '6f1d7c52-0d7e-4b8a-9c1e-2f6a7b3c4d5e')
      .executeTakeFirstOrThrow()
    assert.equal(row.staff_id, ann)
    assert.equal(row.module_code, 'KW-TOPUP-PATHWAYS')
    assert.equal(row.outcome, 'passed')
    assert.equal(Number(row.hours), 1.5)
    assert.equal(row.completed_on, '2026-02-10')
    // by account name (the staff number), the hours from the module when no duration is sent
    const byAccount = await postStatements(
      statement({
        id: 'a3b2c1d0-aaaa-4bbb-8ccc-ddddeeeeffff',
        actor: { account: { homePage: 'https://lms.example.org', name: 'mdi0202' } },
        verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
        result: undefined,
      }),
    )
    assert.equal(byAccount.status, 200, JSON.stringify(byAccount.body))
    const benRow = await db
      .selectFrom('training_completions')
      .selectAll()
      .where('external_id', '=', 'a3b2c1d0-aaaa-4bbb-8ccc-ddddeeeeffff')
      .executeTakeFirstOrThrow()
    assert.equal(benRow.staff_id, ben)
    assert.equal(Number(benRow.hours), 2)
  })

  it('records a statement sent twice at the same moment once, answering both', async () => {
    const before = await count('training_completions')
    const body = statement({ id: 'c0ffee00-1234-4567-89ab-cdef01234567', timestamp: '2026-02-11T09:00:00Z' })
    const [a, b] = await Promise.all([postStatements(body), postStatements(body)])
    assert.equal(a.status, 200, JSON.stringify(a.body))
    assert.equal(b.status, 200, JSON.stringify(b.body))
    assert.equal(a.body.recorded + b.body.recorded, 1)
    assert.equal(await count('training_completions'), before + 1)
  })

  it('gives the establishment’s completions out as statements', async () => {
    const res = await supertest(world.app)
      .get('/api/xapi/statements?since=2000-01-01T00:00:00Z')
      .set('Authorization', `Bearer ${token}`)
    assert.equal(res.status, 200)
    const use = await db
      .selectFrom('audit_events')
      .select(['action', 'entity', 'username', 'establishment_id'])
      .where('entity', '=', 'xapi_api')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(use, {
      action: 'view',
      entity: 'xapi_api',
      username: 'API token: Learning record store',
      establishment_id: mdi.establishmentId,
    })
    const statements = res.body.statements as {
      id: string
      actor: { mbox?: string }
      verb: { id: string }
      object: { id: string }
    }[]
    const mine = statements.find(x => x.id === '6f1d7c52-0d7e-4b8a-9c1e-2f6a7b3c4d5e')
    assert.ok(mine)
    assert.equal(mine.actor.mbox, 'mailto:ann.tester@example.org')
    assert.equal(mine.verb.id, 'http://adlnet.gov/expapi/verbs/passed')
    assert.match(mine.object.id, /\/training\/modules\/KW-TOPUP-PATHWAYS$/)
    // a voided completion is not given out; nothing of another establishment is
    assert.ok(statements.every(x => !JSON.stringify(x).includes('leo.tester')))
    const bad = await supertest(world.app)
      .get('/api/xapi/statements?since=yesterday')
      .set('Authorization', `Bearer ${token}`)
    assert.equal(bad.status, 400)
  })
})

describe('signed out', () => {
  it('the training pages need a sign-in; the check does not', async () => {
    const b = new Browser(world.app)
    const res = await b.get('/training')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/sign-in')
  })
})
