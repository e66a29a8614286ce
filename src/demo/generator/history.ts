/**
 * A year of Key Work history for one demo establishment, deterministic for a seed: for each current allocation
 * (backdated to a plausible date after reception), sessions due at about the policy frequency, delivered at a
 * rate that varies by establishment and houseblock (20-70%), otherwise recorded as not delivered with a reason or
 * not recorded at all; interpreters for those who need one (often missing, as the review found); goals (some
 * achieved); referrals to the establishment's directory services or to stakeholders; and entries of varying
 * quality: a third to a half good (specific, in the prisoner's own words, with agreed actions), some thin ("Spoke
 * to X, all fine"), a few copied word for word from another prisoner's entry. Pure: no I/O.
 */
import { addDays, daysBetween } from '../../domain/dates'
import { PATHWAYS } from '../../domain/pathways'
import { type NotDeliveredReason, STAKEHOLDERS, type Stakeholder } from '../../domain/sessions'
import { Random, deriveSeed } from '../../domain/random'

export interface HistoryPrisoner {
  id: number
  firstName: string
  receptionDate: string
  unitId: number | null
  interpreterNeeded: boolean
  firstLanguage: string
}

export interface HistoryInput {
  seed: number
  /** a stable number for the establishment (its position in the demo), for its own random stream */
  stream: number
  today: string
  frequencyWeeks: number
  sessionMinutes: number
  /** until: the day a past allocation ended (the man left; no session from that day) */
  allocations: { id: number; prisonerId: number; staffId: number; allocatedAt: string; until?: string }[]
  prisoners: HistoryPrisoner[]
  /** directory services the establishment can refer to (its own and national ones) */
  services: { id: string; name: string }[]
  /** how far back the history goes, in days */
  days?: number
  /**
   * A planted effect for the trials demo (src/demo/generator/trials.ts): from this date on (an intervention adopted
   * by the establishment), the chance that a due session is delivered rises by `delivered` (at most to 0.95).
   */
  uplift?: { from: string; delivered: number }
}

/** The chance that a session due on `date` is delivered: the houseblock's rate, raised from an uplift's date. */
export function deliveryChance(rate: number, date: string, uplift?: { from: string; delivered: number }): number {
  if (!uplift || date < uplift.from) return rate
  return Math.min(0.95, rate + uplift.delivered)
}

export interface HistorySession {
  key: string
  prisonerId: number
  staffId: number
  outcome: 'delivered' | 'not_delivered'
  reason: NotDeliveredReason | null
  detail: string | null
  date: string
  startsAt: string
  durationMinutes: number | null
  location: string | null
  private: number | null
  interpreterNeeded: number
  interpreterUsed: number | null
  interpreterService: string | null
  interpreterRef: string | null
  interpreterLanguage: string | null
  interpreterWhyNot: string | null
  pathways: string
  concern: number
  concernEscalatedTo: string | null
  prisonerWords: string | null
  agreed: string | null
  quality: 'good' | 'fair' | 'thin' | 'copied' | null
}

export interface HistoryGoal {
  sessionKey: string
  prisonerId: number
  description: string
  measure: string
  targetDate: string
  status: 'open' | 'in_progress' | 'achieved' | 'dropped'
  createdAt: string
}

export interface HistoryReferral {
  sessionKey: string
  prisonerId: number
  serviceId: string | null
  stakeholder: Stakeholder | null
  note: string
  status: 'sent' | 'acknowledged' | 'done' | 'declined'
  followUpDate: string
  createdAt: string
}

export interface History {
  /** allocation id → backdated allocated_at */
  allocatedAt: Map<number, string>
  sessions: HistorySession[]
  goals: HistoryGoal[]
  referrals: HistoryReferral[]
  /** the delivery rate used for each houseblock (null: no unit), for the record */
  rates: Map<number | null, number>
}

const REASON_WEIGHTS: [NotDeliveredReason, number][] = [
  ['officer_redeployed', 30],
  ['regime_curtailed', 22],
  ['prisoner_refused', 16],
  ['unavailable_court', 5],
  ['unavailable_healthcare', 8],
  ['unavailable_visit', 7],
  ['unavailable_segregation', 4],
  ['other', 8],
]

const OTHER_DETAILS = [
  'Fire alarm on the wing',
  'Prisoner at a legal visit',
  'Lockdown after an incident',
  'Prisoner asleep after nights on healthcare watch',
]

const GOOD: Record<string, { words: string[]; agreed: string[]; goal?: [string, string] }> = {
  accommodation: {
    words: [
      'I’ve got nowhere to go when I get out. My mum’s place is too small now my sister’s back.',
      'The council said I’m not priority. I don’t want to end up on the streets again like last time.',
    ],
    agreed: [
      'I will ask the resettlement team to book a housing appointment this week. {name} will fill in the housing form with the peer mentor by Friday.',
      'Referred to the housing advice service. {name} to write down the addresses he has lived at for the last five years before our next session.',
    ],
    goal: ['Have an address to go to on release', 'A confirmed housing referral and appointment'],
  },
  'education-training-employment': {
    words: [
      'I want to do the forklift course. I did a bit of warehouse work before and I liked it.',
      'I can’t read the letters they send me, I just pretend. I’d like to sort that out.',
    ],
    agreed: [
      '{name} will apply for the next forklift course through the learning and skills office; I will check the waiting list with education on Monday.',
      'We agreed {name} will try the Shannon Trust reading plan. I will ask the wing mentor to meet him on Wednesday.',
    ],
    goal: ['Start a vocational course', 'Enrolled and attending the course'],
  },
  health: {
    words: [
      'My back’s been bad for weeks and I keep getting knocked back for the doctor.',
      'I’m not sleeping. My head just goes round and round at night since the sentencing.',
    ],
    agreed: [
      'I will email healthcare today about the GP appointment. {name} will put in an app for the gym’s back class.',
      'Talked about what helps at night. {name} agreed to see the mental health team; I made the referral during the session.',
    ],
    goal: ['See the GP about his back pain', 'Appointment attended and a plan agreed'],
  },
  'drugs-alcohol': {
    words: [
      'I’ve been offered stuff on the landing and it’s hard to say no when you’re bored.',
      'I want to stay clean this time. Last time I came out I used the same day.',
    ],
    agreed: [
      '{name} will meet the substance misuse worker on Thursday. We talked about keeping busy: he will ask for a wing job.',
      'Referred to the recovery group. {name} will tell me at the next session how the first meeting went.',
    ],
    goal: ['Engage with the substance misuse team', 'Attends three group sessions'],
  },
  'finance-benefit-debt': {
    words: [
      'I owe money to a lad on the wing and he keeps asking. I don’t want it to kick off.',
      'I don’t know if my Universal Credit got stopped when I came in. There were rent arrears.',
    ],
    agreed: [
      'We went through what is owed. I will speak to the Supervising Officer about his safety today and {name} will not borrow more.',
      '{name} will see the benefits adviser; I booked him onto Tuesday’s clinic and gave him the form.',
    ],
    goal: ['Sort out benefits before release', 'Claim prepared with the adviser'],
  },
  'children-families': {
    words: [
      'I haven’t seen my daughter since I came in. Her mum won’t bring her.',
      'It’s my lad’s birthday next week and I’ve got no credit to ring him.',
    ],
    agreed: [
      'I will ask the family worker about a family day. {name} will write to his daughter’s mum this week and show me the letter if he wants help.',
      'Arranged for {name} to use the PIN phone credit advance. He will ring on the day.',
    ],
    goal: ['Restart contact with his daughter', 'A family visit booked'],
  },
  'attitudes-thinking-behaviour': {
    words: [
      'I lost it with the officer on the servery. I know I shouldn’t have but he was winding me up.',
      'People think I’m trouble because of my record. I want to show I’ve changed.',
    ],
    agreed: [
      'We talked through what happened and what he could do next time. {name} agreed to do the thinking skills course; I will put his name down.',
      '{name} will keep a note of times he feels wound up. We will look at it together next session.',
    ],
    goal: ['No adjudications for three months', 'No proven adjudications by the target date'],
  },
  'wellbeing-safety': {
    words: [
      'Some days I don’t see the point. I haven’t done anything but I think about it.',
      'I’m getting grief from the lads next door about my case.',
    ],
    agreed: [
      'We talked about who he can go to at night. I opened an ACCT with the Supervising Officer and {name} agreed to speak to a Listener.',
      'I told the wing manager about the threats today. {name} will tell me or any officer if it happens again.',
    ],
  },
}

const FAIR = [
  ['Talked about his sentence plan and how things are on the wing.', 'Keep going with education.'],
  ['Discussed his family and work in the kitchen.', 'Will see him again next week.'],
  ['He is settling in and has a job on the wing.', 'No actions.'],
  ['Talked about his release plans. He is a bit worried about money.', 'To discuss again next time.'],
] as const

const THIN = ['Spoke to {name}, all fine.', 'Seen. No issues.', '{name} ok. Nothing to report.', 'KW session done.']

// Sentences that vary the narratives, as officers' own words do: two entries say the same only when copied.
const MORE_WORDS = [
  'I just want to get it sorted before it’s too late.',
  'Nobody has explained it to me properly.',
  'My family keep asking me what the plan is.',
  'I know I messed up last time.',
  'I’ve been thinking about it every night.',
  'I don’t want to be back in here in six months.',
  'It’s doing my head in, to be honest.',
  'I’m trying, I really am.',
  'My probation officer said to ask you.',
  'I didn’t want to say anything on the landing.',
  'It’s the first time anyone has asked me.',
  'I’d rather deal with it now than when I’m out.',
]

const CONTEXT = [
  'He spoke openly and was calm throughout.',
  'He was anxious at first but settled as we talked.',
  'We met in the hub, which he said he preferred to his cell.',
  'He brought his letters so we could go through them together.',
  'He was frustrated with how long things are taking but stayed polite.',
  'He was positive about the progress since our last session.',
  'He was tired after a night shift in the kitchen but keen to talk.',
  'He asked good questions and wrote some of the answers down.',
  'He said the peer mentor had already helped him with part of it.',
  'He was quieter than usual and took a while to open up.',
  'He has kept up his wing job and is proud of it.',
  'His cellmate had been moved that morning, which unsettled him.',
]

const NEXT_STEPS = [
  'He was clear about what he will do before we meet again.',
  'I wrote the actions on a note for him to keep in his cell.',
  'I will update his sentence plan with what we agreed.',
  'He agreed that I share this with his offender manager.',
  'I will chase the reply if nothing has come back by Wednesday.',
  'He will tell the wing staff if anything changes before then.',
  'I will check with the department that the application has arrived.',
  'We talked through what could get in the way and how to handle it.',
  'He said he felt better having a plan.',
  'I will pass a note to the evening staff so they know.',
  'He will bring any letters he receives to the next session.',
  'I gave him the leaflet and went through the key points.',
]

const NEXT_SESSION = [
  'Next session in a fortnight.',
  'We will review this next week.',
  'I will see him again on Monday.',
  'Next key work session booked in the hub.',
  'We will look at progress at our next meeting.',
  'I will catch up with him in a few days to see how it went.',
  'Review at the next session.',
  'I will see him after the weekend.',
  'Follow up next time.',
  'We will meet again once the appointment has happened.',
]

const FAIR_DETAIL = [
  'He mentioned his court date is coming up.',
  'He is still on the waiting list for education.',
  'He talked about the football on the weekend.',
  'He has been going to the gym most days.',
  'He said his visits have been going well.',
  'He asked about moving to a different wing.',
  'He has had a few letters from home.',
  'He said the food has improved.',
  'He mentioned his back has been playing up.',
  'He is hoping to get a job in the gardens.',
  'He said he has been reading a lot.',
  'He spoke about his brother who is also in custody.',
  'He has been getting on with his cellmate.',
  'He is waiting to hear about his categorisation review.',
  'He said he is saving his wages for phone credit.',
]

const FAIR_MOOD = [
  'He seemed in good spirits.',
  'He was a bit flat today.',
  'He was chatty.',
  'He seemed settled.',
  'He was polite but did not say much.',
  'He appeared a little stressed.',
  'He was in a positive mood.',
  'He was quiet.',
  'He seemed tired.',
  'He was cheerful.',
]

const FAIR_WING = [
  'No problems on the wing reported.',
  'Wing staff say he is no trouble.',
  'He said the landing has been noisy at night.',
  'He has not had any adjudications.',
  'He has kept his cell tidy.',
  'He goes to association most evenings.',
  'He is on the enhanced regime.',
  'He has been working on the servery.',
  'He gets on with the other men on the landing.',
  'He is on the standard regime.',
  'He said there has been some tension on the wing.',
  'He has been spending most of his time in his cell.',
]

const FAIR_NEXT = [
  'Will check on him next week.',
  'Follow up next session.',
  'He knows he can ask for me.',
  'No further action.',
  'Will ask about his education place.',
  'To see again in two weeks.',
  'Will pass on his request to the wing manager.',
  'Nothing else raised.',
  'Keep an eye on how he is doing.',
  'Will mention it to his offender manager.',
  'Will see how the court date goes.',
  'Carry on as he is.',
]

const FAIR_CLOSE = [
  'Session ended on time.',
  'Session cut short by unlock.',
  'Session held in his cell.',
  'Good session overall.',
  'Brief session.',
  'Session went well.',
  'He was happy to talk.',
  'Session on the landing.',
  'He thanked me for my time.',
  'Session ended early for lunch.',
]

const THIN_MORE = [
  'Nothing raised.',
  'Ok.',
  'On the landing.',
  'At the door.',
  'Said he is fine.',
  'No concerns.',
  'Quick chat.',
  'Busy day.',
  'No problems.',
  'Will see again.',
  'Nothing new.',
  'He said ok.',
  'Fine.',
  'All good.',
  'Not much to say.',
]

const THIN_AGREED = [
  'None.',
  'N/A.',
  'Nothing agreed.',
  'No actions.',
  'See next time.',
  'Carry on.',
  'Nil.',
  'None needed.',
]

const WHY_NO_INTERPRETER = [
  'The telephone interpreting line was not booked in time',
  'No interpreter available for the language today',
  'Used another prisoner to help instead',
  'Prisoner said he understood enough English',
]

const TIMES = ['09:00', '09:30', '10:00', '10:30', '14:00', '14:30', '15:00', '15:30']

/** Generates the establishment's history; the same input and seed always give the same output. */
export function generateHistory(input: HistoryInput): History {
  const rng = new Random(deriveSeed(input.seed, 10_000 + input.stream))
  const horizon = addDays(input.today, -(input.days ?? 365))
  const base = 0.2 + rng.next() * 0.5
  const rates = new Map<number | null, number>()
  const rateOf = (unitId: number | null) => {
    let r = rates.get(unitId)
    if (r === undefined) {
      r = Math.min(0.7, Math.max(0.2, base + (rng.next() - 0.5) * 0.25))
      rates.set(unitId, r)
    }
    return r
  }
  const prisoners = new Map(input.prisoners.map(p => [p.id, p]))
  const step = input.frequencyWeeks * 7
  const allocatedAt = new Map<number, string>()
  const sessions: HistorySession[] = []
  const goals: HistoryGoal[] = []
  const referrals: HistoryReferral[] = []
  const recentByStaff = new Map<number, HistorySession>()
  const goodShare = 0.33 + rng.next() * 0.17
  // the narratives' wording from a stream of its own, so that varying it changes nothing else
  const text = new Random(deriveSeed(input.seed, 30_000 + input.stream))
  let n = 0

  const sorted = [...input.allocations].sort((a, b) => a.id - b.id)
  for (const a of sorted) {
    const p = prisoners.get(a.prisonerId)
    if (!p) continue
    // a plausible allocation date: some days after reception, never in the future nor after the real one
    const wait = Math.round(rng.exponential(9))
    let start = addDays(p.receptionDate, wait)
    if (start > a.allocatedAt.slice(0, 10)) start = a.allocatedAt.slice(0, 10)
    if (start > input.today) start = input.today
    const hour = String(rng.int(8, 16)).padStart(2, '0')
    allocatedAt.set(a.id, `${start}T${hour}:${String(rng.int(0, 59)).padStart(2, '0')}:00.000Z`)
    const rate = rateOf(p.unitId)
    // the first session is due one period after allocation; history covers at most the horizon
    let due = addDays(start, rng.int(1, step))
    if (due < horizon) due = addDays(horizon, rng.int(0, step - 1))
    const end = a.until !== undefined && a.until <= input.today ? addDays(a.until, -1) : input.today
    for (; due <= end; due = addDays(due, step + rng.int(-2, 2))) {
      const date = due < p.receptionDate ? p.receptionDate : due
      if (rng.chance(deliveryChance(rate, date, input.uplift))) {
        const s = deliveredSession(
          rng,
          input,
          p,
          a.staffId,
          date,
          `demo-${input.stream}-${n++}`,
          goodShare,
          recentByStaff,
          text,
        )
        sessions.push(s)
        recentByStaff.set(a.staffId, s)
        followUps(rng, input, s, p, goals, referrals)
      } else if (rng.chance(0.55)) {
        const reason = rng.weighted(REASON_WEIGHTS)
        sessions.push({
          ...emptySession(`demo-${input.stream}-${n++}`, p.id, a.staffId, date, rng),
          outcome: 'not_delivered',
          reason,
          detail: reason === 'other' ? rng.pick(OTHER_DETAILS) : null,
          interpreterNeeded: p.interpreterNeeded ? 1 : 0,
        })
      }
    }
  }
  separateSessions(sessions)
  return { allocatedAt, sessions, goals, referrals, rates }
}

/** Two different sentences of a list, in the order picked. */
function two(rng: Random, list: readonly string[]): string {
  const a = rng.int(0, list.length - 1)
  const b = (a + rng.int(1, list.length - 1)) % list.length
  return `${list[a]} ${list[b]}`
}

const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5))
const timeOf = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`

/**
 * An officer is in one place at a time: a delivered session that would start before the officer's previous one that
 * day ends starts when it ends (rounded up to the quarter hour). Sessions are planned one prisoner at a time, so
 * without this two would often overlap. No randomness: the rest of the history is unchanged.
 */
export function separateSessions(sessions: HistorySession[]) {
  const byDay = new Map<string, HistorySession[]>()
  for (const s of sessions) {
    if (s.outcome !== 'delivered') continue
    const key = `${s.staffId}|${s.date}`
    const list = byDay.get(key)
    if (list) list.push(s)
    else byDay.set(key, [s])
  }
  for (const list of byDay.values()) {
    if (list.length < 2) continue
    list.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.key.localeCompare(b.key))
    let free = 0
    for (const s of list) {
      const start = Math.max(minutesOf(s.startsAt), free)
      s.startsAt = timeOf(Math.min(start, 23 * 60))
      free = Math.ceil((start + (s.durationMinutes ?? 0)) / 15) * 15
    }
  }
}

function emptySession(key: string, prisonerId: number, staffId: number, date: string, rng: Random): HistorySession {
  return {
    key,
    prisonerId,
    staffId,
    outcome: 'delivered',
    reason: null,
    detail: null,
    date,
    startsAt: rng.pick(TIMES),
    durationMinutes: null,
    location: null,
    private: null,
    interpreterNeeded: 0,
    interpreterUsed: null,
    interpreterService: null,
    interpreterRef: null,
    interpreterLanguage: null,
    interpreterWhyNot: null,
    pathways: '',
    concern: 0,
    concernEscalatedTo: null,
    prisonerWords: null,
    agreed: null,
    quality: null,
  }
}

function deliveredSession(
  rng: Random,
  input: HistoryInput,
  p: HistoryPrisoner,
  staffId: number,
  date: string,
  key: string,
  goodShare: number,
  recentByStaff: Map<number, HistorySession>,
  text: Random,
): HistorySession {
  const s = emptySession(key, p.id, staffId, date, rng)
  s.location = rng.weighted([
    ['hub_room', 3],
    ['interview_room', 2],
    ['cell', 4],
    ['wing_office', 2],
  ] as const)
  s.private =
    s.location === 'hub_room' || s.location === 'interview_room' ? (rng.chance(0.95) ? 1 : 0) : rng.chance(0.3) ? 1 : 0
  s.durationMinutes = Math.max(10, Math.round(input.sessionMinutes + rng.int(-20, 10)))
  if (p.interpreterNeeded) {
    s.interpreterNeeded = 1
    if (rng.chance(0.35)) {
      s.interpreterUsed = 1
      s.interpreterService = 'Telephone interpreting service'
      s.interpreterRef = `TI-${rng.int(100000, 999999)}`
      s.interpreterLanguage = p.firstLanguage
    } else {
      s.interpreterUsed = 0
      s.interpreterWhyNot = rng.pick(WHY_NO_INTERPRETER)
    }
  }
  const pathway = rng.pick(PATHWAYS).code
  const second = rng.chance(0.4) ? rng.pick(PATHWAYS).code : pathway
  s.pathways = [...new Set([pathway, second])].join(',')
  const name = p.firstName
  const copyFrom = recentByStaff.get(staffId)
  const quality: HistorySession['quality'] =
    copyFrom?.prisonerWords && copyFrom.prisonerId !== p.id && rng.chance(0.04)
      ? 'copied'
      : rng.chance(goodShare)
        ? 'good'
        : rng.chance(0.5)
          ? 'fair'
          : 'thin'
  s.quality = quality
  if (quality === 'copied') {
    s.prisonerWords = copyFrom!.prisonerWords
    s.agreed = copyFrom!.agreed
    s.pathways = copyFrom!.pathways
  } else if (quality === 'good') {
    const g = GOOD[pathway]!
    s.prisonerWords = `${name} said: “${rng.pick(g.words)} ${text.pick(MORE_WORDS)}” ${two(text, CONTEXT)}`
    s.agreed = `${rng.pick(g.agreed)} ${two(text, NEXT_STEPS)} ${text.pick(NEXT_SESSION)}`.replaceAll('{name}', name)
  } else if (quality === 'fair') {
    const [w, agreed] = rng.pick(FAIR)
    s.prisonerWords = `${w} ${text.pick(FAIR_DETAIL)} ${text.pick(FAIR_MOOD)} ${text.pick(FAIR_WING)}`
    s.agreed = `${agreed} ${text.pick(FAIR_NEXT)} ${text.pick(FAIR_CLOSE)}`
  } else {
    s.prisonerWords = `${rng.pick(THIN).replaceAll('{name}', name)} ${text.pick(THIN_MORE)}`
    s.agreed = text.chance(0.5) ? text.pick(THIN_AGREED) : null
    s.pathways = rng.chance(0.5) ? '' : s.pathways
    // most thin entries are a quick word at the door; some are a long session written up in a line
    if (text.chance(0.7)) s.durationMinutes = text.int(5, 25)
  }
  if (s.pathways.includes('wellbeing-safety') && quality === 'good') {
    s.concern = 1
    s.concernEscalatedTo = rng.pick(['Supervising Officer', 'Safer custody team', 'Wing manager'])
  }
  return s
}

function followUps(
  rng: Random,
  input: HistoryInput,
  s: HistorySession,
  p: HistoryPrisoner,
  goals: HistoryGoal[],
  referrals: HistoryReferral[],
) {
  if (s.quality === 'thin' || s.quality === 'copied') return
  const createdAt = `${s.date}T${s.startsAt}:00.000Z`
  const age = daysBetween(s.date, input.today)
  const pathway = s.pathways.split(',')[0] ?? ''
  const g = GOOD[pathway]?.goal
  if (g && rng.chance(s.quality === 'good' ? 0.45 : 0.1)) {
    const status =
      age < 28
        ? rng.weighted([
            ['open', 3],
            ['in_progress', 2],
            ['achieved', 1],
          ] as const)
        : rng.weighted([
            ['open', 1],
            ['in_progress', 2],
            ['achieved', 4],
            ['dropped', 2],
          ] as const)
    goals.push({
      sessionKey: s.key,
      prisonerId: p.id,
      description: g[0],
      measure: g[1],
      targetDate: addDays(s.date, rng.pick([28, 42, 56, 84])),
      status,
      createdAt,
    })
  }
  if (rng.chance(s.quality === 'good' ? 0.3 : 0.06)) {
    const toService = input.services.length > 0 && rng.chance(0.6)
    const service = toService ? rng.pick(input.services) : null
    const stakeholder = service ? null : rng.pick(Object.keys(STAKEHOLDERS) as Stakeholder[])
    const status =
      age < 14
        ? rng.weighted([
            ['sent', 4],
            ['acknowledged', 2],
          ] as const)
        : rng.weighted([
            ['sent', 2],
            ['acknowledged', 2],
            ['done', 5],
            ['declined', 1],
          ] as const)
    referrals.push({
      sessionKey: s.key,
      prisonerId: p.id,
      serviceId: service?.id ?? null,
      stakeholder,
      note: service ? `Referred to ${service.name}` : `Referred to ${STAKEHOLDERS[stakeholder!]}`,
      status,
      followUpDate: addDays(s.date, 14),
      createdAt,
    })
  }
}
