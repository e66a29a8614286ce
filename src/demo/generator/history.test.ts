import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addDays } from '../../domain/dates'
import { type HistoryInput, deliveryChance, generateHistory } from './history'
import { Random } from '../../domain/random'

const TODAY = '2026-11-27'

function input(seed = 1, stream = 1): HistoryInput {
  const rng = new Random(99)
  const prisoners = Array.from({ length: 300 }, (_, i) => ({
    id: i + 1,
    firstName: `Name${i}`,
    receptionDate: addDays(TODAY, -rng.int(30, 900)),
    unitId: 1 + (i % 4),
    interpreterNeeded: i % 10 === 0,
    firstLanguage: i % 10 === 0 ? 'pl' : 'en',
  }))
  return {
    seed,
    stream,
    today: TODAY,
    frequencyWeeks: 1,
    sessionMinutes: 45,
    prisoners,
    allocations: prisoners.map(p => ({
      id: p.id,
      prisonerId: p.id,
      staffId: 100 + (p.id % 20),
      allocatedAt: `${TODAY}T09:00:00.000Z`,
    })),
    services: [
      { id: 'svc-1', name: 'Housing advice' },
      { id: 'svc-2', name: 'Jobcentre' },
    ],
  }
}

describe('demo history', () => {
  const h = generateHistory(input())

  it('is the same for the same seed, and different for another', () => {
    assert.deepEqual(generateHistory(input()), h)
    assert.notDeepEqual(generateHistory(input(2)).sessions.slice(0, 20), h.sessions.slice(0, 20))
  })

  it('covers a year, never the future, never before reception or allocation', () => {
    const prisoners = new Map(input().prisoners.map(p => [p.id, p]))
    for (const s of h.sessions) {
      assert.ok(s.date <= TODAY && s.date >= addDays(TODAY, -366), s.date)
      assert.ok(s.date >= prisoners.get(s.prisonerId)!.receptionDate)
      assert.ok(s.date >= h.allocatedAt.get(s.prisonerId)!.slice(0, 10))
    }
    for (const [id, at] of h.allocatedAt) assert.ok(at.slice(0, 10) >= prisoners.get(id)!.receptionDate)
  })

  it('delivers 20-70% of the sessions due, varying by houseblock', () => {
    for (const r of h.rates.values()) assert.ok(r >= 0.2 && r <= 0.7, String(r))
    const delivered = h.sessions.filter(s => s.outcome === 'delivered')
    assert.ok(delivered.length > 1000)
    const notDelivered = h.sessions.filter(s => s.outcome === 'not_delivered')
    assert.ok(notDelivered.every(s => s.reason !== null))
    assert.ok(new Set(notDelivered.map(s => s.reason)).size >= 6)
  })

  it('entries vary in quality: a third to a half good, some thin, a few copied word for word', () => {
    const delivered = h.sessions.filter(s => s.outcome === 'delivered')
    const share = (q: string) => delivered.filter(s => s.quality === q).length / delivered.length
    assert.ok(share('good') >= 0.3 && share('good') <= 0.52, String(share('good')))
    assert.ok(share('thin') > 0.1)
    assert.ok(share('copied') > 0 && share('copied') < 0.06)
    const copied = delivered.find(s => s.quality === 'copied')!
    assert.ok(
      delivered.some(
        s => s !== copied && s.prisonerId !== copied.prisonerId && s.prisonerWords === copied.prisonerWords,
      ),
    )
    assert.ok(delivered.some(s => /^Spoke to Name\d+, all fine\. \S/.test(s.prisonerWords ?? '')))
    // thin entries are short, the others long enough to say something; good ones quote the prisoner
    const length = (s: (typeof delivered)[number]) => `${s.prisonerWords ?? ''} ${s.agreed ?? ''}`.length
    assert.ok(delivered.filter(s => s.quality === 'thin').every(s => length(s) < 80))
    assert.ok(delivered.filter(s => s.quality === 'fair').every(s => length(s) >= 150))
    assert.ok(
      delivered.filter(s => s.quality === 'good').every(s => length(s) >= 300 && s.prisonerWords!.includes('“')),
    )
  })

  it('words entries differently: two entries say the same only when one is copied', () => {
    const delivered = h.sessions.filter(s => s.outcome === 'delivered' && s.quality !== 'thin')
    const texts = new Map<string, number>()
    for (const s of delivered) {
      const t = `${s.prisonerWords} ${s.agreed}`.replace(/Name\d+/g, 'X')
      texts.set(t, (texts.get(t) ?? 0) + 1)
    }
    const repeated = [...texts.values()].filter(n => n > 1).reduce((a, n) => a + n, 0)
    const copied = delivered.filter(s => s.quality === 'copied').length
    assert.ok(repeated <= 3 * copied + 10, `${repeated} repeated, ${copied} copied`)
  })

  it('never has one officer in two sessions at once', () => {
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))
    const byDay = new Map<string, (typeof h.sessions)[number][]>()
    for (const s of h.sessions.filter(x => x.outcome === 'delivered'))
      byDay.set(`${s.staffId}|${s.date}`, [...(byDay.get(`${s.staffId}|${s.date}`) ?? []), s])
    assert.ok([...byDay.values()].some(l => l.length > 2))
    for (const list of byDay.values()) {
      list.sort((a, b) => a.startsAt.localeCompare(b.startsAt))
      for (let i = 1; i < list.length; i++)
        assert.ok(
          minutes(list[i]!.startsAt) >= minutes(list[i - 1]!.startsAt) + list[i - 1]!.durationMinutes!,
          `${list[i - 1]!.startsAt}+${list[i - 1]!.durationMinutes} then ${list[i]!.startsAt}`,
        )
    }
  })

  it('interpreters are often missing for those who need one', () => {
    const needed = h.sessions.filter(s => s.outcome === 'delivered' && s.interpreterNeeded === 1)
    assert.ok(needed.length > 20)
    const used = needed.filter(s => s.interpreterUsed === 1).length / needed.length
    assert.ok(used > 0.15 && used < 0.6, String(used))
    assert.ok(needed.filter(s => s.interpreterUsed === 0).every(s => s.interpreterWhyNot))
  })

  it('sets goals (some achieved) and refers to directory services and stakeholders', () => {
    assert.ok(h.goals.length > 100)
    assert.ok(h.goals.some(g => g.status === 'achieved'))
    assert.ok(h.referrals.some(r => r.serviceId === 'svc-1'))
    assert.ok(h.referrals.some(r => r.stakeholder !== null))
    const keys = new Set(h.sessions.map(s => s.key))
    assert.ok([...h.goals, ...h.referrals].every(x => keys.has(x.sessionKey)))
    assert.equal(keys.size, h.sessions.length)
  })

  it('rule: an intervention’s planted effect raises the chance of delivery from its date, capped at 0.95', () => {
    const uplift = { from: '2026-06-01', delivered: 0.15 }
    assert.equal(deliveryChance(0.4, '2026-05-31', uplift), 0.4)
    assert.equal(deliveryChance(0.4, '2026-06-01', uplift), 0.4 + 0.15)
    assert.equal(deliveryChance(0.9, '2026-07-01', uplift), 0.95)
    assert.equal(deliveryChance(0.4, '2026-07-01'), 0.4)
  })

  it('the planted effect is there: more sessions delivered after the adoption date, the same before', () => {
    const from = '2026-06-01'
    const planted = generateHistory({ ...input(), uplift: { from, delivered: 0.15 } })
    const count = (x: typeof h, after: boolean) =>
      x.sessions.filter(s => s.outcome === 'delivered' && s.date >= from === after).length
    // before the date the draws are the same until the first session due after it: within a few per cent
    assert.ok(Math.abs(count(planted, false) / count(h, false) - 1) < 0.05)
    // after it, the delivery rate rises by 0.15 on houseblock rates of 0.2-0.7: at least a fifth more sessions
    const rise = count(planted, true) / count(h, true) - 1
    assert.ok(rise > 0.2 && rise < 0.8, String(rise))
    // an uplift that starts after today changes nothing at all
    assert.deepEqual(generateHistory({ ...input(), uplift: { from: '2027-01-01', delivered: 0.15 } }), h)
  })
})
