import cliProgress from 'cli-progress'
import { type Command, InvalidArgumentError } from 'commander'
import { loadConfig } from '../config'
import { PRISONS } from './generator/prisons'
import { SYSTEM_ACTOR } from '../platform/audit/service'
import { DEFAULT_DEMO, type DemoLoadOptions, type DemoSignIn } from './load/service'
import { loadDemoHistory } from './statistics'
import { loadDemoQuality } from './load/quality'
import { loadDemoTraining } from './load/training'
import { loadDemoPracticeExchange } from './load/practiceExchange'
import { loadDemoRecruitment } from './load/recruitment'
import { loadDemoBulletins } from './load/bulletins'
import { loadDemoTrials } from './load/trials'
import { loadDemoSurvey } from './load/survey'
import { todayIso } from '../domain/dates'
import { type Services, startServices } from '../services'
import { withServices } from '../cli/withServices'

function integer(min: number, max: number) {
  return (value: string) => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`give a whole number from ${min} to ${max.toLocaleString('en-GB')}`)
    return n
  }
}

/** The sign-ins as a plain text table, for the terminal. */
export function signInTable(signIns: DemoSignIn[]): string {
  const head = ['Username', 'Password', 'Role', 'Establishments']
  const rows = signIns.map(s => [s.username, s.password, s.role, s.establishments])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('   ')}`.trimEnd()
  return [line(head), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** Loads the demo with a progress bar on a terminal; returns false (having said why) when it refused. */
async function loadDemo(s: Services, opts: Omit<DemoLoadOptions, 'onProgress'>): Promise<boolean> {
  const bar = new cliProgress.SingleBar(
    {
      format: 'Demo data |{bar}| {value}/{total} establishments | {establishment}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  )
  const started = performance.now()
  let barStarted = false
  const r = await s.demo
    .load({
      ...opts,
      onProgress: p => {
        if (!barStarted) {
          bar.start(p.total, 0, { establishment: '' })
          barStarted = true
        }
        bar.update(p.done, { establishment: p.establishment })
      },
    })
    .finally(() => barStarted && bar.stop())
  if (!r.ok) {
    console.error(Object.values(r.errors).join('\n'))
    return false
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const n = (x: number) => x.toLocaleString('en-GB')
  const v = r.value
  if (v.wiped.length) console.log(`Deleted all data from ${v.wiped.length} tables.`)
  console.log(
    `Loaded the demo in ${seconds} s: ${n(v.establishments)} establishments, ${n(v.units)} residential units, ` +
      `${n(v.staff)} staff and ${n(v.prisoners)} prisoners (seed ${opts.seed}).`,
  )
  await allocateDemo(s)
  await demoHistory(s, { seed: opts.seed, ...(opts.today ? { today: opts.today } : {}) })
  await demoQuality(s, { seed: opts.seed, ...(opts.today ? { today: opts.today } : {}) })
  await demoTraining(s, { seed: opts.seed, ...(opts.today ? { today: opts.today } : {}) })
  await demoPracticeExchange(s, { ...(opts.today ? { today: opts.today } : {}) })
  await demoRecruitment(s, { ...(opts.today ? { today: opts.today } : {}) })
  await demoBulletins(s)
  await demoEvaluation(s, { seed: opts.seed, ...(opts.today ? { today: opts.today } : {}) })
  await demoSurvey(s, { seed: opts.seed, ...(opts.today ? { today: opts.today } : {}) })
  console.log(`\nDemo sign-ins (demo data only; one per role):\n\n${signInTable(v.signIns)}\n`)
  return true
}

/**
 * Gives the demo's prisoners Key Workers, as a Supervising Officer confirming the automatic allocation would. Men
 * received in the last two days are left waiting, so the allocation page has a few to allocate.
 */
export async function allocateDemo(s: Services) {
  const started = performance.now()
  let allocated = 0
  for (const est of await s.establishments.all()) {
    const filter = { waitingDays: 2 }
    const preview = await s.autoAllocation.preview(est.id, filter)
    const rows = preview.pairs.map(p => ({
      prisonNumber: p.prisoner.prison_number,
      staffId: p.officer.id,
      overridden: false,
    }))
    const actor = { ...SYSTEM_ACTOR, username: 'demo', establishmentId: est.id }
    const r = await s.autoAllocation.confirm(actor, est.id, filter, preview.fingerprint, rows)
    if (r.ok) allocated += r.value
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(`Allocated ${allocated.toLocaleString('en-GB')} prisoners to Key Workers in ${seconds} s.`)
}

/** `keywork demo` and `keywork start`. */
export function registerDemo(program: Command, serve: (s: Services) => Promise<void>) {
  program
    .command('demo')
    .description('fill an empty database with deterministic, realistic demo data and one user per role')
    .option('--seed <n>', 'random seed: the same seed gives the same data', integer(0, 2 ** 32 - 1), DEFAULT_DEMO.seed)
    .option(
      '--establishments <n>',
      `how many establishments: the real ones first (${PRISONS.length}), then invented ones`,
      integer(1, 1000),
      DEFAULT_DEMO.establishments,
    )
    .option(
      '--prisoners-per <n>',
      'average men in custody per establishment, each scaled by its real size (default: the real sizes)',
      integer(1, 5000),
    )
    .option('--reset', 'delete ALL data first (establishments, staff, prisoners, users and the audit trail)')
    .addHelpText(
      'after',
      '\nThe first establishment is Leeds, a Category B local of about 1,200 men; the national scale is\n' +
        '--establishments 120 --prisoners-per 733 (about 88,000 men and 22,000 staff).',
    )
    .action((opts: { seed: number; establishments: number; prisonersPer?: number; reset?: boolean }) =>
      withServices(async s => {
        const loaded = await loadDemo(s, {
          seed: opts.seed,
          establishments: opts.establishments,
          prisonersPer: opts.prisonersPer,
          reset: opts.reset === true,
        })
        if (!loaded) process.exitCode = 1
      }),
    )

  program
    .command('start')
    .description(
      'migrate, load the demo into an empty database and print its sign-ins, then serve (what npm start runs)',
    )
    .action(async () => {
      const services = await startServices(loadConfig())
      if (await services.demo.isEmpty()) {
        if (services.config.env === 'production') {
          console.log(
            'The database is empty. Not loading demo data in production. First run: keywork users create ' +
              '--role NATIONAL_POLICY, then keywork establishments create (see the README).',
          )
        } else {
          console.log('The database is empty: loading the demo data (Leeds and two smaller establishments).')
          if (!(await loadDemo(services, { ...DEFAULT_DEMO, reset: false }))) process.exitCode = 1
        }
      } else {
        const signIns = await services.demo.signIns()
        if (signIns.length > 0)
          console.log(
            `\nDemo sign-ins (the password is the demo's unless it has been changed):\n\n${signInTable(signIns)}\n`,
          )
      }
      await serve(services)
    })
}

/** After the demo's allocations: a year of Key Work history and its statistics, reported on the terminal. */
export async function demoHistory(s: Services, opts: { seed: number; today?: string }) {
  const started = performance.now()
  const r = await loadDemoHistory(
    s.db,
    { audit: s.audit, establishments: s.establishments, statistics: s.statistics },
    { seed: opts.seed, today: opts.today ?? todayIso() },
  )
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const n = (x: number) => x.toLocaleString('en-GB')
  console.log(
    `Recorded a year of Key Work history in ${seconds} s: ${n(r.sessions)} sessions (${n(r.delivered)} delivered), ` +
      `${n(r.goals)} goals and ${n(r.referrals)} referrals.`,
  )
}

/** What the demo's quality assurance is recorded through, from the app's services. */
export const qualityDeps = (s: Services) => ({
  audit: s.audit,
  rubric: s.rubric,
  integrity: s.integrity,
  establishments: s.establishments,
  statistics: s.statistics,
})

/** After the history: a year of quality assurance, its integrity flags found by the checks, reported on the terminal. */
export async function demoQuality(s: Services, opts: { seed: number; today?: string }) {
  const started = performance.now()
  const r = await loadDemoQuality(s.db, qualityDeps(s), { seed: opts.seed, today: opts.today ?? todayIso() })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const n = (x: number) => x.toLocaleString('en-GB')
  console.log(
    `Recorded a year of quality assurance in ${seconds} s: ${n(r.reviews)} reviews of ${n(r.samples)} sampled entries, ` +
      `${n(r.commendations)} commendations, ${n(r.supervisions)} supervisions and ${n(r.flags)} integrity flags ` +
      `(${n(r.resolved)} resolved).`,
  )
}

/** What the demo's training records are written through, from the app's services. */
export const trainingDeps = (s: Services) => ({
  audit: s.audit,
  training: s.training,
  trainingRules: s.trainingRules,
  establishments: s.establishments,
})

/** After the quality year: training at every stage, courses, certificates and journals, reported on the terminal. */
export async function demoTraining(s: Services, opts: { seed: number; today?: string }) {
  const started = performance.now()
  const r = await loadDemoTraining(s.db, trainingDeps(s), { seed: opts.seed, today: opts.today ?? todayIso() })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const n = (x: number) => x.toLocaleString('en-GB')
  console.log(
    `Recorded five years of Key Worker training in ${seconds} s: ${n(r.courses)} courses, ` +
      `${n(r.completions)} completions with ${n(r.certificates)} certificates, ${n(r.feedback)} course ratings ` +
      `and ${n(r.journal)} journal entries.`,
  )
}

/** After the history: two notices from the national team, read by some of the people they are for (issue 17). */
export async function demoBulletins(s: Services) {
  const r = await loadDemoBulletins(s.db, { bulletins: s.bulletins, users: s.users })
  console.log(`Bulletins: ${r.bulletins} notices from the national team, ${r.reads.toLocaleString('en-GB')} reads.`)
}

/** After the history: good practice with the demo's own figures, and questions to the policy team (issue 17). */
export async function demoPracticeExchange(s: Services, opts: { today?: string }) {
  const r = await loadDemoPracticeExchange(
    { practiceExchange: s.practiceExchange, users: s.users },
    { today: opts.today ?? todayIso() },
  )
  console.log(
    `Shared good practice: ${r.submissions} submissions (${r.published} published) and ${r.questions} questions ` +
      `to the policy team (${r.answered} answered).`,
  )
}

/** After the history: two staggered interventions (one with a planted effect) and imported outcome counts. */
export async function demoEvaluation(s: Services, opts: { seed: number; today?: string }) {
  const r = await loadDemoTrials(
    s.db,
    { trials: s.trials, users: s.users, establishments: s.establishments },
    { seed: opts.seed, today: opts.today ?? todayIso() },
  )
  console.log(
    `Trials: ${r.trials} interventions adopted ${r.adoptions} times, ${r.counts.toLocaleString('en-GB')} monthly ` +
      `outcome counts imported.`,
  )
}

/** After the history: one values-based recruitment campaign, scored by two assessors, one moderation (issue 17). */
export async function demoRecruitment(s: Services, opts: { today?: string }) {
  const r = await loadDemoRecruitment(
    { recruitment: s.recruitment, users: s.users },
    { today: opts.today ?? todayIso() },
  )
  console.log(
    `Recruitment: one campaign, ${r.candidates} candidates, ${r.submissions} assessors' scores and ` +
      `${r.moderations} moderation.`,
  )
}

/** After the history: a closed staff survey round with enough answers in some establishments and too few in others,
 * and a round open from today (issue 17). */
export async function demoSurvey(s: Services, opts: { seed: number; today?: string }) {
  const national = (await s.users.list(null, 'national')).find(u => u.username === 'national')
  const r = await loadDemoSurvey(
    s.db,
    { survey: s.survey, establishments: s.establishments },
    {
      seed: opts.seed,
      today: opts.today ?? todayIso(),
      actor: { userId: national?.id ?? null, username: national?.username ?? 'demo', establishmentId: null },
    },
  )
  console.log(`Staff survey: ${r.rounds} rounds, ${r.responses.toLocaleString('en-GB')} anonymous responses.`)
}
