// `keywork demo`: good practice that travels (issue 17), after the year of history: the demo Supervising Officer's
// establishment submits good practice with keywork's figures for the last six whole months (three before, three
// after); the national team publishes most of it, returns one with a note and leaves one waiting; questions to the
// policy team, most of them answered. Written through the feature's service, so each change is audited and the
// figures are the demo's own.
import type { Actor } from '../../platform/audit/service'
import type { MeasureCode } from '../../domain/practiceExchange'
import type { PracticeExchangeService } from '../../features/practiceExchange/service'
import type { UsersService } from '../../features/users/service'

export interface DemoPracticeExchangeDeps {
  practiceExchange: Pick<PracticeExchangeService, 'submit' | 'review' | 'ask' | 'answer'>
  users: Pick<UsersService, 'list'>
}

export interface DemoPracticeExchangeSummary {
  submissions: number
  published: number
  questions: number
  answered: number
}

/** 'YYYY-MM' `months` months before the month of `today` ('YYYY-MM-DD'). */
const monthBefore = (today: string, months: number) => {
  const k = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1 - months
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`
}

const SUBMISSIONS: {
  title: string
  whatTheyDid: string
  whatChanged: string
  evidence: string | null
  pathways: string[]
  measures: MeasureCode[]
  outcome: 'publish' | 'return' | 'wait'
}[] = [
  {
    title: 'A fixed weekly slot for every man on the caseload',
    whatTheyDid:
      'Each Key Worker agreed a fixed weekly time with each man on their caseload and put it in the regime plan, so the slot was protected from cross-deployment.\n\nThe Supervising Officer checked the slots each Monday and moved cover to the Key Workers who were off.',
    whatChanged: 'Sessions happened every week rather than in bursts before the monthly figures were taken.',
    evidence: 'Officers said the men started coming to the office at the time without being fetched.',
    pathways: ['attitudes-thinking-behaviour'],
    measures: ['compliance', 'seen28', 'daysBetween'],
    outcome: 'publish',
  },
  {
    title: 'Interpreters booked with the session, not on the day',
    whatTheyDid:
      'When a session with a man who needs an interpreter is planned, the Key Worker books the telephone interpreting service at the same time, with the booking reference in the plan.',
    whatChanged: 'Fewer sessions went ahead without an interpreter, and fewer were cancelled for want of one.',
    evidence: null,
    pathways: ['wellbeing-safety'],
    measures: ['interpreter', 'compliance'],
    outcome: 'publish',
  },
  {
    title: 'Peer review of entries at the monthly team meeting',
    whatTheyDid:
      'At each monthly team meeting two entries, with names removed, were read out and scored together against the quality rubric.',
    whatChanged: 'Entries became more specific about what was agreed and who would do what by when.',
    evidence: 'The QA reviews of the following months commented less often on vague goals.',
    pathways: ['attitudes-thinking-behaviour'],
    measures: ['qaScore'],
    outcome: 'publish',
  },
  {
    title: 'Housing referrals made in the first session',
    whatTheyDid: 'Key Workers asked about housing in the first session and referred straight away.',
    whatChanged: 'Referrals were made earlier.',
    evidence: null,
    pathways: ['accommodation'],
    measures: ['seen28'],
    outcome: 'return',
  },
  {
    title: 'Sessions in the hub room on Friday afternoons',
    whatTheyDid: 'The hub room was kept for key work on Friday afternoons, when the regime is quieter.',
    whatChanged: 'More sessions were private.',
    evidence: null,
    pathways: ['wellbeing-safety'],
    measures: ['compliance'],
    outcome: 'wait',
  },
]

const QUESTIONS: { asker: 'supervisor' | 'admin'; title: string; detail: string; answer: string | null }[] = [
  {
    asker: 'supervisor',
    title: 'Does a session on the landing count as private?',
    detail: 'Some men will only talk at their cell door. The door is open and other men pass by.',
    answer:
      'Record it as delivered, and answer "no" to whether it was private. The guide asks for a private space where one can be found; the statistics show how many sessions were private, so a landing session is counted honestly rather than refused.',
  },
  {
    asker: 'admin',
    title: 'Can a Key Worker on restricted duties keep their caseload?',
    detail: 'An officer is on restricted duties for six weeks but can still see men in the office.',
    answer:
      'Yes, if they can hold sessions. Set their status to active with a note; if they cannot hold sessions, mark them away so that cover is arranged.',
  },
  {
    asker: 'supervisor',
    title: 'How many entries should the QA sample take each month?',
    detail: 'We have 14 Key Workers. Is the sample per officer or per establishment?',
    answer:
      'Per officer: keywork draws the sample for each Key Worker from their entries of the month. Review the sample it draws rather than choosing entries yourself.',
  },
  {
    asker: 'supervisor',
    title: 'Can we run a hub session for two men at once?',
    detail: 'Two men on the same wing want to talk about the same course.',
    answer: null,
  },
]

export async function loadDemoPracticeExchange(
  deps: DemoPracticeExchangeDeps,
  opts: { today: string },
): Promise<DemoPracticeExchangeSummary> {
  const summary = { submissions: 0, published: 0, questions: 0, answered: 0 }
  const userOf = async (username: string) => (await deps.users.list(null, username)).find(u => u.username === username)
  const [supervisor, admin, national] = await Promise.all([userOf('supervisor'), userOf('admin'), userOf('national')])
  const establishmentId = supervisor?.roles.find(r => r.establishment_id !== null)?.establishment_id ?? null
  if (!supervisor || !admin || !national || establishmentId === null) return summary
  const actor = (u: { id: number; username: string }): Actor => ({
    userId: u.id,
    username: u.username,
    establishmentId,
  })
  const nationalActor: Actor = { userId: national.id, username: national.username, establishmentId: null }
  // the last six whole months: three before the change, three after
  const periods = {
    before: { from: monthBefore(opts.today, 6), to: monthBefore(opts.today, 4) },
    after: { from: monthBefore(opts.today, 3), to: monthBefore(opts.today, 1) },
  }

  for (const sub of SUBMISSIONS) {
    const { outcome, ...text } = sub
    const r = await deps.practiceExchange.submit(actor(supervisor), establishmentId, { ...text, ...periods })
    if (!r.ok) throw new Error(`demo good practice: ${JSON.stringify(r.errors)}`)
    summary.submissions++
    if (outcome === 'wait') continue
    const decided = await deps.practiceExchange.review(nationalActor, r.value, {
      decision: outcome,
      note:
        outcome === 'return'
          ? 'Please add what the referrals led to, and the figures for referrals followed up.'
          : null,
    })
    if (!decided.ok) throw new Error(`demo good practice review: ${JSON.stringify(decided.errors)}`)
    if (outcome === 'publish') summary.published++
  }

  for (const q of QUESTIONS) {
    const asker = q.asker === 'supervisor' ? supervisor : admin
    const r = await deps.practiceExchange.ask(actor(asker), establishmentId, { title: q.title, detail: q.detail })
    if (!r.ok) throw new Error(`demo question: ${JSON.stringify(r.errors)}`)
    summary.questions++
    if (!q.answer) continue
    const a = await deps.practiceExchange.answer(nationalActor, r.value, q.answer)
    if (!a.ok) throw new Error(`demo answer: ${JSON.stringify(a.errors)}`)
    summary.answered++
  }
  return summary
}
