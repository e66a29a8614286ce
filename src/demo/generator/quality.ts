/**
 * A year of quality assurance for one demo establishment (issue 15), deterministic for a seed: the Supervising
 * Officers' monthly sample (about two entries per Key Worker, drawn on the first of the next month and due a
 * fortnight later), reviews of most of them against the rubric's criteria (mostly 2-3, some 4, a few 1: what the
 * entry itself deserves, with some noise), varied feedback, the officers' acknowledgements and replies (for those
 * who sign in), commendations, a few nominations to the good-practice library (some published, texts written by
 * hand with no names), one-to-one supervision about every six weeks (a few overdue), a closed calibration exercise
 * with three markers who disagree as people do, and entries changed so that the integrity checks have something to
 * find: narratives copied to another prisoner's entry and sessions of one officer that overlap. Pure: no I/O.
 */
import { addDays, daysBetween } from '../../domain/dates'
import { Random, deriveSeed } from '../../domain/random'
import { type StoredPrecheck, precheck, precheckScore } from '../../domain/precheck'
import type { EntryText } from '../../domain/sessionEntry'
import type { FlagOutcome } from '../../domain/integrity'
import type { HistorySession } from './history'

export interface QualityEntry {
  id: number
  staffId: number
  prisonerId: number
  /** the prisoner's first name, as the history wrote it into the narrative */
  prisonerName: string
  date: string
  startsAt: string
  durationMinutes: number | null
  pathways: string
  concern: number
  interpreterNeeded: number
  interpreterUsed: number | null
  words: string | null
  agreed: string | null
  authorUserId: number | null
}

export interface QualityOfficer {
  staffId: number
  /** the officer's sign-in, when they have one: only they read, acknowledge and reply */
  userId: number | null
  name: string
}

export interface QualitySupervisor {
  userId: number
  name: string
  /** the SO's own staff record: they never review their own entries */
  staffId: number | null
}

export interface QualityInput {
  seed: number
  /** a stable number for the establishment, for its own random stream */
  stream: number
  today: string
  officers: QualityOfficer[]
  /** the establishment's Supervising Officers; the first three mark the calibration exercise */
  supervisors: QualitySupervisor[]
  /** submitted, delivered entries of the year */
  entries: QualityEntry[]
  /** the rubric the reviews use */
  criteria: { id: number; code: string }[]
  /** how many of the hand-written library entries this establishment's nominations become (0-3) */
  publish: number
  /** the first of the hand-written library entries this establishment's become (others took the ones before) */
  libraryFrom?: number
  /** whether this establishment holds the demo's closed calibration exercise (needs three supervisors) */
  calibrate: boolean
  /** days an SO has to review a sampled entry */
  dueDays?: number
  /** weeks between supervisions */
  supervisionWeeks?: number
}

export interface PlannedSample {
  sessionId: number
  staffId: number
  month: string
  sampledAt: string
  dueOn: string
  status: 'due' | 'reviewed'
}

export interface PlannedScore {
  criterionId: number
  score: number | null
  comment: string | null
}

export interface PlannedReview {
  sessionId: number
  kind: 'sample' | 'calibration'
  reviewerUserId: number
  reviewer: string
  officerUserId: number | null
  overall: number
  good: string
  change: string
  submittedAt: string
  readAt: string | null
  acknowledgedAt: string | null
  reply: string | null
  repliedAt: string | null
  scores: PlannedScore[]
}

export interface PlannedCommendation {
  sessionId: number | null
  staffId: number
  officerUserId: number | null
  text: string
  byUserId: number
  byName: string
  createdAt: string
  seenAt: string | null
}

export interface PlannedNomination {
  sessionId: number
  byUserId: number
  byName: string
  nominatedAt: string
  reason: string
  status: 'nominated' | 'published' | 'declined'
  title: string | null
  text: string | null
  pathways: string
  decidedAt: string | null
  decisionNote: string | null
}

export interface PlannedSupervision {
  staffId: number
  supervisorUserId: number
  supervisor: string
  heldOn: string
  topics: string
  agreed: string
  nextDueOn: string
}

export interface PlannedCalibration {
  title: string
  createdAt: string
  dueOn: string
  closedAt: string
  createdByUserId: number
  createdBy: string
  sessionIds: number[]
  markers: number[]
}

/** A change to an entry so that an integrity check finds it. */
export interface PlannedChange {
  sessionId: number
  date?: string
  startsAt?: string
  words?: string
  agreed?: string
}

export interface PlantedPair {
  kind: 'near_duplicate' | 'overlap'
  /** the earlier (or original) entry and the one changed */
  sessionId: number
  otherSessionId: number
}

export interface QualityPlan {
  samples: PlannedSample[]
  /** sample reviews (one per reviewed sample) and then the calibration's */
  reviews: PlannedReview[]
  commendations: PlannedCommendation[]
  nominations: PlannedNomination[]
  supervisions: PlannedSupervision[]
  calibration: PlannedCalibration | null
  changes: PlannedChange[]
  planted: PlantedPair[]
}

/** Hand-written library entries: redacted (no names, prison numbers, dates or places), as the national team publishes them. */
export const LIBRARY_ENTRIES: { title: string; pathways: string; text: string }[] = [
  {
    title: 'Housing before release: a plan the prisoner wrote with his officer',
    pathways: 'accommodation,finance-benefit-debt',
    text:
      '[Name] said: “I’ve got nowhere to go when I get out and I’m scared I’ll end up sofa surfing again, because ' +
      'that’s when I start using.” We went through where he has lived and what went wrong each time. He is proud ' +
      'that he kept his last tenancy for two years and paid the rent on time, and we used that as the starting point.\n\n' +
      'Agreed: I referred him to the resettlement housing advice service for an appointment within a week, to ' +
      'start a homelessness application with the council. [Name] will write down his addresses for the last five ' +
      'years and ask his probation officer to confirm his release date. I will check the referral was ' +
      'acknowledged on [date] and we will review the goal (a confirmed address or an approved premises place four ' +
      'weeks before release) at our next session in a fortnight.',
  },
  {
    title: 'A concern raised, escalated and followed up the same day',
    pathways: 'wellbeing-safety,children-families',
    text:
      '[Name] was quieter than usual and said: “Some days I don’t see the point. My daughter’s mum has stopped ' +
      'bringing her and I haven’t done anything, but I think about it at night.” I asked him directly about ' +
      'thoughts of harming himself; he said he had no plan and wanted to talk to someone.\n\n' +
      'I told the Supervising Officer straight after the session and an ACCT was opened; the case manager saw him ' +
      'that afternoon. With his agreement I referred him to the family services worker about contact with his ' +
      'daughter, and he will put in an application for a Listener tonight. He said he found it helpful to talk. I ' +
      'will see him again within three days and check the ACCT review date with the case manager.',
  },
  {
    title: 'Building on a strength: from kitchen work to a qualification',
    pathways: 'education-training-employment,attitudes-thinking-behaviour',
    text:
      '[Name] has worked in the kitchen for three months without a single missed shift, and the kitchen manager ' +
      'describes him as reliable. He said: “I never thought I was any good at anything, but I like it in there. ' +
      'I’d work in a kitchen outside if someone would have me.”\n\n' +
      'We set a goal together: to enrol on the Level 2 food hygiene course by the end of next month and complete it ' +
      'within three months. I sent a referral to the learning and skills team and asked for the course dates; ' +
      '[Name] will ask the kitchen manager for a reference. We also talked about the interview skills workshop run ' +
      'by the employment hub, which he will consider before our next session in two weeks, when we will review ' +
      'both.',
  },
]

const GOOD_FEEDBACK = [
  'You recorded what he said in his own words, and it is clear how that shaped what you agreed.',
  'A clear, respectful entry: a reader who was not there knows exactly what happened and what comes next.',
  'You explored the need properly rather than ticking the pathway, and the referral names a real service.',
  'Good use of his strengths: you built the plan on the progress he has already made.',
  'The actions say who does what and by when, which makes the next session easy to pick up.',
  'You picked up on how he was feeling and recorded who you told, which is exactly right.',
  'His priorities come through clearly, and the goal is specific enough to review next time.',
  'Concise and factual, with his view kept separate from your assessment.',
  'You followed up the referral from last time, which shows him the plan is real.',
  'It is clear the session was a conversation, not a checklist.',
]

const FAIR_GOOD_FEEDBACK = [
  'The entry is clear and respectful, and it records that the session took place.',
  'You noted the main topic of the conversation.',
  'You kept the entry factual.',
  'The pathway ticked matches what you discussed.',
  'You recorded a next step, which is a good start.',
]

const THIN_GOOD_FEEDBACK = [
  'Thank you for recording the session on the day.',
  'The session is recorded, so his contact is not lost.',
  'You saw him and recorded it, which matters.',
]

const CHANGE_FEEDBACK = [
  'Next time, quote one thing he said about what he wants, in his words.',
  'Write down what you agreed as actions: who does what, and by when.',
  'When you tick a pathway, add a sentence about what the need is and where it stands.',
  'Set one SMART goal with him, or review the open one, so progress can be measured.',
  'Name the service you signposted him to and what it is for, so the referral can be followed up.',
  'Say who you told about the concern and what happens next.',
  'Record whether an interpreter was used, or why not.',
  'Avoid "all fine" and "no issues": say what you talked about, even briefly.',
  'Note one thing he is doing well and build the plan on it.',
  'Mention when you will see him next and what you will review then.',
]

const GOOD_CHANGE_FEEDBACK = [
  'To make it outstanding, add the follow-up date for the referral.',
  'Consider recording his view of the goal as well as yours.',
  'You could link the two needs he raised, as one affects the other.',
  'Nothing major: perhaps note when you will review the goal.',
]

/** Each criterion's comments for a low score (1-2) and for a good one (3-4), so a comment never contradicts its score. */
const CRITERION_COMMENTS: Record<string, { low: string[]; good: string[] }> = {
  voice: {
    low: ['Nothing he said is recorded.'],
    good: ['His words are quoted, which helps.', 'A close paraphrase of his view.'],
  },
  needs: { low: ['Pathway ticked with little written about it.'], good: ['The need is explored well.'] },
  goal: { low: ['No goal set or reviewed.'], good: ['The goal has a measure and a date.'] },
  signposting: { low: ['No service named.'], good: ['The referral names the service and the reason.'] },
  risk: { low: ['Not clear who the concern was passed to.'], good: ['Clear who was told.'] },
  strengths: { low: ['Only problems are described.'], good: ['Builds on his progress in the kitchen.'] },
  interpreter: {
    low: ['No reason recorded for not using an interpreter.'],
    good: ['Interpreter booked and recorded.', 'Reason for no interpreter recorded.'],
  },
  'follow-up': { low: ['Next session not mentioned.'], good: ['Clear next steps with dates.'] },
  language: { low: ['Too brief to follow.'], good: ['Clear and respectful.'] },
}

const REPLIES = [
  'Thanks, I will make sure I write down what he agreed to next time.',
  'Fair point about the goal. I had set one on paper but not on here, I will add it.',
  'Thank you, that is good to hear. The housing referral came through this week.',
  'I did not know the interpreting line could be booked in advance, I will do that.',
  'Understood. It was a short session because of the regime, but I take the point.',
  'Thanks for the feedback, it helps to know what good looks like.',
  'I did tell the wing manager about the concern, I just did not write it down. Will do next time.',
  'Could we go through the goals part at my next supervision?',
]

const COMMENDATIONS = [
  'An excellent entry: his own words, a SMART goal and a real referral. Thank you.',
  'Thank you for the way you handled his concern: escalated straight away and recorded clearly.',
  'A model of a strengths-based session. I have shared it with the team as an example.',
  'Really good work on his housing before release: clear actions and a follow-up date.',
  'You made sure he had an interpreter and it shows in the quality of the conversation. Well done.',
]

const OFFICER_COMMENDATIONS = [
  'Consistently good entries this quarter: thank you for the care you put into your sessions.',
  'Thank you for covering extra sessions during the staff shortage without the quality dropping.',
  'Your sessions with men new to custody have been excellent: well done.',
]

const NOMINATION_REASONS = [
  'A clear example of recording the prisoner’s voice and building a plan with him.',
  'Shows how to escalate a concern and follow it up, recorded well.',
  'A good example of a strengths-based session leading to a SMART goal.',
  'Useful for new Key Workers: short, specific and respectful.',
]

const SUPERVISION_TOPICS = [
  'Caseload and sessions delivered since the last supervision',
  'Feedback from the quality review of recent entries',
  'Setting SMART goals with the men on the caseload',
  'A difficult session with a man who refused key work',
  'Wellbeing: the officer’s own workload and support',
  'Using interpreters and the telephone interpreting line',
  'Referrals to the housing advice service before release',
  'Training: the Key Work refresher course',
  'Recording concerns and who to tell',
]

const SUPERVISION_AGREED = [
  'Book the interpreting line in advance for the two men who need it.',
  'Review the open goals of the men due for release in the next three months.',
  'Attend the Key Work refresher on the next available date.',
  'Quote the prisoner’s own words in at least one place in every entry.',
  'Use the ring-fenced key work time on Tuesday mornings for the sessions behind schedule.',
  'Shadow a colleague’s session in the hub to see a strengths-based approach.',
  'Talk to the Supervising Officer straight away if redeployed during key work time.',
]

const CALIBRATION_TITLES = ['Calibration: entries from the summer', 'Calibration: autumn entries']

/** What an entry deserves on the quality scale, from the entry itself: thin ones about 1-2, quoted and specific ones about 3. */
export function entryLevel(e: Pick<QualityEntry, 'words' | 'agreed'>): number {
  const text = `${e.words ?? ''} ${e.agreed ?? ''}`.trim()
  if (text.length < 80) return 1.8
  const quoted = /[“"]/.test(text)
  if (quoted && text.length > 150) return 3.25
  return 2.45
}

const clampScore = (x: number) => Math.min(4, Math.max(1, Math.round(x)))
const month = (date: string) => date.slice(0, 7)
const firstOfNextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number]
  return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`
}
const at = (date: string, rng: Random, from = 8, to = 16) =>
  `${date}T${String(rng.int(from, to)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00.000Z`

/** Scores for an entry against the criteria, around its level, with a reviewer's bias; the overall score. */
function scoreEntry(
  rng: Random,
  e: QualityEntry,
  criteria: QualityInput['criteria'],
  level: number,
  bias: number,
  commentShare: number,
  spread = 1.2,
): { scores: PlannedScore[]; overall: number } {
  // how good this particular entry is, beyond its kind: shared by its criteria
  const lift = (rng.next() - 0.5) * spread
  const scores = criteria.map(c => {
    let score: number | null
    if (c.code === 'interpreter' && !e.interpreterNeeded) score = null
    else if (c.code === 'interpreter') score = e.interpreterUsed ? rng.pick([3, 3, 4]) : rng.pick([1, 2, 2])
    else if (c.code === 'risk' && !e.concern) score = null
    else score = clampScore(level + lift + bias + (rng.next() - 0.5) * 1.2)
    const comments = CRITERION_COMMENTS[c.code]
    const pool = comments && score !== null ? (score <= 2 ? comments.low : comments.good) : undefined
    const comment = score !== null && pool && rng.chance(commentShare) ? rng.pick(pool) : null
    return { criterionId: c.id, score, comment }
  })
  const given = scores.map(s => s.score).filter((s): s is number => s !== null)
  const mean = given.length ? given.reduce((a, b) => a + b, 0) / given.length : level
  return { scores, overall: clampScore(mean + (rng.next() - 0.5) * 0.6) }
}

function feedback(rng: Random, level: number, overall: number): { good: string; change: string } {
  if (overall >= 3)
    return {
      good: rng.chance(0.4)
        ? `${rng.pick(GOOD_FEEDBACK)} ${rng.pick(GOOD_FEEDBACK.filter((_, i) => i % 2 === 1))}`
        : rng.pick(GOOD_FEEDBACK),
      change: overall === 4 && rng.chance(0.5) ? rng.pick(GOOD_CHANGE_FEEDBACK) : rng.pick(CHANGE_FEEDBACK),
    }
  const good = level < 2 ? rng.pick(THIN_GOOD_FEEDBACK) : rng.pick(FAIR_GOOD_FEEDBACK)
  const change = rng.chance(0.3)
    ? `${rng.pick(CHANGE_FEEDBACK)} ${rng.pick(CHANGE_FEEDBACK.slice(0, 5))}`
    : rng.pick(CHANGE_FEEDBACK)
  return { good, change }
}

/** The officer's side of a review, for those who sign in: read, usually acknowledged, sometimes a reply. */
function officerResponse(rng: Random, officerUserId: number | null, submittedAt: string, today: string) {
  const none = { readAt: null, acknowledgedAt: null, reply: null, repliedAt: null }
  if (officerUserId === null) return none
  const readOn = addDays(submittedAt.slice(0, 10), rng.int(0, 4))
  if (readOn >= today || !rng.chance(0.9)) return none
  const readAt = at(readOn, rng, 17, 20)
  const acknowledgedAt = rng.chance(0.75) ? readAt : null
  const reply = rng.chance(0.4) ? rng.pick(REPLIES) : null
  return { readAt, acknowledgedAt, reply, repliedAt: reply ? readAt : null }
}

/** The establishment's year of quality assurance; the same input always gives the same plan. */
export function generateQuality(input: QualityInput): QualityPlan {
  const rng = new Random(deriveSeed(input.seed, 40_000 + input.stream))
  const dueDays = input.dueDays ?? 14
  const step = (input.supervisionWeeks ?? 6) * 7
  const officers = new Map(input.officers.map(o => [o.staffId, o]))
  const sups = input.supervisors
  const plan: QualityPlan = {
    samples: [],
    reviews: [],
    commendations: [],
    nominations: [],
    supervisions: [],
    calibration: null,
    changes: [],
    planted: [],
  }
  if (sups.length === 0) return plan
  // each officer's own Supervising Officer (never themselves)
  const supervisorOf = (staffId: number, salt = 0) => {
    const allowed = sups.filter(s => s.staffId !== staffId)
    return allowed.length ? allowed[(staffId + salt) % allowed.length]! : null
  }
  const entries = [...input.entries]
    .filter(e => officers.has(e.staffId))
    .sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id)
  const current = month(input.today)

  // Planted for the integrity checks first, so that reviews see the entries as they will be.
  plant(rng, entries, plan)
  const changed = new Map(plan.changes.map(c => [c.sessionId, c]))
  const view = (e: QualityEntry): QualityEntry => {
    const c = changed.get(e.id)
    return c ? { ...e, words: c.words ?? e.words, agreed: c.agreed ?? e.agreed, date: c.date ?? e.date } : e
  }

  // The monthly sample: two entries per officer per finished month, reviewed within a few weeks of the draw.
  const byMonthOfficer = new Map<string, QualityEntry[]>()
  for (const e of entries) {
    const m = month(view(e).date)
    if (m >= current) continue
    const k = `${m}|${e.staffId}`
    const list = byMonthOfficer.get(k)
    if (list) list.push(e)
    else byMonthOfficer.set(k, [e])
  }
  const keys = [...byMonthOfficer.keys()].sort()
  for (const k of keys) {
    const [m, staff] = k.split('|') as [string, string]
    const staffId = Number(staff)
    const reviewer = supervisorOf(staffId)
    if (!reviewer) continue
    const drawn = firstOfNextMonth(m)
    const picked = rng.shuffle([...byMonthOfficer.get(k)!]).slice(0, 2)
    for (const e of picked) {
      const reviewOn = addDays(drawn, rng.int(2, dueDays + 6))
      const reviewed = reviewOn < input.today && !rng.chance(0.03)
      plan.samples.push({
        sessionId: e.id,
        staffId,
        month: m,
        sampledAt: at(drawn, rng, 6, 7),
        dueOn: addDays(drawn, dueDays),
        status: reviewed ? 'reviewed' : 'due',
      })
      if (!reviewed) continue
      const v = view(e)
      const level = entryLevel(v)
      const { scores, overall } = scoreEntry(rng, v, input.criteria, level, 0, 0.2)
      const officerUserId = officers.get(staffId)!.userId
      const submittedAt = at(reviewOn, rng, 9, 16)
      plan.reviews.push({
        sessionId: e.id,
        kind: 'sample',
        reviewerUserId: reviewer.userId,
        reviewer: reviewer.name,
        officerUserId,
        overall,
        ...feedback(rng, level, overall),
        submittedAt,
        ...officerResponse(rng, officerUserId, submittedAt, input.today),
        scores,
      })
      if (overall === 4 && rng.chance(0.4))
        plan.commendations.push({
          sessionId: e.id,
          staffId,
          officerUserId,
          text: rng.pick(COMMENDATIONS),
          byUserId: reviewer.userId,
          byName: reviewer.name,
          createdAt: submittedAt,
          seenAt: officerUserId !== null && rng.chance(0.8) ? at(addDays(reviewOn, 1), rng, 8, 12) : null,
        })
    }
  }

  // A few commendations of an officer rather than an entry.
  for (const o of rng.shuffle([...input.officers]).slice(0, Math.max(1, Math.round(input.officers.length / 25)))) {
    const by = supervisorOf(o.staffId)
    if (!by) continue
    plan.commendations.push({
      sessionId: null,
      staffId: o.staffId,
      officerUserId: o.userId,
      text: rng.pick(OFFICER_COMMENDATIONS),
      byUserId: by.userId,
      byName: by.name,
      createdAt: at(addDays(input.today, -rng.int(3, 300)), rng),
      seenAt: null,
    })
  }

  // Nominations to the good-practice library: from the best reviewed entries; some published, one declined.
  const best = plan.reviews.filter(r => r.overall === 4 && r.kind === 'sample')
  const nominated = rng.shuffle([...best]).slice(0, Math.max(2, input.publish + 2))
  nominated.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))
  nominated.forEach((r, i) => {
    const publish = i < input.publish
    const declined = i === input.publish && nominated.length > input.publish + 1
    const library = LIBRARY_ENTRIES[((input.libraryFrom ?? 0) + i) % LIBRARY_ENTRIES.length]!
    const decidedOn = addDays(r.submittedAt.slice(0, 10), rng.int(5, 20))
    const decided = (publish || declined) && decidedOn < input.today
    plan.nominations.push({
      sessionId: r.sessionId,
      byUserId: r.reviewerUserId,
      byName: r.reviewer,
      nominatedAt: r.submittedAt,
      reason: rng.pick(NOMINATION_REASONS),
      status: decided ? (publish ? 'published' : 'declined') : 'nominated',
      title: decided && publish ? library.title : null,
      text: decided && publish ? library.text : null,
      pathways: publish ? library.pathways : '',
      decidedAt: decided ? at(decidedOn, rng) : null,
      decisionNote: decided
        ? publish
          ? 'Published with names, dates and places removed.'
          : 'A good entry, but too close to one already in the library.'
        : null,
    })
  })

  // Supervision: every officer about every six weeks over the year; a few have fallen behind.
  for (const o of input.officers) {
    const by = supervisorOf(o.staffId, 1)
    if (!by) continue
    const behind = rng.chance(0.1)
    const stop = behind ? addDays(input.today, -rng.int(step + 14, step + 60)) : input.today
    for (
      let day = addDays(input.today, -365 + rng.int(0, step));
      day <= stop;
      day = addDays(day, step + rng.int(-7, 7))
    ) {
      plan.supervisions.push({
        staffId: o.staffId,
        supervisorUserId: by.userId,
        supervisor: by.name,
        heldOn: day,
        topics: [...new Set([rng.pick(SUPERVISION_TOPICS), rng.pick(SUPERVISION_TOPICS)])].join('\n'),
        agreed: rng.pick(SUPERVISION_AGREED),
        nextDueOn: addDays(day, step),
      })
    }
  }

  // One closed calibration exercise: three markers score the same ten entries blind.
  if (input.calibrate && sups.length >= 3) calibrate(rng, input, entries.map(view), plan)
  return plan
}

/** Copies a few narratives to another prisoner's entry of the same officer, and makes a few sessions overlap. */
function plant(rng: Random, entries: QualityEntry[], plan: QualityPlan) {
  const used = new Set<number>()
  const byStaff = new Map<number, QualityEntry[]>()
  for (const e of entries) {
    const list = byStaff.get(e.staffId)
    if (list) list.push(e)
    else byStaff.set(e.staffId, [e])
  }
  const staffIds = rng.shuffle([...byStaff.keys()].sort((a, b) => a - b))
  let copies = 0
  let overlaps = 0
  for (const staffId of staffIds) {
    const list = byStaff.get(staffId)!
    if (copies < 3) {
      const source = list.find(e => !used.has(e.id) && entryLevel(e) > 3 && e.words?.includes(e.prisonerName))
      const target =
        source &&
        list.find(
          e =>
            !used.has(e.id) &&
            e.id !== source.id &&
            e.prisonerId !== source.prisonerId &&
            e.date > source.date &&
            daysBetween(source.date, e.date) <= 90,
        )
      if (source && target) {
        const rename = (t: string | null) => (t ?? '').replaceAll(source.prisonerName, target.prisonerName)
        plan.changes.push({
          sessionId: target.id,
          words: rename(source.words),
          // a small edit, as a copy usually has
          agreed: rename(source.agreed).replace(/\.$/, '. Will review next time.'),
        })
        plan.planted.push({ kind: 'near_duplicate', sessionId: source.id, otherSessionId: target.id })
        used.add(source.id).add(target.id)
        copies++
        continue
      }
    }
    if (overlaps < 3 && list.length >= 2) {
      const candidates = list.filter(e => !used.has(e.id) && (e.durationMinutes ?? 0) >= 30 && e.startsAt < '15:30')
      // the officer's next session after one in the middle of the year, moved onto that day
      const middle = Math.floor(candidates.length / 2)
      const first = candidates[middle]
      const second = first && candidates.slice(middle + 1).find(e => e.date !== first.date)
      if (first && second) {
        const [h, m] = first.startsAt.split(':').map(Number) as [number, number]
        const minutes = h * 60 + m + 15
        plan.changes.push({
          sessionId: second.id,
          date: first.date,
          startsAt: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
        })
        plan.planted.push({ kind: 'overlap', sessionId: first.id, otherSessionId: second.id })
        used.add(first.id).add(second.id)
        overlaps++
      }
    }
    if (copies >= 3 && overlaps >= 3) break
  }
}

function calibrate(rng: Random, input: QualityInput, entries: QualityEntry[], plan: QualityPlan) {
  const markers = input.supervisors.slice(0, 3)
  const markerStaff = new Set(markers.map(m => m.staffId))
  const start = addDays(input.today, -rng.int(70, 100))
  const pool = entries.filter(
    e => e.date < start && e.date >= addDays(start, -60) && !markerStaff.has(e.staffId) && e.authorUserId === null,
  )
  if (pool.length < 10) return
  // a spread of quality: thin, fair and good entries, in turn while there are some of each
  const levels = [1.8, 2.45, 3.25]
  const chosen: QualityEntry[] = []
  for (let i = 0; chosen.length < 10 && i < 200; i++) {
    const e = rng.pick(pool)
    if (entryLevel(e) === levels[chosen.length % 3] && !chosen.includes(e)) chosen.push(e)
  }
  for (const e of pool) if (chosen.length < 10 && !chosen.includes(e)) chosen.push(e)
  const closedOn = addDays(start, rng.int(20, 28))
  plan.calibration = {
    title: rng.pick(CALIBRATION_TITLES),
    createdAt: at(start, rng),
    dueOn: addDays(start, 21),
    closedAt: at(closedOn, rng, 15, 17),
    createdByUserId: markers[0]!.userId,
    createdBy: markers[0]!.name,
    sessionIds: chosen.map(e => e.id),
    markers: markers.map(m => m.userId),
  }
  // each marker's leaning (one strict, one lenient) and the entry's own quality: agreement, but not perfect
  const bias = [0, -0.35, 0.3]
  const officers = new Map(input.officers.map(o => [o.staffId, o.userId]))
  for (const e of chosen) {
    const level = entryLevel(e) + (rng.next() - 0.5) * 0.6
    markers.forEach((m, i) => {
      const { scores, overall } = scoreEntry(rng, e, input.criteria, level, bias[i]!, 0.1, 0.5)
      plan.reviews.push({
        sessionId: e.id,
        kind: 'calibration',
        reviewerUserId: m.userId,
        reviewer: m.name,
        officerUserId: officers.get(e.staffId) ?? null,
        overall,
        ...feedback(rng, level, overall),
        submittedAt: at(addDays(start, rng.int(1, 19)), rng),
        readAt: null,
        acknowledgedAt: null,
        reply: null,
        repliedAt: null,
        scores,
      })
    })
  }
}

/** A demo entry as the pre-check reads it: the stored session, its goals and referrals. */
export type PrecheckRow = Omit<
  HistorySession,
  'key' | 'prisonerId' | 'staffId' | 'outcome' | 'reason' | 'detail' | 'quality'
> & {
  outcome: string
  goals: { description: string; measure: string; targetDate: string }[]
  referrals: { to: string; note: string; followUp: string }[]
}

/** "Check my entry" came in this many days before the demo's today: older entries have no pre-check. */
export const PRECHECK_DAYS = 91

const yesNo = (v: number | null) => (v === null ? '' : v ? 'yes' : 'no')

/**
 * The pre-check ("Check my entry") of a demo entry as if its officer had typed it, for key_work_sessions.precheck and
 * precheck_score: estimates only (the demo's officers were shown no hints). Null for a session not delivered.
 */
export function demoPrecheck(
  row: PrecheckRow,
  firstName: string,
  rubricVersion = 1,
): { precheck: string; score: number | null } | null {
  if (row.outcome !== 'delivered') return null
  const [year, month, day] = row.date.split('-') as [string, string, string]
  const text: EntryText = {
    outcome: 'delivered',
    notDeliveredReason: '',
    notDeliveredDetail: '',
    sessionDate: { day, month, year },
    startsAt: row.startsAt,
    duration: row.durationMinutes === null ? '' : String(row.durationMinutes),
    location: row.location ?? '',
    hubBookingId: '',
    private: yesNo(row.private),
    interpreterNeeded: yesNo(row.interpreterNeeded),
    interpreterUsed: yesNo(row.interpreterUsed),
    interpreterService: row.interpreterService ?? '',
    interpreterBookingRef: row.interpreterRef ?? '',
    interpreterLanguage: row.interpreterLanguage ?? '',
    interpreterWhyNot: row.interpreterWhyNot ?? '',
    pathways: row.pathways ? row.pathways.split(',') : [],
    concern: yesNo(row.concern),
    concernEscalatedTo: row.concernEscalatedTo ?? '',
    prisonerWords: row.prisonerWords ?? '',
    agreed: row.agreed ?? '',
    goals: row.goals,
    reviews: new Map(),
    referrals: row.referrals,
    worksheets: [],
  }
  const p = precheck(text, { openGoalIds: [], firstName, recordSaysInterpreter: row.interpreterNeeded === 1 })
  const stored: StoredPrecheck = { rubricVersion, estimates: p.estimates, hints: [] }
  return { precheck: JSON.stringify(stored), score: precheckScore(p) }
}

export interface DemoFlag {
  id: number
  kind: string
  staffId: number | null
  /** when the entry (and the other entry) it is about were submitted */
  submittedAt: string | null
  otherSubmittedAt: string | null
}

export interface FlagResolution {
  id: number
  raisedAt: string
  resolution: {
    outcome: FlagOutcome
    note: string
    resolvedByUserId: number
    resolvedBy: string
    resolvedAt: string
  } | null
}

const OUTCOMES: Record<string, [FlagOutcome, number][]> = {
  near_duplicate: [
    ['advice_given', 40],
    ['entry_amended', 20],
    ['no_concern', 25],
    ['referred_on', 15],
  ],
  overlap: [
    ['entry_amended', 45],
    ['no_concern', 40],
    ['advice_given', 15],
  ],
  thin: [
    ['advice_given', 55],
    ['no_concern', 30],
    ['entry_amended', 15],
  ],
  other: [
    ['no_concern', 50],
    ['advice_given', 30],
    ['referred_on', 20],
  ],
}

const NOTES: Record<FlagOutcome, string[]> = {
  no_concern: [
    'Checked with the officer: the times were entered wrongly and the sessions did happen. No concern.',
    'Spoke to the officer; the entry reflects the session. No further action.',
    'Looked at both entries: similar wording for similar conversations, nothing copied.',
  ],
  advice_given: [
    'Discussed with the officer at supervision: each entry must describe that session in the prisoner’s words.',
    'Advice given on recording enough for a reader who was not there.',
    'Reminded the officer not to reuse text between entries; they understood.',
  ],
  entry_amended: [
    'The officer amended the entry to record the correct time and what was discussed.',
    'Entry amended by the officer with what was actually agreed.',
  ],
  referred_on: [
    'Referred to the custodial manager to look at the officer’s other entries.',
    'Passed to the head of residence with the evidence.',
  ],
}

/**
 * When each flag the integrity checks raised was raised (as the later of its entries came in, as the submit hook
 * would have) and how a Supervising Officer resolved most of the older ones; recent ones are left open.
 */
export function resolveFlags(
  flags: readonly DemoFlag[],
  opts: { seed: number; stream: number; today: string; supervisors: QualitySupervisor[] },
): FlagResolution[] {
  const rng = new Random(deriveSeed(opts.seed, 50_000 + opts.stream))
  return flags.map(f => {
    const submitted = [f.submittedAt, f.otherSubmittedAt].filter((x): x is string => !!x).sort()
    const last = submitted.at(-1) ?? `${addDays(opts.today, -1)}T12:00:00.000Z`
    const raisedAt = new Date(Date.parse(last) + 60_000).toISOString()
    const age = daysBetween(raisedAt.slice(0, 10), opts.today)
    const resolvedOn = addDays(raisedAt.slice(0, 10), rng.int(1, 12))
    const allowed = opts.supervisors.filter(s => s.staffId !== f.staffId)
    const by = allowed.length ? allowed[(f.staffId ?? f.id) % allowed.length]! : null
    if (!by || resolvedOn >= opts.today || !rng.chance(age > 21 ? 0.85 : 0.3))
      return { id: f.id, raisedAt, resolution: null }
    const outcome = rng.weighted(OUTCOMES[f.kind] ?? OUTCOMES.other!)
    return {
      id: f.id,
      raisedAt,
      resolution: {
        outcome,
        note: rng.pick(NOTES[outcome]),
        resolvedByUserId: by.userId,
        resolvedBy: by.name,
        resolvedAt: at(resolvedOn, rng, 9, 16),
      },
    }
  })
}
