import type { Command } from 'commander'
import { SYSTEM_ACTOR } from '../platform/audit/service'
import type { Services } from '../services'
import { withServices } from './withServices'

const JOB_ACTOR = { ...SYSTEM_ACTOR, username: 'daily job' }

/**
 * The daily jobs: today, giving prisoners back to their Key Worker when cover ends, and telling Key Workers and their
 * Supervising Officers what training has fallen due. Safe to run any number of times.
 */
export async function runDailyJobs(s: Services) {
  const cover = await s.cover.returnDue(JOB_ACTOR)
  const training = await s.trainingReminders.run()
  // candidates' personal data past its campaign's retention period: deleted, codes and scores kept (issue 17)
  const recruitment = await s.recruitment.deleteExpiredPersonalData(JOB_ACTOR)
  // the weekly digest of the national team's bulletins: once per user per week, whatever the number of runs
  const bulletins = await s.bulletins.runDigest()
  return {
    coverReturned: cover.returned,
    coverKept: cover.kept,
    trainingReminders: training.sent,
    trainingEmails: training.emails,
    recruitmentPersonalDeleted: recruitment.deleted,
    bulletinDigests: bulletins.emails,
  }
}

export function registerJobs(program: Command) {
  const jobs = program.command('jobs').description('scheduled work (the service also runs it every hour)')
  jobs
    .command('run')
    .description('run the daily jobs now: return prisoners to their Key Worker when cover ends, training reminders')
    .action(() =>
      withServices(async s => {
        const r = await runDailyJobs(s)
        console.log(
          `Cover ended: ${r.coverReturned} prisoners returned to their Key Worker` +
            (r.coverKept ? `, ${r.coverKept} kept on cover because their Key Worker is not active` : ''),
        )
        console.log(`Training reminders: ${r.trainingReminders} new, ${r.trainingEmails} emails`)
        console.log(`Recruitment: personal data of ${r.recruitmentPersonalDeleted} candidates deleted`)
        console.log(`Bulletin digests: ${r.bulletinDigests} emails`)
      }),
    )
}
