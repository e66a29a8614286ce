/**
 * Training and professional development for one demo establishment (issue 16), deterministic for a seed: the
 * national programme has run for five years, so the Key Workers are at every stage — new starters whose initial
 * course is not yet due, officers in their window (some booked on a course), a few overdue, and the trained with
 * top-ups current, expiring within 30 days or expired. Past courses have their register, completions (each with a
 * certificate; a top-up retaken gets a new certificate and the old one is kept as superseded) and the participants'
 * ratings; e-learning completions came in by CSV or as xAPI statements. Coming courses have enrolments, one is full
 * with a waiting list, one is regional. Officers who sign in keep a reflective journal; a Supervising Officer's QA
 * review assigned a top-up. A dozen officers did their initial course in the middle of the quality year, so their
 * reviews can be compared before and after. Pure: no I/O.
 */
import { addDays, addMonths, daysBetween } from '../../domain/dates'
import { Random, deriveSeed } from '../../domain/random'
import { DEFAULT_TRAINING_RULES, type ModuleFormat, type ModuleKind, type TrainingRules } from '../../domain/training'
import { CODE_ALPHABET } from '../../features/trainingRecords/certificateCode'

/** Certificate codes: 12 characters of the records' alphabet (none reads as another), written XXXX-XXXX-XXXX. */
export const DEMO_CODE_ALPHABET = CODE_ALPHABET

export const INITIAL = 'KW-INITIAL'
export const TOPUP_MI = 'KW-TOPUP-MI'
export const TOPUP_ENTRIES = 'KW-TOPUP-ENTRIES'
export const TOPUP_MH = 'KW-TOPUP-MH'
/** the e-learning top-up: its completions come from the e-learning system (CSV or xAPI), never a course */
export const TOPUP_PATHWAYS = 'KW-TOPUP-PATHWAYS'
/** top-ups run as a half-day course */
const TOPUP_COURSES = [TOPUP_MI, TOPUP_ENTRIES, TOPUP_MH] as const

export interface TrainingOfficer {
  staffId: number
  /** the officer's sign-in, when they have one: only they keep a journal */
  userId: number | null
  name: string
  startedInPost: string | null
  keyWorker: boolean
}

export interface TrainingSupervisor {
  userId: number
  name: string
  staffId: number | null
}

export interface TrainingReview {
  id: number
  staffId: number
  /** the reviewed entry's date */
  date: string
  submittedAt: string
  overall: number
  reviewerUserId: number
  reviewer: string
}

export interface TrainingModule {
  code: string
  title: string
  kind: ModuleKind
  format: ModuleFormat
  hours: number
  days: number
}

export interface TrainingInput {
  seed: number
  /** a stable number for the establishment, for its own random stream */
  stream: number
  today: string
  establishment: { code: string; name: string; region: string }
  /** Key Workers (and any Supervising Officer's own staff record, who is trained too) */
  officers: TrainingOfficer[]
  /** the establishment's Supervising Officers: they run the courses; the first runs the coming ones */
  supervisors: TrainingSupervisor[]
  /** the demo Key Worker's staff record ('keyworker'), who has a record worth showing */
  showcaseStaffId: number | null
  /** the year's QA reviews of the officers' entries (sample reviews) */
  reviews: TrainingReview[]
  /** the national programme's modules (the initial course and the top-ups) */
  modules: TrainingModule[]
  rules?: TrainingRules
  /** holds the demo's one regional course */
  regional: boolean
  /** the first establishment: a course waiting for its trainer to complete it, and a cancelled one */
  showcase: boolean
}

export interface PlannedCourseDay {
  day: string
  startsAt: string
  endsAt: string
}

export interface PlannedEnrolment {
  staffId: number
  status: 'enrolled' | 'waiting' | 'withdrawn' | 'cancelled' | 'completed' | 'not_completed'
  enrolledAt: string
  enrolledBy: string
  waitingSince: string | null
  updatedAt: string
  updatedBy: string
}

export interface PlannedCourse {
  moduleCode: string
  /** null: at the establishment; set: a regional course */
  region: string | null
  trainerUserId: number | null
  trainer: string
  place: string
  capacity: number
  status: 'scheduled' | 'cancelled' | 'completed'
  notes: string
  createdAt: string
  createdBy: string
  cancelledAt: string | null
  cancelledBy: string | null
  cancelReason: string | null
  completedAt: string | null
  completedBy: string | null
  days: PlannedCourseDay[]
  enrolments: PlannedEnrolment[]
  attendance: { day: string; staffId: number; present: boolean }[]
  feedback: { staffId: number; rating: number; comment: string; createdAt: string }[]
}

export interface PlannedCompletion {
  staffId: number
  moduleCode: string
  kind: ModuleKind
  title: string
  completedOn: string
  hours: number
  outcome: 'completed' | 'passed' | 'failed'
  evidence: string
  source: 'course' | 'csv' | 'xapi' | 'manual'
  /** index into the plan's courses */
  course: number | null
  externalId: string | null
  recordedAt: string
  recordedBy: string
}

export interface PlannedCertificate {
  /** index into the plan's completions */
  completion: number
  code: string
  staffId: number
  name: string
  moduleTitle: string
  completedOn: string
  issuedOn: string
  issuedAt: string
  issuedBy: string
  /** index into the plan's certificates: the officer's current one of the module, once it was taken again */
  supersededBy: number | null
}

export interface PlannedJournalEntry {
  staffId: number
  userId: number
  form: 'gibbs' | 'short'
  title: string
  writtenOn: string
  description: string
  feelings: string
  evaluation: string
  analysis: string
  conclusion: string
  actionPlan: string
  minutes: number
  shared: boolean
  sharedAt: string | null
  createdAt: string
}

export interface PlannedAssignment {
  staffId: number
  moduleCode: string
  reviewId: number
  reason: string
  dueOn: string
  assignedAt: string
  assignedByUserId: number
  assignedBy: string
}

export interface LocalModulePlan {
  code: string
  title: string
  summary: string
  outcomes: string[]
  format: ModuleFormat
  hours: number
  days: number
}

export interface TrainingPlan {
  /** start dates in post set (none recorded) or moved so that every stage has officers */
  starts: { staffId: number; startedInPost: string }[]
  /** the establishment's own module: its services, hubs and processes */
  localModule: LocalModulePlan
  courses: PlannedCourse[]
  completions: PlannedCompletion[]
  certificates: PlannedCertificate[]
  journal: PlannedJournalEntry[]
  assignments: PlannedAssignment[]
  /** the officers who did their initial course in the middle of the quality year (reviews before and after) */
  midYear: number[]
}

const FEEDBACK: Record<number, string[]> = {
  5: [
    'The best training I have had since joining. The role-plays made it real.',
    'Really practical: I used the open questions on the wing the next day.',
    'Hearing from someone with lived experience changed how I start a session.',
    'Excellent trainer, and the time to practise writing an entry was worth it.',
  ],
  4: [
    'Good course, a lot to take in. The handouts help.',
    'Useful, especially the part on self-harm and who to tell.',
    'Good mix of theory and practice. A little long on the last day.',
    'Helpful to go through real (anonymised) entries against the rubric.',
  ],
  3: [
    'Some useful parts, but much of it I had covered before.',
    'OK. I would have liked more on working with interpreters.',
    'Fine, but the room was too small for the role-play.',
  ],
  2: ['Too much slide reading. I wanted more practice.', 'Felt rushed: we ran out of time for the case studies.'],
  1: ['I was pulled onto the wing for half of it and could not follow the rest.'],
}

const CANCEL_REASONS = [
  'The trainer is unavailable: the course runs again next month and those booked keep priority.',
  'Staffing on the day cannot release the officers booked: rearranged for next month.',
]

interface GibbsText {
  title: string
  description: string
  feelings: string
  evaluation: string
  analysis: string
  conclusion: string
  actionPlan: string
}

/** Reflections written by hand, with no names, prison numbers or places. */
const GIBBS: GibbsText[] = [
  {
    title: 'A session that went off track',
    description:
      'A man on my caseload arrived angry about a cancelled visit and did not want to talk about his plan. I tried to ' +
      'stick to the goals we had set and the conversation went nowhere.',
    feelings: 'Frustrated at first, then worried that I had made things worse by not listening.',
    evaluation: 'It went badly while I pushed the agenda. It improved when I stopped and asked what had happened.',
    analysis:
      'The motivational interviewing refresher talked about rolling with resistance. I was arguing for change when ' +
      'he needed to be heard first.',
    conclusion: 'Starting with what matters to him that day would have saved twenty minutes and kept his trust.',
    actionPlan:
      'Open each session by asking what is on his mind. Bring this to supervision to practise reflective listening.',
  },
  {
    title: 'Raising a concern about self-harm',
    description:
      'During a session a man said he had been thinking about hurting himself. I asked him directly, stayed with him ' +
      'and told the Supervising Officer straight away; an ACCT was opened.',
    feelings: 'Anxious that I would say the wrong thing. Relieved afterwards that I had asked the question.',
    evaluation: 'I followed the process and recorded who I told. I was less sure how to close the session.',
    analysis: 'The mental health update covered asking directly; it does not make things worse. That held true.',
    conclusion: 'I need a clearer way to end a session like this so he knows what happens next.',
    actionPlan: 'Read the ACCT guidance again and ask the in-reach team how they close a difficult conversation.',
  },
  {
    title: 'Writing a better entry',
    description:
      'My entry for a session about housing was reviewed and scored low on the prisoner’s voice and on the goal.',
    feelings: 'Disappointed, because the session itself went well.',
    evaluation: 'The conversation was good; the entry did not show it to anyone who was not there.',
    analysis: 'I wrote what I did, not what he said or what we agreed. The rubric asks for his words and a SMART goal.',
    conclusion: 'An entry is the only record of the session: it has to stand on its own.',
    actionPlan: 'Quote one thing he says each session and write the goal with a date. Ask for feedback in a month.',
  },
]

const SHORT: { title: string; text: string }[] = [
  {
    title: 'Interpreter booked in advance',
    text: 'Booking the telephone interpreter the day before made the session twice as useful. Doing this for every session with him now.',
  },
  {
    title: 'Signposting that worked',
    text: 'Used the services directory to find the employment hub’s interview workshop. He went. Worth checking the directory before each session.',
  },
  {
    title: 'Short session, still useful',
    text: 'Regime was cut so we had fifteen minutes. Agreed one action and a date; better than cancelling.',
  },
  {
    title: 'After the top-up',
    text: 'Tried summarising back what he said at the end of the session, as practised on the refresher. He corrected one thing, which mattered.',
  },
]

/** When a sign-in's officer writes. */
const MINUTES = [15, 20, 30, 45, 60]

const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay()
/** the Monday on or after the day */
function mondayFrom(iso: string): string {
  const d = weekday(iso)
  return addDays(iso, (8 - d) % 7)
}
/** the Friday on or after the day */
function fridayFrom(iso: string): string {
  const d = weekday(iso)
  return addDays(iso, (12 - d) % 7)
}
/** the weekday on or before the day */
function weekdayBefore(iso: string): string {
  const d = weekday(iso)
  return d === 0 ? addDays(iso, -2) : d === 6 ? addDays(iso, -1) : iso
}
/** the Christmas and New Year holidays: no course runs then */
const holiday = (iso: string) => {
  const md = iso.slice(5)
  return md >= '12-22' || md <= '01-02'
}
/** the first day of a run of `days` days, moved by `step` days until none of them is in the holidays */
function clearOfHolidays(first: string, days: number, step: number): string {
  let d = first
  while (Array.from({ length: days }, (_, k) => addDays(d, k)).some(holiday)) d = addDays(d, step)
  return d
}
/** a working day (not a weekend, not the holidays) between two days */
function workingDayIn(from: string, to: string): boolean {
  for (let d = from; d <= to; d = addDays(d, 1)) if (!holiday(d) && weekday(d) % 6 !== 0) return true
  return false
}
const maxIso = (a: string, b: string) => (a > b ? a : b)
const minIso = (a: string, b: string) => (a < b ? a : b)

/** A time of day on a day, as an ISO timestamp (hours given in UTC: the demo's days are ordinary working hours). */
function at(day: string, rng: Random, from = 9, to = 16): string {
  const minutes = rng.int(from * 60, to * 60 - 1)
  return `${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00.000Z`
}

function code(rng: Random, taken: Set<string>): string {
  for (;;) {
    const chars = Array.from({ length: 12 }, () => rng.pick([...DEMO_CODE_ALPHABET]))
    const c = [0, 4, 8].map(i => chars.slice(i, i + 4).join('')).join('-')
    if (!taken.has(c)) {
      taken.add(c)
      return c
    }
  }
}

function hex(rng: Random, n: number): string {
  return Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('')
}

/** A statement id as a learning record store writes them (a UUID), drawn from the seed. */
function uuid(rng: Random): string {
  const h = hex(rng, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

interface TopupSession {
  moduleCode: string
  day: string
  members: number[]
}

const INITIAL_CAPACITY = 12
const TOPUP_CAPACITY = 15
const PROGRAMME_MONTHS = 60
/** the initial course: the trained went on it a few weeks after they were ready, with others from their months */
const GROUP_DAYS = 42
/** the mid-year trainees: the course in the middle of the quality year */
const MID_YEAR_FROM = -230
const MID_YEAR_TO = -170
const MID_YEAR_OFFICERS = 12

export function generateTraining(input: TrainingInput): TrainingPlan {
  const rng = new Random(deriveSeed(input.seed, 60_000 + input.stream))
  const rules = input.rules ?? DEFAULT_TRAINING_RULES
  const T = input.today
  const est = input.establishment
  const programmeStart = addMonths(T, -PROGRAMME_MONTHS)
  const twelveBack = addMonths(T, -rules.topupMonths)
  const windowOpen = (s: string) => addMonths(s, rules.windowFromMonths)
  const windowClose = (s: string) => addMonths(s, rules.windowToMonths)
  const moduleOf = new Map(input.modules.map(m => [m.code, m]))
  const mod = (c: string): TrainingModule =>
    moduleOf.get(c) ?? {
      code: c,
      title: c,
      kind: c === INITIAL ? 'initial' : 'topup',
      format: 'workshop',
      hours: 2,
      days: 1,
    }
  const sups: { userId: number | null; name: string }[] = input.supervisors.length
    ? input.supervisors
    : [{ userId: null, name: 'Learning and development team' }]
  const supervisorStaff = new Set(input.supervisors.map(s => s.staffId).filter((x): x is number => x !== null))
  const officers = [...input.officers].sort((a, b) => a.staffId - b.staffId)
  const showcaseId = input.showcaseStaffId
  const plan: TrainingPlan = {
    starts: [],
    localModule: {
      code: `LOCAL-${est.code}-1`,
      title: `Local services and processes at ${est.name}`,
      summary:
        `What a Key Worker at ${est.name} needs to know locally: the services on each pathway, the Key Worker ` +
        'hubs and how to book them, referral routes and who to tell about a concern.',
      outcomes: [
        'Find the local services for each of the seven pathways in the services directory, and who runs them',
        'Book a private room in a Key Worker hub and use it for a session',
        'Make a referral through the local route and follow it up',
        'Know who to tell about a concern, in and out of hours',
      ],
      format: 'workshop',
      hours: 3,
      days: 1,
    },
    courses: [],
    completions: [],
    certificates: [],
    journal: [],
    assignments: [],
    midYear: [],
  }

  // 1. Start dates: set where none is recorded, and moved for a few so that every stage has officers.
  const start = new Map<number, string>()
  const setStart = (staffId: number, day: string) => {
    start.set(staffId, day)
    plan.starts.push({ staffId, startedInPost: day })
  }
  for (const o of officers) {
    if (o.startedInPost) start.set(o.staffId, o.startedInPost)
    else setStart(o.staffId, addDays(T, -rng.int(400, 3000)))
  }
  // the demo Key Worker has been in post long enough to have done the initial course and top-ups since
  if (showcaseId !== null && start.has(showcaseId) && start.get(showcaseId)! > addMonths(T, -50))
    setStart(showcaseId, addDays(addMonths(T, -50), -rng.int(0, 300)))
  const keyWorkers = officers.filter(o => o.keyWorker && !supervisorStaff.has(o.staffId))
  const movable = keyWorkers
    .filter(o => o.staffId !== showcaseId && o.userId === null)
    .sort((a, b) => start.get(b.staffId)!.localeCompare(start.get(a.staffId)!) || a.staffId - b.staffId)
  const isNew = (id: number) => T < windowOpen(start.get(id)!)
  // in the window and too recent to have been on a course yet
  const fresh = addDays(T, -160)
  const isFreshInWindow = (id: number) => !isNew(id) && start.get(id)! > fresh
  const isInWindow = (id: number) => !isNew(id) && T <= windowClose(start.get(id)!)
  const used = new Set<number>()
  const ensure = (want: number, has: (id: number) => boolean, from: number, to: number) => {
    let n = keyWorkers.filter(o => has(o.staffId)).length
    for (const o of movable) {
      if (n >= want) break
      if (has(o.staffId) || used.has(o.staffId)) continue
      setStart(o.staffId, addDays(T, -rng.int(from, to)))
      used.add(o.staffId)
      n++
    }
    for (const o of keyWorkers) if (has(o.staffId)) used.add(o.staffId)
  }
  ensure(2, isNew, 20, 80)
  ensure(3, isFreshInWindow, 100, 150)

  // 2. Who is trained and when they were ready: mid-year trainees, on time, late, the catch-up when the programme began.
  const reviewsOf = new Map<number, TrainingReview[]>()
  for (const r of input.reviews) {
    const list = reviewsOf.get(r.staffId)
    if (list) list.push(r)
    else reviewsOf.set(r.staffId, [r])
  }
  const inPostAllYear = addDays(T, -400)
  const before = addDays(T, MID_YEAR_FROM - 10)
  const after = addDays(T, MID_YEAR_TO + 56 + 14)
  const midYear = rng
    .shuffle(
      keyWorkers.filter(o => {
        if (o.staffId === showcaseId || start.get(o.staffId)! > inPostAllYear) return false
        const list = reviewsOf.get(o.staffId) ?? []
        return list.filter(r => r.date < before).length >= 2 && list.filter(r => r.date > after).length >= 2
      }),
    )
    .slice(0, MID_YEAR_OFFICERS)
  const midYearIds = new Set(midYear.map(o => o.staffId))
  plan.midYear = midYear.map(o => o.staffId).sort((a, b) => a - b)

  const ready = new Map<number, string>()
  const latestReady = addDays(T, -70)
  const overdueCandidates: number[] = []
  for (const o of officers) {
    const s = start.get(o.staffId)!
    if (midYearIds.has(o.staffId)) {
      ready.set(o.staffId, addDays(T, rng.int(MID_YEAR_FROM, MID_YEAR_TO)))
      continue
    }
    if (isNew(o.staffId)) continue
    const earliest = addDays(windowOpen(s), 1)
    if (earliest > latestReady) continue
    const supervisor = supervisorStaff.has(o.staffId)
    if (isInWindow(o.staffId)) {
      if (!supervisor && (!rng.chance(0.45) || isFreshInWindow(o.staffId))) continue
    } else if (!supervisor && o.staffId !== showcaseId && o.keyWorker) overdueCandidates.push(o.staffId)
    let day: string
    if (windowClose(s) < programmeStart) {
      // in post before the programme began: trained in the catch-up, most in its first two years
      const span = daysBetween(programmeStart, latestReady)
      day = addDays(programmeStart, Math.min(span, Math.round(rng.exponential(span / 4))))
    } else {
      const late = rng.chance(0.1)
      const from = late ? addDays(windowClose(s), 10) : earliest
      const to = late ? addDays(windowClose(s), 150) : windowClose(s)
      day = addDays(from, rng.int(0, Math.max(0, daysBetween(from, to))))
    }
    // the demo Key Worker: long enough ago for two top-ups since
    if (o.staffId === showcaseId) day = addDays(addMonths(T, -40), -rng.int(0, 60))
    day = maxIso(maxIso(day, earliest), programmeStart)
    if (day > latestReady) {
      if (isInWindow(o.staffId)) continue
      day = latestReady
    }
    ready.set(o.staffId, day)
  }
  // a few past their window and still untrained (some did not finish a course)
  const overdue = rng.shuffle([...overdueCandidates]).filter(() => rng.chance(0.08))
  const minOverdue = Math.min(overdueCandidates.length, overdueCandidates.length >= 10 ? 2 : 1)
  for (const id of overdueCandidates) if (overdue.length < minOverdue && !overdue.includes(id)) overdue.push(id)
  for (const id of overdue) ready.delete(id)

  const name = new Map(officers.map(o => [o.staffId, o.name]))
  const completionIndex = new Map<string, number>()
  const addCompletion = (c: PlannedCompletion) => {
    const key = `${c.staffId}:${c.moduleCode}:${c.completedOn}`
    if (completionIndex.has(key)) return
    completionIndex.set(key, plan.completions.length)
    plan.completions.push(c)
  }
  const trainerOf = () => rng.pick(sups)
  const place = `Learning and development centre, ${est.name}`
  const enrolledBy = (staffId: number, trainer: string) =>
    rng.weighted([
      [name.get(staffId)!, 0.5],
      [trainer, 0.35],
      ['Jo Whitfield', 0.15],
    ])
  const feedbackFor = (course: PlannedCourse, members: number[], lastDay: string, p: number) => {
    for (const staffId of members) {
      if (!rng.chance(p)) continue
      const rating = rng.weighted([
        [5, 0.34],
        [4, 0.4],
        [3, 0.17],
        [2, 0.07],
        [1, 0.02],
      ])
      const on = minIso(addDays(lastDay, rng.int(0, 9)), addDays(T, -1))
      course.feedback.push({
        staffId,
        rating,
        comment: rng.chance(0.8) ? rng.pick(FEEDBACK[rating]!) : '',
        createdAt: at(on, rng, 8, 20),
      })
    }
  }

  // 3. The initial courses that trained them: officers ready at about the same time went on the same course.
  const initial = mod(INITIAL)
  const byReady = [...ready.entries()].sort((a, b) => a[1].localeCompare(b[1]) || a[0] - b[0])
  const pastInitial: { course: number; first: string; last: string; size: number }[] = []
  for (let i = 0; i < byReady.length;) {
    const group = [byReady[i]!]
    for (i++; i < byReady.length && group.length < INITIAL_CAPACITY; i++) {
      if (daysBetween(group[0]![1], byReady[i]![1]) > GROUP_DAYS) break
      group.push(byReady[i]!)
    }
    // the week of the last one's date, or the next clear of the holidays (or the one before, not to reach today)
    let monday = clearOfHolidays(addDays(fridayFrom(group.at(-1)![1]), -4), 5, 7)
    while (addDays(monday, 4) > addDays(T, -7)) monday = clearOfHolidays(addDays(monday, -7), 5, -7)
    const days = Array.from({ length: Math.max(1, initial.days) }, (_, k) => addDays(monday, k)).map(day => ({
      day,
      startsAt: '09:00',
      endsAt: '16:00',
    }))
    const last = days.at(-1)!.day
    const trainer = trainerOf()
    const createdAt = at(addDays(monday, -rng.int(30, 60)), rng)
    const completedAt = at(addDays(last, 1), rng, 9, 12)
    const members = group.map(g => g[0])
    const course: PlannedCourse = {
      moduleCode: INITIAL,
      region: null,
      trainerUserId: trainer.userId,
      trainer: trainer.name,
      place,
      capacity: INITIAL_CAPACITY,
      status: 'completed',
      notes: '',
      createdAt,
      createdBy: trainer.name,
      cancelledAt: null,
      cancelledBy: null,
      cancelReason: null,
      completedAt,
      completedBy: trainer.name,
      days,
      enrolments: members.map(staffId => {
        const enrolledAt = at(addDays(createdAt.slice(0, 10), rng.int(1, 20)), rng)
        return {
          staffId,
          status: 'completed',
          enrolledAt,
          enrolledBy: enrolledBy(staffId, trainer.name),
          waitingSince: null,
          updatedAt: completedAt,
          updatedBy: trainer.name,
        }
      }),
      attendance: days.flatMap(d => members.map(staffId => ({ day: d.day, staffId, present: true }))),
      feedback: [],
    }
    feedbackFor(course, members, last, 0.7)
    const index = plan.courses.length
    plan.courses.push(course)
    pastInitial.push({ course: index, first: monday, last, size: members.length })
    for (const staffId of members)
      addCompletion({
        staffId,
        moduleCode: INITIAL,
        kind: 'initial',
        title: initial.title,
        completedOn: last,
        hours: initial.hours,
        outcome: 'passed',
        evidence: 'Attended all five days and passed the trainer’s assessment (a recorded role-play and an entry).',
        source: 'course',
        course: index,
        externalId: null,
        recordedAt: completedAt,
        recordedBy: trainer.name,
      })
  }
  // half the overdue started a course after their window opened and did not finish it (off sick after day two)
  for (const id of overdue) {
    if (!rng.chance(0.5)) continue
    const open = windowOpen(start.get(id)!)
    const c = pastInitial.find(p => p.first >= open && p.size < INITIAL_CAPACITY)
    if (!c) continue
    const course = plan.courses[c.course]!
    c.size++
    course.enrolments.push({
      staffId: id,
      status: 'not_completed',
      enrolledAt: at(addDays(c.first, -rng.int(7, 25)), rng),
      enrolledBy: course.trainer,
      waitingSince: null,
      updatedAt: course.completedAt!,
      updatedBy: course.trainer,
    })
    course.days.forEach((d, k) => course.attendance.push({ day: d.day, staffId: id, present: k < 2 }))
  }
  const initialOn = new Map<number, string>()
  for (const c of plan.completions) if (c.kind === 'initial') initialOn.set(c.staffId, c.completedOn)

  // 4. Top-ups: a half-day course of a top-up runs every ten days or so (each top-up every four weeks); the
  // e-learning one is done at any time.
  const sessions: TopupSession[] = []
  TOPUP_COURSES.forEach((moduleCode, k) => {
    for (let day = addDays(programmeStart, 2 + k * 9); day <= addDays(T, -3); day = addDays(day, 28)) {
      const d = clearOfHolidays(weekdayBefore(day), 1, -7)
      if (d >= programmeStart) sessions.push({ moduleCode, day: d, members: [] })
    }
  })
  const xapiIds = new Set<string>()
  const elearning = (staffId: number, day: string) => {
    const m = mod(TOPUP_PATHWAYS)
    const source = rng.chance(0.5) ? 'xapi' : 'csv'
    const externalId = (failed: boolean) => {
      for (;;) {
        const id = source === 'xapi' ? uuid(rng) : `ELS-${est.code}-${hex(rng, 10).toUpperCase()}${failed ? 'F' : ''}`
        if (!xapiIds.has(id)) {
          xapiIds.add(id)
          return id
        }
      }
    }
    const recordedBy = source === 'xapi' ? 'Learning record store (xAPI)' : 'E-learning import (CSV)'
    const evidence =
      source === 'xapi'
        ? 'xAPI statement from the e-learning system: passed, score 0.8 or more'
        : 'Imported from the e-learning system’s completion report'
    if (rng.chance(0.08))
      addCompletion({
        staffId,
        moduleCode: m.code,
        kind: m.kind,
        title: m.title,
        completedOn: addDays(day, -2),
        hours: m.hours,
        outcome: 'failed',
        evidence: source === 'xapi' ? 'xAPI statement: failed, score 0.55' : 'Not passed: score below the pass mark',
        source,
        course: null,
        externalId: externalId(true),
        recordedAt: at(addDays(day, -1), rng, 1, 5),
        recordedBy,
      })
    addCompletion({
      staffId,
      moduleCode: m.code,
      kind: m.kind,
      title: m.title,
      completedOn: day,
      hours: m.hours,
      outcome: 'passed',
      evidence,
      source,
      course: null,
      externalId: externalId(false),
      recordedAt: at(minIso(addDays(day, 1), T), rng, 1, 5),
      recordedBy,
    })
  }
  const busy = new Map<number, Set<string>>()
  /** a top-up between two days: a course with room (of one module, when given), else the e-learning */
  const topupBetween = (staffId: number, from: string, to: string, moduleCode?: string) => {
    const mine = busy.get(staffId) ?? new Set<string>()
    busy.set(staffId, mine)
    const open = sessions.filter(
      s =>
        s.day >= from &&
        s.day <= to &&
        s.members.length < TOPUP_CAPACITY &&
        !mine.has(s.day) &&
        (moduleCode === undefined || s.moduleCode === moduleCode),
    )
    if (open.length && (moduleCode !== undefined || !rng.chance(0.2))) {
      const s = rng.pick(open)
      s.members.push(staffId)
      mine.add(s.day)
      return s.day
    }
    if (moduleCode !== undefined) {
      // none of that top-up in those days (the holidays moved it): an extra run of it
      const days = Array.from({ length: daysBetween(from, to) + 1 }, (_, k) => addDays(from, k)).filter(
        d => !holiday(d) && weekday(d) % 6 !== 0 && d <= addDays(T, -3) && !mine.has(d),
      )
      if (days.length) {
        const extra = { moduleCode, day: rng.pick(days), members: [staffId] }
        sessions.push(extra)
        mine.add(extra.day)
        return extra.day
      }
    }
    let day = addDays(from, rng.int(0, Math.max(0, daysBetween(from, to))))
    while (mine.has(day)) day = addDays(day, 1)
    mine.add(day)
    elearning(staffId, day)
    return day
  }
  // the first top-up is not due yet for those trained in the last year
  const dueTopups = [...initialOn.entries()].filter(([, d0]) => d0 < twelveBack).sort((a, b) => a[0] - b[0])
  // at least one officer whose top-up has lapsed and one whose top-up expires within the month
  const others = rng.shuffle(dueTopups.filter(([id]) => id !== showcaseId && !supervisorStaff.has(id)))
  const forcedExpired = others[0]?.[0]
  const forcedExpiring = others.find(
    ([id, d0]) => id !== forcedExpired && addDays(d0, 300) <= addDays(twelveBack, 3),
  )?.[0]
  for (const [staffId, d0] of dueTopups) {
    const showcase = staffId === showcaseId
    const target =
      showcase || staffId === forcedExpiring
        ? 'expiring'
        : staffId === forcedExpired
          ? 'expired'
          : rng.weighted([
              ['current', 0.62],
              ['expiring', 0.13],
              ['expired', 0.25],
            ] as const)
    const earliestTopup = addDays(d0, 300)
    let range: [string, string] | null
    if (target === 'expiring')
      // the demo Key Worker's falls due after their coming top-up course, unless the holidays leave no working day
      range = showcase
        ? workingDayIn(addDays(twelveBack, 14), addDays(twelveBack, 29))
          ? [addDays(twelveBack, 14), addDays(twelveBack, 29)]
          : [addDays(twelveBack, 1), addDays(twelveBack, 29)]
        : [addDays(twelveBack, 3), addDays(twelveBack, 26)]
    else if (target === 'expired') range = [addDays(twelveBack, -200), addDays(twelveBack, -5)]
    else range = [addDays(twelveBack, 35), addDays(T, -7)]
    range = [maxIso(range[0], earliestTopup), range[1]]
    if (range[0] > range[1])
      range = target === 'expiring' ? [maxIso(addDays(twelveBack, 35), earliestTopup), addDays(T, -7)] : null
    if (!range || range[0] > range[1]) continue
    // the last top-up, then those before it about a year apart (each taken up to seven weeks before it fell due)
    const chain: [string, string][] = [range]
    for (;;) {
      const next = chain.at(-1)![0]
      const back = addMonths(next, -rules.topupMonths)
      const r: [string, string] = [back, addDays(back, 50)]
      if (r[0] < earliestTopup) break
      chain.push(r)
    }
    chain.reverse()
    let last = ''
    chain.forEach((r, k) => {
      // the demo Key Worker retook the motivational interviewing refresher: a new certificate, the old one kept
      const moduleCode = showcase && (k === 0 || k === chain.length - 1) ? TOPUP_MI : undefined
      last = topupBetween(staffId, r[0], r[1], moduleCode)
    })
    // some keen officers did another top-up since, for their CPD hours
    if (target === 'current' && addDays(last, 14) < addDays(T, -3) && rng.chance(0.4))
      topupBetween(staffId, addDays(last, 14), addDays(T, -3))
  }
  for (const s of sessions) {
    if (s.members.length === 0) continue
    const m = mod(s.moduleCode)
    const trainer = trainerOf()
    const [startsAt, endsAt] = m.hours >= 3 ? ['09:30', '12:30'] : ['13:30', '15:30']
    const completedAt = at(s.day, rng, 16, 18)
    const createdAt = at(addDays(s.day, -rng.int(21, 45)), rng)
    const members = [...s.members].sort((a, b) => a - b)
    const course: PlannedCourse = {
      moduleCode: s.moduleCode,
      region: null,
      trainerUserId: trainer.userId,
      trainer: trainer.name,
      place: rng.pick([place, 'Training room, gate house', 'Key Worker hub meeting room']),
      capacity: TOPUP_CAPACITY,
      status: 'completed',
      notes: '',
      createdAt,
      createdBy: trainer.name,
      cancelledAt: null,
      cancelledBy: null,
      cancelReason: null,
      completedAt,
      completedBy: trainer.name,
      days: [{ day: s.day, startsAt, endsAt }],
      enrolments: members.map(staffId => ({
        staffId,
        status: 'completed',
        enrolledAt: at(addDays(createdAt.slice(0, 10), rng.int(1, 15)), rng),
        enrolledBy: enrolledBy(staffId, trainer.name),
        waitingSince: null,
        updatedAt: completedAt,
        updatedBy: trainer.name,
      })),
      attendance: members.map(staffId => ({ day: s.day, staffId, present: true })),
      feedback: [],
    }
    feedbackFor(course, members, s.day, 0.45)
    const index = plan.courses.length
    plan.courses.push(course)
    for (const staffId of members)
      addCompletion({
        staffId,
        moduleCode: m.code,
        kind: m.kind,
        title: m.title,
        completedOn: s.day,
        hours: m.hours,
        outcome: 'completed',
        evidence: 'Attended the session; register signed.',
        source: 'course',
        course: index,
        externalId: null,
        recordedAt: completedAt,
        recordedBy: trainer.name,
      })
  }

  // 5. The local module: most officers did it in their first months (or once the programme began), recorded by hand.
  for (const o of officers) {
    const s = start.get(o.staffId)!
    const from = maxIso(addDays(s, 30), programmeStart)
    if (from > addDays(T, -3) || !rng.chance(0.8)) continue
    const on = minIso(addDays(from, rng.int(0, 90)), addDays(T, -3))
    const by = trainerOf()
    const local = (day: string) =>
      addCompletion({
        staffId: o.staffId,
        moduleCode: plan.localModule.code,
        kind: 'local',
        title: plan.localModule.title,
        completedOn: day,
        hours: plan.localModule.hours,
        outcome: 'completed',
        evidence: 'Signed attendance sheet, kept by the learning and development team.',
        source: 'manual',
        course: null,
        externalId: null,
        recordedAt: at(minIso(addDays(day, rng.int(0, 5)), T), rng),
        recordedBy: by.name,
      })
    local(on)
    // the trained go again when the local services change (a new certificate replaces the first)
    const again = addDays(T, -rng.int(7, 330))
    if (initialOn.has(o.staffId) && again > addDays(on, 60) && rng.chance(0.45)) local(again)
  }

  // 6. A top-up assigned from a QA review of a thin entry (the demo Key Worker's first, when they had one).
  const recent = addDays(T, -42)
  const lowReviews = input.reviews
    .filter(r => r.overall <= 2 && r.submittedAt.slice(0, 10) >= recent && initialOn.has(r.staffId))
    .sort((a, b) => {
      const sa = a.staffId === showcaseId ? 0 : 1
      const sb = b.staffId === showcaseId ? 0 : 1
      return sa - sb || b.submittedAt.localeCompare(a.submittedAt) || a.id - b.id
    })
  for (const r of lowReviews) {
    if (plan.assignments.length >= 2) break
    if (plan.assignments.some(a => a.staffId === r.staffId)) continue
    const on = r.submittedAt.slice(0, 10)
    plan.assignments.push({
      staffId: r.staffId,
      moduleCode: TOPUP_ENTRIES,
      reviewId: r.id,
      reason:
        `Your entry scored ${r.overall} out of 4 in the quality review: this top-up covers recording the prisoner’s ` +
        'own words, a SMART goal and a referral to a real service.',
      dueOn: addDays(on, 56),
      assignedAt: new Date(Date.parse(r.submittedAt) + 5 * 60_000).toISOString(),
      assignedByUserId: r.reviewerUserId,
      assignedBy: r.reviewer,
    })
  }

  // 7. Coming courses: the initial course (one full with a waiting list, one with places), a regional one, a top-up.
  const lead = sups[0]!
  const booked = new Set<number>()
  const statusNow = (id: number) => {
    if (initialOn.has(id)) return 'trained'
    const s = start.get(id)!
    return T < windowOpen(s) ? 'new' : T <= windowClose(s) ? 'window' : 'overdue'
  }
  const untrained = keyWorkers
    .filter(o => !initialOn.has(o.staffId))
    .sort((a, b) => start.get(a.staffId)!.localeCompare(start.get(b.staffId)!) || a.staffId - b.staffId)
  const upcoming = (
    moduleCode: string,
    firstDay: string,
    capacity: number,
    people: number[],
    opts: {
      region?: string
      trainer?: { userId: number | null; name: string }
      place?: string
      waiting?: number[]
    } = {},
  ) => {
    const m = mod(moduleCode)
    const trainer = opts.trainer ?? lead
    const days =
      m.days > 1
        ? Array.from({ length: m.days }, (_, k) => ({ day: addDays(firstDay, k), startsAt: '09:00', endsAt: '16:00' }))
        : [{ day: firstDay, startsAt: m.hours >= 3 ? '09:30' : '13:30', endsAt: m.hours >= 3 ? '12:30' : '15:30' }]
    const createdAt = at(addDays(T, -rng.int(20, 40)), rng)
    const enrol = (staffId: number, k: number, waiting: boolean): PlannedEnrolment => {
      booked.add(staffId)
      const enrolledAt = at(addDays(createdAt.slice(0, 10), 1 + k), rng)
      return {
        staffId,
        status: waiting ? 'waiting' : 'enrolled',
        enrolledAt,
        enrolledBy: enrolledBy(staffId, trainer.name),
        waitingSince: waiting ? enrolledAt : null,
        updatedAt: enrolledAt,
        updatedBy: trainer.name,
      }
    }
    const course: PlannedCourse = {
      moduleCode,
      region: opts.region ?? null,
      trainerUserId: trainer.userId,
      trainer: trainer.name,
      place: opts.place ?? place,
      capacity,
      status: 'scheduled',
      notes: opts.region ? `Open to Key Workers of every establishment in ${opts.region}.` : '',
      createdAt,
      createdBy: trainer.name,
      cancelledAt: null,
      cancelledBy: null,
      cancelReason: null,
      completedAt: null,
      completedBy: null,
      days,
      enrolments: [
        ...people.slice(0, capacity).map((id, k) => enrol(id, k, false)),
        ...(opts.waiting ?? []).map((id, k) => enrol(id, capacity + k, true)),
      ],
      attendance: [],
      feedback: [],
    }
    plan.courses.push(course)
    return course
  }
  const firstCourse = clearOfHolidays(mondayFrom(addDays(T, 14)), 5, 7)
  // overdue first, then those in their window, then new starters whose window opens before the course
  const priority = (o: TrainingOfficer) => ({ overdue: 0, window: 1, new: 2, trained: 3 })[statusNow(o.staffId)]
  const queue = untrained
    .filter(o => statusNow(o.staffId) !== 'new' || windowOpen(start.get(o.staffId)!) <= addDays(firstCourse, 42))
    .sort((a, b) => priority(a) - priority(b) || start.get(a.staffId)!.localeCompare(start.get(b.staffId)!))
    .map(o => o.staffId)
  const fullCapacity = queue.length >= INITIAL_CAPACITY + 2 ? INITIAL_CAPACITY : Math.max(1, queue.length - 2)
  const full = queue.splice(0, fullCapacity)
  const waiting = queue.splice(0, Math.min(3, queue.length, Math.max(1, queue.length - 4)))
  upcoming(INITIAL, firstCourse, fullCapacity, full, { waiting })
  if (input.regional)
    upcoming(INITIAL, clearOfHolidays(mondayFrom(addDays(T, 35)), 5, 7), 16, queue.splice(0, 3), {
      region: est.region,
      trainer: { userId: null, name: 'Regional Key Work training team' },
      place: `${est.region} regional training centre`,
    })
  upcoming(INITIAL, clearOfHolidays(mondayFrom(addDays(T, 56)), 5, 7), INITIAL_CAPACITY, queue.splice(0, 6))
  // the top-up, before the demo Key Worker's falls due: them (expiring soon), those assigned it from a QA review, some
  // whose top-up lapsed
  const lapsed = (id: number) => {
    const last = plan.completions
      .filter(c => c.staffId === id && c.outcome !== 'failed' && (c.kind === 'initial' || c.kind === 'topup'))
      .reduce((m, c) => maxIso(m, c.completedOn), '')
    return last !== '' && addMonths(last, rules.topupMonths) <= addDays(T, 30)
  }
  const topupPeople = [
    ...(showcaseId !== null && initialOn.has(showcaseId) ? [showcaseId] : []),
    ...plan.assignments.map(a => a.staffId),
  ]
  const lapsedOfficers = keyWorkers.map(o => o.staffId).filter(id => lapsed(id) && !topupPeople.includes(id))
  rng.shuffle(lapsedOfficers)
  const topupDay = clearOfHolidays(weekdayBefore(addDays(T, rng.int(7, 11))), 1, 7)
  upcoming(TOPUP_ENTRIES, topupDay, TOPUP_CAPACITY, [...new Set([...topupPeople, ...lapsedOfficers.splice(0, 6)])])

  if (input.showcase) {
    // held two days ago, the register taken: waiting for its trainer to record the outcomes
    const held = clearOfHolidays(weekdayBefore(addDays(T, -2)), 1, -7)
    const members = lapsedOfficers.splice(0, 4).filter(id => !booked.has(id))
    const c = upcoming(TOPUP_MH, held, TOPUP_CAPACITY, members)
    c.createdAt = at(addDays(held, -30), rng)
    for (const e of c.enrolments) {
      e.enrolledAt = at(addDays(held, -rng.int(5, 25)), rng)
      e.updatedAt = e.enrolledAt
    }
    c.attendance = members.map(staffId => ({ day: held, staffId, present: true }))
    // cancelled with notice to those booked
    const cancelled = upcoming(
      TOPUP_MI,
      clearOfHolidays(weekdayBefore(addDays(T, 9)), 1, 7),
      TOPUP_CAPACITY,
      lapsedOfficers.splice(0, 3),
    )
    cancelled.status = 'cancelled'
    cancelled.cancelledAt = at(addDays(T, -2), rng)
    cancelled.cancelledBy = lead.name
    cancelled.cancelReason = rng.pick(CANCEL_REASONS)
    for (const e of cancelled.enrolments) {
      e.status = 'cancelled'
      e.updatedAt = cancelled.cancelledAt
      e.updatedBy = lead.name
    }
  }

  // 8. Certificates for every completion not failed, in the order they were done; a module taken again replaces
  // the officer's earlier certificate of it.
  // the earlier ones point at the current one, as the records settle them
  const taken = new Set<string>()
  const ofModule = new Map<string, number[]>()
  const order = plan.completions
    .map((c, i) => [c, i] as const)
    .filter(([c]) => c.outcome !== 'failed')
    .sort((a, b) => a[0].completedOn.localeCompare(b[0].completedOn) || a[1] - b[1])
  for (const [c, i] of order) {
    const key = `${c.staffId}:${c.moduleCode}`
    const index = plan.certificates.length
    const earlier = ofModule.get(key) ?? []
    for (const k of earlier) plan.certificates[k]!.supersededBy = index
    ofModule.set(key, [...earlier, index])
    plan.certificates.push({
      completion: i,
      code: code(rng, taken),
      staffId: c.staffId,
      name: name.get(c.staffId)!,
      moduleTitle: c.title,
      completedOn: c.completedOn,
      issuedOn: c.recordedAt.slice(0, 10),
      issuedAt: c.recordedAt,
      issuedBy: c.recordedBy,
      supersededBy: null,
    })
  }

  // 9. The reflective journal of the officers who sign in: Gibbs and short, private and shared with their SO.
  for (const o of officers) {
    if (o.userId === null) continue
    const showcase = o.staffId === showcaseId
    const n = showcase ? 5 : rng.int(1, 3)
    const days = Array.from({ length: n }, () => addDays(T, -rng.int(3, 330))).sort()
    days.forEach((writtenOn, k) => {
      const gibbs = showcase ? k % 2 === 0 : rng.chance(0.5)
      const shared = showcase ? k % 3 !== 1 : rng.chance(0.5)
      const createdAt = at(writtenOn, rng, 14, 20)
      const base = {
        staffId: o.staffId,
        userId: o.userId!,
        writtenOn,
        minutes: showcase ? [45, 20, 60, 15, 30][k]! : rng.pick(MINUTES),
        shared,
        sharedAt: shared ? new Date(Date.parse(createdAt) + rng.int(1, 48) * 3_600_000).toISOString() : null,
        createdAt,
      }
      if (gibbs) {
        const g = GIBBS[(k + o.staffId) % GIBBS.length]!
        plan.journal.push({ ...base, form: 'gibbs', ...g })
      } else {
        const s = SHORT[(k + o.staffId) % SHORT.length]!
        plan.journal.push({
          ...base,
          form: 'short',
          title: s.title,
          description: s.text,
          feelings: '',
          evaluation: '',
          analysis: '',
          conclusion: '',
          actionPlan: '',
        })
      }
    })
  }
  return plan
}
