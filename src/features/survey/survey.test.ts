import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { sql } from 'kysely'
import { addDays, todayIso } from '../../domain/dates'
import { NATIONAL_QUESTIONS } from '../../domain/survey'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { type Browser, signedIn, testWorld } from '../../../test/harness'

const world = await testWorld()
const s = world.services
const db = s.db.db
const dialect = s.db.dialect
after(() => world.close())
const MDI = world.est.MDI!
const LEI = world.est.LEI!
const today = todayIso()
const NP = { ...SYSTEM_ACTOR, username: 'national' }

const count = async (
  table: 'survey_responses' | 'survey_answers' | 'survey_tokens' | 'survey_invitations' | 'survey_rounds',
) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

const userId = async (username: string) =>
  (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! }
}

/** Every table and its columns, read from the engine itself; foreign keys as "column -> table". */
async function schema(): Promise<Map<string, { columns: string[]; references: string[] }>> {
  const out = new Map<string, { columns: string[]; references: string[] }>()
  if (dialect === 'sqlite') {
    const tables = await sql<{
      name: string
    }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
    for (const { name } of tables.rows) {
      const cols = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db)
      const fks = await sql<{
        from: string
        table: string
      }>`select "from", "table" from pragma_foreign_key_list(${name})`.execute(db)
      out.set(name, { columns: cols.rows.map(c => c.name), references: fks.rows.map(f => `${f.from} -> ${f.table}`) })
    }
  } else {
    const cols = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns where table_schema = current_schema()`.execute(db)
    for (const c of cols.rows) {
      const t = out.get(c.table_name) ?? { columns: [], references: [] }
      t.columns.push(c.column_name)
      out.set(c.table_name, t)
    }
    const fks = await sql<{ table_name: string; column_name: string; foreign_table: string }>`
      select kcu.table_name, kcu.column_name, ccu.table_name as foreign_table
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
      where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(db)
    for (const f of fks.rows) out.get(f.table_name)?.references.push(`${f.column_name} -> ${f.foreign_table}`)
  }
  return out
}

/** Every row of every table, as text per column. */
async function everyRow(): Promise<{ table: string; row: Record<string, string> }[]> {
  const rows: { table: string; row: Record<string, string> }[] = []
  for (const table of (await schema()).keys()) {
    const r = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)
    for (const row of r.rows)
      rows.push({
        table,
        row: Object.fromEntries(
          Object.entries(row).map(([k, v]) => [k, v === null ? '' : v instanceof Date ? v.toISOString() : String(v)]),
        ),
      })
  }
  return rows
}

describe('staff survey: a round, anonymity and the one-time token', () => {
  let keyWorker: Browser
  let national: Browser
  const marker = `survey-marker-${randomUUID()}`

  it('publishes a round only when everything is right, listing every problem at once; nothing saved until then', async () => {
    national = await signedIn(world, 'national')
    const before = await count('survey_rounds')
    const bad = await national.post(
      '/survey/rounds/new',
      {
        title: '',
        ...dateFields('opensOn', addDays(today, -1)),
        ...dateFields('closesOn', addDays(today, -3)),
        askComments: 'yes',
        ...Object.fromEntries(NATIONAL_QUESTIONS.map(q => [`q_${q.code}`, q.text])),
        q_role: '',
      },
      '/survey/rounds/new',
    )
    assert.equal(bad.status, 303)
    const page = await national.get('/survey/rounds/new')
    assert.match(page.text, /Enter a title/)
    assert.match(page.text, /Enter the wording of statement 2/)
    assert.equal(await count('survey_rounds'), before)
    // dates: checked by the domain once the fields are all there (both problems together)
    const dates = await s.survey.publishRound(NP, {
      title: 'x',
      opensOn: addDays(today, -1),
      closesOn: addDays(today, -3),
      questions: [...NATIONAL_QUESTIONS],
    })
    assert.deepEqual(Object.keys(dates.ok ? {} : dates.errors).sort(), ['closesOn', 'opensOn'])

    const good = await national.post(
      '/survey/rounds/new',
      {
        title: 'Staff survey autumn',
        ...dateFields('opensOn', today),
        ...dateFields('closesOn', addDays(today, 27)),
        askComments: 'yes',
        ...Object.fromEntries(NATIONAL_QUESTIONS.map(q => [`q_${q.code}`, q.text])),
        q_role: 'I know what a Key Worker does.',
      },
      '/survey/rounds/new',
    )
    assert.equal(good.status, 303)
    assert.equal(await count('survey_rounds'), before + 1)
    const round = (await s.survey.rounds())[0]!
    const questions = await s.survey.questions(round.id)
    assert.equal(questions.length, 7)
    assert.equal(questions.find(q => q.code === 'role')?.text, 'I know what a Key Worker does.')
    // a second round overlapping the open one is refused
    const overlap = await s.survey.publishRound(NP, {
      title: 'Overlap',
      opensOn: addDays(today, 10),
      closesOn: addDays(today, 40),
      questions: [...NATIONAL_QUESTIONS],
    })
    assert.equal(overlap.ok, false)
    assert.equal(await count('survey_rounds'), before + 1)
  })

  it('lets the national team change the wording until the first person starts', async () => {
    const round = (await s.survey.rounds())[0]!
    const page = await national.get(`/survey/rounds/${round.id}/edit`)
    assert.match(page.text, /Save the wording/)
    const empty = await national.post(
      `/survey/rounds/${round.id}/edit`,
      { title: '' },
      `/survey/rounds/${round.id}/edit`,
    )
    assert.equal(empty.status, 303)
    const errors = await national.get(`/survey/rounds/${round.id}/edit`)
    assert.match(errors.text, /Enter a title/)
    assert.match(errors.text, /Enter the wording of statement 1/)
    assert.equal((await s.survey.round(round.id))!.title, 'Staff survey autumn')
    const questions = await s.survey.questions(round.id)
    const r = await national.post(
      `/survey/rounds/${round.id}/edit`,
      {
        title: 'Staff survey, autumn',
        ...Object.fromEntries(questions.map(q => [`q_${q.code}`, q.code === 'stay' ? 'I plan to stay.' : q.text])),
      },
      `/survey/rounds/${round.id}/edit`,
    )
    assert.equal(r.status, 303)
    assert.equal((await s.survey.round(round.id))!.title, 'Staff survey, autumn')
    assert.equal((await s.survey.questions(round.id)).find(q => q.code === 'stay')!.text, 'I plan to stay.')
  })

  it('tells a Key Worker on the home page until they take part', async () => {
    keyWorker = await signedIn(world, 'key_worker.mdi')
    assert.match((await keyWorker.get('/')).text, /A staff survey is open/)
  })

  it('refuses to start without the confirmation, then gives one token: (round, user) and a hash with no user', async () => {
    const noConfirm = await keyWorker.post('/survey', { action: 'start' }, '/survey')
    assert.equal(noConfirm.status, 303)
    assert.match((await keyWorker.get('/survey')).text, /Confirm you understand you can answer this round once/)
    assert.equal(await count('survey_invitations'), 0)
    assert.equal(await count('survey_tokens'), 0)

    const start = await keyWorker.post('/survey', { action: 'start', understood: 'yes' }, '/survey')
    assert.equal(start.status, 303)
    const cookie = String(start.headers['set-cookie'])
    assert.match(cookie, /kw_survey=/)
    assert.match(cookie, /HttpOnly/i)
    assert.match(cookie, /Path=\/survey/)
    assert.equal(await count('survey_invitations'), 1)
    assert.equal(await count('survey_tokens'), 1)
    const token = await db.selectFrom('survey_tokens').selectAll().executeTakeFirstOrThrow()
    assert.equal(token.establishment_id, MDI)
    assert.equal(token.role, 'KEY_WORKER')
    assert.equal(Number(token.used), 0)
    assert.doesNotMatch((await keyWorker.get('/')).text, /A staff survey is open/)
  })

  it('lists every unanswered statement at once, saving nothing, and never keeps the answers in the session', async () => {
    const form = await keyWorker.get('/survey')
    const token = /name="token" value="([^"]+)"/.exec(form.text)![1]!
    const questions = await s.survey.questions((await s.survey.rounds())[0]!.id)
    const first = questions[0]!
    const r = await keyWorker.post(
      '/survey',
      { token, [`q${first.id}`]: '4', [`q${questions[6]!.id}`]: marker },
      '/survey',
    )
    assert.equal(r.status, 400)
    assert.match(r.text, /There is a problem/)
    for (let i = 2; i <= 6; i++) assert.match(r.text, new RegExp(`Choose how much you agree with statement ${i}`))
    assert.equal(await count('survey_responses'), 0)
    const sessions = await everyRow()
    assert.deepEqual(
      sessions.filter(x => Object.values(x.row).some(v => v.includes(marker))),
      [],
    )
  })

  it('saves one response with no link to the user anywhere, and refuses the used token, saving nothing', async () => {
    const form = await keyWorker.get('/survey')
    const token = /name="token" value="([^"]+)"/.exec(form.text)![1]!
    const questions = await s.survey.questions((await s.survey.rounds())[0]!.id)
    const answers = Object.fromEntries(questions.map(q => [`q${q.id}`, q.kind === 'scale' ? '4' : marker]))
    const sent = await keyWorker.post('/survey', { token, ...answers }, '/survey')
    assert.equal(sent.status, 303)
    assert.equal(await count('survey_responses'), 1)
    assert.equal(await count('survey_answers'), 7)
    assert.match((await keyWorker.get('/survey')).text, /Your answers were sent/)

    const responseId = (await db.selectFrom('survey_responses').select('id').executeTakeFirstOrThrow()).id
    const uid = await userId('key_worker.mdi')
    const rows = await everyRow()
    // the response id appears only in the response and its answers; the free text only in its answer
    const withId = rows.filter(x => Object.values(x.row).some(v => v.includes(responseId)))
    assert.deepEqual([...new Set(withId.map(x => x.table))].sort(), ['survey_answers', 'survey_responses'])
    const withMarker = rows.filter(x => Object.values(x.row).some(v => v.includes(marker)))
    assert.deepEqual(
      withMarker.map(x => x.table),
      ['survey_answers'],
    )
    // and no row holding the response id holds the user's id or name in any column
    for (const x of withId) {
      assert.ok(!Object.values(x.row).includes('key_worker.mdi'), `${x.table} holds the username`)
      for (const [col, v] of Object.entries(x.row))
        if (/user|by$|actor/.test(col)) assert.notEqual(v, String(uid), `${x.table}.${col}`)
    }
    // the audit trail says only that a token was taken: nothing about the answers
    const events = await db
      .selectFrom('audit_events')
      .select(['entity', 'changes'])
      .where('entity', 'like', 'survey%')
      .execute()
    // the round's publication and its rewording, and the token taken
    assert.deepEqual(events.map(e => e.entity).sort(), ['survey_round', 'survey_round', 'survey_token'])
    assert.ok(events.every(e => !(e.changes ?? '').includes(marker) && !(e.changes ?? '').includes(responseId)))

    // the same token again: refused, nothing saved
    const again = await keyWorker.post('/survey', { token, ...answers }, '/survey')
    assert.equal(again.status, 303)
    assert.match((await keyWorker.get('/survey')).text, /already sent with this form/)
    const direct = await s.survey.submit(token, answers)
    assert.equal(direct.ok, false)
    assert.equal(await count('survey_responses'), 1)
    assert.equal(await count('survey_answers'), 7)
  })

  it('does not give a second token to someone who took one (kindly), nor start for another person’s cookie', async () => {
    const fresh = await signedIn(world, 'key_worker.mdi') // another browser: no cookie
    const page = await fresh.get('/survey')
    assert.match(page.text, /cannot give you a new form/)
    const r = await fresh.post('/survey', { action: 'start', understood: 'yes' }, '/survey')
    assert.equal(r.status, 303)
    assert.match((await fresh.get('/survey')).text, /already started this survey/)
    assert.equal(await count('survey_invitations'), 1)
    assert.equal(await count('survey_tokens'), 1)
    // and once someone has started, the wording is fixed
    const round = (await s.survey.rounds())[0]!
    const reword = await s.survey.rewordRound(NP, round.id, { title: 'Changed', questions: [] })
    assert.equal(reword.ok, false)
    assert.equal((await s.survey.round(round.id))!.title, 'Staff survey, autumn')
    assert.doesNotMatch((await national.get(`/survey/rounds/${round.id}/edit`)).text, /Save the wording/)
  })

  it('has no column in the token, response or answer tables that could name a user, on this engine', async () => {
    const tables = await schema()
    for (const t of ['survey_tokens', 'survey_responses', 'survey_answers']) {
      const def = tables.get(t)
      assert.ok(def, `${t} exists`)
      for (const c of def.columns) assert.doesNotMatch(c, /user|by$|name|actor|session|_at$|token$/, `${t}.${c}`)
      for (const ref of def.references)
        assert.doesNotMatch(ref, /users|sessions|survey_invitations|survey_tokens/, `${t}: ${ref}`)
    }
    // the invitation holds the user and the round, and nothing that points to a token or a response
    assert.deepEqual(tables.get('survey_invitations')!.columns.sort(), ['round_id', 'user_id'])
    // no table anywhere references the responses except the answers
    for (const [name, def] of tables)
      for (const ref of def.references)
        if (/survey_responses|survey_tokens/.test(ref))
          assert.equal(`${name}: ${ref}`, 'survey_answers: response_id -> survey_responses')
  })
})

describe('staff survey: results under small-number protection', () => {
  let roundId: number
  let HMI: number
  const codes = NATIONAL_QUESTIONS.filter(q => q.kind === 'scale').map(q => q.code)

  /** n responses of an establishment and role, 'rehabilitation' answered with the values given, every other statement 3 */
  async function answers(establishmentId: number, role: string, values: number[], text?: string) {
    const questions = await s.survey.questions(roundId)
    for (const v of values) {
      const id = randomUUID()
      await db
        .insertInto('survey_responses')
        .values({ id, round_id: roundId, establishment_id: establishmentId, role })
        .execute()
      await db
        .insertInto('survey_answers')
        .values(
          questions.map(q => ({
            response_id: id,
            question_id: q.id,
            value: q.kind === 'scale' ? (q.code === 'rehabilitation' ? v : 3) : null,
            answer_text: q.kind === 'text' ? (text ?? null) : null,
          })),
        )
        .execute()
    }
  }

  it('shows only the groups that cannot be worked out, with means computed by hand', async () => {
    const created = await s.establishments.create(SYSTEM_ACTOR, {
      code: 'HMI',
      name: 'Humber (HMP)',
      category: 'Category C',
      region: 'Yorkshire',
    })
    assert.ok(created.ok)
    HMI = created.value
    roundId = (await s.survey.rounds())[0]!.id
    // drop the one real response of the first part, so the groups are exactly those below
    await db.deleteFrom('survey_answers').execute()
    await db.deleteFrom('survey_responses').execute()
    // LEI: 10 Key Workers (5,5,4,4,4,3,3,2,1,5: sum 36, mean 3.6) and 10 SOs (all 4: mean 4.0): 20, mean 76/20 = 3.8
    await answers(LEI, 'KEY_WORKER', [5, 5, 4, 4, 4, 3, 3, 2, 1, 5], 'Leeds comment')
    await answers(LEI, 'SUPERVISING_OFFICER', [4, 4, 4, 4, 4, 4, 4, 4, 4, 4])
    // MDI: 12 Key Workers all 3 (36) and 3 SOs all 1 (3): 15
    await answers(MDI, 'KEY_WORKER', Array(12).fill(3))
    await answers(MDI, 'SUPERVISING_OFFICER', [1, 1, 1])
    // HMI: 4 Key Workers all 5 (20)
    await answers(HMI, 'KEY_WORKER', [5, 5, 5, 5])
    // national: 39 answered, (36 + 40 + 36 + 3 + 20) / 39 = 135 / 39 = 3.4615… → 3.5

    const national = await signedIn(world, 'national')
    const open = await national.get(`/survey/rounds/${roundId}`)
    assert.equal(open.status, 200)
    assert.doesNotMatch(open.text, /id="results"/, 'no results while the round is open')
    assert.deepEqual(await s.survey.establishmentMeans('rehabilitation'), [])

    const unconfirmed = await national.post(`/survey/rounds/${roundId}/close`, {}, `/survey/rounds/${roundId}`)
    assert.equal(unconfirmed.status, 303)
    assert.equal((await s.survey.round(roundId))!.closed_on, null, 'not closed without the confirmation')
    const closing = await national.post(
      `/survey/rounds/${roundId}/close`,
      { confirm: 'yes' },
      `/survey/rounds/${roundId}`,
    )
    assert.equal(closing.status, 303)
    const page = await national.get(`/survey/rounds/${roundId}`)
    const table = /<table[^>]*id="results"[\s\S]*?<\/table>/.exec(page.text)?.[0] ?? ''
    const rows = [
      ...table.matchAll(
        /<tr class="govuk-table__row">\s*<th scope="row"[^>]*>([\s\S]*?)<\/th>\s*<td[^>]*>(\d+)<\/td>\s*<td[^>]*>([\d.]+)<\/td>/g,
      ),
    ].map(m => [
      m[1]!
        .replace(/<[^>]+>|&nbsp;/g, '')
        .replace('of the establishment above: ', '')
        .trim(),
      Number(m[2]),
      m[3],
    ])
    // threshold 10. HMI (4) is under it. National 39 − LEI 20 − MDI 15 = 4: showing MDI would give HMI away, so MDI
    // (the smallest shown establishment) is hidden too, and with it its roles; MDI's SOs (3) could never show.
    // LEI 20 − KW 10 − SO 10 = 0: both roles show.
    assert.deepEqual(rows, [
      ['All establishments', 39, '3.5'],
      ['Leeds (HMP)', 20, '3.8'],
      ['Key Workers', 10, '3.6'],
      ['Supervising Officers', 10, '4.0'],
    ])
    assert.doesNotMatch(table, /Moorland|Humber/)
    // every other statement is 3 everywhere
    assert.equal((table.match(/>3\.0</g) ?? []).length, 4 * 5)
    // free text: threshold 20. LEI has 20, but 39 − 20 = 19 would be everyone else's: only the national list shows
    assert.match(page.text, /Leeds comment/)
    assert.doesNotMatch(page.text, /<h3 class="govuk-heading-s">Leeds \(HMP\)<\/h3>/)

    // the trials' outcome: LEI only (MDI and HMI are not shown), in the month the round closed
    assert.deepEqual(await s.survey.establishmentMeans('rehabilitation'), [
      { establishmentId: LEI, month: today.slice(0, 7), mean: 76 / 20, n: 20 },
    ])
    assert.deepEqual(
      (await s.survey.outcomeQuestions()).map(q => q.code),
      codes,
    )
  })

  it('shows a Supervising Officer only the national total and their own establishment, where shown', async () => {
    const lei = await signedIn(world, 'supervising_officer.lei')
    const leiPage = await lei.get(`/survey/rounds/${roundId}`)
    assert.equal(leiPage.status, 200)
    assert.match(leiPage.text, /Supervising Officers/)
    assert.doesNotMatch(leiPage.text, /Leeds comment/, 'free text: the national list is for the national team')
    const mdi = await signedIn(world, 'supervising_officer.mdi')
    const mdiPage = await mdi.get(`/survey/rounds/${roundId}`)
    const table = /<table[^>]*id="results"[\s\S]*?<\/table>/.exec(mdiPage.text)?.[0] ?? ''
    assert.match(table, /All establishments/)
    assert.doesNotMatch(table, /Leeds|Moorland|Key Workers/)
    // a Key Worker cannot read results
    const kw = await signedIn(world, 'key_worker.lei')
    assert.equal((await kw.get(`/survey/rounds/${roundId}`)).status, 403)
  })

  it('keeps the thresholds within their bounds: at least 5, free text at least the results threshold', async () => {
    const before = await s.survey.settings()
    const low = await s.survey.saveSettings(NP, 4, 20)
    assert.deepEqual(low.ok ? {} : Object.keys(low.errors), ['threshold'])
    const order = await s.survey.saveSettings(NP, 10, 9)
    assert.deepEqual(order.ok ? {} : Object.keys(order.errors), ['freeTextThreshold'])
    const national = await signedIn(world, 'national')
    const r = await national.post('/survey/settings', { threshold: '', freeTextThreshold: 'ten' }, '/survey/settings')
    assert.equal(r.status, 303)
    const page = await national.get('/survey/settings')
    assert.match(page.text, /Enter the results threshold/)
    assert.match(page.text, /must be a whole number/)
    assert.deepEqual(await s.survey.settings(), before)
    // 5 and 5: the lowest allowed; MDI's roles are still hidden (its SOs are 3), HMI (4) too
    assert.equal((await s.survey.saveSettings(NP, 5, 5)).ok, true)
    const cells = (await s.survey.results(roundId))!.cells
    const shown = cells
      .filter(c => c.shown)
      .map(c => c.key)
      .sort()
    // 39 − 20 − 15 = 4 < 5: MDI (15, the smallest) hides again; LEI and its roles show
    assert.deepEqual(shown, ['all', `e${LEI}`, `e${LEI}/KEY_WORKER`, `e${LEI}/SUPERVISING_OFFICER`].sort())

    // a demo reset empties every table: the defaults stand in, and saving writes the row again
    await db.deleteFrom('survey_settings').execute()
    assert.equal((await s.survey.settings()).threshold, 10)
    assert.equal((await s.survey.settings()).free_text_threshold, 20)
    assert.equal((await s.survey.saveSettings(NP, 12, 25)).ok, true)
    const saved = await db.selectFrom('survey_settings').selectAll().execute()
    assert.deepEqual(
      saved.map(r => [r.threshold, r.free_text_threshold]),
      [[12, 25]],
    )
  })
})
