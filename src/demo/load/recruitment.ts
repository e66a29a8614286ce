// `keywork demo`: one values-based recruitment campaign (issue 17), after the year of history: twelve candidates
// applying to the demo Supervising Officer's establishment, each scored by the demo Supervising Officer and admin
// (independently, against the default framework's anchors), moderated by the national team: one final score
// recorded where the two were more than the gap apart, one still waiting, and two candidates only half scored.
// Written through the feature's service, so each change is audited.
import type { Actor } from '../../platform/audit/service'
import type { RecruitmentService } from '../../features/recruitment/service'
import type { UsersService } from '../../features/users/service'
import { addDays } from '../../domain/dates'

export interface DemoRecruitmentDeps {
  recruitment: Pick<
    RecruitmentService,
    'createCampaign' | 'addCandidate' | 'questions' | 'submitScores' | 'moderate' | 'establishments'
  >
  users: Pick<UsersService, 'list'>
}

export interface DemoRecruitmentSummary {
  candidates: number
  submissions: number
  moderations: number
}

const NAMES = [
  'Aisha Begum',
  'Tom Fletcher',
  'Grace Okafor',
  'Daniel Price',
  'Megan Hughes',
  'Kwame Mensah',
  'Sophie Walsh',
  'Liam O’Connor',
  'Priya Shah',
  'Ryan Cooper',
  'Hannah Lewis',
  'Marek Nowicki',
  'Chloe Evans',
  'Jordan Reid',
]

/** Each candidate's level (1–4) and how far the two assessors' scores stray from it, question by question. */
const LEVELS = [3, 2, 4, 3, 2, 3, 4, 1, 3, 2, 3, 4, 3, 2]
const STRAY_A = [0, 0, 1, 0, -1, 0, 0, 1]
const STRAY_B = [0, 1, 0, 0, 0, -1, 0, 0]
const clamp = (x: number) => Math.min(4, Math.max(1, x))

export async function loadDemoRecruitment(
  deps: DemoRecruitmentDeps,
  opts: { today: string },
): Promise<DemoRecruitmentSummary> {
  const summary = { candidates: 0, submissions: 0, moderations: 0 }
  const userOf = async (username: string) => (await deps.users.list(null, username)).find(u => u.username === username)
  const [supervisor, admin, national] = await Promise.all([userOf('supervisor'), userOf('admin'), userOf('national')])
  const establishmentId = supervisor?.roles.find(r => r.establishment_id !== null)?.establishment_id ?? null
  if (!supervisor || !admin || !national || establishmentId === null) return summary
  const est = (await deps.recruitment.establishments()).find(e => e.id === establishmentId)
  if (!est) return summary
  const actor = (u: { id: number; username: string }): Actor => ({
    userId: u.id,
    username: u.username,
    establishmentId,
  })
  const nationalActor: Actor = { userId: national.id, username: national.username, establishmentId: null }
  const must = <T>(r: { ok: true; value: T } | { ok: false; errors: Record<string, string> }, what: string): T => {
    if (!r.ok) throw new Error(`demo recruitment, ${what}: ${JSON.stringify(r.errors)}`)
    return r.value
  }

  const campaignId = must(
    await deps.recruitment.createCampaign(nationalActor, {
      title: `Key Worker-ready officers, ${est.name}`,
      opensOn: addDays(opts.today, -21),
      closesOn: addDays(opts.today, 14),
      scope: 'establishment',
      establishment: est.code,
      region: null,
      moderationGap: 1,
      retentionDays: 180,
      passMark: 2.5,
      assessorA: supervisor.id,
      assessorB: admin.id,
      moderator: national.id,
    }),
    'campaign',
  )
  const questions = await deps.recruitment.questions(campaignId)
  for (const [i, name] of NAMES.entries()) {
    const { id } = must(
      await deps.recruitment.addCandidate(nationalActor, campaignId, {
        name,
        email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com`,
        establishment: est.code,
        assessorA: supervisor.id,
        assessorB: admin.id,
        moderator: national.id,
      }),
      'candidate',
    )
    summary.candidates++
    const level = LEVELS[i]!
    const scores = (stray: number[], override?: [number, number]) =>
      new Map(
        questions.map((q, j) => [
          q.id,
          {
            score: String(override && override[0] === j ? override[1] : clamp(level + stray[(i + j) % stray.length]!)),
            evidence: '',
          },
        ]),
      )
    // the last two candidates: the Supervising Officer has scored, the admin not yet
    if (i >= NAMES.length - 2) {
      must(await deps.recruitment.submitScores(actor(supervisor), campaignId, id, scores(STRAY_A)), 'scores')
      summary.submissions++
      continue
    }
    // candidate 3, question 2: 1 and 3 (moderated); candidate 7, question 5: 4 and 2 (waiting for the moderator)
    const overA: [number, number] | undefined = i === 2 ? [1, 1] : i === 6 ? [4, 4] : undefined
    const overB: [number, number] | undefined = i === 2 ? [1, 3] : i === 6 ? [4, 2] : undefined
    must(await deps.recruitment.submitScores(actor(supervisor), campaignId, id, scores(STRAY_A, overA)), 'scores')
    must(await deps.recruitment.submitScores(actor(admin), campaignId, id, scores(STRAY_B, overB)), 'scores')
    summary.submissions += 2
    if (i === 2) {
      must(
        await deps.recruitment.moderate(nationalActor, campaignId, {
          candidate: id,
          question: questions[1]!.id,
          score: 3,
          reason:
            'The notes show the candidate chose to treat the man decently and explained why; the example was recent and specific.',
        }),
        'moderation',
      )
      summary.moderations++
    }
  }
  return summary
}
