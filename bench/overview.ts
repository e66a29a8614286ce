// npm run bench -- overview [--json] [--establishments N] [--prisoners-per N] [--repeat N] [--skip-history]
//                           [--keep-database NAME]
//
// The national overview (every establishment side by side: delivery, quality, training, interpreters, referrals,
// staffing, hubs, and compliance in each of the last 6 months) on PostgreSQL. A bench database (created and dropped
// here, on the server of BENCH_DATABASE_URL or TEST_DATABASE_URL) is filled with the national demo (120
// establishments × 733 prisoners ≈ 88,000 men, with the demo's staff and hubs), receptions moved back a year and every
// man allocated, then a year of key work history (≈ 5 million sessions, with their aggregates) unless --skip-history,
// then vacuumed and analysed; and QA reviews of 1 in 40 entries of the last 100 days (the demo has none). Then
// s.national.overview() is timed `--repeat` times after a warm-up, beside a plain count(*) of the sessions in the same
// run. Target: median ≤ 1 s.
// --keep-database NAME: keep the database built under that name; a later run with the same name reuses it.
import { parseArgs } from 'node:util'
import { allocateDemo } from '../src/demo/cli'
import { addDays, todayIso } from '../src/domain/dates'
import { loadDemoHistory } from '../src/demo/statistics'
import { withBenchDatabase } from './benchDatabase'

const TARGET_MS = 1000

export interface OverviewResult {
  bench: 'overview'
  engine: 'postgres'
  establishments: number
  prisoners: number
  sessions: number
  reviews: number
  requests: number
  medianMs: number
  maxMs: number
  /** the same run: count(*) over the sessions */
  countMs: number
  target: number
}

const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(1)

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      establishments: { type: 'string', default: '120' },
      'prisoners-per': { type: 'string', default: '733' },
      repeat: { type: 'string', default: '7' },
      'skip-history': { type: 'boolean', default: false },
      'keep-database': { type: 'string' },
    },
  })
  const opts = {
    establishments: Number(values.establishments),
    prisonersPer: Number(values['prisoners-per']),
    repeat: Math.max(1, Number(values.repeat)),
  }
  const say = (line: string) => (values.json ? process.stderr.write(`${line}\n`) : console.error(line))
  let failed = false
  await withBenchDatabase('overview', values['keep-database'], async ({ s, direct, name, kept }) => {
    const today = todayIso()
    if (kept) say(`overview: reusing the database ${name} (--keep-database)`)
    else {
      await s.guidance.ensureNationalContent()
      say(`overview: building the national demo on PostgreSQL (${opts.establishments} × ${opts.prisonersPer})…`)
      let t = performance.now()
      const log = console.log
      console.log = (...args: unknown[]) => say(args.map(String).join(' '))
      try {
        const r = await s.demo.load({
          seed: 1,
          establishments: opts.establishments,
          prisonersPer: opts.prisonersPer,
          reset: false,
        })
        if (!r.ok) throw new Error(Object.values(r.errors).join('\n'))
        say(`overview: demo loaded in ${seconds(t)} s; moving receptions back a year and allocating…`)
        await s.db.db
          .updateTable('prisoners')
          .set({ reception_date: addDays(today, -400) })
          .where('status', '=', 'in')
          .where('reception_date', '>', addDays(today, -400))
          .execute()
        t = performance.now()
        await allocateDemo(s)
        say(`overview: allocated in ${seconds(t)} s`)
      } finally {
        console.log = log
      }
      if (!values['skip-history']) {
        t = performance.now()
        const h = await loadDemoHistory(
          s.db,
          { audit: s.audit, establishments: s.establishments, statistics: s.statistics },
          {
            seed: 1,
            today,
            onProgress: (done, all, est) => {
              if (done % 10 === 0 || done === all) say(`  history ${done}/${all} (${est}) after ${seconds(t)} s`)
            },
          },
        )
        say(`overview: ${h.sessions.toLocaleString('en-GB')} sessions of history in ${seconds(t)} s`)
      }
      // as autovacuum leaves a live database: the visibility map set, so "seen in 28 days" reads its covering index
      // only (after a bulk load without it, the same query fetched 100,000 heap pages: 3 s instead of 1 s under load)
      await direct.query('vacuum analyze')
    }
    // QA reviews (the demo has none): 1 in 40 of the submitted entries of the last 3 months, scored 1 to 4, in SQL
    const reviewsNow = Number((await direct.query<{ n: string }>('select count(*) as n from qa_reviews')).rows[0]!.n)
    if (reviewsNow === 0) {
      await s.rubric.ensureNational()
      const t = performance.now()
      const r = await direct.query(
        `insert into qa_reviews (establishment_id, session_id, kind, sample_id, calibration_id, reviewer_user_id,
           reviewer, rubric_version_id, overall_score, feedback_good, feedback_change, officer_user_id, submitted_at,
           updated_at, read_at, acknowledged_at, reply, replied_at)
         select s.establishment_id, s.id, 'chosen', null, null, (select min(id) from users), 'bench',
           (select max(id) from qa_rubric_versions), 1 + (s.id * 7) % 4, 'Good', 'Change', null,
           s.session_date || 'T16:00:00.000Z', s.session_date || 'T16:00:00.000Z', null, null, null, null
         from key_work_sessions s
         where s.status = 'submitted' and s.session_date >= $1 and s.id % 40 = 0`,
        [addDays(today, -100)],
      )
      await direct.query('vacuum analyze qa_reviews')
      say(`overview: ${r.rowCount} QA reviews generated in ${seconds(t)} s`)
    }
    const count = async (query: string) => Number((await direct.query<{ n: string }>(query)).rows[0]!.n)
    const establishments = await count('select count(*) as n from establishments where enabled = 1')
    const prisoners = await count(`select count(*) as n from prisoners where status = 'in'`)
    const sessions = await count('select count(*) as n from key_work_sessions')
    const reviews = await count('select count(*) as n from qa_reviews')
    await s.national.overview({}) // warm-up
    const times: number[] = []
    const counts: number[] = []
    for (let i = 0; i < opts.repeat; i++) {
      let t = performance.now()
      await direct.query('select count(*) from key_work_sessions')
      counts.push(performance.now() - t)
      t = performance.now()
      const o = await s.national.overview({})
      times.push(performance.now() - t)
      if (o.rows.length !== establishments) throw new Error(`the overview has ${o.rows.length} rows`)
    }
    times.sort((a, b) => a - b)
    counts.sort((a, b) => a - b)
    const r: OverviewResult = {
      bench: 'overview',
      engine: 'postgres',
      establishments,
      prisoners,
      sessions,
      reviews,
      requests: times.length,
      medianMs: times[times.length >> 1]!,
      maxMs: times[times.length - 1]!,
      countMs: counts[counts.length >> 1]!,
      target: TARGET_MS,
    }
    if (r.medianMs > TARGET_MS) failed = true
    if (values.json) console.log(JSON.stringify(r))
    else
      console.log(
        `national overview, ${establishments} establishments, ${prisoners.toLocaleString('en-GB')} men in custody, ` +
          `${sessions.toLocaleString('en-GB')} sessions, ${reviews.toLocaleString('en-GB')} QA reviews: median ${r.medianMs.toFixed(0)} ms (max ` +
          `${r.maxMs.toFixed(0)} ms, ${r.requests} runs; count(*) of the sessions ${r.countMs.toFixed(0)} ms; ` +
          `target ≤ ${TARGET_MS} ms) ${failed ? 'OVER TARGET' : 'ok'}`,
      )
  })
  if (failed) process.exitCode = 1
}
