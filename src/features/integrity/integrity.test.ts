import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { weekdayOf } from '../../domain/planning'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { type World, createUser, signedIn, testWorld } from '../../../test/harness'
import { recordSession } from '../../../test/support/sessions'
import { insertSession } from '../../../test/support/referrals'
import { prisonerRecordSchema } from '../prisoners/schema'
import { staffRecordSchema } from '../staff/schema'

// The integrity checks over real services and a fresh database: each rule raised by a submit (the sessions hook)
// with hand-worked dates and times, the full scan, the flags pages and resolving a flag.

let world: World & { close(): Promise<void> }
const today = londonNow().date
const on = (date: string) => {
  const [y, m, d] = date.split('-')
  return { 'sessionDate-day': d!, 'sessionDate-month': m!, 'sessionDate-year': y! }
}

/** A narrative of well over 300 characters about `name`: five different stories, each used by one part of the test. */
const STORIES = {
  1: [
    'told me he is worried about where he will live when he gets out. His mum cannot have him back because of the tenancy, and he does not want to go back to the hostel in town where he used to use. He has started the housing form with the resettlement team but has not heard anything back yet.',
    'and I agreed that I will chase the resettlement team about the housing referral this week, and he will write down three areas he would be happy to live in before we next meet.',
  ],
  2: [
    'said the education course on the wing has been cancelled twice and he is losing interest. He wants to finish his level two maths so he can apply for the kitchen job, and he was proud that he passed the first practice paper with a good mark last week.',
    'is going to ask the education department for the workbook so he can keep going in his cell, and I will find out from the kitchen manager what they need before he can apply.',
  ],
  3: [
    'talked about his daughter starting school in September and how much he misses the school run. Visits have been hard because his partner works weekends, and the last video call dropped twice. He gets low after calls and does not always tell anyone on the wing.',
    'will put in an application for family days, and I will ask the visits team whether a weekday slot can be found; we will check in on how he is feeling after calls at our next session.',
  ],
  4: [
    'opened up about using spice on the landing when he is bored at weekends. He says it is everywhere and he owes someone for it now, which is why he has been keeping to his cell. He wants to stop but is scared of what happens if he does not pay what he owes.',
    'agreed to a referral to the substance misuse team, and I raised the debt with the safer custody lead the same day; he will try the Sunday gym session instead of staying behind his door.',
  ],
  5: [
    'showed me a letter from the council about rent arrears on his old flat and said he has no idea how to sort it out from in here. His benefits stopped when he came in and nobody told the landlord. He thinks the debt is about two thousand pounds and it is growing.',
    'will fill in the form for the prison advice service with me next week, and I will ask the resettlement team whether someone can write to the council to pause the arrears until his release.',
  ],
} as const
const story = (name: string, which: keyof typeof STORIES = 1) => ({
  prisonerWords: `${name} ${STORIES[which][0]}`,
  agreed: `${name} ${STORIES[which][1]}`,
})

interface Officer {
  actor: { userId: number; username: string; establishmentId: number }
  staffId: number
  staffNumber: string
}

let counter = 0
async function officer(code: 'MDI' | 'LEI', lastName: string): Promise<Officer> {
  const s = world.services
  const establishmentId = world.est[code]!
  const username = `${lastName.toLowerCase()}.${code.toLowerCase()}`
  const userId = await createUser(s, username, [{ role: 'KEY_WORKER', establishmentId }])
  const staffNumber = `${code}9${String(++counter).padStart(3, '0')}`
  const r = await s.staff.create({ ...SYSTEM_ACTOR, establishmentId }, establishmentId, {
    ...staffRecordSchema.parse({
      staffNumber,
      firstName: 'Alex',
      lastName,
      grade: 'Band 3',
      workingPattern: 'full_time',
      languages: 'English',
      status: 'active',
    }),
    userId,
  })
  assert.ok(r.ok, JSON.stringify(r))
  return { actor: { userId, username, establishmentId }, staffId: r.value, staffNumber }
}

const PEOPLE = [
  ['Dean', 'Walsh'],
  ['Marcus', 'Reid'],
  ['Tyler', 'Okafor'],
  ['Piotr', 'Nowak'],
  ['Connor', 'Hughes'],
  ['Jamal', 'Begum'],
  ['Kyle', 'Price'],
  ['Liam', 'Carter'],
] as const
const prisonNumbers: Record<'MDI' | 'LEI', string[]> = { MDI: [], LEI: [] }
const prisonerIds: Record<'MDI' | 'LEI', number[]> = { MDI: [], LEI: [] }

async function prisoners(code: 'MDI' | 'LEI') {
  const s = world.services
  const establishmentId = world.est[code]!
  for (const [i, [first, last]] of PEOPLE.entries()) {
    const prisonNumber = `${code === 'MDI' ? 'A' : 'B'}${1000 + i}AA`
    const r = await s.prisoners.create(
      { ...SYSTEM_ACTOR, establishmentId },
      establishmentId,
      prisonerRecordSchema.parse({
        prisonNumber,
        firstName: first,
        lastName: last,
        dateOfBirth: '1990-01-01',
        receptionDate: '2025-01-10',
        status: 'in',
        complexity: 'low',
        firstLanguage: 'en',
        interpreterNeeded: 'no',
        nationality: 'British',
      }),
    )
    assert.ok(r.ok, JSON.stringify(r))
    prisonNumbers[code]!.push(prisonNumber)
    prisonerIds[code]!.push((await s.prisoners.get(establishmentId, prisonNumber))!.id)
  }
}

const flagsOf = (sessionId: number) =>
  world.services.db.db
    .selectFrom('integrity_flags')
    .selectAll()
    .where(eb => eb.or([eb('session_id', '=', sessionId), eb('other_session_id', '=', sessionId)]))
    .orderBy('id')
    .execute()
const kindsOf = async (sessionId: number) => (await flagsOf(sessionId)).map(f => f.kind).sort()

before(async () => {
  world = await testWorld()
  await prisoners('MDI')
  await prisoners('LEI')
})
after(() => world.close())

describe('near-duplicate narratives, on submit', () => {
  let first = 0
  let copy = 0
  let unrelated = 0
  let identical: number[] = []
  before(async () => {
    const o = await officer('MDI', 'Copier')
    const est = o.actor.establishmentId
    const [p1, p2, p3, p4] = prisonNumbers.MDI
    first = await recordSession(world.services.sessions, o.actor, est, p1!, {
      ...story('Dean'),
      ...on(addDays(today, -3)),
    })
    // the same entry for another prisoner, his name and the date changed
    copy = await recordSession(world.services.sessions, o.actor, est, p2!, {
      ...story('Marcus'),
      ...on(addDays(today, -2)),
      startsAt: '11:00',
    })
    unrelated = await recordSession(world.services.sessions, o.actor, est, p3!, {
      ...story('Tyler', 2),
      ...on(addDays(today, -1)),
    })
    const other = await officer('MDI', 'Twice')
    const text = story('He', 3)
    identical = [
      await recordSession(world.services.sessions, other.actor, est, p4!, { ...text, ...on(addDays(today, -5)) }),
      await recordSession(world.services.sessions, other.actor, est, p4!, { ...text, ...on(addDays(today, -4)) }),
    ]
  })

  it('flags another prisoner’s entry copied with the names and date changed, keyed by both ids', async () => {
    const flags = (await flagsOf(copy)).filter(f => f.kind === 'near_duplicate')
    assert.equal(flags.length, 1)
    const f = flags[0]!
    assert.equal(f.flag_key, `near_duplicate:${first}:${copy}`)
    assert.equal(f.session_id, copy)
    assert.equal(f.other_session_id, first)
    assert.equal(f.similarity, 1)
    assert.equal(f.status, 'open')
  })

  it('flags identical texts (one prisoner, two sessions) and not an unrelated entry', async () => {
    const flags = (await flagsOf(identical[1]!)).filter(f => f.kind === 'near_duplicate')
    assert.deepEqual(
      flags.map(f => f.flag_key),
      [`near_duplicate:${identical[0]}:${identical[1]}`],
    )
    assert.deepEqual(
      (await flagsOf(unrelated)).filter(f => f.kind === 'near_duplicate'),
      [],
    )
  })

  it('keeps 16 band hashes a submitted entry, signed 32-bit', async () => {
    const bands = await world.services.db.db
      .selectFrom('integrity_bands')
      .select(['band', 'hash'])
      .where('session_id', '=', copy)
      .orderBy('band')
      .execute()
    assert.deepEqual(
      bands.map(b => b.band),
      [...Array(16).keys()],
    )
    for (const b of bands) assert.ok(Number.isInteger(b.hash) && b.hash >= -(2 ** 31) && b.hash < 2 ** 31)
  })

  it('audits each flag raised', async () => {
    const [f] = (await flagsOf(copy)).filter(x => x.kind === 'near_duplicate')
    const events = await world.services.audit.forEntity('integrity_flag', String(f!.id))
    assert.deepEqual(
      events.map(e => e.action),
      ['raise'],
    )
  })

  it('looks again when an entry is amended into a copy', async () => {
    const o = await officer('MDI', 'Amender')
    const est = o.actor.establishmentId
    const id = await recordSession(world.services.sessions, o.actor, est, prisonNumbers.MDI[5]!, {
      prisonerWords: 'Something else entirely: he talked about the gym and the new PE timetable on the wing.',
      agreed: 'He will ask for the Tuesday gym slot; nothing else was agreed today.',
    })
    assert.ok(!(await kindsOf(id)).includes('near_duplicate'))
    // the amendment form: every amendable value as text, changed or not, and why
    const r = await world.services.sessions.amend(o.actor, est, id, {
      sessionDate: today,
      startsAt: '10:00',
      durationMinutes: '45',
      location: 'interview_room',
      private: 'yes',
      concernEscalatedTo: '',
      interpreterWhyNot: '',
      ...story('Jamal', 1),
      reason: 'The wrong words were typed',
    })
    assert.ok(r !== 'not-found' && r.ok, JSON.stringify(r))
    assert.ok((await kindsOf(id)).includes('near_duplicate'))
  })
})

describe('thin entries, on submit', () => {
  it('flags a 45-minute delivered session with a short narrative, not a 20-minute one', async () => {
    const o = await officer('MDI', 'Brief')
    const est = o.actor.establishmentId
    const thin = await recordSession(world.services.sessions, o.actor, est, prisonNumbers.MDI[6]!, {
      ...on(addDays(today, -2)),
    })
    const short = await recordSession(world.services.sessions, o.actor, est, prisonNumbers.MDI[6]!, {
      duration: '20',
      ...on(addDays(today, -1)),
    })
    const [f] = await flagsOf(thin)
    assert.equal(f?.kind, 'thin')
    // the default narrative: 52 characters of his words, a line break counted as a space, 46 of what was agreed
    assert.deepEqual(JSON.parse(f!.evidence), { chars: 99, minChars: 300, durationMinutes: 45 })
    // (the two share the default narrative word for word: a near-duplicate pair, rightly)
    assert.ok(!(await kindsOf(short)).includes('thin'))
  })

  it('uses the establishment’s set length', async () => {
    const db = world.services.db.db
    const est = world.est.LEI!
    await db
      .insertInto('qa_settings')
      .values({
        establishment_id: est,
        sample_per_officer: 2,
        review_due_days: 14,
        thin_entry_chars: 90,
        supervision_weeks: 6,
        updated_at: new Date().toISOString(),
        updated_by: 'test',
      })
      .execute()
    const o = await officer('LEI', 'Setter')
    const id = await recordSession(world.services.sessions, o.actor, est, prisonNumbers.LEI[0]!, {})
    assert.deepEqual(await kindsOf(id), [])
    await db.deleteFrom('qa_settings').where('establishment_id', '=', est).execute()
  })
})

describe('impossible timing, on submit', () => {
  it('flags two sessions of one officer that overlap (10:00-10:45 and 10:30-11:15), not touching ones', async () => {
    const o = await officer('MDI', 'Overlap')
    const est = o.actor.establishmentId
    const date = addDays(today, -1)
    const base = { ...story('him'), ...on(date) }
    const a = await recordSession(world.services.sessions, o.actor, est, prisonNumbers.MDI[0]!, { ...base })
    const b = await recordSession(world.services.sessions, o.actor, est, prisonNumbers.MDI[1]!, {
      ...base,
      ...story('him', 2),
      startsAt: '10:30',
    })
    const c = await recordSession(world.services.sessions, o.actor, est, prisonNumbers.MDI[2]!, {
      ...base,
      prisonerWords: `${base.prisonerWords} Also a third different paragraph about his gym time and his back pain.`,
      agreed:
        'Different words again: he will book the gym induction and see the nurse about his back on Monday morning.',
      startsAt: '11:15',
    })
    const overlaps = (await flagsOf(b)).filter(f => f.kind === 'overlap')
    assert.deepEqual(
      overlaps.map(f => f.flag_key),
      [`overlap:${a}:${b}`],
    )
    assert.deepEqual(
      (await flagsOf(c)).filter(f => f.kind === 'overlap'),
      [],
    )
  })

  it('flags more delivered minutes in a day than key work time plus 30 (60 + 30 = 90: 90 passes, 105 does not)', async () => {
    const o = await officer('MDI', 'Overtime')
    const est = o.actor.establishmentId
    const slot = await world.services.planning.addSlot(o.actor, est, o.staffId, {
      weekday: weekdayOf(today),
      onDate: null,
      startsAt: '14:00',
      endsAt: '15:00',
      validFrom: today,
      validTo: null,
    })
    assert.ok(slot.ok, JSON.stringify(slot))
    const rec = (n: number, startsAt: string, duration: string, which: 1 | 2) =>
      recordSession(world.services.sessions, o.actor, est, prisonNumbers.MDI[n]!, {
        ...story(PEOPLE[n]![0], which),
        ...on(today),
        startsAt,
        duration,
      })
    const a = await rec(3, '09:00', '45', 1)
    const b = await rec(4, '10:00', '45', 2)
    assert.ok(!(await kindsOf(b)).includes('over_time'))
    const c = await rec(5, '11:00', '15', 1)
    const [f] = (await flagsOf(c)).filter(x => x.kind === 'over_time')
    assert.ok(f)
    assert.equal(f.flag_key, `over_time:staff:${o.staffId}:${today}`)
    assert.deepEqual(JSON.parse(f.evidence), {
      date: today,
      minutes: 105,
      keyWorkMinutes: 60,
      limit: 90,
      sessions: [a, b, c],
    })
  })

  it('flags a session dated after the prisoner’s transfer out and before his return, not one before it', async () => {
    const s = world.services
    const o = await officer('MDI', 'Custody')
    const est = o.actor.establishmentId
    const prisonerId = prisonerIds.MDI[7]!
    // his custody here: received 10 January 2025, transferred out 1 May, back 1 July
    await s.db.db
      .insertInto('custody_events')
      .values(
        (
          [
            ['transfer_out', '2025-05-01'],
            ['transfer_in', '2025-07-01'],
          ] as const
        ).map(([kind, date]) => ({
          prison_number: prisonNumbers.MDI[7]!,
          kind,
          establishment_id: est,
          prisoner_id: prisonerId,
          from_establishment_id: null,
          date,
          recorded_at: new Date().toISOString(),
          user_id: null,
          username: 'test',
          unit_id: null,
          complexity: null,
        })),
      )
      .execute()
    const away = await recordSession(s.sessions, o.actor, est, prisonNumbers.MDI[7]!, {
      ...story('Liam'),
      ...on('2025-06-01'),
    })
    const here = await recordSession(s.sessions, o.actor, est, prisonNumbers.MDI[7]!, {
      ...story('Liam', 2),
      ...on('2025-04-01'),
    })
    const [f] = (await flagsOf(away)).filter(x => x.kind === 'out_of_custody')
    assert.deepEqual(JSON.parse(f!.evidence), { date: '2025-06-01', reason: 'transferred', on: '2025-05-01' })
    assert.ok(!(await kindsOf(here)).includes('out_of_custody'))
  })

  it('flags a session dated while the officer is marked on annual leave, not one before it was recorded', async () => {
    const s = world.services
    const o = await officer('LEI', 'Holiday')
    const est = o.actor.establishmentId
    const before = await recordSession(s.sessions, o.actor, est, prisonNumbers.LEI[1]!, {
      ...story('Marcus'),
      ...on(addDays(today, -3)),
    })
    const r = await s.staff.update({ ...SYSTEM_ACTOR, establishmentId: est }, est, o.staffId, {
      ...staffRecordSchema.parse({
        staffNumber: o.staffNumber,
        firstName: 'Alex',
        lastName: 'Holiday',
        grade: 'Band 3',
        workingPattern: 'full_time',
        languages: 'English',
        status: 'annual_leave',
        statusReturnDate: addDays(today, 7),
      }),
    })
    assert.ok(r.ok, JSON.stringify(r))
    const during = await recordSession(s.sessions, o.actor, est, prisonNumbers.LEI[2]!, {
      ...story('Tyler', 2),
      ...on(today),
    })
    const [f] = (await flagsOf(during)).filter(x => x.kind === 'officer_away')
    assert.deepEqual(JSON.parse(f!.evidence), {
      date: today,
      status: 'annual_leave',
      from: today,
      to: addDays(today, 7),
    })
    assert.ok(!(await kindsOf(before)).includes('officer_away'))
  })

  it('flags 5 entries for sessions 10 or more days back submitted together, not 4', async () => {
    const s = world.services
    const o = await officer('LEI', 'Burst')
    const est = o.actor.establishmentId
    const ids: number[] = []
    for (let i = 0; i < 5; i++) {
      ids.push(
        await recordSession(s.sessions, o.actor, est, prisonNumbers.LEI[3 + i]!, {
          ...story(PEOPLE[3 + i]![0], i % 2 ? 1 : 2),
          prisonerWords: `Entry ${'abcdefghij'[i]} ${'klmnopqrst'[i]}: ${story('him', i % 2 ? 1 : 2).prisonerWords} ${['He mentioned his brother.', 'He asked about visits.', 'He wants a job in the gardens.', 'He is sleeping badly.', 'He has a new cellmate.'][i]}`,
          ...on(addDays(today, -10 - i)),
        }),
      )
      const bursts = (await flagsOf(ids[0]!)).filter(f => f.kind === 'burst')
      assert.equal(bursts.length, i < 4 ? 0 : 1, `after ${i + 1} entries`)
    }
    const [f] = (await flagsOf(ids[0]!)).filter(x => x.kind === 'burst')
    assert.equal(f!.flag_key, `burst:${ids[0]}`)
    assert.deepEqual(JSON.parse(f!.evidence).sessions, ids)
  })
})

describe('the full scan', () => {
  it('finds copied entries written without the hook, raises nothing twice, and rebuilds the bands', async () => {
    const s = world.services
    const db = s.db.db
    const est = world.est.LEI!
    const before = await s.integrity.scan(est, { ...SYSTEM_ACTOR, establishmentId: est })
    const seed = (i: number, text: { prisonerWords: string; agreed: string }, date: string) =>
      insertSession(db, {
        establishmentId: est,
        prisonerId: prisonerIds.LEI[i]!,
        staffId: null,
        author: 'someone.lei',
        sessionDate: date,
        startsAt: `${String(8 + i).padStart(2, '0')}:00`,
        ...text,
      })
    const a = await seed(0, story('Dean', 4), '2025-03-03')
    const b = await seed(1, story('Marcus', 4), '2025-03-04')
    const c = await seed(2, story('Tyler', 5), '2025-03-05')
    // two more copies of a's text, one dated a month before it (the scan reads a month at a time: the first entry
    // of a text is still the one with the smallest id, a)
    const d = await seed(3, story('Piotr', 4), '2025-02-03')
    const e = await seed(4, story('Connor', 4), '2025-04-03')
    // the same short phrase twice: too short to compare (thin, not near-duplicates)
    const short = { prisonerWords: 'All fine, nothing new to report today.', agreed: '' }
    const f1 = await seed(5, short, '2025-03-10')
    const f2 = await seed(6, short, '2025-03-11')
    const r = await s.integrity.scan(est, { ...SYSTEM_ACTOR, establishmentId: est })
    // each copy against the first entry of the text: 3 flags, not one per pair of the 4 copies (6)
    assert.equal(r.byKind.near_duplicate, 3)
    const nearKeys = async (id: number) =>
      (await flagsOf(id))
        .filter(x => x.kind === 'near_duplicate')
        .map(x => x.flag_key)
        .sort()
    assert.deepEqual(await nearKeys(a), [
      `near_duplicate:${a}:${b}`,
      `near_duplicate:${a}:${d}`,
      `near_duplicate:${a}:${e}`,
    ])
    assert.deepEqual(await nearKeys(c), [])
    // (all seven, dated in 2025 and written now by one author, are also a burst of late entries)
    for (const id of [f1, f2]) {
      const kinds = await kindsOf(id)
      assert.ok(kinds.includes('thin') && !kinds.includes('near_duplicate'), kinds.join())
    }
    const again = await s.integrity.scan(est, { ...SYSTEM_ACTOR, establishmentId: est })
    assert.equal(again.raised, 0)
    assert.equal(again.entries, before.entries + 5)
    assert.equal(again.distinct, before.distinct + 2)
    const bands = await db
      .selectFrom('integrity_bands')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('establishment_id', '=', est)
      .executeTakeFirstOrThrow()
    assert.equal(Number(bands.n), again.entries * 16)

    // the index rebuilt: a wrong hash put right, a deleted entry's bands removed, nothing raised
    const bandOf = (id: number) =>
      db
        .selectFrom('integrity_bands')
        .select('hash')
        .where('session_id', '=', id)
        .where('band', '=', 3)
        .executeTakeFirst()
    const right = (await bandOf(c))!.hash
    await db
      .updateTable('integrity_bands')
      .set({ hash: right + 1 })
      .where('session_id', '=', c)
      .where('band', '=', 3)
      .execute()
    await db.updateTable('key_work_sessions').set({ status: 'deleted' }).where('id', '=', e).execute()
    const third = await s.integrity.scan(est, { ...SYSTEM_ACTOR, establishmentId: est })
    assert.equal(third.raised, 0)
    assert.equal(third.entries, again.entries - 1)
    assert.equal((await bandOf(c))!.hash, right)
    assert.equal(await bandOf(e), undefined)
  })
})

describe('flagged sessions for the QA sample', () => {
  it('gives the sessions flags are about in the date range, leaving out flags resolved with no concern', async () => {
    const s = world.services
    const est = world.est.MDI!
    const [flag] = await s.db.db
      .selectFrom('integrity_flags')
      .selectAll()
      .where('establishment_id', '=', est)
      .where('kind', '=', 'out_of_custody')
      .execute()
    const ids = await s.integrity.flaggedSessionIds(est, '2025-06-01', '2025-06-01')
    assert.deepEqual([...ids], [flag!.session_id])
    assert.deepEqual([...(await s.integrity.flaggedSessionIds(est, '2025-06-02', '2025-06-30'))], [])
    const so = await createUser(s, 'resolver.mdi', [{ role: 'SUPERVISING_OFFICER', establishmentId: est }])
    const actor = { userId: so, username: 'resolver.mdi', establishmentId: est }
    const r = await s.integrity.resolve(actor, est, flag!.id, {
      outcome: 'no_concern',
      note: 'The date was typed wrong; he was here on 1 April.',
    })
    assert.ok(r !== 'not-found' && r.ok)
    // the entry has other flags still open (its narrative is story 1, like other entries): still flagged
    const others = (await flagsOf(flag!.session_id)).filter(f => f.status === 'open')
    assert.ok(others.length > 0)
    assert.deepEqual([...(await s.integrity.flaggedSessionIds(est, '2025-06-01', '2025-06-01'))], [flag!.session_id])
    // one resolved with advice keeps it; once the rest are resolved with no concern it is left out
    const [advised, ...rest] = others
    const r2 = await s.integrity.resolve(actor, est, advised!.id, { outcome: 'advice_given', note: 'Talked to him.' })
    assert.ok(r2 !== 'not-found' && r2.ok)
    for (const f of rest) await s.integrity.resolve(actor, est, f.id, { outcome: 'no_concern', note: 'Fine.' })
    assert.deepEqual([...(await s.integrity.flaggedSessionIds(est, '2025-06-01', '2025-06-01'))], [flag!.session_id])
    await s.db.db.updateTable('integrity_flags').set({ outcome: 'no_concern' }).where('id', '=', advised!.id).execute()
    assert.deepEqual([...(await s.integrity.flaggedSessionIds(est, '2025-06-01', '2025-06-01'))], [])
  })
})

describe('the flags pages', () => {
  let nearId = 0
  before(async () => {
    const [f] = await world.services.db.db
      .selectFrom('integrity_flags')
      .select('id')
      .where('establishment_id', '=', world.est.MDI!)
      .where('kind', '=', 'near_duplicate')
      .orderBy('id')
      .execute()
    nearId = f!.id
  })
  const flagRow = () =>
    world.services.db.db.selectFrom('integrity_flags').selectAll().where('id', '=', nearId).executeTakeFirstOrThrow()

  it('lists the flags with why each was raised, in words', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.get('/quality/flags')
    assert.equal(res.status, 200)
    assert.match(res.text, /Near-duplicate narrative/)
    assert.match(res.text, /100% the same once names, prison numbers, dates and the form’s own words are taken out/)
    assert.match(res.text, /never a finding or a sanction/)
    assert.doesNotMatch(res.text, />\s*(near_duplicate|out_of_custody|no_concern|undefined|null)\s*</)
    const filtered = await so.get('/quality/flags?kind=thin&status=open')
    assert.equal(filtered.status, 200)
    assert.doesNotMatch(filtered.text, /Near-duplicate narrative<\/a>/)
    assert.match(filtered.text, /Thin entry<\/a>/)
  })

  it('shows a near-duplicate’s two entries side by side with the shared passages marked', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.get(`/quality/flags/${nearId}`)
    assert.equal(res.status, 200)
    assert.match(res.text, /<mark>/)
    assert.match(res.text, /Dean Walsh/)
    assert.match(res.text, /Marcus Reid/)
    assert.match(res.text, /Resolve this flag/)
  })

  it('lets the admin read but not resolve, and refuses Key Workers and other establishments', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const page = await admin.get(`/quality/flags/${nearId}`)
    assert.equal(page.status, 200)
    assert.doesNotMatch(page.text, /Resolve this flag/)
    const csrf = await admin.csrf('/quality/flags')
    const post = await admin.agent
      .post(`/quality/flags/${nearId}`)
      .type('form')
      .send({ _csrf: csrf, outcome: 'no_concern', note: 'x' })
    assert.equal(post.status, 403)
    assert.equal((await (await signedIn(world, 'key_worker.mdi')).get('/quality/flags')).status, 403)
    const lei = await signedIn(world, 'supervising_officer.lei')
    assert.equal((await lei.get(`/quality/flags/${nearId}`)).status, 404)
    const leiPost = await lei.post(`/quality/flags/${nearId}`, { outcome: 'no_concern', note: 'x' }, '/quality/flags')
    assert.equal(leiPost.status, 404)
    assert.equal((await flagRow()).status, 'open')
  })

  it('will not close a flag without an outcome and a note: every problem listed, nothing saved', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const path = `/quality/flags/${nearId}`
    const res = await so.post(path, { outcome: '', note: '  ' })
    assert.equal(res.status, 303)
    const page = await so.get(path)
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /Select the outcome of your look at this flag/)
    assert.match(page.text, /Enter a note of what you found and did/)
    const bad = await so.post(path, { outcome: 'sanction', note: 'Told him off' })
    assert.equal(bad.status, 303)
    assert.match((await so.get(path)).text, /Select the outcome of your look at this flag/)
    const row = await flagRow()
    assert.equal(row.status, 'open')
    assert.equal(row.outcome, null)
    assert.equal(row.note, null)
  })

  it('resolves with an outcome and a note, audited; a second resolution is refused', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const path = `/quality/flags/${nearId}`
    const res = await so.post(path, { outcome: 'advice_given', note: 'Talked it through: he copied his last entry.' })
    assert.equal(res.status, 303)
    const row = await flagRow()
    assert.equal(row.status, 'resolved')
    assert.equal(row.outcome, 'advice_given')
    assert.equal(row.note, 'Talked it through: he copied his last entry.')
    assert.equal(row.resolved_by, 'supervising_officer.mdi')
    const page = await so.get(path)
    assert.match(page.text, /Advice given/)
    assert.doesNotMatch(page.text, /Resolve this flag/)
    const events = await world.services.audit.forEntity('integrity_flag', String(nearId))
    assert.deepEqual(
      events.map(e => e.action).filter(a => a !== 'view' && a !== 'refused'),
      ['resolve', 'raise'],
    )
    const r = await world.services.integrity.resolve(
      { userId: null, username: 'x', establishmentId: world.est.MDI! },
      world.est.MDI!,
      nearId,
      { outcome: 'no_concern', note: 'again' },
    )
    assert.ok(r !== 'not-found' && !r.ok)
    assert.equal((await flagRow()).outcome, 'advice_given')
  })

  it('checks every entry again on the Supervising Officer’s request', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.post('/quality/flags/scan', {}, '/quality/flags')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/quality/flags')
    assert.match((await so.get('/quality/flags')).text, /Every submitted entry was checked: no new flags/)
  })
})
