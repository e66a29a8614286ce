import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LANGUAGES } from '../../domain/languages'
import { isPrisonNumber } from '../../domain/prisoner'
import { type DemoEstablishment, DEMO_USERNAMES, demoUsers, establishmentPlan, generateDemo } from './generate'
import { PRISONS } from './prisons'
import { Random, deriveSeed } from '../../domain/random'

const TODAY = '2025-06-30'
const generate = (o: { seed?: number; establishments?: number; prisonersPer?: number } = {}) => [
  ...generateDemo({
    seed: o.seed ?? 1,
    establishments: o.establishments ?? 3,
    prisonersPer: o.prisonersPer,
    today: TODAY,
  }),
]
const inCustody = (e: DemoEstablishment) => e.prisoners.filter(p => p.status === 'in')
const share = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length / xs.length

describe('demo generator', () => {
  const demo = generate()
  const national = generate({ establishments: 120, prisonersPer: 733 })
  const leeds = demo[0]!

  it('is deterministic for a seed and differs between seeds', () => {
    assert.deepEqual(
      generate({ establishments: 2, prisonersPer: 300 }),
      generate({ establishments: 2, prisonersPer: 300 }),
    )
    const other = generate({ seed: 2, establishments: 2, prisonersPer: 300 })
    assert.notDeepEqual(other[0]!.prisoners, generate({ establishments: 2, prisonersPer: 300 })[0]!.prisoners)
    assert.deepEqual(
      Array.from({ length: 5 }, (_, i) => new Random(deriveSeed(7, i)).next()),
      Array.from({ length: 5 }, (_, i) => new Random(deriveSeed(7, i)).next()),
    )
  })

  it('starts with a Category B local of about 1,200 men in 8 houseblocks, and two smaller establishments', () => {
    assert.equal(leeds.code, 'LEI')
    assert.equal(leeds.category, 'Category B local')
    assert.equal(inCustody(leeds).length, 1200)
    assert.equal(leeds.units.length, 8)
    assert.deepEqual(
      leeds.units.map(u => u.code),
      ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'],
    )
    assert.equal(leeds.units[0]!.name, 'A wing')
    for (const e of demo.slice(1)) assert.ok(inCustody(e).length < 1200, `${e.code} is smaller`)
  })

  it('gives valid, unique prison numbers across every establishment', () => {
    const all = national.flatMap(e => e.prisoners.map(p => p.prisonNumber))
    assert.ok(all.every(isPrisonNumber), 'every number is in the format A1234BC')
    assert.equal(new Set(all).size, all.length)
    const staffNumbers = national.flatMap(e => e.staff.map(s => s.staffNumber))
    assert.equal(new Set(staffNumbers).size, staffNumbers.length)
    const emails = national.flatMap(e => e.staff.map(s => s.email))
    assert.equal(new Set(emails).size, emails.length)
  })

  it('has about 12% foreign nationals, most not speaking English, many needing an interpreter', () => {
    for (const men of [inCustody(leeds), national.flatMap(inCustody)]) {
      const foreign = men.filter(p => p.nationality !== 'British')
      const fnShare = foreign.length / men.length
      assert.ok(fnShare > 0.09 && fnShare < 0.15, `foreign nationals ${fnShare}`)
      const nonEnglish = share(foreign, p => p.firstLanguage !== 'en')
      assert.ok(nonEnglish > 0.7, `non-English first language ${nonEnglish}`)
      const interpreter = share(
        foreign.filter(p => p.firstLanguage !== 'en'),
        p => p.interpreterNeeded,
      )
      assert.ok(interpreter > 0.3 && interpreter < 0.7, `interpreter ${interpreter}`)
    }
    const foreign = national.flatMap(inCustody).filter(p => p.nationality !== 'British')
    const counts = new Map<string, number>()
    for (const p of foreign) counts.set(p.nationality, (counts.get(p.nationality) ?? 0) + 1)
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([n]) => n)
    assert.deepEqual(top.slice(0, 3), ['Albanian', 'Polish', 'Romanian'])
    for (const n of ['Irish', 'Lithuanian']) assert.ok(top.indexOf(n) < 6, `${n} among the largest groups`)
    const irish = foreign.filter(p => p.nationality === 'Irish')
    assert.ok(irish.length > 0 && irish.every(p => p.firstLanguage === 'en' && !p.interpreterNeeded))
    const everyone = national.flatMap(e => e.prisoners)
    assert.ok(
      everyone.every(p => p.firstLanguage in LANGUAGES),
      'every language code is known',
    )
    assert.ok(
      everyone.every(p => !p.interpreterNeeded || p.firstLanguage !== 'en'),
      'English speakers need none',
    )
  })

  it('has about 5% high and 25% medium complexity of need', () => {
    const men = national.flatMap(inCustody)
    const high = share(men, p => p.complexity === 'high')
    const medium = share(men, p => p.complexity === 'medium')
    assert.ok(high > 0.04 && high < 0.06, `high ${high}`)
    assert.ok(medium > 0.22 && medium < 0.28, `medium ${medium}`)
  })

  it('puts every man in custody in a unit that exists, within its capacity, in a cell of that unit', () => {
    for (const e of national) {
      const capacity = new Map(e.units.map(u => [u.code, u.capacity]))
      const occupied = new Map<string, number>()
      for (const p of inCustody(e)) {
        assert.ok(p.unitCode && capacity.has(p.unitCode), `${p.prisonNumber} is in a unit of ${e.code}`)
        assert.match(p.cell ?? '', new RegExp(`^${p.unitCode}-\\d-\\d{3}$`))
        occupied.set(p.unitCode, (occupied.get(p.unitCode) ?? 0) + 1)
      }
      for (const [code, n] of occupied) assert.ok(n <= capacity.get(code)!, `${e.code} ${code}: ${n} men`)
      const total = e.units.reduce((n, u) => n + u.capacity, 0)
      const men = inCustody(e).length
      assert.ok(total >= men && total <= Math.ceil(men * 1.1) + 1, `${e.code} capacity ${total} for ${men}`)
      // a man who has left keeps the unit he was in (the houseblock's history), not the cell
      const gone = e.prisoners.filter(p => p.status !== 'in')
      assert.ok(gone.every(p => p.unitCode !== null && capacity.has(p.unitCode) && p.cell === null))
    }
  })

  it('spreads reception dates over two years, mostly recent, with sensible birth and release dates', () => {
    const men = inCustody(leeds)
    const daysIn = men.map(p => (Date.parse(TODAY) - Date.parse(p.receptionDate)) / 86_400_000)
    assert.ok(daysIn.every(d => d >= 0 && d <= 730))
    const median = [...daysIn].sort((a, b) => a - b)[daysIn.length >> 1]!
    assert.ok(median < 90, `a local's median stay so far is weeks, not months (${median} days)`)
    assert.ok(
      daysIn.some(d => d > 365),
      'some long-stayers',
    )
    for (const p of leeds.prisoners) {
      if (p.releaseDate) assert.ok(p.releaseDate > p.receptionDate, `${p.prisonNumber} release after reception`)
      const ageAtReception = (Date.parse(p.receptionDate) - Date.parse(p.dateOfBirth)) / (365.25 * 86_400_000)
      assert.ok(ageAtReception >= 18 && ageAtReception < 90, `${p.prisonNumber} aged ${ageAtReception}`)
    }
    // turnover: those who left in the year, released or transferred, about as many as were received (about 100 a
    // week at a local of 1,200: 80–130 a week over 52 weeks), each gone before today
    const released = leeds.prisoners.filter(p => p.status === 'released')
    const transferred = leeds.prisoners.filter(p => p.status === 'transferred')
    const gone = released.length + transferred.length
    assert.ok(gone > 80 * 52 && gone < 130 * 52, `${gone} left in the year`)
    assert.ok(transferred.length > gone * 0.1 && transferred.length < gone * 0.3, `${transferred.length} transferred`)
    assert.ok(released.every(p => p.releaseDate !== null && p.releaseDate < TODAY))
  })

  it('staffs a local with about 280 officers, mostly band 3, with working patterns and absences', () => {
    const staff = leeds.staff
    // enough Key Workers for the roll at 6 each (issue 12): about one officer per four men
    assert.ok(staff.length >= 250 && staff.length <= 320, `${staff.length} staff`)
    const eligible = leeds.prisoners.filter(p => p.status === 'in' && p.complexity !== 'high').length
    const present = staff.filter(s => s.keyWorker && s.status === 'active')
    const room = present.reduce((n, s) => n + Math.max(1, Math.round((6 * s.weeklyHours) / 37)), 0)
    assert.ok(room >= eligible && room <= eligible * 1.1 + 12, `room for ${room}, ${eligible} eligible`)
    // some Band 3 officers are not Key Workers, and no other grade is
    assert.ok(staff.some(s => s.grade === 'Band 3' && !s.keyWorker))
    assert.ok(staff.every(s => !s.keyWorker || s.grade === 'Band 3'))
    assert.ok(share(staff, s => s.grade === 'Band 3') > 0.75)
    assert.ok(staff.some(s => s.grade === 'Band 4') && staff.some(s => s.grade === 'Band 5'))
    const partTime = staff.filter(s => s.workingPattern === 'part_time')
    assert.ok(partTime.length / staff.length > 0.08 && partTime.length / staff.length < 0.22)
    assert.ok(partTime.every(s => s.weeklyHours > 0 && s.weeklyHours < 37))
    assert.ok(staff.filter(s => s.workingPattern === 'full_time').every(s => s.weeklyHours === 37))
    const leave = staff.filter(s => s.status === 'annual_leave')
    assert.ok(leave.length > 0 && leave.every(s => s.statusReturnDate !== null && s.statusReturnDate > TODAY))
    assert.ok(staff.filter(s => s.status === 'long_term_absence').length >= 2)
    assert.ok(staff.filter(s => s.status === 'no_prisoner_contact').length >= 3)
    assert.ok(staff.every(s => s.startedInPost <= TODAY))
    const units = new Set(leeds.units.map(u => u.code))
    assert.ok(staff.every(s => s.homeUnitCode === null || units.has(s.homeUnitCode)))
    assert.ok(staff.filter(s => s.grade === 'Band 3').every(s => s.homeUnitCode !== null))
  })

  it('covers the national estate with real establishment codes and about 88,000 men', () => {
    assert.equal(national.length, 120)
    const codes = national.map(e => e.code)
    assert.equal(new Set(codes).size, 120)
    for (const code of ['MDI', 'LEI', 'BMI', 'WWI', 'PVI']) assert.ok(codes.includes(code), code)
    assert.deepEqual(
      codes.slice(0, PRISONS.length),
      PRISONS.map(p => p.code),
    )
    assert.ok(codes.every(c => /^[A-Z]{2}I$/.test(c)))
    const men = national.reduce((n, e) => n + inCustody(e).length, 0)
    assert.ok(Math.abs(men - 120 * 733) < 120 * 733 * 0.01, `${men} men`)
    const staff = national.reduce((n, e) => n + e.staff.length, 0)
    assert.ok(staff > 18_000 && staff < 26_000, `${staff} staff`)
    assert.ok(new Set(national.map(e => e.category)).size >= 5, 'several categories')
  })

  it('scales establishments to the average asked for', () => {
    const plan = establishmentPlan({ establishments: 2, prisonersPer: 100 })
    assert.equal(plan.length, 2)
    const total = plan.reduce((n, p) => n + p.population, 0)
    assert.ok(Math.abs(total - 200) <= 1)
    assert.ok(plan[0]!.population > plan[1]!.population, 'Leeds is the larger')
  })

  it('gives one demo user per role; the Key Worker is an active band 3 officer of the first establishment', () => {
    const users = demoUsers(demo)
    assert.deepEqual(
      users.map(u => u.username),
      [...DEMO_USERNAMES],
    )
    const kw = users.find(u => u.role === 'KEY_WORKER')!
    const officer = leeds.staff.find(s => s.staffNumber === kw.staffNumber)!
    assert.equal(officer.grade, 'Band 3')
    assert.equal(officer.status, 'active')
    assert.equal(kw.displayName, `${officer.firstName} ${officer.lastName}`)
    assert.deepEqual(users.find(u => u.role === 'ESTABLISHMENT_ADMIN')!.establishments, ['LEI', 'MDI'])
    assert.deepEqual(users.find(u => u.role === 'NATIONAL_POLICY')!.establishments, [])
  })
})
