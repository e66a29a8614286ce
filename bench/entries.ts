// The entries the write benchmarks submit (bench/sessions.ts, bench/scale.ts), shaped like a real establishment's:
// the sessions of all its Key Workers, each officer with at most four a day at four different times (a month's key
// work pressed into the last week, but never two sessions of one officer at once), each with a narrative of its own
// made of sentences officers write. The submit runs the integrity checks (issue 15) against the officer's day and against earlier
// narratives: one officer with thousands of identical entries at the same hour made every submit raise dozens of
// overlap flags and compare against a thousand copies, which measured the pathological case, not a prison.
import crypto from 'node:crypto'
import { addDays, todayIso } from '../src/domain/dates'
import type { Services } from '../src/services'

const SAID = [
  'He said he has nowhere to go when he gets out and the council told him he is not a priority.',
  'He told me his mum is not well and he is worried he will not get a visit before Christmas.',
  'He asked about getting onto the bricklaying course because his cousin works on a building site.',
  'He said the debt from his phone contract keeps growing and letters go to his old address.',
  'He has been struggling to sleep since the move to the new landing and feels on edge at night.',
  'He talked about his daughter starting school and wants to send her a card he made in education.',
  'He said he wants to stay away from the lads he used with and asked about the drug recovery wing.',
  'He told me he missed his last two gym sessions because of the regime change and is frustrated.',
  'He said his probation officer has not been in touch and he does not know his licence conditions.',
  'He was calm and open today and said the Maths level one class is going better than he expected.',
  'He raised that his bank account was closed while he was inside and he has no ID to open another.',
  'He said he keeps getting into arguments in the servery queue and does not want to lose his job.',
  'He talked about his partner ending the relationship and said he is not sleeping or eating well.',
  'He wants to apply for a job in the kitchens and asked what he needs to do for the food hygiene card.',
  'He said the chaplaincy group on Thursdays helps him and he would like to keep going after transfer.',
  'He told me he owes another man on the wing for vapes and feels under pressure to pay it back.',
  'He asked how to get his prescription reviewed because the new medication makes him drowsy at work.',
  'He said he was proud of finishing the Level 1 English and wants to try the Level 2 next term.',
  'He explained that his court date for the other matter has moved and he is anxious about it.',
  'He said he has not had a letter from his brother for months and thinks the address is wrong.',
  'He said he would like to do peer mentoring on the induction wing when a place comes up.',
  'He told me he has been saving his wages to pay the first week of rent in approved premises.',
  'He was quiet at first but said he felt let down after his release on temporary licence was refused.',
  'He asked whether he could move cells to be nearer the education block for his morning classes.',
]
const AGREED = [
  'I will ask the resettlement team to book a housing appointment this week.',
  'He will fill in the housing form with the peer mentor by Friday.',
  'I will email the family engagement worker about a visit before the end of the month.',
  'He will put in an application for the bricklaying course today and I will chase it on Monday.',
  'I will refer him to the Citizens Advice worker about the phone debt.',
  'He will speak to healthcare about his sleep and I will check he has been seen next week.',
  'I will pass his request for the recovery wing to the substance misuse team.',
  'He will write down his questions for his probation officer and I will arrange a video call.',
  'I will find out from the work coach what ID he needs for a bank account.',
  'He agreed to use the listener scheme if things get on top of him at night.',
  'I will put him forward for the food hygiene course with the kitchen manager.',
  'We agreed to meet again on Thursday after his class to go through the forms together.',
  'I will ask the safer custody team to look at the debt he owes on the wing.',
  'He will book a pharmacy review through the wing nurse and tell me the outcome.',
  'I will check the address the mail room holds for his brother and update it with him.',
  'He will talk to the peer mentor coordinator about the induction wing role.',
]
const GOALS = [
  ['Have an address to go to on release', 'A confirmed housing referral and appointment'],
  ['Start a vocational course', 'A place on the course confirmed by education'],
  ['Keep in touch with his daughter', 'A visit booked and a card sent each month'],
  ['Deal with his debts', 'An appointment with the debt adviser attended'],
  ['Stay off drugs', 'A place on the recovery wing and clean tests'],
  ['Open a bank account before release', 'ID applied for and the account form sent'],
] as const
const REFERRALS = [
  ['stakeholder:resettlement', 'Housing advice before release, please'],
  ['stakeholder:resettlement', 'Help with ID and a bank account, please'],
  ['stakeholder:resettlement', 'Debt advice for a phone contract in arrears'],
] as const

/** A different arrangement of the pools for each i (Knuth's multiplicative hash spreads neighbouring drafts apart). */
function pick<T>(pool: readonly T[], i: number, salt: number, count: number): T[] {
  let h = Math.imul(i + 1, 2654435761) ^ Math.imul(salt + 7, 40503)
  const chosen: T[] = []
  const left = [...pool]
  for (let k = 0; k < count; k++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0
    chosen.push(left.splice(h % left.length, 1)[0]!)
  }
  return chosen
}

const dmy = (iso: string) => {
  const [y, m, d] = iso.split('-')
  return `${Number(d)}/${Number(m)}/${y}`
}

/** The day's times of the sessions (45 minutes each, none overlapping). */
const TIMES = ['08:30', '10:00', '14:00', '15:30']
const PER_OFFICER = 7 * TIMES.length

/**
 * Whose session draft number i is, of an establishment's Key Workers: each takes PER_OFFICER drafts in a row, one for
 * each day of the week and time of the day (entryFields), so one officer's sessions never overlap until the drafts
 * outnumber PER_OFFICER × the officers (6,272 at the demo's Leeds).
 */
export const officerOf = (i: number, officers: number) => Math.floor(i / PER_OFFICER) % officers

/**
 * The form of a full entry (delivered, a goal, a referral) for draft number i: dated i % 7 days back, at one of the
 * four TIMES, with three sentences of what he said and two of what was agreed.
 */
export function entryFields(i: number, today = todayIso()): Record<string, string> {
  const [y, m, d] = addDays(today, -(i % 7)).split('-')
  const time = TIMES[Math.floor(i / 7) % TIMES.length]!
  const target = dmy(addDays(today, 28))
  const [goal, measure] = pick(GOALS, i, 3, 1)[0]!
  const [to, note] = pick(REFERRALS, i, 4, 1)[0]!
  return {
    outcome: 'delivered',
    'sessionDate-day': String(Number(d)),
    'sessionDate-month': String(Number(m)),
    'sessionDate-year': y!,
    startsAt: time,
    duration: '45',
    location: 'interview_room',
    private: 'yes',
    interpreterNeeded: 'no',
    pathways: 'accommodation',
    concern: 'no',
    prisonerWords: pick(SAID, i, 1, 3).join(' '),
    agreed: pick(AGREED, i, 2, 2).join(' '),
    goalRows: '1',
    goal0Description: goal,
    goal0Measure: measure,
    goal0TargetDate: target,
    referralRows: '1',
    referral0To: to,
    referral0Note: note,
    referral0FollowUp: target,
  }
}

/** entryFields as a form body with a CSRF token. */
export const entryBody = (csrf: string, i: number, today?: string) =>
  new URLSearchParams({ _csrf: csrf, ...entryFields(i, today) }).toString()

/**
 * Drafts to submit, one per request: each for a man in custody at the demo Key Worker's establishment (received at
 * least a week ago, as entries go a week back), the session of one of its Key Workers (officerOf), written by the
 * demo Key Worker's account, which the bench signs in as.
 */
export async function makeDrafts(s: Services, count: number): Promise<number[]> {
  const k = s.db.db
  const user = await k.selectFrom('users').select('id').where('username', '=', 'keyworker').executeTakeFirstOrThrow()
  const role = await k
    .selectFrom('user_roles')
    .select('establishment_id')
    .where('user_id', '=', user.id)
    .executeTakeFirstOrThrow()
  const establishmentId = role.establishment_id!
  const own = await k.selectFrom('staff').select('id').where('user_id', '=', user.id).executeTakeFirst()
  const men = await k
    .selectFrom('prisoners')
    .select('id')
    .where('establishment_id', '=', establishmentId)
    .where('status', '=', 'in')
    .where('reception_date', '<=', addDays(todayIso(), -7))
    .orderBy('id')
    .execute()
  const officers = await k
    .selectFrom('staff')
    .select('id')
    .where('establishment_id', '=', establishmentId)
    .where('key_worker', '=', 1)
    .orderBy('id')
    .execute()
  const now = new Date().toISOString()
  const rows = Array.from({ length: count }, (_, i) => {
    const man = men[i % men.length]!
    return {
      establishment_id: establishmentId,
      prisoner_id: man.id,
      staff_id: officers.length ? officers[officerOf(i, officers.length)]!.id : (own?.id ?? null),
      author_user_id: user.id,
      author: 'keyworker',
      status: 'draft',
      on_caseload: 1,
      pathways: '',
      concern: 0,
      client_key: crypto.randomUUID(),
      created_at: now,
      updated_at: now,
    }
  })
  const ids: number[] = []
  for (let i = 0; i < rows.length; i += 500) {
    const r = await k
      .insertInto('key_work_sessions')
      .values(rows.slice(i, i + 500))
      .returning('id')
      .execute()
    ids.push(...r.map(x => x.id))
  }
  return ids
}
