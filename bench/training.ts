// npm run bench -- training [--json] [--establishments N] [--key-workers-per N] [--repeat N] [--skip-reminders]
//                           [--keep-database NAME]
//
// The national training dashboard on PostgreSQL (target: ≤ 200 ms) and the daily reminder job (target: ≤ 10 s, and a
// second run that sends nothing). A bench database (created and dropped here, on the server of BENCH_DATABASE_URL or
// TEST_DATABASE_URL) is filled with generated rows straight in SQL: 120 establishments × 183 Key Workers (≈ 22,000
// officers, started in post over the last 10 years, 1 in 20 with no start date, 1 in 50 inactive), each with a user
// and an email; the initial course for 9 in 10 whose window has opened (1 in 33 failed once first), a top-up most
// years since, 4 CPD or local completions a year for 5 years (1 in 100 voided), 3 journal entries a year; 64 courses
// an establishment over 5 years and the next 3 months (12 places, 14 enrolments: the last 2 wait or withdrew) and 10
// regional courses a region; for officers trained in the last year, 12 reviewed entries in the 6 months either side.
// Then the dashboard's figures (s.trainingDashboard.dashboard: every figure of the page but the QA comparison) for all
// establishments and for one, and the QA comparison, each timed `--repeat` times after a warm-up, beside a plain
// count(*) of the completions; then s.trainingReminders.run(today) twice. The dashboard's indexes are migration 027's
// (without them the national view took a median of 219 ms against 101 ms with them).
import { parseArgs } from 'node:util'
import pg from 'pg'
import { addDays, todayIso } from '../src/domain/dates'
import { addMonthsIso } from '../src/domain/training'
import { withBenchDatabase } from './benchDatabase'

const TARGET_MS = 200

const REMINDERS_TARGET_MS = 10_000

export interface TrainingResult {
  bench: 'training'
  engine: 'postgres'
  measure: string
  officers: number
  completions: number
  requests: number
  medianMs: number
  maxMs: number
  /** the same run: count(*) over the completions */
  countMs: number
  target: number | null
}

export interface TrainingRemindersResult {
  bench: 'training'
  engine: 'postgres'
  measure: 'reminder job'
  officers: number
  firstRunMs: number
  firstRunSent: number
  secondRunMs: number
  secondRunSent: number
  target: number
}

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      establishments: { type: 'string', default: '120' },
      'key-workers-per': { type: 'string', default: '183' },
      repeat: { type: 'string', default: '7' },
      'skip-reminders': { type: 'boolean', default: false },
      'keep-database': { type: 'string' },
    },
  })
  const opts = {
    establishments: Number(values.establishments),
    keyWorkersPer: Number(values['key-workers-per']),
    repeat: Math.max(1, Number(values.repeat)),
  }
  const say = (line: string) => (values.json ? process.stderr.write(`${line}\n`) : console.log(line))
  let failed = false
  await withBenchDatabase('training', values['keep-database'], async ({ s, direct, name, kept }) => {
    const today = todayIso()
    if (kept) say(`training: reusing the database ${name} (--keep-database)`)
    else {
      const t = performance.now()
      say(
        `training: generating ${opts.establishments} establishments × ${opts.keyWorkersPer} Key Workers with ` +
          `5 years of training records on PostgreSQL…`,
      )
      // the national programme and rubric through their services (the modules and rubric the rows point at)
      await s.training.ensureNational()
      await s.rubric.ensureNational()
      await generate(direct, opts, today, say)
      say(`training: generated in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    }
    await direct.query('vacuum analyze training_completions, reflective_entries')
    const counted = async () => {
      const t = performance.now()
      const r = await direct.query<{ n: string }>('select count(*) as n from training_completions')
      return { ms: performance.now() - t, n: Number(r.rows[0]!.n) }
    }
    const officers = Number(
      (
        await direct.query<{ n: string }>(
          `select count(*) as n from staff where key_worker = 1 and status <> 'inactive'`,
        )
      ).rows[0]!.n,
    )
    const first = (await direct.query<{ id: number }>('select min(id) as id from establishments')).rows[0]!.id
    const from = addDays(addMonthsIso(today, -12), 1)
    const measures: { label: string; target: number | null; call: () => Promise<unknown> }[] = [
      {
        label: 'dashboard, all establishments',
        target: TARGET_MS,
        call: () => s.trainingDashboard.dashboard({ kind: 'national' }, today),
      },
      {
        label: 'dashboard, one establishment',
        target: TARGET_MS,
        call: () => s.trainingDashboard.dashboard({ kind: 'establishment', establishmentId: first }, today),
      },
      {
        label: 'QA before and after, all',
        target: null,
        call: () => s.trainingDashboard.beforeAfter({ kind: 'national' }, from, today),
      },
    ]
    const results: TrainingResult[] = []
    for (const m of measures) {
      await m.call() // warm-up
      const times: number[] = []
      const counts: number[] = []
      let completions = 0
      for (let i = 0; i < opts.repeat; i++) {
        const c = await counted()
        counts.push(c.ms)
        completions = c.n
        const t = performance.now()
        await m.call()
        times.push(performance.now() - t)
      }
      times.sort((a, b) => a - b)
      counts.sort((a, b) => a - b)
      const r: TrainingResult = {
        bench: 'training',
        engine: 'postgres',
        measure: m.label,
        officers,
        completions,
        requests: times.length,
        medianMs: Math.round(times[times.length >> 1]!),
        maxMs: Math.round(times[times.length - 1]!),
        countMs: Math.round(counts[counts.length >> 1]!),
        target: m.target,
      }
      results.push(r)
      if (m.target !== null && r.medianMs > m.target) failed = true
      if (values.json) console.log(JSON.stringify(r))
      else
        say(
          `  ${r.measure.padEnd(30)} ${r.officers.toLocaleString('en-GB')} Key Workers, ` +
            `${r.completions.toLocaleString('en-GB')} completions: median ${r.medianMs} ms, max ${r.maxMs} ms ` +
            `(count(*) of the completions ${r.countMs} ms)` +
            (r.target === null ? '' : ` — target ≤ ${r.target} ms ${r.medianMs <= r.target ? 'met' : 'MISSED'}`),
        )
    }

    if (!values['skip-reminders']) {
      const t1 = performance.now()
      const one = await s.trainingReminders.run(today)
      const firstRunMs = performance.now() - t1
      const t2 = performance.now()
      const two = await s.trainingReminders.run(today)
      const secondRunMs = performance.now() - t2
      const r: TrainingRemindersResult = {
        bench: 'training',
        engine: 'postgres',
        measure: 'reminder job',
        officers: one.officers,
        firstRunMs: Math.round(firstRunMs),
        firstRunSent: one.sent,
        secondRunMs: Math.round(secondRunMs),
        secondRunSent: two.sent,
        target: REMINDERS_TARGET_MS,
      }
      if (r.firstRunMs > REMINDERS_TARGET_MS || r.secondRunSent !== 0) failed = true
      if (values.json) console.log(JSON.stringify(r))
      else
        say(
          `  reminder job: ${r.officers.toLocaleString('en-GB')} officers, first run ${r.firstRunSent.toLocaleString('en-GB')} ` +
            `reminders in ${r.firstRunMs} ms — target ≤ ${REMINDERS_TARGET_MS} ms ` +
            `${r.firstRunMs <= REMINDERS_TARGET_MS ? 'met' : 'MISSED'}; second run ${r.secondRunSent} sent in ` +
            `${r.secondRunMs} ms — ${r.secondRunSent === 0 ? 'nothing twice: met' : 'SENT AGAIN'}`,
        )
    }
  })
  if (failed) process.exitCode = 1
}

/** The national records, in SQL: a few statements of generate_series, then VACUUM ANALYZE. */
async function generate(
  c: pg.Client,
  o: { establishments: number; keyWorkersPer: number },
  today: string,
  say: (l: string) => void,
) {
  const now = new Date().toISOString()
  const q = async (label: string, text: string, params: unknown[] = []) => {
    const t = performance.now()
    const r = await c.query(text, params)
    say(
      `  ${label}: ${(r.rowCount ?? 0).toLocaleString('en-GB')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    )
  }
  await q(
    'establishments',
    `insert into establishments (code, name, category, region, enabled, created_at, updated_at)
     select 'E' || lpad(g::text, 3, '0'), 'Establishment ' || g, 'Category B local', 'Region ' || (g % 12), 1, $2, $2
     from generate_series(1, $1) g`,
    [o.establishments, now],
  )
  await q(
    'Supervising Officers',
    `insert into users (username, display_name, email, password_hash, enabled, created_at)
     select 'so.' || lower(e.code), 'SO ' || e.code, 'so.' || lower(e.code) || '@example.org', null, 1, $1
     from establishments e order by e.id`,
    [now],
  )
  await q(
    'their roles',
    `insert into user_roles (user_id, establishment_id, role)
     select u.id, e.id, 'SUPERVISING_OFFICER' from establishments e join users u on u.username = 'so.' || lower(e.code)`,
  )
  // started in post over the last 10 years (1 in 20 not recorded), 1 in 50 inactive
  await q(
    'Key Workers',
    `insert into staff (establishment_id, staff_number, first_name, last_name, grade, email, working_pattern,
       weekly_hours, started_in_post, languages, status, key_worker, created_at, updated_at)
     select e.id, e.code || lpad(k::text, 4, '0'), 'Kim', 'Officer ' || k, 'Band 3',
       lower(e.code) || '.' || k || '@example.org', 'full_time', 37,
       case when k % 20 = 0 then null else to_char($2::date - ((k * 97 + e.id * 13) % 3650), 'YYYY-MM-DD') end,
       '', case when k % 50 = 0 then 'inactive' else 'active' end, 1, $1, $1
     from establishments e, generate_series(1, $3) k order by e.id, k`,
    [now, today, o.keyWorkersPer],
  )
  await q(
    'their users',
    `insert into users (username, display_name, email, password_hash, enabled, created_at)
     select 'kw.' || lower(st.staff_number), st.first_name || ' ' || st.last_name, st.email, null, 1, $1
     from staff st order by st.id`,
    [now],
  )
  await q(
    'staff linked to users',
    `update staff st set user_id = u.id from users u where u.username = 'kw.' || lower(st.staff_number)`,
  )
  const completion = `insert into training_completions (establishment_id, staff_id, module_id, module_code, kind, title,
       completed_on, hours, outcome, evidence, source, course_id, external_id, recorded_at, recorded_by, voided_at,
       voided_by, void_reason)`
  // the initial course, 3 to 9 months after the start, for 9 in 10 of those whose window has opened
  await q(
    'initial courses',
    `${completion}
     select st.establishment_id, st.id, m.id, m.code, 'initial', m.title, x.on, m.hours, 'passed', '', 'course',
       null, null, $2, 'bench', null, null, null
     from staff st cross join lateral (
       select to_char(st.started_in_post::date + 91 + (st.id * 7) % 180, 'YYYY-MM-DD') as on) x
     join training_modules m on m.code = 'KW-INITIAL' and m.programme_version_id is not null
     where st.started_in_post is not null and st.id % 10 <> 0 and x.on <= $1::text`,
    [today, now],
  )
  await q(
    'failed first attempts',
    `${completion}
     select c.establishment_id, c.staff_id, c.module_id, c.module_code, 'initial', c.title,
       to_char(c.completed_on::date - 30, 'YYYY-MM-DD'), c.hours, 'failed', '', 'course', null, null, $1, 'bench',
       null, null, null
     from training_completions c where c.kind = 'initial' and c.staff_id % 33 = 0`,
    [now],
  )
  // a top-up most years since the initial course, within the last 5 years
  await q(
    'top-ups',
    `${completion}
     select c.establishment_id, c.staff_id, m.id, m.code, 'topup', m.title, x.on, m.hours, 'completed', '', 'csv',
       null, null, $2, 'bench', null, null, null
     from training_completions c cross join generate_series(1, 9) y
       cross join lateral (
         select to_char(c.completed_on::date + y * 365 - (c.staff_id * y) % 60, 'YYYY-MM-DD') as on,
           (array['KW-TOPUP-MI', 'KW-TOPUP-ENTRIES', 'KW-TOPUP-MH', 'KW-TOPUP-PATHWAYS'])[1 + (c.staff_id + y) % 4] as code) x
       join training_modules m on m.code = x.code and m.programme_version_id is not null
     where c.kind = 'initial' and c.outcome <> 'failed' and (c.staff_id + y) % 7 <> 0
       and x.on <= $1::text and x.on >= to_char($1::date - 1826, 'YYYY-MM-DD')`,
    [today, now],
  )
  // 4 CPD or local completions a year for 5 years, 1 in 100 voided
  await q(
    'CPD and local completions',
    `${completion}
     select st.establishment_id, st.id, null, case when n % 2 = 0 then 'CPD' else 'LOCAL-' || e.code || '-1' end,
       case when n % 2 = 0 then 'cpd' else 'local' end, 'Continuing development',
       to_char($1::date - (n * 91 + st.id % 91), 'YYYY-MM-DD'), 1 + (st.id + n) % 3, 'completed', '', 'manual',
       null, null, $2, 'bench',
       case when (st.id + n) % 100 = 0 then $2 end, case when (st.id + n) % 100 = 0 then 'bench' end,
       case when (st.id + n) % 100 = 0 then 'Recorded twice' end
     from staff st join establishments e on e.id = st.establishment_id cross join generate_series(0, 19) n`,
    [today, now],
  )
  await q(
    'journal entries',
    `insert into reflective_entries (establishment_id, staff_id, user_id, form, title, written_on, description, minutes,
       shared, created_at, updated_at)
     select st.establishment_id, st.id, st.user_id, 'short', 'Reflection',
       to_char($1::date - (n * 122 + st.id % 122), 'YYYY-MM-DD'), 'What I learnt', 30 + (st.id + n) % 4 * 15, 0, $2, $2
     from staff st cross join generate_series(0, 14) n`,
    [today, now],
  )
  // 64 courses an establishment from 5 years ago to 3 months ahead (the initial course every fifth, 5 days), and 10
  // regional ones a region
  await q(
    'courses',
    `insert into training_courses (module_id, establishment_id, region, trainer_user_id, trainer, place, capacity,
       status, notes, created_at, created_by)
     select m.id, x.establishment_id, x.region, null, 'Trainer', 'Training room', 12,
       case when x.c % 17 = 0 then 'cancelled' when x.first < $1 then 'completed' else 'scheduled' end,
       to_char(x.first, 'YYYY-MM-DD'), $2, 'bench'
     from (
       select e.id as establishment_id, null::text as region, c, $1::date - 1826 + c * 29 + e.id % 20 as first
       from establishments e cross join generate_series(0, 63) c
       union all
       select null, r.region, c, $1::date - 300 + c * 38 + length(r.region)
       from (select distinct region from establishments) r cross join generate_series(0, 9) c
     ) x
     join training_modules m on m.programme_version_id is not null
       and m.code = case when x.c % 5 = 0 then 'KW-INITIAL' else 'KW-TOPUP-MI' end`,
    [today, now],
  )
  await q(
    'course days',
    `insert into training_course_days (course_id, day, starts_at, ends_at)
     select tc.id, to_char(tc.notes::date + d, 'YYYY-MM-DD'), '09:00', '16:30'
     from training_courses tc join training_modules m on m.id = tc.module_id
       cross join lateral generate_series(0, m.days - 1) d`,
  )
  await q('course notes cleared', `update training_courses set notes = ''`)
  await q(
    'enrolments',
    `with kw as (select id, establishment_id, row_number() over (partition by establishment_id order by id) as rn,
                   count(*) over (partition by establishment_id) as n from staff),
     courses as (select tc.id, tc.status, coalesce(tc.establishment_id,
                   (select min(e.id) from establishments e where e.region = tc.region)) as est,
                   (select min(day) from training_course_days d where d.course_id = tc.id) as first
                 from training_courses tc)
     insert into training_enrolments (course_id, staff_id, status, enrolled_at, enrolled_by, waiting_since, updated_at,
       updated_by)
     select c.id, kw.id,
       case when c.status = 'cancelled' then 'cancelled'
            when j < 12 then case when c.first < $1::text then 'completed' else 'enrolled' end
            when c.first < $1::text then 'withdrawn' else 'waiting' end,
       $2, 'bench', case when j >= 12 then $2 end, $2, 'bench'
     from courses c cross join generate_series(0, 13) j
       join kw on kw.establishment_id = c.est and kw.rn = (c.id * 14 + j) % kw.n + 1`,
    [today, now],
  )
  // QA: for officers trained in the last year, 12 reviewed entries 6 months either side of the course
  await q(
    'prisoners',
    `insert into prisoners (prison_number, first_name, last_name, date_of_birth, establishment_id, unit_id,
       reception_date, status, complexity, first_language, interpreter_needed, nationality, created_at, updated_at)
     select 'P' || e.id, 'Test', 'Prisoner', '1990-01-01', e.id, null, '2020-01-01', 'in', 'low', 'en', 0, 'British', $1, $1
     from establishments e`,
    [now],
  )
  await q(
    'entries',
    `insert into key_work_sessions (establishment_id, prisoner_id, staff_id, author_user_id, author, status,
       on_caseload, outcome, session_date, starts_at, duration_minutes, location, private, interpreter_needed,
       interpreter_used, pathways, concern, prisoner_words, agreed, created_at, updated_at, submitted_at)
     select c.establishment_id, p.id, c.staff_id, null, 'kw', 'submitted', 1, 'delivered', x.on, '10:00', 45,
       'hub_room', 1, 0, 0, 'accommodation', 0, 'Words', 'Agreed', $2, $2, $2
     from training_completions c join prisoners p on p.establishment_id = c.establishment_id
       cross join generate_series(0, 11) r
       cross join lateral (select to_char(c.completed_on::date - 175 + r * 30, 'YYYY-MM-DD') as on) x
     where c.kind = 'initial' and c.outcome <> 'failed' and c.completed_on > to_char($1::date - 365, 'YYYY-MM-DD')
       and x.on <= $1::text`,
    [today, now],
  )
  await q(
    'reviews',
    `insert into qa_reviews (establishment_id, session_id, kind, sample_id, calibration_id, reviewer_user_id, reviewer,
       rubric_version_id, overall_score, feedback_good, feedback_change, officer_user_id, submitted_at, updated_at)
     select s.establishment_id, s.id, 'chosen', null, null, u.id, 'so',
       (select max(id) from qa_rubric_versions), 1 + (s.id + s.staff_id) % 4, 'Good', 'Change', null,
       s.session_date || 'T15:00:00.000Z', s.session_date || 'T15:00:00.000Z'
     from key_work_sessions s join establishments e on e.id = s.establishment_id
       join users u on u.username = 'so.' || lower(e.code)`,
  )
  const t = performance.now()
  await c.query('vacuum analyze')
  say(`  vacuum analyze in ${((performance.now() - t) / 1000).toFixed(1)} s`)
}
