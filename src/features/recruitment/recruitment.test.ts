import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addDays, todayIso } from '../../domain/dates'
import { DEFAULT_QUESTIONS } from '../../domain/recruitment'
import { runDailyJobs } from '../../cli/jobs'
import { type Browser, createUser, signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
const today = todayIso()

const userId = async (username: string) =>
  Number((await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id)

type Table =
  | 'recruitment_campaigns'
  | 'recruitment_questions'
  | 'recruitment_candidates'
  | 'recruitment_candidate_personal'
  | 'recruitment_submissions'
  | 'recruitment_scores'
  | 'recruitment_moderations'
const count = async (table: Table) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
const counts = async () => {
  const out: Record<string, number> = {}
  for (const t of [
    'recruitment_campaigns',
    'recruitment_questions',
    'recruitment_candidates',
    'recruitment_candidate_personal',
    'recruitment_submissions',
    'recruitment_scores',
    'recruitment_moderations',
  ] as const)
    out[t] = await count(t)
  return out
}

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! }
}

let np: Browser
let a: Browser
let b: Browser
let mod: Browser
let outsider: Browser
const ids = { a: 0, b: 0, mod: 0, np: 0 }

before(async () => {
  // assessors: MDI's Supervising Officer and admin; moderator: an SO of LEI; an SO of LEI with no assignment
  await createUser(s, 'moderator.lei', [{ role: 'SUPERVISING_OFFICER', establishmentId: world.est.LEI! }])
  ids.a = await userId('supervising_officer.mdi')
  ids.b = await userId('establishment_admin.mdi')
  ids.mod = await userId('moderator.lei')
  ids.np = await userId('national')
  np = await signedIn(world, 'national')
  a = await signedIn(world, 'supervising_officer.mdi')
  b = await signedIn(world, 'establishment_admin.mdi')
  mod = await signedIn(world, 'moderator.lei')
  outsider = await signedIn(world, 'supervising_officer.lei')
})

async function newCampaign(over: Record<string, string> = {}): Promise<number> {
  const res = await np.post('/recruitment/new', {
    title: 'Key Worker-ready officers',
    ...dateFields('opensOn', today),
    ...dateFields('closesOn', addDays(today, 30)),
    scope: 'national',
    moderationGap: '1',
    retentionDays: '180',
    passMark: '2.5',
    ...over,
  })
  assert.equal(res.status, 303)
  const m = /^\/recruitment\/(\d+)$/.exec(String(res.headers.location))
  assert.ok(m, `created, then to ${res.headers.location}`)
  return Number(m[1])
}

async function newCandidate(campaignId: number, name: string, over: Record<string, string> = {}) {
  const res = await np.post(`/recruitment/${campaignId}/candidates/new`, {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
    establishment: 'MDI',
    assessorA: String(ids.a),
    assessorB: String(ids.b),
    moderator: String(ids.mod),
    ...over,
  })
  assert.equal(res.status, 303)
  const m = new RegExp(`^/recruitment/${campaignId}/candidates/(\\d+)$`).exec(String(res.headers.location))
  assert.ok(m, `added, then to ${res.headers.location}`)
  return Number(m[1])
}

const questionIds = async (campaignId: number) => (await s.recruitment.questions(campaignId)).map(q => q.id)

/** Scores through the form: one score per question (the list in question order), with evidence. */
function scoreForm(qs: number[], scores: number[], evidence = '') {
  const fields: Record<string, string> = {}
  qs.forEach((q, i) => {
    fields[`score-${q}`] = String(scores[i])
    if (evidence) fields[`evidence-${q}`] = `${evidence} ${i + 1}`
  })
  return fields
}

describe('a campaign', () => {
  it('starts with the default framework: eight criteria, anchored questions, audited', async () => {
    const before = await count('recruitment_campaigns')
    const id = await newCampaign()
    assert.equal(await count('recruitment_campaigns'), before + 1)
    assert.equal((await s.recruitment.criteria(id)).length, 8)
    assert.equal((await questionIds(id)).length, DEFAULT_QUESTIONS.length)
    const page = await np.get(`/recruitment/${id}`)
    assert.equal(page.status, 200)
    for (const text of ['Purpose', 'Humanity', 'Openness', 'Together', 'Attitudes to rehabilitation', 'Score 4'])
      assert.ok(page.text.includes(text), text)
    assert.deepEqual(
      (await s.audit.forEntity('recruitment_campaign', String(id))).map(e => e.action),
      ['create'],
    )
  })

  it('refuses a bad campaign, every problem at once, and saves nothing', async () => {
    const before = await counts()
    const res = await np.post('/recruitment/new', {
      title: '',
      ...dateFields('opensOn', today),
      ...dateFields('closesOn', addDays(today, -1)),
      scope: 'establishment',
      establishment: '',
      moderationGap: '3',
      retentionDays: '5',
      passMark: '7',
    })
    assert.equal(res.headers.location, '/recruitment/new')
    const page = await np.get('/recruitment/new')
    for (const message of [
      'Enter a title',
      'The closing date must be on or after the opening date',
      'Choose the establishment',
      'The moderation gap must be a whole number from 0 to 2, like 1',
      'The retention period must be a whole number from 30 to 730, like 180',
      'The pass mark must be a number from 1 to 4, like 2.5',
    ])
      assert.ok(page.text.includes(message), message)
    assert.deepEqual(await counts(), before)
  })

  it('refuses a question missing an anchor, and adds one with all four', async () => {
    const id = await newCampaign()
    const criterion = String((await s.recruitment.criteria(id))[0]!.id)
    const before = await count('recruitment_questions')
    const res = await np.post(`/recruitment/${id}/questions/new`, {
      criterion,
      kind: 'interview',
      text: 'What does rehabilitation mean to you?',
      anchor1: 'Nothing relevant',
      anchor2: '',
      anchor3: 'A clear answer',
      anchor4: '  ',
    })
    assert.equal(res.headers.location, `/recruitment/${id}/questions/new`)
    const page = await np.get(`/recruitment/${id}/questions/new`)
    assert.match(page.text, /Enter the anchor for a score of 2/)
    assert.match(page.text, /Enter the anchor for a score of 4/)
    assert.equal(await count('recruitment_questions'), before)
    const ok = await np.post(`/recruitment/${id}/questions/new`, {
      criterion,
      kind: 'role_play',
      text: 'Role play: a colleague mocks a man on your caseload.',
      anchor1: 'Joins in',
      anchor2: 'Says nothing',
      anchor3: 'Challenges it later',
      anchor4: 'Challenges it then, calmly, and supports the man',
    })
    assert.equal(ok.headers.location, `/recruitment/${id}#questions`)
    assert.equal(await count('recruitment_questions'), before + 1)
    const row = await db
      .selectFrom('recruitment_questions')
      .selectAll()
      .where('campaign_id', '=', id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(JSON.parse(row.anchors), [
      'Joins in',
      'Says nothing',
      'Challenges it later',
      'Challenges it then, calmly, and supports the man',
    ])
  })
})

describe('candidates, blind scoring and moderation', () => {
  let campaignId = 0
  let candidateId = 0
  let qs: number[] = []

  before(async () => {
    campaignId = await newCampaign({ title: 'Blind scoring' })
    qs = await questionIds(campaignId)
    candidateId = await newCandidate(campaignId, 'Jane Candidate')
  })

  it('gives a candidate a code; the personal data is apart and the trail names only the code', async () => {
    const c = await s.recruitment.candidate(campaignId, candidateId)
    assert.match(c!.code, new RegExp(`^VBR-${today.slice(0, 4)}-\\d{4}$`))
    const personal = await db
      .selectFrom('recruitment_candidate_personal')
      .selectAll()
      .where('candidate_id', '=', candidateId)
      .executeTakeFirstOrThrow()
    assert.equal(personal.name, 'Jane Candidate')
    assert.equal(personal.email, 'jane.candidate@example.com')
    const events = await s.audit.forEntity('recruitment_candidate', String(candidateId))
    assert.deepEqual(
      events.map(e => e.action),
      ['create'],
    )
    assert.doesNotMatch(String(events[0]!.changes), /Jane|example\.com/)
    // a second candidate's code follows on
    const next = await newCandidate(campaignId, 'Omar Second')
    const n1 = Number(c!.code.slice(-4))
    assert.equal(
      (await s.recruitment.candidate(campaignId, next))!.code,
      `VBR-${today.slice(0, 4)}-${String(n1 + 1).padStart(4, '0')}`,
    )
  })

  it('shows the assessor the code, never the name; the national team the name, audited', async () => {
    const page = await a.get(`/recruitment/${campaignId}/candidates/${candidateId}/score`)
    assert.equal(page.status, 200)
    const code = (await s.recruitment.candidate(campaignId, candidateId))!.code
    assert.ok(page.text.includes(code))
    assert.doesNotMatch(page.text, /Jane|jane\.candidate/)
    assert.doesNotMatch((await a.get('/recruitment')).text, /Jane|jane\.candidate/)
    const np1 = await np.get(`/recruitment/${campaignId}/candidates/${candidateId}`)
    assert.match(np1.text, /Jane Candidate/)
    const views = (await s.audit.forEntity('recruitment_candidate', String(candidateId))).filter(
      e => e.action === 'view',
    )
    assert.equal(views.length, 1)
  })

  it('refuses bad scores, every problem at once, and saves nothing', async () => {
    const before = await counts()
    const scores = qs.map(() => 2)
    scores[0] = 5 // above the scale
    scores[1] = 0 // below it
    const fields = scoreForm(qs, scores)
    delete fields[`score-${qs[2]}`] // none
    fields[`score-${qs[3]}`] = 'two'
    const path = `/recruitment/${campaignId}/candidates/${candidateId}/score`
    const res = await a.post(path, fields)
    assert.equal(res.headers.location, path)
    const page = await a.get(path)
    assert.match(page.text, /The score for question 1 must be from 1 to 4/)
    assert.match(page.text, /The score for question 2 must be from 1 to 4/)
    assert.match(page.text, /Choose a score for question 3/)
    assert.match(page.text, /The score for question 4 must be from 1 to 4/)
    assert.deepEqual(await counts(), before)
  })

  it('keeps each assessor blind to the other until both have submitted', async () => {
    const path = `/recruitment/${campaignId}/candidates/${candidateId}/score`
    // A scores every question 2 (evidence marked A-EVIDENCE); B then sees an unticked form and none of it
    const res = await a.post(
      path,
      scoreForm(
        qs,
        qs.map(() => 2),
        'A-EVIDENCE',
      ),
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/recruitment')
    const bPage = await b.get(path)
    assert.equal(bPage.status, 200)
    assert.doesNotMatch(bPage.text, /A-EVIDENCE/)
    assert.doesNotMatch(bPage.text, /checked/, 'no score is ticked on B’s form')
    assert.doesNotMatch(bPage.text, /Your score|submitted your scores/)
    assert.doesNotMatch((await b.get('/recruitment')).text, /A-EVIDENCE/)
    // the national team sees that one of two submitted, and no scores yet
    const npPage = await np.get(`/recruitment/${campaignId}/candidates/${candidateId}`)
    assert.match(npPage.text, /1 of 2 assessors have submitted/)
    assert.doesNotMatch(npPage.text, /Scores by question|A-EVIDENCE/)
    // A sees their own scores back, and still nothing of B's (B has not scored)
    const aPage = await a.get(path)
    assert.match(aPage.text, /You submitted your scores/)
    assert.match(aPage.text, /A-EVIDENCE 1/)

    // B: question 1 scored 3 (1 apart: exactly the gap → the mean), question 2 scored 4 (2 apart: gap + 1 → the
    // moderator), the rest 2
    const bScores = qs.map(() => 2)
    bScores[0] = 3
    bScores[1] = 4
    assert.equal((await b.post(path, scoreForm(qs, bScores, 'B-EVIDENCE'))).status, 303)
    // both submitted: still neither assessor's page shows the other's evidence
    assert.doesNotMatch((await b.get(path)).text, /A-EVIDENCE/)
    assert.doesNotMatch((await a.get(path)).text, /B-EVIDENCE/)
    const both = await np.get(`/recruitment/${campaignId}/candidates/${candidateId}`)
    assert.match(both.text, /Scores by question/)
    assert.match(both.text, /Mean of the two/)
    assert.match(both.text, /Waiting for the moderator/)
  })

  it('refuses a second submission by the same assessor, saving nothing', async () => {
    const before = await counts()
    const path = `/recruitment/${campaignId}/candidates/${candidateId}/score`
    const res = await a.post(
      path,
      scoreForm(
        qs,
        qs.map(() => 4),
      ),
    )
    assert.equal(res.headers.location, path)
    // the page now shows the submitted scores; the error is the service's
    const r = await s.recruitment.submitScores(
      { userId: ids.a, username: 'supervising_officer.mdi', establishmentId: null },
      campaignId,
      candidateId,
      new Map(qs.map(q => [q, { score: '4', evidence: '' }])),
    )
    assert.equal(r.ok, false)
    assert.match(Object.values(!r.ok ? r.errors : {})[0]!, /already submitted your scores/)
    assert.deepEqual(await counts(), before)
    const scores = await db
      .selectFrom('recruitment_scores as s')
      .innerJoin('recruitment_submissions as b', 'b.id', 's.submission_id')
      .select('s.score')
      .where('b.assessor_user_id', '=', ids.a)
      .where('b.candidate_id', '=', candidateId)
      .execute()
    assert.deepEqual(
      scores.map(x => x.score),
      qs.map(() => 2),
    )
  })

  it('takes one of two submissions sent at once, refusing the other cleanly', async () => {
    const id = await newCandidate(campaignId, 'Race Candidate')
    const before = await counts()
    const actor = { userId: ids.a, username: 'supervising_officer.mdi', establishmentId: null }
    const form = (score: string) => new Map(qs.map(q => [q, { score, evidence: '' }]))
    const results = await Promise.all([
      s.recruitment.submitScores(actor, campaignId, id, form('1')),
      s.recruitment.submitScores(actor, campaignId, id, form('4')),
    ])
    assert.deepEqual(results.map(r => r.ok).sort(), [false, true])
    const refused = results.find(r => !r.ok)
    assert.match(Object.values(!refused!.ok ? refused!.errors : {})[0]!, /already submitted your scores/)
    const now = await counts()
    assert.equal(now.recruitment_submissions, before.recruitment_submissions! + 1)
    assert.equal(now.recruitment_scores, before.recruitment_scores! + qs.length)
  })

  it('sends only the question beyond the gap to the moderator, who records a final score with a reason', async () => {
    const page = await mod.get(`/recruitment/${campaignId}/moderation`)
    assert.equal(page.status, 200)
    const code = (await s.recruitment.candidate(campaignId, candidateId))!.code
    // question 2 (scores 2 and 4) waits; question 1 (2 and 3, exactly the gap) does not
    assert.ok(page.text.includes(`${code}, question 2`))
    assert.ok(!page.text.includes(`${code}, question 1<`))
    const m = await s.recruitment.moderation(campaignId, ids.mod)
    assert.deepEqual(
      m!.waiting.map(w => [w.number, w.a, w.b]),
      [[2, 2, 4]],
    )
    // bad input: no score, no reason → nothing saved
    const before = await count('recruitment_moderations')
    const bad = await mod.post(`/recruitment/${campaignId}/moderation`, {
      candidate: String(candidateId),
      question: String(qs[1]),
      reason: '',
    })
    assert.equal(bad.headers.location, `/recruitment/${campaignId}/moderation`)
    const badPage = await mod.get(`/recruitment/${campaignId}/moderation`)
    assert.match(badPage.text, /Choose the final score/)
    assert.match(badPage.text, /Enter the reason for the final score/)
    // a candidate JSON sends as an object String() cannot convert: asked to choose, not a 500 (issue 18 point 9)
    const _csrf = await mod.csrf(`/recruitment/${campaignId}/moderation`)
    const wrongType = await mod.agent
      .post(`/recruitment/${campaignId}/moderation`)
      .type('json')
      .send({ _csrf, candidate: { toString: 1, valueOf: 2 }, question: [{ toString: null }] })
    assert.equal(wrongType.status, 303)
    assert.match((await mod.get(`/recruitment/${campaignId}/moderation`)).text, /Choose a question waiting/)
    // the question within the gap cannot be moderated
    const within = await s.recruitment.moderate(
      { userId: ids.mod, username: 'moderator.lei', establishmentId: null },
      campaignId,
      { candidate: candidateId, question: qs[0]!, score: 3, reason: 'x' },
    )
    assert.equal(within.ok, false)
    // a score off the scale
    const off = await s.recruitment.moderate(
      { userId: ids.mod, username: 'moderator.lei', establishmentId: null },
      campaignId,
      { candidate: candidateId, question: qs[1]!, score: 5, reason: 'x' },
    )
    assert.equal(off.ok, false)
    assert.equal(await count('recruitment_moderations'), before)

    const res = await mod.post(`/recruitment/${campaignId}/moderation`, {
      candidate: String(candidateId),
      question: String(qs[1]),
      score: '3',
      reason: 'Recording shows a clear plan but no follow-up',
    })
    assert.equal(res.headers.location, `/recruitment/${campaignId}/moderation`)
    assert.equal(await count('recruitment_moderations'), before + 1)
    const st = await s.recruitment.candidateState(campaignId, candidateId)
    // finals: q1 (2+3)/2 = 2.5 (mean), q2 3 (moderated), the other six (2+2)/2 = 2
    assert.deepEqual(
      st!.perQuestion.map(p => [p.final.score, p.final.method]),
      [[2.5, 'mean'], [3, 'moderated'], ...qs.slice(2).map(() => [2, 'mean'])],
    )
    // overall = (2.5 + 3 + 6 × 2) / 8 = 17.5 / 8 = 2.1875: below the pass mark 2.5
    assert.equal(st!.overall, 2.1875)
    const npPage = await np.get(`/recruitment/${campaignId}/candidates/${candidateId}`)
    assert.match(npPage.text, /Moderated: Recording shows a clear plan but no follow-up/)
    assert.match(npPage.text, /Mean final score: <strong>2\.19<\/strong>/)
    // a second final score for the same question is refused
    const again = await s.recruitment.moderate(
      { userId: ids.mod, username: 'moderator.lei', establishmentId: null },
      campaignId,
      { candidate: candidateId, question: qs[1]!, score: 2, reason: 'again' },
    )
    assert.equal(again.ok, false)
    assert.equal(await count('recruitment_moderations'), before + 1)
  })

  it('refuses a user who is not assigned: 404, nothing saved, the refusal audited', async () => {
    const path = `/recruitment/${campaignId}/candidates/${candidateId}/score`
    assert.equal((await outsider.get(path)).status, 404)
    const before = await counts()
    const csrf = await outsider.csrf('/')
    const res = await outsider.agent
      .post(path)
      .type('form')
      .send({
        _csrf: csrf,
        ...scoreForm(
          qs,
          qs.map(() => 3),
        ),
      })
    assert.equal(res.status, 404)
    assert.deepEqual(await counts(), before)
    // the moderator does not score; an assessor does not moderate; nobody else moderates
    assert.equal((await mod.get(path)).status, 404)
    assert.equal((await a.get(`/recruitment/${campaignId}/moderation`)).status, 404)
    assert.equal((await outsider.get(`/recruitment/${campaignId}/moderation`)).status, 404)
    const refused = (await s.audit.forEntity('recruitment_candidate', String(candidateId))).filter(
      e => e.action === 'refused',
    )
    assert.ok(refused.length >= 2, 'refusals naming the candidate are audited')
    // roles: a Key Worker may not open recruitment; an assessor may not open the national team's pages
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get('/recruitment')).status, 403)
    assert.equal((await a.get(`/recruitment/${campaignId}`)).status, 403)
    assert.equal((await a.get(`/recruitment/${campaignId}/candidates/${candidateId}`)).status, 403)
    assert.equal((await a.get(`/recruitment/${campaignId}/results`)).status, 403)
    assert.equal((await np.get(`/recruitment/${campaignId + 1000}`)).status, 404)
  })

  it('refuses a candidate whose assessors are the same person, or a moderator who assesses: nothing saved', async () => {
    const before = await counts()
    const res = await np.post(`/recruitment/${campaignId}/candidates/new`, {
      name: '',
      email: 'not-an-email',
      assessorA: String(ids.a),
      assessorB: String(ids.a),
      moderator: String(ids.a),
    })
    assert.equal(res.headers.location, `/recruitment/${campaignId}/candidates/new`)
    const page = await np.get(`/recruitment/${campaignId}/candidates/new`)
    assert.match(page.text, /Enter the candidate’s name/)
    assert.match(page.text, /Enter an email address in the correct format/)
    const r = await s.recruitment.addCandidate(
      { userId: ids.np, username: 'national', establishmentId: null },
      campaignId,
      { name: 'X', email: 'x@example.com', establishment: null, assessorA: ids.a, assessorB: ids.a, moderator: ids.a },
    )
    assert.deepEqual(!r.ok && r.errors, {
      assessorB: 'Choose a different second assessor: two people score each candidate independently',
      moderator: 'Choose a moderator who is not one of the candidate’s assessors',
    })
    assert.deepEqual(await counts(), before)
  })
})

describe('agreement and aggregates', () => {
  // the worked example of src/domain/recruitment.test.ts on question 1: (1,1) (2,2) (2,3) (3,3) (3,4) (4,2); every
  // other question both assessors score 3 (candidates 1–5) or 1 (candidate 6). Gap 2: nothing is moderated.
  // Overall (pass mark 2.5): candidate 1: (1 + 7·3)/8 = 2.75, 2: (2 + 21)/8 = 2.875, 3: (2.5 + 21)/8 = 2.9375,
  // 4: (3 + 21)/8 = 3, 5: (3.5 + 21)/8 = 3.0625 → meet; candidate 6: (3 + 7·1)/8 = 1.25 → below. 5 meet, 1 below.
  const q1 = [
    [1, 1],
    [2, 2],
    [2, 3],
    [3, 3],
    [3, 4],
    [4, 2],
  ]
  let campaignId = 0

  before(async () => {
    campaignId = await newCampaign({ title: 'Agreement', moderationGap: '2' })
    const qs = await questionIds(campaignId)
    const actorA = { userId: ids.a, username: 'a', establishmentId: null }
    const actorB = { userId: ids.b, username: 'b', establishmentId: null }
    for (const [i, [sa, sb]] of q1.entries()) {
      const id = await newCandidate(campaignId, `Candidate ${i + 1}`)
      const rest = i < 5 ? '3' : '1'
      const form = (first: number) =>
        new Map(qs.map((q, j) => [q, { score: j === 0 ? String(first) : rest, evidence: '' }]))
      assert.ok((await s.recruitment.submitScores(actorA, campaignId, id, form(sa!))).ok)
      assert.ok((await s.recruitment.submitScores(actorB, campaignId, id, form(sb!))).ok)
    }
  })

  it('reports agreement per question as the worked example: n 6, exact 50%, adjacent 83%, kappa 5/11, alpha 35/72', async () => {
    const r = await s.recruitment.results(campaignId)
    const first = r!.perQuestion[0]!.agreement
    assert.equal(first.n, 6)
    assert.equal(first.exact, 0.5)
    assert.equal(first.adjacent, 5 / 6)
    assert.ok(Math.abs(first.kappa! - 5 / 11) < 1e-12)
    assert.ok(Math.abs(first.alpha! - 35 / 72) < 1e-12)
    const page = await np.get(`/recruitment/${campaignId}/results`)
    assert.equal(page.status, 200)
    // 5/11 = 0.4545… → 0.45; 35/72 = 0.4861… → 0.49; 5/6 → 83%
    assert.match(
      page.text,
      /data-label="n">6<\/td>\s*<td[^>]*data-label="Exact">50%<\/td>\s*<td[^>]*data-label="Adjacent">83%<\/td>\s*<td[^>]*data-label="Weighted kappa">0\.45<\/td>\s*<td[^>]*data-label="Alpha">0\.49</,
    )
  })

  it('says not enough pairs under five', async () => {
    const id = await newCampaign({ title: 'Few' })
    const qs = await questionIds(id)
    const c = await newCandidate(id, 'Only One')
    const all = new Map(qs.map(q => [q, { score: '2', evidence: '' }]))
    await s.recruitment.submitScores({ userId: ids.a, username: 'a', establishmentId: null }, id, c, all)
    await s.recruitment.submitScores({ userId: ids.b, username: 'b', establishmentId: null }, id, c, all)
    const r = await s.recruitment.results(id)
    assert.equal(r!.perQuestion[0]!.agreement.n, 1)
    assert.equal(r!.perQuestion[0]!.agreement.enough, false)
    assert.match((await np.get(`/recruitment/${id}/results`)).text, /Not enough pairs/)
  })

  it('never shows a group smaller than the minimum, nor one that subtraction would reveal', async () => {
    // the national minimum is 10: 6 candidates assessed, nothing shows
    let r = await s.recruitment.results(campaignId)
    assert.equal(r!.threshold, 10)
    assert.deepEqual(r!.outcome, { assessed: null, meets: null, not: null })
    assert.ok(r!.byCriterion.every(c => c.all === null && c.meets === null && c.not === null))
    // at 5: the 6 assessed show; the 1 below the standard is under 5, and the 5 who meet would reveal it (6 − 5 = 1)
    const res = await np.post('/recruitment/settings', { retentionDays: '180', minGroup: '5' })
    assert.equal(res.status, 303)
    r = await s.recruitment.results(campaignId)
    assert.deepEqual(r!.outcome, { assessed: 6, meets: null, not: null })
    // Purpose (question 1): mean of the six finals 1, 2, 2.5, 3, 3.5, 3 = 15 / 6 = 2.5
    assert.equal(r!.byCriterion[0]!.all, 2.5)
    assert.equal(r!.byCriterion[0]!.meets, null)
    const page = await np.get(`/recruitment/${campaignId}/results`)
    assert.match(page.text, /Candidates fully assessed\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*6/)
    assert.doesNotMatch(
      page.text,
      /Meet the standard \(mean at least 2\.5\)\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*5/,
    )
    // the minimum can never go below 5
    const bad = await np.post('/recruitment/settings', { retentionDays: '180', minGroup: '4' })
    assert.equal(bad.headers.location, '/recruitment/settings')
    assert.equal((await s.recruitment.settings()).min_group, 5)
    await np.post('/recruitment/settings', { retentionDays: '180', minGroup: '10' })
  })
})

describe('retention of personal data', () => {
  it('counts in a dry run, then deletes personal rows only, keeping codes and scores; a second run does nothing', async () => {
    // closed 40 days ago, kept 30 days: due. Another campaign, open, keeps its candidates' data.
    const expired = await newCampaign({
      title: 'Closed long ago',
      ...dateFields('opensOn', addDays(today, -70)),
      ...dateFields('closesOn', addDays(today, -40)),
      retentionDays: '30',
    })
    const open = await newCampaign({ title: 'Still open' })
    const c1 = await newCandidate(expired, 'Old One')
    const c2 = await newCandidate(expired, 'Old Two')
    const c3 = await newCandidate(open, 'New One')
    const qs = await questionIds(expired)
    await s.recruitment.submitScores(
      { userId: ids.a, username: 'a', establishmentId: null },
      expired,
      c1,
      new Map(qs.map(q => [q, { score: '3', evidence: '' }])),
    )

    // the dry run on the campaign page
    assert.deepEqual(await s.recruitment.retentionPreview(expired), {
      kept: 2,
      due: 2,
      keptUntil: addDays(today, -10),
    })
    assert.match((await np.get(`/recruitment/${expired}`)).text, /2 due for deletion/)
    assert.deepEqual((await s.recruitment.retentionPreview(open))!.due, 0)

    const before = await counts()
    const first = await runDailyJobs(s)
    assert.equal(first.recruitmentPersonalDeleted, 2)
    const after1 = await counts()
    assert.equal(after1.recruitment_candidate_personal, before.recruitment_candidate_personal! - 2)
    assert.equal(after1.recruitment_candidates, before.recruitment_candidates, 'codes kept')
    assert.equal(after1.recruitment_scores, before.recruitment_scores, 'scores kept')
    const gone = await db
      .selectFrom('recruitment_candidate_personal')
      .select('candidate_id')
      .where('candidate_id', 'in', [c1, c2])
      .execute()
    assert.deepEqual(gone, [])
    assert.ok(
      await db
        .selectFrom('recruitment_candidate_personal')
        .select('name')
        .where('candidate_id', '=', c3)
        .executeTakeFirst(),
    )
    const page = await np.get(`/recruitment/${expired}/candidates/${c1}`)
    assert.match(page.text, /Deleted on/)
    assert.doesNotMatch(page.text, /Old One/)
    const events = (await s.audit.forEntity('recruitment_campaign', String(expired))).filter(
      e => e.action === 'delete_personal_data',
    )
    assert.equal(events.length, 1)
    assert.doesNotMatch(String(events[0]!.changes), /Old One|old\.one/)

    const second = await runDailyJobs(s)
    assert.equal(second.recruitmentPersonalDeleted, 0)
    assert.deepEqual(await counts(), after1)
    assert.equal(
      (await s.audit.forEntity('recruitment_campaign', String(expired))).filter(
        e => e.action === 'delete_personal_data',
      ).length,
      1,
    )
    assert.deepEqual(await s.recruitment.retentionPreview(expired), { kept: 0, due: 0, keptUntil: addDays(today, -10) })
  })
})
