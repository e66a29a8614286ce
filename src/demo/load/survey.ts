// `keywork demo`: the staff survey (issue 17). A round that closed a month ago, answered in the same tables the
// survey writes (a random response id, round, establishment, role: no user, no token), with enough answers in some
// establishments and too few in others, so the results page shows its small-number protection at work; and a round
// open from today through the survey service, so staff see it on their home page and can answer it.
import { randomUUID } from 'node:crypto'
import type { Db } from '../../platform/db/database'
import type { Actor } from '../../platform/audit/service'
import type { SurveyService } from '../../features/survey/service'
import { addDays } from '../../domain/dates'
import { Random } from '../../domain/random'
import { NATIONAL_QUESTIONS } from '../../domain/survey'

export interface DemoSurveySummary {
  rounds: number
  responses: number
}

const COMMENTS = [
  'More time off the landings for sessions would help.',
  'The training was good but came a year after I started.',
  'Sessions get cancelled when we are short on staff.',
  'I can see the difference it makes to some of the men.',
  'Supervision happens, but not often enough.',
]

/** How many answer in the i-th establishment, by role: some with plenty, some with too few to show. */
function respondents(i: number): { role: string; n: number }[] {
  switch (i % 4) {
    case 0:
      return [
        { role: 'KEY_WORKER', n: 24 },
        { role: 'SUPERVISING_OFFICER', n: 11 },
        { role: 'ESTABLISHMENT_ADMIN', n: 2 },
      ]
    case 1:
      return [
        { role: 'KEY_WORKER', n: 12 },
        { role: 'SUPERVISING_OFFICER', n: 3 },
      ]
    case 2:
      return [{ role: 'KEY_WORKER', n: 4 }]
    default:
      return [
        { role: 'KEY_WORKER', n: 16 },
        { role: 'SUPERVISING_OFFICER', n: 10 },
      ]
  }
}

export async function loadDemoSurvey(
  db: Db,
  deps: {
    survey: Pick<SurveyService, 'publishRound' | 'questions'>
    establishments: { all(): Promise<{ id: number; code: string }[]> }
  },
  opts: { seed: number; today: string; actor: Actor },
): Promise<DemoSurveySummary> {
  const random = new Random(opts.seed * 7919 + 17)
  const establishments = (await deps.establishments.all()).sort((a, b) => a.id - b.id)
  let responses = 0
  await db.db.transaction().execute(async trx => {
    const { id: roundId } = await trx
      .insertInto('survey_rounds')
      .values({
        title: 'Staff survey (demo, last month)',
        opens_on: addDays(opts.today, -60),
        closes_on: addDays(opts.today, -32),
        closed_on: null,
        created_at: `${addDays(opts.today, -61)}T09:00:00.000Z`,
        created_by: opts.actor.username ?? 'demo',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('survey_questions')
      .values(
        NATIONAL_QUESTIONS.map((q, i) => ({
          round_id: roundId,
          code: q.code,
          kind: q.kind,
          text: q.text,
          position: i + 1,
        })),
      )
      .execute()
    const questions = await trx.selectFrom('survey_questions').selectAll().where('round_id', '=', roundId).execute()
    for (const [i, e] of establishments.entries()) {
      // each establishment leans a little one way, so the means differ
      const lean = random.int(-1, 1)
      for (const { role, n } of respondents(i)) {
        for (let k = 0; k < n; k++) {
          const id = randomUUID()
          await trx
            .insertInto('survey_responses')
            .values({ id, round_id: roundId, establishment_id: e.id, role })
            .execute()
          await trx
            .insertInto('survey_answers')
            .values(
              questions.map(q => ({
                response_id: id,
                question_id: q.id,
                value:
                  q.kind === 'scale'
                    ? Math.min(5, Math.max(1, random.int(2, 5) + (random.chance(0.5) ? lean : 0)))
                    : null,
                answer_text: q.kind === 'text' && random.chance(0.3) ? random.pick(COMMENTS) : null,
              })),
            )
            .execute()
          responses++
        }
      }
    }
  })
  // the open round, through the service (audited as a national publication)
  const open = await deps.survey.publishRound(opts.actor, {
    title: 'Staff survey',
    opensOn: opts.today,
    closesOn: addDays(opts.today, 27),
    questions: [...NATIONAL_QUESTIONS],
  })
  return { rounds: open.ok ? 2 : 1, responses }
}
