import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addDays, daysBetween } from '../../domain/dates'
import { LIBRARY_ENTRIES, type QualityEntry, type QualityInput, entryLevel, generateQuality } from './quality'

const TODAY = '2026-11-20'
const CRITERIA = [
  'voice',
  'needs',
  'goal',
  'signposting',
  'risk',
  'strengths',
  'interpreter',
  'follow-up',
  'language',
].map((code, i) => ({ id: 100 + i, code }))
const NAMES = ['Adam', 'Bilal', 'Callum', 'Dariusz', 'Ewan', 'Femi']
const GOOD = (name: string) => ({
  words: `${name} said: “I’ve got nowhere to go when I get out. My mum’s place is too small now my sister’s back.”`,
  agreed: `I will ask the resettlement team to book a housing appointment this week. ${name} will fill in the housing form by Friday.`,
})
const FAIR = {
  words: 'Talked about his sentence plan and how things are on the wing.',
  agreed: 'Keep going with education.',
}
const THIN = (name: string) => ({ words: `Spoke to ${name}, all fine.`, agreed: null })

/** 6 officers (staff 1-6; officer 1 signs in as user 50), 3 SOs (SO 9 is also staff 6), an entry every 5 days each. */
function input(seed = 1, overrides: Partial<QualityInput> = {}): QualityInput {
  const entries: QualityEntry[] = []
  let id = 1
  for (let staffId = 1; staffId <= 6; staffId++)
    for (let d = 360; d >= 1; d -= 5) {
      const kind = (id + staffId) % 3
      const name = NAMES[id % NAMES.length]!
      const text = kind === 0 ? GOOD(name) : kind === 1 ? FAIR : THIN(name)
      entries.push({
        id,
        staffId,
        prisonerId: 1000 + (id % 40),
        prisonerName: name,
        date: addDays(TODAY, -d),
        startsAt: d % 2 ? '10:00' : '14:00',
        durationMinutes: 45,
        pathways: 'accommodation',
        concern: id % 7 === 0 ? 1 : 0,
        interpreterNeeded: id % 5 === 0 ? 1 : 0,
        interpreterUsed: id % 10 === 0 ? 1 : 0,
        ...text,
        authorUserId: null,
      })
      id++
    }
  return {
    seed,
    stream: 1,
    today: TODAY,
    officers: [1, 2, 3, 4, 5, 6].map(staffId => ({
      staffId,
      userId: staffId === 1 ? 50 : null,
      name: `Officer ${staffId}`,
    })),
    supervisors: [
      { userId: 7, name: 'SO Seven', staffId: null },
      { userId: 8, name: 'SO Eight', staffId: null },
      { userId: 9, name: 'SO Nine', staffId: 6 },
    ],
    entries,
    criteria: CRITERIA,
    publish: 2,
    calibrate: true,
    ...overrides,
  }
}

describe('demo quality year', () => {
  const i = input()
  const plan = generateQuality(i)
  const entries = new Map(i.entries.map(e => [e.id, e]))

  it('is the same for the same seed, and different for another', () => {
    assert.deepEqual(generateQuality(input()), plan)
    assert.notDeepEqual(generateQuality(input(2)).samples, plan.samples)
  })

  it('samples two entries per officer for each finished month, drawn on the 1st of the next month', () => {
    // an entry every 5 days: 6 to 7 an officer a month, so every officer-month gives exactly 2
    const months = new Set(i.entries.map(e => e.date.slice(0, 7)).filter(m => m < '2026-11'))
    assert.equal(months.size, 12) // 2025-11 (from the 25th) to 2026-10
    assert.equal(plan.samples.length, 6 * 12 * 2)
    assert.equal(new Set(plan.samples.map(s => s.sessionId)).size, plan.samples.length)
    for (const s of plan.samples) {
      const e = entries.get(s.sessionId)!
      assert.equal(s.staffId, e.staffId)
      assert.equal(s.month, e.date.slice(0, 7))
      assert.equal(daysBetween(s.sampledAt.slice(0, 10), s.dueOn), 14)
      assert.equal(s.sampledAt.slice(8, 10), '01')
    }
    const october = plan.samples.find(s => s.month === '2026-10')!
    assert.equal(october.sampledAt.slice(0, 10), '2026-11-01')
    assert.equal(october.dueOn, '2026-11-15')
  })

  it('reviews most samples; the ones still due are recent or a few left overdue', () => {
    const reviewed = plan.samples.filter(s => s.status === 'reviewed')
    const due = plan.samples.filter(s => s.status === 'due')
    assert.ok(reviewed.length / plan.samples.length > 0.85, String(reviewed.length))
    // early in the month most of last month's sample is still to review
    const early = generateQuality(input(1, { today: '2026-11-05' }))
    const october = early.samples.filter(s => s.month === '2026-10')
    assert.equal(october.length, 12)
    assert.ok(october.filter(s => s.status === 'due').length >= 8)
    assert.ok(early.samples.every(s => s.month < '2026-11'))
    assert.ok(due.filter(s => s.month < '2026-09').length <= 0.06 * plan.samples.length)
    const sampleReviews = plan.reviews.filter(r => r.kind === 'sample')
    assert.deepEqual(sampleReviews.map(r => r.sessionId).sort(), reviewed.map(s => s.sessionId).sort())
    for (const r of sampleReviews) {
      const s = plan.samples.find(x => x.sessionId === r.sessionId)!
      assert.ok(r.submittedAt.slice(0, 10) > s.sampledAt.slice(0, 10) && r.submittedAt.slice(0, 10) < TODAY)
    }
  })

  it('never has an SO review their own entries, and scores every criterion 1-4 or not applicable', () => {
    for (const r of plan.reviews) {
      const e = entries.get(r.sessionId)!
      const so = i.supervisors.find(s => s.userId === r.reviewerUserId)!
      assert.notEqual(so.staffId, e.staffId)
      assert.deepEqual(
        r.scores.map(s => s.criterionId),
        CRITERIA.map(c => c.id),
      )
      assert.ok(r.scores.every(s => s.score === null || [1, 2, 3, 4].includes(s.score)))
      assert.ok([1, 2, 3, 4].includes(r.overall))
      assert.ok(r.good.length > 10 && r.change.length > 10)
      // not applicable: no interpreter needed, no concern
      const interpreter = r.scores.find(s => s.criterionId === 106)!
      assert.equal(interpreter.score === null, !e.interpreterNeeded)
      assert.equal(r.scores.find(s => s.criterionId === 104)!.score === null, !e.concern)
    }
  })

  it('scores realistically: mostly 2-3, some 4, a few 1; thin entries low and good ones high', () => {
    const reviews = plan.reviews.filter(r => r.kind === 'sample')
    const share = (n: number) => reviews.filter(r => r.overall === n).length / reviews.length
    assert.ok(share(2) + share(3) > 0.6, `2-3: ${share(2) + share(3)}`)
    assert.ok(share(4) > 0.03 && share(4) < 0.3, `4: ${share(4)}`)
    assert.ok(share(1) > 0 && share(1) < 0.25, `1: ${share(1)}`)
    const mean = (level: number) => {
      const rs = reviews.filter(r => entryLevel(entries.get(r.sessionId)!) === level)
      return rs.reduce((n, r) => n + r.overall, 0) / rs.length
    }
    assert.ok(mean(1.8) < 2.2 && mean(3.25) > 2.8, `${mean(1.8)} ${mean(3.25)}`)
    // feedback varies
    assert.ok(new Set(reviews.map(r => r.good)).size >= 8)
    assert.ok(new Set(reviews.map(r => r.change)).size >= 8)
  })

  it('only the officer who signs in reads, acknowledges and replies to reviews', () => {
    const sample = plan.reviews.filter(r => r.kind === 'sample')
    for (const r of sample) {
      if (entries.get(r.sessionId)!.staffId !== 1) {
        assert.equal(r.officerUserId, null)
        assert.deepEqual([r.readAt, r.acknowledgedAt, r.reply], [null, null, null])
      } else assert.equal(r.officerUserId, 50)
    }
    const mine = sample.filter(r => r.officerUserId === 50)
    assert.ok(mine.filter(r => r.readAt).length > mine.length / 2)
    assert.ok(mine.some(r => r.acknowledgedAt) && mine.some(r => r.reply))
    assert.ok(mine.every(r => !r.readAt || r.readAt >= r.submittedAt.slice(0, 10)))
  })

  it('commends some of the best entries and a few officers; nominates some and publishes two', () => {
    const entryCommendations = plan.commendations.filter(c => c.sessionId !== null)
    assert.ok(entryCommendations.length > 0)
    for (const c of entryCommendations) {
      const r = plan.reviews.find(x => x.sessionId === c.sessionId && x.kind === 'sample')!
      assert.equal(r.overall, 4)
      assert.equal(c.byUserId, r.reviewerUserId)
    }
    assert.ok(plan.commendations.some(c => c.sessionId === null))
    assert.equal(plan.nominations.length, 4)
    const published = plan.nominations.filter(n => n.status === 'published')
    assert.equal(published.length, 2)
    assert.deepEqual(
      published.map(n => n.title),
      LIBRARY_ENTRIES.slice(0, 2).map(l => l.title),
    )
    assert.equal(plan.nominations.filter(n => n.status === 'declined').length, 1)
    // another establishment's nominations take the library entries after the first's
    const second = generateQuality(input(1, { publish: 1, libraryFrom: 2 }))
    assert.deepEqual(
      second.nominations.filter(n => n.status === 'published').map(n => n.title),
      [LIBRARY_ENTRIES[2]!.title],
    )
    for (const n of plan.nominations) assert.equal(plan.reviews.find(r => r.sessionId === n.sessionId)!.overall, 4)
  })

  it('the library texts name nobody, and no prison number, date or place', () => {
    for (const l of LIBRARY_ENTRIES) {
      assert.doesNotMatch(l.text, /\b[A-Z]\d{4}[A-Z]{2}\b/)
      assert.doesNotMatch(
        l.text,
        /\d{1,2}[/ ](January|February|March|April|May|June|July|August|September|October|November|December|\d)/,
      )
      assert.doesNotMatch(l.text, /\bHMP\b|Leeds|Moorland/)
      for (const n of NAMES) assert.doesNotMatch(l.text, new RegExp(`\\b${n}\\b`))
      assert.match(l.text, /\[Name\]/)
    }
  })

  it('holds supervision about every six weeks; a few officers are overdue', () => {
    for (const o of i.officers) {
      const held = plan.supervisions
        .filter(s => s.staffId === o.staffId)
        .sort((a, b) => a.heldOn.localeCompare(b.heldOn))
      assert.ok(held.length >= 4, `officer ${o.staffId}: ${held.length}`)
      for (let k = 1; k < held.length; k++) {
        const gap = daysBetween(held[k - 1]!.heldOn, held[k]!.heldOn)
        assert.ok(gap >= 35 && gap <= 49, String(gap))
      }
      assert.ok(held.every(s => s.heldOn <= TODAY && daysBetween(s.heldOn, s.nextDueOn) === 42))
      // SO Nine (staff 6) never supervises themselves
      assert.ok(held.every(s => !(o.staffId === 6 && s.supervisorUserId === 9)))
    }
    // over many establishments about one officer in ten falls behind
    let officers = 0
    let overdue = 0
    for (let seed = 1; seed <= 30; seed++) {
      const p = generateQuality(input(seed, { calibrate: false }))
      for (const o of i.officers) {
        const last = p.supervisions.filter(s => s.staffId === o.staffId).at(-1)!
        officers++
        if (last.nextDueOn < TODAY) overdue++
      }
    }
    assert.ok(overdue / officers > 0.03 && overdue / officers < 0.2, `${overdue}/${officers}`)
  })

  it('has one closed calibration: three markers, ten entries, each marked by each marker, with disagreement', () => {
    const c = plan.calibration!
    assert.deepEqual(c.markers, [7, 8, 9])
    assert.equal(new Set(c.sessionIds).size, 10)
    assert.ok(c.closedAt > c.createdAt)
    assert.ok(
      c.sessionIds.every(id => entries.get(id)!.staffId !== 6),
      'no entry of a marker',
    )
    const marks = plan.reviews.filter(r => r.kind === 'calibration')
    assert.equal(marks.length, 30)
    for (const id of c.sessionIds)
      assert.deepEqual(
        marks
          .filter(r => r.sessionId === id)
          .map(r => r.reviewerUserId)
          .sort(),
        [7, 8, 9],
      )
    const disagreements = c.sessionIds.filter(
      id => new Set(marks.filter(r => r.sessionId === id).map(r => r.overall)).size > 1,
    )
    assert.ok(disagreements.length >= 2 && disagreements.length <= 9, String(disagreements.length))
    assert.equal(generateQuality(input(1, { calibrate: false })).calibration, null)
    assert.equal(generateQuality(input(1, { supervisors: i.supervisors.slice(0, 2) })).calibration, null)
  })

  it('plants three copied narratives and three overlapping sessions of one officer', () => {
    const copies = plan.planted.filter(p => p.kind === 'near_duplicate')
    const overlaps = plan.planted.filter(p => p.kind === 'overlap')
    assert.equal(copies.length, 3)
    assert.equal(overlaps.length, 3)
    for (const p of copies) {
      const source = entries.get(p.sessionId)!
      const target = entries.get(p.otherSessionId)!
      const change = plan.changes.find(c => c.sessionId === target.id)!
      assert.equal(source.staffId, target.staffId)
      assert.notEqual(source.prisonerId, target.prisonerId)
      assert.equal(change.words, source.words!.replaceAll(source.prisonerName, target.prisonerName))
      assert.ok(change.agreed!.endsWith('Will review next time.'))
    }
    for (const p of overlaps) {
      const first = entries.get(p.sessionId)!
      const second = entries.get(p.otherSessionId)!
      const change = plan.changes.find(c => c.sessionId === second.id)!
      assert.equal(first.staffId, second.staffId)
      assert.equal(change.date, first.date)
      const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))
      assert.equal(minutes(change.startsAt!) - minutes(first.startsAt), 15)
      assert.ok(first.durationMinutes! > 15)
    }
    assert.equal(new Set(plan.planted.flatMap(p => [p.sessionId, p.otherSessionId])).size, 12)
  })

  it('plans nothing without a Supervising Officer', () => {
    const p = generateQuality(input(1, { supervisors: [] }))
    assert.deepEqual([p.samples.length, p.reviews.length, p.supervisions.length], [0, 0, 0])
  })
})
