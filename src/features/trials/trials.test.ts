import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addDays, todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { type Browser, signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'
import { insertSession } from '../../../test/support/referrals'
import { shiftMonth } from './panel'
import { prisonerRecordSchema } from '../prisoners/schema'

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
const mdi = world.seeded.MDI
const lei = world.seeded.LEI
const today = todayIso()
const thisMonth = today.slice(0, 7)

const count = async (table: 'trials' | 'trial_outcome_counts' | 'trial_revisions' | 'trial_adoptions') => {
  const r = await db
    .selectFrom(table)
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

async function national(): Promise<Browser> {
  return signedIn(world, 'national')
}

async function upload(b: Browser, csv: string) {
  const _csrf = await b.csrf('/trials/outcomes/import')
  return b.agent.post('/trials/outcomes/import').field('_csrf', _csrf).attach('file', Buffer.from(csv), 'counts.csv')
}

const codeOf = async (id: number) =>
  (await db.selectFrom('establishments').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code

describe('the monthly panel of a small hand-made world', () => {
  it('equals the hand-worked compliance, days between sessions, seen in 28 days, QA score and counts per 1,000', async () => {
    const est = mdi.establishmentId
    const mdiCode = await codeOf(est)
    // MDI: one session a week (frequency 1 week)
    await db.updateTable('establishments').set({ frequency_weeks: 1 }).where('id', '=', est).execute()
    const prisoners = await db
      .selectFrom('prisoners')
      .select('id')
      .where('establishment_id', '=', est)
      .orderBy('id')
      .execute()
    const a = prisoners[0]!.id
    const made = await s.prisoners.create(
      { ...SYSTEM_ACTOR, establishmentId: est },
      est,
      prisonerRecordSchema.parse({
        prisonNumber: 'T7777TT',
        firstName: 'Ben',
        lastName: 'Hand',
        dateOfBirth: '1990-01-01',
        unit: 'HB1',
        cell: 'HB1-1-011',
        receptionDate: '2019-01-01',
        status: 'in',
        complexity: 'low',
        firstLanguage: 'en',
        interpreterNeeded: 'no',
        nationality: 'British',
      }),
    )
    assert.ok(made.ok)
    const b = (await s.prisoners.get(est, 'T7777TT'))!.id
    // the spells the prisoners' records made are not part of this hand-made world: only 2020's below count
    await db
      .deleteFrom('custody_spells')
      .where('from_date', '<', '2020-03-02')
      .where('establishment_id', '=', est)
      .execute()
    // spells of eligibility in 2020 (to_date excluded):
    //   A from 11 Jan to 10 Feb: January 11..31 = 21 days; February 1..9 = 9 days
    //   B from 1 Jan to 1 Mar:   January 31 days; February 29 days (2020 is a leap year)
    //   eligible days: January 21 + 31 = 52; February 9 + 29 = 38
    await db
      .insertInto('custody_spells')
      .values([
        { establishment_id: est, prisoner_id: a, unit_id: null, from_date: '2020-01-11', to_date: '2020-02-10' },
        { establishment_id: est, prisoner_id: b, unit_id: null, from_date: '2020-01-01', to_date: '2020-03-01' },
      ])
      .execute()
    // the day aggregates: January delivered 3 + 2 = 5, gaps 10 + 4 = 14 days over 2 + 1 = 3 gaps; February 1 and 9 over 1
    const day = (d: string, delivered: number, gapCount: number, gapDays: number) => ({
      establishment_id: est,
      day: d,
      delivered,
      not_delivered: 0,
      nd_prisoner_refused: 0,
      nd_unavailable_court: 0,
      nd_unavailable_healthcare: 0,
      nd_unavailable_visit: 0,
      nd_unavailable_segregation: 0,
      nd_officer_redeployed: 0,
      nd_regime_curtailed: 0,
      nd_other: 0,
      private_delivered: 0,
      private_answered: 0,
      interpreter_needed: 0,
      interpreter_used: 0,
      interpreter_answered: 0,
      gap_count: gapCount,
      gap_days: gapDays,
      first_count: 0,
      first_days: 0,
      precheck_n: 0,
      precheck_sum: 0,
    })
    await db
      .insertInto('stat_daily')
      .values([day('2020-01-05', 3, 2, 10), day('2020-01-20', 2, 1, 4), day('2020-02-03', 1, 1, 9)])
      .execute()
    // A seen on 20 January (within the 28 days up to 31 January); B never
    const s1 = await insertSession(db, {
      establishmentId: est,
      prisonerId: a,
      staffId: mdi.staffId,
      author: 'key_worker.mdi',
      sessionDate: '2020-01-20',
    })
    const s2 = await insertSession(db, {
      establishmentId: est,
      prisonerId: b,
      staffId: mdi.staffId,
      author: 'key_worker.mdi',
      sessionDate: '2020-01-25',
      outcome: 'not_delivered',
      notDeliveredReason: 'prisoner_refused',
    })
    // QA: reviews of 3 and 4 (mean 3.5); a calibration review of 1 does not count
    const rubric = await db.selectFrom('qa_rubric_versions').select('id').executeTakeFirstOrThrow()
    const review = (sessionId: number, kind: string, score: number) => ({
      establishment_id: est,
      session_id: sessionId,
      kind,
      sample_id: null,
      calibration_id: null,
      reviewer_user_id: mdi.userId,
      reviewer: 'supervising_officer.mdi',
      rubric_version_id: rubric.id,
      overall_score: score,
      feedback_good: '',
      feedback_change: '',
      officer_user_id: null,
      submitted_at: '2020-02-01T10:00:00.000Z',
      updated_at: '2020-02-01T10:00:00.000Z',
      read_at: null,
      acknowledged_at: null,
      reply: null,
      replied_at: null,
    })
    await db
      .insertInto('qa_reviews')
      .values([review(s1, 'chosen', 3), review(s2, 'chosen', 4), review(s2, 'calibration', 1)])
      .execute()
    // counts: January 13 violent incidents in a population of 650; February 2 with no population (keywork's roll)
    const b0 = await national()
    const res = await upload(
      b0,
      `establishment,month,measure,count,population\n${mdiCode},2020-01,violence,13,650\n${mdiCode},2020-02,violence,2,\n`,
    )
    assert.equal(res.status, 303)

    const panel = await s.trials.panel(
      ['compliance', 'gap_days', 'seen_28', 'qa_score', 'count:violence'],
      '2020-01',
      '2020-02',
    )
    const at = (m: string, month: string) => panel.get(m)?.get(est)?.get(month)
    const close = (actual: number | undefined, expected: number, what: string) =>
      assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`)
    // compliance = delivered ÷ (eligible days ÷ 7) × 100: January 5 ÷ (52 ÷ 7) × 100 = 3500 ÷ 52 = 67.31%
    close(at('compliance', '2020-01'), 3500 / 52, 'compliance January')
    // February 1 ÷ (38 ÷ 7) × 100 = 700 ÷ 38 = 18.42%
    close(at('compliance', '2020-02'), 700 / 38, 'compliance February')
    // mean days between sessions: January 14 ÷ 3; February 9 ÷ 1
    close(at('gap_days', '2020-01'), 14 / 3, 'days between January')
    close(at('gap_days', '2020-02'), 9, 'days between February')
    // seen in 28 days at the month's end: 31 January both eligible, A seen (20 January): 1 ÷ 2 = 50%;
    // 29 February only B eligible (A's spell ended 10 February), not seen: 0%
    close(at('seen_28', '2020-01'), 50, 'seen 28 January')
    close(at('seen_28', '2020-02'), 0, 'seen 28 February')
    // QA: (3 + 4) ÷ 2 = 3.5 in January (the month of the entries reviewed); none in February
    close(at('qa_score', '2020-01'), 3.5, 'QA January')
    assert.equal(at('qa_score', '2020-02'), undefined)
    // violence per 1,000: January 13 ÷ 650 × 1000 = 20; February 2 ÷ (38 ÷ 29 held a day) × 1000 = 58000 ÷ 38
    close(at('count:violence', '2020-01'), 20, 'violence January')
    close(at('count:violence', '2020-02'), 58000 / 38, 'violence February')
    // the staff survey's agreement questions are offered as outcomes too
    assert.ok((await s.trials.measures()).some(m => m.source === 'survey' && m.code.startsWith('survey:')))
    // LEI has nothing in these months
    assert.equal(panel.get('compliance')?.get(lei.establishmentId)?.get('2020-01'), undefined)
  })
})

describe('importing outcome counts', () => {
  it('lists every bad row with its number and saves nothing', async () => {
    const b = await national()
    const mdiCode = await codeOf(mdi.establishmentId)
    const before = await count('trial_outcome_counts')
    const future = shiftMonth(thisMonth, 1)
    const csv = [
      'establishment,month,measure,count,population',
      `${mdiCode},2021-01,violence,4,700`, // good
      `XXX,2021-01,violence,4,700`, // unknown establishment
      `${mdiCode},2021-02,violence,-3,700`, // negative
      `${mdiCode},2021-03,self_harm,2.5,700`, // not whole
      `${mdiCode},2021-13,violence,1,700`, // bad month
      `${mdiCode},${future},violence,1,700`, // future month
      `${mdiCode},2021-01,violence,5,700`, // duplicate of row 2
      `${mdiCode},2021-01,escapes,5,700`, // unknown measure
      `${mdiCode},2021-04,adjudications,5,0`, // population 0
    ].join('\n')
    const res = await upload(b, csv)
    assert.equal(res.status, 422)
    for (const m of [
      /Row 3: no establishment has the code XXX/,
      /Row 4: the count must be a whole number, 0 or more \(not -3\)/,
      /Row 5: the count must be a whole number, 0 or more \(not 2.5\)/,
      /Row 6: the month must be a year and month, like 2026-03 \(not 2021-13\)/,
      new RegExp(`Row 7: the month ${future} is in the future`),
      new RegExp(`Row 8: ${mdiCode}, 2021-01, violence is already in row 2`),
      /Row 9: the measure must be one of violence, self_harm, adjudications \(not escapes\)/,
      /Row 10: the population must be a whole number, 1 or more \(not 0\)/,
    ])
      assert.match(res.text, m)
    assert.match(res.text, /There is a problem/)
    assert.doesNotMatch(res.text, /Row 2:/)
    assert.equal(await count('trial_outcome_counts'), before)
    // no file, and a spreadsheet
    const none = await b.agent.post('/trials/outcomes/import').field('_csrf', await b.csrf('/trials/outcomes/import'))
    assert.match(none.text, /Select a CSV file/)
    assert.equal(await count('trial_outcome_counts'), before)
  })

  it('replaces a count held for the same establishment, month and measure, and says so', async () => {
    const b = await national()
    const mdiCode = await codeOf(mdi.establishmentId)
    const leiCode = await codeOf(lei.establishmentId)
    const first = await upload(b, `establishment,month,measure,count\n${mdiCode},2021-06,self_harm,7\n`)
    assert.equal(first.status, 303)
    const before = await count('trial_outcome_counts')
    const second = await upload(
      b,
      `establishment,month,measure,count,population\n${mdiCode},2021-06,self_harm,9,800\n${leiCode},2021-06,self_harm,1,\n`,
    )
    assert.equal(second.status, 303)
    assert.match((await b.get('/trials/outcomes')).text, /Imported 1 new count; 1 replaced the counts held/)
    assert.equal(await count('trial_outcome_counts'), before + 1)
    const row = await db
      .selectFrom('trial_outcome_counts')
      .select(['count', 'population'])
      .where('establishment_id', '=', mdi.establishmentId)
      .where('month', '=', '2021-06')
      .where('measure', '=', 'self_harm')
      .execute()
    assert.deepEqual(row, [{ count: 9, population: 800 }])
    const audit = await db
      .selectFrom('audit_events')
      .select('changes')
      .where('entity', '=', 'trial_outcome_counts')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(JSON.parse(audit.changes!).replaced, 1)
  })
})

describe('defining an intervention', () => {
  it('lists every problem at once and saves nothing', async () => {
    const b = await national()
    const mdiCode = await codeOf(mdi.establishmentId)
    const before = [await count('trials'), await count('trial_adoptions'), await count('trial_revisions')]
    const tomorrow = addDays(today, 1).split('-').reverse().join('/')
    const cases: [Record<string, string | string[]>, RegExp[]][] = [
      [
        { name: '', kind: '', adoptions: '', comparison: 'all', comparisons: '' },
        [
          /Enter the name of the intervention/,
          /Choose the kind of intervention/,
          /Enter at least one adopting establishment/,
          /Choose at least one outcome measure/,
        ],
      ],
      [
        {
          name: 'Hubs',
          kind: 'key_worker_hub',
          adoptions: `${mdiCode}, ${tomorrow}\nZZZ, 1/1/2025\n${mdiCode}, 31/2/2025`,
          comparison: 'chosen',
          comparisons: `${mdiCode}, QQQ`,
          outcomes: 'compliance',
        },
        [
          /Line 1: the start date .* is in the future/,
          /Line 2: no establishment has the code ZZZ/,
          /Line 3: the start date must be a real date/,
          new RegExp(`${mdiCode} cannot be both adopting and a comparison`),
          /no establishment has the code QQQ/,
        ],
      ],
      [
        {
          name: 'Hubs',
          kind: 'other',
          adoptions: `${mdiCode}, 1/1/2025`,
          comparison: 'all',
          comparisons: 'LEI',
          outcomes: 'compliance',
        },
        [/choose &quot;Only the establishments I list&quot;, or clear the list/],
      ],
    ]
    for (const [body, messages] of cases) {
      const res = await b.post('/trials/new', body)
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, '/trials/new')
      const page = await b.get('/trials/new')
      assert.match(page.text, /There is a problem/)
      for (const m of messages) assert.match(page.text, m, JSON.stringify(body))
    }
    assert.deepEqual([await count('trials'), await count('trial_adoptions'), await count('trial_revisions')], before)
  })

  it('saves a trial with staggered adoptions, and an edit keeps the earlier version, audited', async () => {
    const b = await national()
    const [mdiCode, leiCode] = [await codeOf(mdi.establishmentId), await codeOf(lei.establishmentId)]
    const res = await b.post('/trials/new', {
      name: 'Supervising Officers appointed',
      kind: 'supervising_officer',
      description: 'A Supervising Officer for every wing.',
      adoptions: `${mdiCode}, 1/3/2025\n${leiCode}; 2025-06-15`,
      comparison: 'all',
      comparisons: '',
      outcomes: ['compliance', 'count:violence'],
    })
    assert.equal(res.status, 303)
    const id = Number(/\/trials\/(\d+)$/.exec(res.headers.location!)![1])
    const found = await s.trials.get(id)
    assert.deepEqual(found!.adoptions, [
      { establishmentId: mdi.establishmentId, startDate: '2025-03-01' },
      { establishmentId: lei.establishmentId, startDate: '2025-06-15' },
    ])
    assert.deepEqual(found!.outcomes, ['compliance', 'count:violence'])
    const edit = await b.get(`/trials/${id}/edit`)
    assert.match(edit.text, new RegExp(`${mdiCode}, 1/3/2025`))
    const changed = await b.post(`/trials/${id}/edit`, {
      name: 'Supervising Officers appointed',
      kind: 'supervising_officer',
      description: 'A Supervising Officer for every wing.',
      adoptions: `${mdiCode}, 1/4/2025`,
      comparison: 'all',
      comparisons: '',
      outcomes: ['compliance'],
    })
    assert.equal(changed.status, 303)
    const revisions = await s.trials.revisions(id)
    assert.deepEqual(
      revisions.map(r => r.version),
      [2, 1],
    )
    assert.equal(JSON.parse(revisions[1]!.snapshot).adoptions.length, 2)
    const events = await s.audit.forEntity('trial', String(id))
    assert.deepEqual(events.map(e => e.action).sort(), ['create', 'update'])
    const update = JSON.parse(events.find(e => e.action === 'update')!.changes!)
    assert.deepEqual(update.adoptions.to, [{ establishmentId: mdi.establishmentId, startDate: '2025-04-01' }])
    assert.match((await b.get(`/trials/${id}/edit`)).text, /Version 2: .* by national/)
  })
})

describe('the report', () => {
  it('shows the planted effect inside its interval, the chart, the summary and the naive estimate; the PDF too', async () => {
    // 24 establishments with 2 years of violence counts per 1,000 (population 1,000): a level of their own, a common
    // trend, small fixed wiggles, and +20 per 1,000 from the month each adopter adopted (8 in March, 8 in June)
    const ids: number[] = []
    for (let i = 0; i < 24; i++) {
      const r = await s.establishments.create(SYSTEM_ACTOR, {
        code: `T${String(i).padStart(2, '0')}`,
        name: `Trial Prison ${i}`,
        category: 'B',
        region: 'North',
      })
      assert.ok(r.ok)
      ids.push(r.value)
    }
    const last = shiftMonth(thisMonth, -1)
    const adoptMonth = (i: number) => (i < 8 ? shiftMonth(last, -9) : i < 16 ? shiftMonth(last, -6) : null)
    const lines = ['establishment,month,measure,count,population']
    for (let i = 0; i < 24; i++)
      for (let k = 0; k < 24; k++) {
        const month = shiftMonth(last, -23 + k)
        const treated = adoptMonth(i) !== null && month >= adoptMonth(i)!
        const y = 100 + 3 * i + k + ((i * 7 + k * 3) % 5) + (treated ? 20 : 0)
        lines.push(`T${String(i).padStart(2, '0')},${month},adjudications,${y},1000`)
      }
    const b = await national()
    assert.equal((await upload(b, lines.join('\n'))).status, 303)
    const adoptions = ids
      .slice(0, 16)
      .map(
        (_, i) => `T${String(i).padStart(2, '0')}, ${adoptMonth(i)!.split('-').reverse().join('/').replace(/^/, '1/')}`,
      )
      .join('\n')
    const res = await b.post('/trials/new', {
      name: 'Initial training course',
      kind: 'initial_training',
      adoptions,
      comparison: 'chosen',
      comparisons: ids
        .slice(16)
        .map((_, i) => `T${i + 16}`)
        .join(', '),
      outcomes: ['count:adjudications'],
    })
    assert.equal(
      res.status,
      303,
      JSON.stringify((await b.get('/trials/new')).text.match(/govuk-error-message[^<]*<[^>]*>[^<]*/g)),
    )
    const id = Number(/\/trials\/(\d+)$/.exec(res.headers.location!)![1])
    const report = await s.trials.report(id)
    const o = report!.outcomes[0]!
    assert.ok(o.result?.overall, o.problem ?? 'no estimate')
    const { lower, upper, estimate } = o.result.overall
    assert.ok(lower <= 20 && 20 <= upper, `20 in [${lower}, ${upper}] (estimate ${estimate})`)
    const page = await b.get(`/trials/${id}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /<svg class="kw-trial-chart"/)
    assert.match(page.text, /Months since adoption/)
    assert.match(page.text, /Naive estimate \(two-way fixed effects, for comparison only\)/)
    assert.match(page.text, /The chart’s figures/)
    assert.match(page.text, /1 month before/)
    for (const line of o.summary)
      assert.ok(
        page.text.includes(line.replaceAll("'", '&#39;').replaceAll('"', '&quot;')) || page.text.includes(line),
        line,
      )
    // the PDF, read with pdftotext
    const pdf = await b
      .get(`/trials/${id}/report.pdf`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c))
        r.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    assert.equal(pdf.status, 200)
    assert.equal(pdf.headers['content-type'], 'application/pdf')
    const dir = mkdtempSync(join(tmpdir(), 'trial-pdf-'))
    writeFileSync(join(dir, 'r.pdf'), pdf.body as Buffer)
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      ' ',
    )
    assert.match(text, /Trial report: Initial training course/)
    assert.match(text, /Naive estimate/)
    assert.match(text, /Month since adoption/)
    const firstWords = o.summary[0]!.split(/\s+/).slice(0, 6).join(' ')
    assert.ok(text.includes(firstWords), `PDF has the summary: ${firstWords}`)
  })

  it('refuses other roles: a Key Worker nothing, a Supervising Officer reads but does not define or import', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    for (const p of ['/trials', '/trials/1', '/trials/1/report.pdf', '/trials/new', '/trials/outcomes'])
      assert.equal((await kw.get(p)).status, 403, p)
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.get('/trials')).status, 200)
    assert.equal((await so.get('/trials/1')).status, 200)
    assert.doesNotMatch((await so.get('/trials/1')).text, /Change the trial/)
    for (const p of ['/trials/new', '/trials/1/edit', '/trials/outcomes', '/trials/outcomes/import'])
      assert.equal((await so.get(p)).status, 403, p)
    const before = await count('trials')
    assert.equal(
      (
        await so.post(
          '/trials/new',
          { name: 'x', kind: 'other', adoptions: 'MDI, 1/1/2025', outcomes: 'compliance' },
          '/trials',
        )
      ).status,
      403,
    )
    assert.equal(await count('trials'), before)
    const b = await national()
    assert.equal((await b.get('/trials/999999')).status, 404)
    assert.equal((await b.get('/trials/999999/report.pdf')).status, 404)
  })
})
