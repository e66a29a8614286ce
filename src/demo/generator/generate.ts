import { officerCapacity } from '../../domain/capacity'
import { FULL_TIME_HOURS, type Complexity, type PrisonerStatus, type StaffStatus } from '../../domain/prisoner'
import type { Role } from '../../domain/roles'
import type { StaffGrade } from '../../domain/staff'
import {
  ASIAN_BRITISH,
  BLACK_BRITISH,
  INDIAN_BRITISH,
  NATIONALITIES,
  type NamePool,
  type Nationality,
  WELSH,
  WHITE_BRITISH,
  WOMEN_FIRST,
} from './names'
import { CATEGORY, type Category, type PrisonInfo, REGION_FOREIGN_NATIONALS, prisonList } from './prisons'
import { Random, deriveSeed, zipf } from '../../domain/random'

// Deterministic, realistic demo data as plain objects: no I/O. The same options (seed, sizes and "today")
// always give the same establishments, units, staff and prisoners.

export interface DemoOptions {
  seed: number
  establishments: number
  /** average prisoners in custody per establishment, each scaled by its real size; omitted: the real sizes */
  prisonersPer?: number
  /** 'YYYY-MM-DD': the day the roll is taken; reception dates, ages and leave are relative to it */
  today: string
}

export interface DemoUnit {
  code: string
  name: string
  capacity: number
}

export interface DemoStaff {
  staffNumber: string
  firstName: string
  lastName: string
  grade: StaffGrade
  email: string
  workingPattern: 'full_time' | 'part_time'
  weeklyHours: number
  startedInPost: string
  languages: string[]
  status: StaffStatus
  statusReturnDate: string | null
  homeUnitCode: string | null
  /** flagged as a Key Worker: most Band 3 officers, not all (some are on other duties) */
  keyWorker: boolean
}

export interface DemoPrisoner {
  prisonNumber: string
  firstName: string
  lastName: string
  dateOfBirth: string
  unitCode: string | null
  cell: string | null
  receptionDate: string
  releaseDate: string | null
  status: PrisonerStatus
  complexity: Complexity
  firstLanguage: string
  interpreterNeeded: boolean
  nationality: string
}

export interface DemoEstablishment {
  code: string
  name: string
  category: Category
  region: string
  units: DemoUnit[]
  staff: DemoStaff[]
  prisoners: DemoPrisoner[]
}

interface Profile {
  /** band 3-5 officers per prisoner */
  staffRatio: number
  /** mean days since reception of the men in custody, and the share of long-stayers spread over two years */
  meanStay: number
  longStay: number
  /** remanded men have no release date yet; lifers neither */
  remand: number
  life: number
  /** days to release: at least min, then exponential with this mean */
  releaseMin: number
  releaseMean: number
  /** share of cells holding two men */
  doubled: number
  youngOnly: boolean
}

const PROFILES: Record<Category, Profile> = {
  [CATEGORY.local]: {
    staffRatio: 0.17,
    meanStay: 70,
    longStay: 0.08,
    remand: 0.22,
    life: 0.01,
    releaseMin: 7,
    releaseMean: 90,
    doubled: 1,
    youngOnly: false,
  },
  [CATEGORY.a]: {
    staffRatio: 0.45,
    meanStay: 400,
    longStay: 0.5,
    remand: 0.05,
    life: 0.35,
    releaseMin: 365,
    releaseMean: 2000,
    doubled: 0,
    youngOnly: false,
  },
  [CATEGORY.b]: {
    staffRatio: 0.33,
    meanStay: 300,
    longStay: 0.35,
    remand: 0,
    life: 0.15,
    releaseMin: 180,
    releaseMean: 900,
    doubled: 0.1,
    youngOnly: false,
  },
  [CATEGORY.c]: {
    staffRatio: 0.27,
    meanStay: 200,
    longStay: 0.2,
    remand: 0,
    life: 0.03,
    releaseMin: 30,
    releaseMean: 300,
    doubled: 0.25,
    youngOnly: false,
  },
  [CATEGORY.d]: {
    staffRatio: 0.14,
    meanStay: 120,
    longStay: 0.1,
    remand: 0,
    life: 0.02,
    releaseMin: 14,
    releaseMean: 150,
    doubled: 0,
    youngOnly: false,
  },
  [CATEGORY.yoi]: {
    staffRatio: 0.45,
    meanStay: 120,
    longStay: 0.1,
    remand: 0.1,
    life: 0.01,
    releaseMin: 14,
    releaseMean: 200,
    doubled: 0.5,
    youngOnly: true,
  },
}

// Ages of men in custody (MoJ offender management statistics, rounded).
const ADULT_AGES: [readonly [number, number], number][] = [
  [[18, 20], 0.05],
  [[21, 24], 0.12],
  [[25, 29], 0.17],
  [[30, 39], 0.32],
  [[40, 49], 0.19],
  [[50, 59], 0.1],
  [[60, 79], 0.05],
]
const YOUNG_AGES: [readonly [number, number], number][] = [
  [[18, 20], 0.75],
  [[21, 24], 0.25],
]

const TWO_YEARS = 730
const DAY_MS = 86_400_000

function dayOf(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS)
}
function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/** The establishments a demo of these options holds, and how many men are in custody in each. */
export function establishmentPlan(opts: Pick<DemoOptions, 'establishments' | 'prisonersPer'>) {
  const prisons = prisonList(Math.max(1, Math.floor(opts.establishments)))
  const total = prisons.reduce((n, p) => n + p.size, 0)
  const factor = opts.prisonersPer === undefined ? 1 : (opts.prisonersPer * prisons.length) / total
  return prisons.map(info => ({ info, population: Math.max(1, Math.round(info.size * factor)) }))
}

/** Generates the demo one establishment at a time (prison and staff numbers stay unique across all of them). */
export function* generateDemo(opts: DemoOptions): Generator<DemoEstablishment> {
  const today = dayOf(opts.today)
  if (!Number.isFinite(today)) throw new Error(`today must be a date like 2025-06-30, not ${opts.today}`)
  const taken = { prisonNumbers: new Set<string>(), staffNumbers: new Set<string>(), emails: new Set<string>() }
  const plan = establishmentPlan(opts)
  for (let i = 0; i < plan.length; i++) {
    const rng = new Random(deriveSeed(opts.seed, i))
    yield establishment(rng, plan[i]!.info, plan[i]!.population, today, taken)
  }
}

interface Taken {
  prisonNumbers: Set<string>
  staffNumbers: Set<string>
  emails: Set<string>
}

function establishment(rng: Random, info: PrisonInfo, population: number, today: number, taken: Taken) {
  const profile = PROFILES[info.category]
  const units = residentialUnits(rng, info, population)
  const places = cellPlaces(rng, units, profile.doubled)
  const prisoners: DemoPrisoner[] = []
  const people = peoplePicker(info)
  const foreignShare = info.foreignNationals ?? REGION_FOREIGN_NATIONALS[info.region] ?? 0.12
  // about one man in twenty in a Welsh prison speaks Welsh as his first language
  const welsh = info.region === 'Wales' ? 0.05 : 0
  const make = (status: PrisonerStatus, place?: Place, stay?: Stay) =>
    prisoner(rng, status, profile, people, foreignShare, welsh, today, taken, place, stay)

  for (let i = 0; i < population; i++) {
    prisoners.push(make('in', places[i]))
  }
  // Turnover: before its man of today, each place held a line of men back to a year ago. The one before left a day
  // or two before he came, after a stay drawn like those of the roll (mostly short, some long), so the roll is near
  // its size every day of the year and receptions and releases match (at a local prison, about 100 a week per 1,200).
  const yearAgo = today - 366
  for (let i = 0; i < population; i++) {
    let next = dayOf(prisoners[i]!.receptionDate)
    while (next > yearAgo) {
      const left = Math.min(today - 1, next - rng.int(0, 2))
      const length = rng.chance(profile.longStay)
        ? rng.int(90, TWO_YEARS)
        : 1 + Math.floor(rng.exponential(profile.meanStay * 0.8))
      const status = rng.chance(0.2) ? 'transferred' : 'released'
      // his unit is kept (the history of the houseblock needs it), not his cell: it is another man's now
      const place = places[i] ? { ...places[i]!, cell: null } : undefined
      prisoners.push(make(status, place, { reception: left - length, release: left }))
      next = left - length
    }
  }

  const eligible = prisoners.filter(p => p.status === 'in' && p.complexity !== 'high').length
  const staff = staffOf(rng, info, units, Math.max(3, Math.round(population * profile.staffRatio)), today, taken)
  topUpKeyWorkers(staff, eligible, () => staffOf(rng, info, units, 1, today, taken, ['Band 3'])[0]!)
  return { code: info.code, name: info.name, category: info.category, region: info.region, units, staff, prisoners }
}

/** About one houseblock per 150 men, capacity a little above the roll, lettered wings or numbered houseblocks. */
function residentialUnits(rng: Random, info: PrisonInfo, population: number): DemoUnit[] {
  const count = Math.min(12, Math.max(2, Math.round(population / 150)))
  const wings = info.code === 'LEI' || rng.chance(0.6)
  const headroom = 1.03 + rng.next() * 0.05
  const total = Math.max(population + 1, Math.ceil(population * headroom))
  const weights = Array.from({ length: count }, () => 0.8 + rng.next() * 0.4)
  const sum = weights.reduce((a, b) => a + b, 0)
  const capacities = weights.map(w => Math.max(1, Math.floor((total * w) / sum)))
  // rounding down loses a few places: give them back one by one so the total is exact
  for (let k = 0; capacities.reduce((a, b) => a + b, 0) < total; k++) capacities[k % count]!++
  return capacities.map((capacity, k) =>
    wings
      ? { code: String.fromCharCode(65 + k), name: `${String.fromCharCode(65 + k)} wing`, capacity }
      : { code: `HB${k + 1}`, name: `Houseblock ${k + 1}`, capacity },
  )
}

interface Place {
  unitCode: string
  /** null for a man who has left: the cell is another man's now */
  cell: string | null
}

/** Every bed in the establishment as (unit, cell), shuffled: men fill them at random, so no unit is over capacity. */
function cellPlaces(rng: Random, units: DemoUnit[], doubled: number): Place[] {
  const places: Place[] = []
  for (const unit of units) {
    const landings = unit.capacity > 100 ? 4 : 3
    const cells: number[] = []
    for (let left = unit.capacity; left > 0;) {
      const beds = left >= 2 && rng.chance(doubled) ? 2 : 1
      cells.push(beds)
      left -= beds
    }
    const perLanding = Math.ceil(cells.length / landings)
    cells.forEach((beds, k) => {
      const cell = `${unit.code}-${Math.floor(k / perLanding) + 1}-${String((k % perLanding) + 1).padStart(3, '0')}`
      for (let b = 0; b < beds; b++) places.push({ unitCode: unit.code, cell })
    })
  }
  return rng.shuffle(places)
}

type PeoplePicker = (rng: Random) => { first: string; last: string }

/** British men of the establishment's area: mostly white British, with Black and Asian British men; Welsh in Wales. */
function peoplePicker(info: PrisonInfo): PeoplePicker {
  const pools = new Map<NamePool, { first: (r: Random) => string; last: (r: Random) => string }>()
  const pickers = (pool: NamePool) => {
    let p = pools.get(pool)
    if (!p) pools.set(pool, (p = { first: zipf(pool.first), last: zipf(pool.last) }))
    return p
  }
  const wales = info.region === 'Wales'
  const london = info.region === 'London'
  const mix: [NamePool | 'mixed', number][] = [
    [wales ? WELSH : WHITE_BRITISH, london ? 0.45 : 0.7],
    [WHITE_BRITISH, wales ? 0.25 : 0],
    [BLACK_BRITISH, london ? 0.3 : 0.1],
    [ASIAN_BRITISH, london ? 0.08 : 0.06],
    [INDIAN_BRITISH, london ? 0.04 : 0.03],
    ['mixed', 0.06],
  ]
  return rng => {
    const pool = rng.weighted(mix)
    if (pool === 'mixed') return { first: pickers(BLACK_BRITISH).first(rng), last: pickers(WHITE_BRITISH).last(rng) }
    const p = pickers(pool)
    return { first: p.first(rng), last: p.last(rng) }
  }
}

const nationalityPickers = new Map<Nationality, { first: (r: Random) => string; last: (r: Random) => string }>()
function foreignName(rng: Random, n: Nationality) {
  let p = nationalityPickers.get(n)
  if (!p) nationalityPickers.set(n, (p = { first: zipf(n.names.first), last: zipf(n.names.last) }))
  return { first: p.first(rng), last: p.last(rng) }
}
const NATIONALITY_WEIGHTS = NATIONALITIES.map(n => [n, n.weight] as const)

/** A stay already over: the days of reception and of leaving. */
interface Stay {
  reception: number
  release: number
}

function prisoner(
  rng: Random,
  status: PrisonerStatus,
  profile: Profile,
  people: PeoplePicker,
  foreignShare: number,
  welshSpeakers: number,
  today: number,
  taken: Taken,
  place?: Place,
  stay?: Stay,
): DemoPrisoner {
  const foreign = rng.chance(foreignShare)
  let name: { first: string; last: string }
  let nationality = 'British'
  let firstLanguage = 'en'
  let interpreterNeeded = false
  if (foreign) {
    const n = rng.weighted(NATIONALITY_WEIGHTS)
    name = foreignName(rng, n)
    nationality = n.name
    firstLanguage = rng.weighted(n.languages)
    interpreterNeeded = firstLanguage !== 'en' && rng.chance(n.interpreter)
  } else {
    name = people(rng)
    const r = rng.next()
    if (r < 0.0015) {
      firstLanguage = 'bsl'
      interpreterNeeded = true
    } else if (r < welshSpeakers) firstLanguage = 'cy'
  }

  const complexity: Complexity = rng.weighted([
    ['high', 0.05],
    ['medium', 0.25],
    ['low', 0.7],
  ])

  let reception: number
  let release: number | null
  if (stay) {
    reception = stay.reception
    release = stay.release
  } else if (status === 'in') {
    const daysIn = rng.chance(profile.longStay)
      ? rng.int(0, TWO_YEARS)
      : Math.min(TWO_YEARS, Math.floor(rng.exponential(profile.meanStay)))
    reception = today - daysIn
    release = rng.chance(profile.remand + profile.life)
      ? null
      : today + profile.releaseMin + Math.floor(rng.exponential(profile.releaseMean))
  } else {
    reception = today - rng.int(21, TWO_YEARS)
    const left = rng.int(reception + 7, today - 1)
    release = status === 'released' ? left : rng.chance(0.7) ? today + rng.int(30, 900) : null
  }

  const [minAge, maxAge] = rng.weighted(profile.youngOnly ? YOUNG_AGES : ADULT_AGES)
  let birth = today - Math.floor((rng.int(minAge, maxAge) + rng.next()) * 365.25)
  // nobody under 18 at reception in the adult estate
  const latestBirth = reception - Math.ceil(18 * 365.25)
  if (birth > latestBirth) birth = latestBirth - rng.int(0, 300)

  return {
    prisonNumber: prisonNumber(rng, taken.prisonNumbers, reception, today),
    firstName: name.first,
    lastName: name.last,
    dateOfBirth: isoOf(birth),
    unitCode: place?.unitCode ?? null,
    cell: place?.cell ?? null,
    receptionDate: isoOf(reception),
    releaseDate: release === null ? null : isoOf(release),
    status,
    complexity,
    firstLanguage,
    interpreterNeeded,
    nationality,
  }
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/**
 * A1234BC: a letter, four digits, two letters; unique. A man keeps his number for life, so many men received
 * recently still have an older A-series number; the newest are G-series.
 */
function prisonNumber(rng: Random, taken: Set<string>, reception: number, today: number): string {
  for (;;) {
    const recent = today - reception < 365
    const first = rng.chance(recent ? 0.55 : 0.35) ? 'G' : 'A'
    const n = `${first}${String(rng.int(0, 9999)).padStart(4, '0')}${LETTERS[rng.int(0, 25)]}${LETTERS[rng.int(0, 25)]}`
    if (!taken.has(n)) {
      taken.add(n)
      return n
    }
  }
}

const PART_TIME_HOURS = [18.5, 22.5, 24, 25.5, 27.75, 29.6, 30, 32]
const STAFF_LANGUAGES: [string, number][] = [
  ['pl', 3],
  ['ur', 2],
  ['pa', 2],
  ['ro', 1],
  ['ar', 1],
  ['fr', 1],
  ['es', 1],
  ['hi', 1],
  ['bn', 1],
  ['so', 0.5],
  ['tr', 0.5],
  ['pt', 0.5],
  ['lt', 0.5],
  ['sq', 0.5],
]

/** The national default of prisoners per Key Worker, which the demo's establishments keep. */
const DEMO_RATIO = 6

/**
 * Adds full-time Band 3 Key Workers until those present and flagged have room for everyone eligible and a little
 * more, so the demo's automatic allocation leaves only the newest receptions waiting, and some Key Workers have room.
 */
function topUpKeyWorkers(staff: DemoStaff[], eligible: number, make: () => DemoStaff) {
  const room = () =>
    staff
      .filter(s => s.keyWorker && s.status === 'active')
      .reduce((n, s) => n + officerCapacity(DEMO_RATIO, s.weeklyHours), 0)
  const target = Math.ceil(eligible * 1.04) + DEMO_RATIO
  while (room() < target) {
    const s = make()
    s.status = 'active'
    s.statusReturnDate = null
    s.keyWorker = true
    staff.push(s)
  }
}

function staffOf(
  rng: Random,
  info: PrisonInfo,
  units: DemoUnit[],
  n: number,
  today: number,
  taken: Taken,
  only?: StaffGrade[],
) {
  const wales = info.region === 'Wales'
  const band5 = Math.max(1, Math.round(n * 0.05))
  const band4 = Math.max(1, Math.round(n * 0.13))
  const grades: StaffGrade[] =
    only ??
    rng.shuffle(Array.from({ length: n }, (_, k) => (k < band5 ? 'Band 5' : k < band5 + band4 ? 'Band 4' : 'Band 3')))
  const women = zipf(WOMEN_FIRST)
  const lastNames: [(r: Random) => string, number][] = [
    [zipf(wales ? WELSH.last : WHITE_BRITISH.last), 0.85],
    [zipf(ASIAN_BRITISH.last), 0.04],
    [zipf(INDIAN_BRITISH.last), 0.02],
    [zipf(BLACK_BRITISH.last), 0.06],
    [zipf(NATIONALITIES.find(x => x.name === 'Polish')!.names.last), 0.03],
  ]
  const menFirst = zipf(wales ? WELSH.first : WHITE_BRITISH.first)
  const unitWeights = units.map(u => [u.code, u.capacity] as const)

  const staff: DemoStaff[] = grades.map(grade => {
    const firstName = rng.chance(0.35) ? women(rng) : menFirst(rng)
    const lastName = rng.weighted(lastNames)(rng)
    const partTime = rng.chance(0.15)
    const tenure = rng.weighted<[number, number]>([
      [[30, TWO_YEARS], 0.35],
      [[TWO_YEARS, 5 * 365], 0.25],
      [[5 * 365, 30 * 365], 0.4],
    ])
    const languages: string[] = []
    if (wales && rng.chance(0.2)) languages.push('cy')
    if (rng.chance(0.08)) languages.push(rng.weighted(STAFF_LANGUAGES))
    return {
      staffNumber: uniqueStaffNumber(rng, taken.staffNumbers),
      firstName,
      lastName,
      grade,
      email: uniqueEmail(firstName, lastName, taken.emails),
      workingPattern: partTime ? 'part_time' : 'full_time',
      weeklyHours: partTime ? rng.pick(PART_TIME_HOURS) : FULL_TIME_HOURS,
      startedInPost: isoOf(today - rng.int(tenure[0], tenure[1])),
      languages,
      status: 'active' as StaffStatus,
      statusReturnDate: null as string | null,
      homeUnitCode: grade === 'Band 5' ? null : rng.weighted(unitWeights),
      // a few Band 3 officers are on other duties (security, reception, training) and not Key Workers
      keyWorker: grade === 'Band 3' && !rng.chance(0.08),
    }
  })

  // Absences: some on annual leave, a couple on long-term absence, a few with no prisoner contact.
  const order = rng.shuffle(staff.map((_, k) => k))
  const take = (count: number) => order.splice(0, Math.min(count, order.length)).map(k => staff[k]!)
  for (const s of take(Math.round(n * 0.06))) {
    s.status = 'annual_leave'
    s.statusReturnDate = isoOf(today + rng.int(1, 14))
  }
  for (const s of take(n >= 20 ? Math.max(1, Math.round(n * 0.01)) : 0)) {
    s.status = 'long_term_absence'
    s.statusReturnDate = rng.chance(0.5) ? isoOf(today + rng.int(14, 120)) : null
  }
  // no prisoner contact (restricted duties) has no return date (src/domain/staff.ts returnDateRule)
  for (const s of take(n >= 20 ? Math.max(1, Math.round(n * 0.025)) : 0)) s.status = 'no_prisoner_contact'
  for (const s of take(Math.round(n * 0.01))) s.status = 'inactive'
  return staff
}

function uniqueStaffNumber(rng: Random, taken: Set<string>): string {
  for (;;) {
    const n = String(rng.int(100000, 999999))
    if (!taken.has(n)) {
      taken.add(n)
      return n
    }
  }
}

function uniqueEmail(first: string, last: string, taken: Set<string>): string {
  const base = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '')
  for (let k = 1; ; k++) {
    const email = `${base}${k === 1 ? '' : k}@justice.gov.uk`
    if (!taken.has(email)) {
      taken.add(email)
      return email
    }
  }
}

// Demo sign-ins: one user per role, all with the same known password (demo data only).

export const DEMO_PASSWORD = 'key-work-demo'

export interface DemoUser {
  username: string
  displayName: string
  email: string | null
  role: Role
  /** establishment codes the role is held in; empty for the national role, which applies everywhere */
  establishments: string[]
  /** the staff record the user is, for officers */
  staffNumber: string | null
}

/**
 * The Key Worker is an active full-time band 3 officer of the first establishment, the Supervising Officer a
 * band 4; the admin also holds the role in the second establishment so the establishment switcher shows.
 */
export function demoUsers(establishments: Pick<DemoEstablishment, 'code' | 'staff'>[]): DemoUser[] {
  const first = establishments[0]
  if (!first) return []
  const officer = (grade: StaffGrade) =>
    first.staff.find(
      s => s.grade === grade && s.status === 'active' && s.workingPattern === 'full_time' && s.homeUnitCode,
    ) ?? first.staff.find(s => s.status === 'active')
  const kw = officer('Band 3')
  const so = officer('Band 4')
  const person = (s: DemoStaff | undefined, fallback: string) => ({
    displayName: s ? `${s.firstName} ${s.lastName}` : fallback,
    email: s?.email ?? null,
    staffNumber: s?.staffNumber ?? null,
  })
  const adminIn = establishments.slice(0, 2).map(e => e.code)
  return [
    { username: 'keyworker', role: 'KEY_WORKER', establishments: [first.code], ...person(kw, 'Demo Key Worker') },
    {
      username: 'supervisor',
      role: 'SUPERVISING_OFFICER',
      establishments: [first.code],
      ...person(so, 'Demo Supervising Officer'),
    },
    {
      username: 'admin',
      role: 'ESTABLISHMENT_ADMIN',
      establishments: adminIn,
      displayName: 'Jo Whitfield',
      email: 'jo.whitfield@justice.gov.uk',
      staffNumber: null,
    },
    {
      username: 'national',
      role: 'NATIONAL_POLICY',
      establishments: [],
      displayName: 'Chris Adeyemi',
      email: 'chris.adeyemi@justice.gov.uk',
      staffNumber: null,
    },
  ]
}

export const DEMO_USERNAMES = ['keyworker', 'supervisor', 'admin', 'national'] as const
