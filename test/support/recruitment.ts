import { addDays, todayIso } from '../../src/domain/dates'
import type { Services } from '../../src/services'

const must = <T>(r: { ok: true; value: T } | { ok: false; errors: Record<string, string> }, what: string): T => {
  if (!r.ok) throw new Error(`fixture ${what}: ${JSON.stringify(r.errors)}`)
  return r.value
}

/**
 * A recruitment campaign for one establishment (issue 17), made as the national team would: two candidates, each
 * assessed by the establishment's Supervising Officer and admin users and moderated by the national user. The first
 * (candidateId) is not scored yet; the second is scored by both, 2 apart on question 1 (the gap is 1), so a
 * moderation waits for the national user.
 */
export async function seedRecruitment(s: Services, code: string): Promise<{ campaignId: number; candidateId: number }> {
  const db = s.db.db
  const uid = async (username: string) =>
    Number((await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id)
  const national = await uid('national')
  const so = await uid(`supervising_officer.${code.toLowerCase()}`)
  const ea = await uid(`establishment_admin.${code.toLowerCase()}`)
  const actor = { userId: national, username: 'national', establishmentId: null }
  const today = todayIso()
  const campaignId = must(
    await s.recruitment.createCampaign(actor, {
      title: `Key Worker-ready officers at ${code}`,
      opensOn: today,
      closesOn: addDays(today, 28),
      scope: 'establishment',
      establishment: code,
      region: null,
      moderationGap: 1,
      retentionDays: 180,
      passMark: 2.5,
      assessorA: so,
      assessorB: ea,
      moderator: national,
    }),
    'recruitment campaign',
  )
  const candidate = (name: string) =>
    s.recruitment.addCandidate(actor, campaignId, {
      name,
      email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
      establishment: code,
      assessorA: so,
      assessorB: ea,
      moderator: national,
    })
  const first = must(await candidate(`First Candidate ${code}`), 'candidate')
  const second = must(await candidate(`Second Candidate ${code}`), 'candidate')
  const questions = await s.recruitment.questions(campaignId)
  const scores = (q1: string) => new Map(questions.map((q, i) => [q.id, { score: i === 0 ? q1 : '2', evidence: '' }]))
  must(
    await s.recruitment.submitScores({ ...actor, userId: so, username: 'so' }, campaignId, second.id, scores('2')),
    'scores',
  )
  must(
    await s.recruitment.submitScores({ ...actor, userId: ea, username: 'ea' }, campaignId, second.id, scores('4')),
    'scores',
  )
  return { campaignId, candidateId: first.id }
}
