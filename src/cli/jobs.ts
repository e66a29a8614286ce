import type { Command } from 'commander'
import { SYSTEM_ACTOR } from '../platform/audit/service'
import { londonHour, runOnce } from '../platform/jobs'
import type { Services } from '../services'
import { withServices } from './withServices'
import { ROLL_ACTOR } from '../features/hmppsSync/service'

const JOB_ACTOR = { ...SYSTEM_ACTOR, username: 'daily job' }

/**
 * The daily jobs: today, giving prisoners back to their Key Worker when cover ends, and telling Key Workers and their
 * Supervising Officers what training has fallen due. The service runs them every hour, on every instance: each job runs
 * once per Europe/London hour across all instances (src/platform/jobs.ts: an advisory lock on PostgreSQL and a
 * (job, hour) row in job_runs), and each is idempotent by its natural key besides. `ran` and `skipped` name the jobs
 * this call ran, and those it left because this hour's run was done or in hand elsewhere.
 */
export async function runDailyJobs(s: Services) {
  const due = londonHour()
  const ran: string[] = []
  const skipped: string[] = []
  const once = async <T>(job: string, run: () => Promise<T>): Promise<T | null> => {
    const r = await runOnce(s.db, job, due, run)
    ;(r.ran ? ran : skipped).push(job)
    return r.ran ? r.value : null
  }
  const cover = await once('cover-returns', () => s.cover.returnDue(JOB_ACTOR))
  const training = await once('training-reminders', () => s.trainingReminders.run())
  // candidates' personal data past its campaign's retention period: deleted, codes and scores kept (issue 17)
  const recruitment = await once('recruitment-retention', () => s.recruitment.deleteExpiredPersonalData(JOB_ACTOR))
  // the weekly digest of the national team's bulletins: once per user per week, whatever the number of runs
  const bulletins = await once('bulletin-digests', () => s.bulletins.runDigest())
  // personal data of men released longer ago than the national retention rule: anonymised, counts kept (issue 18)
  const retention = await once('retention', () => s.dataProtection.run(JOB_ACTOR))
  // the roll of every establishment from Prisoner Search, when it is configured (features/hmppsSync, issue 18)
  const roll = s.hmppsSync.enabled.roll ? await once('hmpps-roll', () => s.hmppsSync.syncAll(ROLL_ACTOR)) : null
  // the query planner's statistics where the data has drifted (SQLite; PostgreSQL's autovacuum does its own)
  await once('planner-statistics', () => s.db.optimize())
  return {
    due,
    ran,
    skipped,
    coverReturned: cover?.returned ?? 0,
    coverKept: cover?.kept ?? 0,
    trainingReminders: training?.sent ?? 0,
    trainingEmails: training?.emails ?? 0,
    recruitmentPersonalDeleted: recruitment?.deleted ?? 0,
    bulletinDigests: bulletins?.emails ?? 0,
    retentionAnonymised: retention?.records ?? 0,
    rollSyncs: roll?.filter(r => r.ok).length ?? 0,
    rollSyncsFailed: roll?.filter(r => !r.ok).length ?? 0,
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
        if (r.skipped.length)
          console.log(`Already run this hour (${r.due}), or running on another instance: ${r.skipped.join(', ')}`)
        console.log(
          `Cover ended: ${r.coverReturned} prisoners returned to their Key Worker` +
            (r.coverKept ? `, ${r.coverKept} kept on cover because their Key Worker is not active` : ''),
        )
        console.log(`Training reminders: ${r.trainingReminders} new, ${r.trainingEmails} emails`)
        console.log(`Recruitment: personal data of ${r.recruitmentPersonalDeleted} candidates deleted`)
        console.log(`Bulletin digests: ${r.bulletinDigests} emails`)
        console.log(`Retention: ${r.retentionAnonymised} prisoner records anonymised`)
        if (r.rollSyncs || r.rollSyncsFailed)
          console.log(`Rolls from Prisoner Search: ${r.rollSyncs} synced, ${r.rollSyncsFailed} failed (see /hmpps)`)
      }),
    )
}
