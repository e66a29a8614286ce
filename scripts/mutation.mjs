// `npm run mutation`: StrykerJS over the scope in MUTATE (see stryker.config.mjs), with results that accumulate.
//
// Stryker's incremental mode keeps one file per run, and a run writes back only the files it mutated. So that runs
// of different scopes (a folder, one file, a comma list) and of different sessions all add up, the results live in
// one committed store per area, test/mutation/<area>.json (src/domain, src/features/<name>): before a run, the
// stores are joined into the run's incremental file (reports/mutation/<scope>.incremental.json); after it, the
// run's results replace the stores' entries for the files it mutated. A later run of any scope then re-tests only
// the mutants whose code or covering tests changed.
//
//   MUTATE=src/domain/markdown.ts npm run mutation     # measure (or re-measure) one file
//   npm run mutation -- --summary                      # the scores per file and per area from the stores
//   npm run mutation -- --survivors src/domain/hubs.ts # the surviving mutants of the stores' files that match
//   npm run mutation -- --time-tests src/features/import # times each test file, so runs try the fastest first
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const STORE = 'test/mutation'
/** seconds per test file (stryker.config.mjs runs the fastest first); kept beside the stores, not one of them */
const TIMES = 'test-times.json'

/** The store a mutated file belongs to: src/domain/x.ts -> src-domain, src/features/audit/x.ts -> src-features-audit. */
function areaOf(file) {
  const parts = file.split('/')
  const depth = parts[1] === 'features' ? 3 : 2
  return parts.slice(0, Math.min(depth, parts.length - 1)).join('-')
}

function readStores() {
  if (!existsSync(STORE)) return []
  return readdirSync(STORE)
    .filter(f => f.endsWith('.json') && f !== TIMES)
    .map(f => ({ area: f.replace(/\.json$/, ''), report: JSON.parse(readFileSync(join(STORE, f), 'utf8')) }))
}

/** Whether a file is in a run's scope: config.mutate's entries are files or folders (with /**, *.ts), then exclusions. */
function inScope(mutate, file) {
  const matches = pattern =>
    pattern.endsWith('/**/*.ts') ? file.startsWith(pattern.slice(0, -'**/*.ts'.length)) : file === pattern
  const excluded = mutate.filter(p => p.startsWith('!')).map(p => p.slice(1))
  if (excluded.some(p => matches(p) || (p.startsWith('**/') && file.endsWith(p.slice(3))))) return false
  if (file.startsWith('src/domain/demo/')) return false
  return mutate.filter(p => !p.startsWith('!')).some(matches)
}

/**
 * One report from the stores' entries for the files in scope (test ids are the tests' names there, so they never
 * clash). Files out of scope are left out: Stryker would carry them into its result as they were.
 */
function joined(stores, mutate) {
  const out = { files: {}, testFiles: {} }
  for (const { report } of stores) {
    for (const [file, entry] of Object.entries(report.files)) if (inScope(mutate, file)) out.files[file] = entry
    for (const [name, tf] of Object.entries(report.testFiles ?? {})) out.testFiles[name] ??= tf
    for (const key of ['schemaVersion', 'thresholds', 'projectRoot', 'config', 'framework'])
      if (report[key] !== undefined) out[key] ??= report[key]
  }
  out.schemaVersion ??= '2'
  out.thresholds ??= { high: 80, low: 60 }
  return out
}

/** A mutant's identity across runs: where it is and what it changes to. */
const mutantKey = m =>
  `${m.mutatorName}|${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}|${m.replacement ?? ''}`

/**
 * MUTATION_KEEP_KILLS=1 (a run on the other database engine, as CI runs both): a mutant the store holds as killed, of
 * the same source, stays killed when this run did not kill it (its code runs on the other engine only). Without it,
 * a run's results replace the store's as they are.
 */
function keptKills(stored, entry) {
  const kept = new Map()
  if (process.env.MUTATION_KEEP_KILLS !== '1' || !stored || stored.source !== entry.source) return kept
  const undetected = new Set(entry.mutants.filter(m => UNDETECTED.includes(m.status)).map(mutantKey))
  for (const m of stored.mutants)
    if (DETECTED.includes(m.status) && undetected.has(mutantKey(m))) kept.set(mutantKey(m), m)
  return kept
}

/** Puts a run's results into the stores: its files in scope replace theirs; tests are renamed from ids to names. */
function merge(result, mutate) {
  const nameOf = new Map()
  for (const tf of Object.values(result.testFiles ?? {})) for (const t of tf.tests) nameOf.set(t.id, t.name)
  const rename = ids => (ids ?? []).map(id => nameOf.get(id) ?? id)
  const testFiles = {}
  for (const [file, tf] of Object.entries(result.testFiles ?? {}))
    testFiles[file] = { ...tf, tests: tf.tests.map(t => ({ ...t, id: t.name })) }

  const stores = new Map(readStores().map(s => [s.area, s.report]))
  const touched = new Set()
  for (const [file, entry] of Object.entries(result.files)) {
    if (!inScope(mutate, file)) continue
    const area = areaOf(file)
    const store = stores.get(area) ?? { files: {}, testFiles: {} }
    const kept = keptKills(store.files[file], entry)
    store.files[file] = {
      ...entry,
      mutants: entry.mutants.map(
        m =>
          kept.get(mutantKey(m)) ?? {
            ...m,
            id: `${file}#${m.id}`,
            coveredBy: rename(m.coveredBy),
            killedBy: rename(m.killedBy),
          },
      ),
    }
    stores.set(area, store)
    touched.add(area)
  }
  mkdirSync(STORE, { recursive: true })
  for (const area of touched) {
    const store = stores.get(area)
    // keep the test files the area's mutants name, the run's copy when it has one
    const used = new Set()
    for (const f of Object.values(store.files))
      for (const m of f.mutants) for (const id of [...(m.coveredBy ?? []), ...(m.killedBy ?? [])]) used.add(id)
    const tfs = {}
    for (const [file, tf] of Object.entries({ ...store.testFiles, ...testFiles }))
      if (tf.tests.some(t => used.has(t.id))) tfs[file] = tf
    const out = {
      schemaVersion: result.schemaVersion,
      thresholds: result.thresholds,
      files: Object.fromEntries(Object.entries(store.files).sort(([a], [b]) => a.localeCompare(b))),
      testFiles: Object.fromEntries(Object.entries(tfs).sort(([a], [b]) => a.localeCompare(b))),
    }
    writeFileSync(join(STORE, `${area}.json`), JSON.stringify(out) + '\n')
  }
}

const DETECTED = ['Killed', 'Timeout']
const UNDETECTED = ['Survived', 'NoCoverage']
function counts(mutants) {
  const c = { mutants: 0, Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 }
  for (const m of mutants) {
    c.mutants++
    if (m.status in c) c[m.status]++
    else c.other++
  }
  const valid = [...DETECTED, ...UNDETECTED].reduce((n, k) => n + c[k], 0)
  c.score = valid ? ((100 * (c.Killed + c.Timeout)) / valid).toFixed(1) : '-'
  return c
}

function summary() {
  const row = (name, c) =>
    `| ${name} | ${c.mutants} | ${c.Killed} | ${c.Survived} | ${c.Timeout} | ${c.NoCoverage} | ${c.score}% |`
  console.log('| scope | mutants | killed | survived | timeout | no coverage | score |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const { area, report } of readStores()) {
    const all = Object.values(report.files).flatMap(f => f.mutants)
    console.log(row(`**${area}** (measured files)`, counts(all)))
    for (const [file, f] of Object.entries(report.files)) console.log(row(file, counts(f.mutants)))
  }
}

function survivors(prefixes) {
  for (const { report } of readStores())
    for (const [file, f] of Object.entries(report.files)) {
      if (prefixes.length && !prefixes.some(p => file.startsWith(p))) continue
      const lines = f.source.split('\n')
      for (const m of f.mutants
        .filter(m => UNDETECTED.includes(m.status))
        .sort(
          (a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column,
        )) {
        const l = m.location.start
        const code = lines[l.line - 1].trim().slice(0, 100)
        const to = String(m.replacement ?? '')
          .replace(/\s+/g, ' ')
          .slice(0, 70)
        console.log(`${file}:${l.line}:${l.column} ${m.status} ${m.mutatorName}: ${code}  =>  ${to}`)
      }
    }
}

/** Runs each test file of the folders once, alone, and keeps how long it took. */
function timeTests(folders) {
  const file = join(STORE, TIMES)
  const times = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
  for (const folder of folders)
    for (const test of readdirSync(folder, { recursive: true })
      .map(f => join(folder, String(f)))
      .filter(f => f.endsWith('.test.ts') && !f.endsWith('browser.test.ts'))
      .sort()) {
      const start = performance.now()
      const run = spawnSync('node', ['--import', 'tsx', '--test', test], { stdio: 'ignore' })
      times[test] = Math.round((performance.now() - start) / 100) / 10
      console.log(`${test}: ${times[test]} s${run.status === 0 ? '' : ' (it failed: fix it before measuring)'}`)
    }
  const sorted = Object.fromEntries(Object.entries(times).sort(([a], [b]) => a.localeCompare(b)))
  mkdirSync(STORE, { recursive: true })
  writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`)
}

const args = process.argv.slice(2)
if (args[0] === '--summary') summary()
else if (args[0] === '--survivors') survivors(args.slice(1))
else if (args[0] === '--time-tests') timeTests(args.slice(1))
else if (args[0] === '--merge') {
  // MUTATE=<the run's scope> node scripts/mutation.mjs --merge reports/mutation/<scope>.incremental.json
  const { default: config } = await import('../stryker.config.mjs')
  for (const f of args.slice(1)) merge(JSON.parse(readFileSync(f, 'utf8')), config.mutate)
} else {
  const { default: config } = await import('../stryker.config.mjs')
  const runFile = config.incrementalFile
  mkdirSync(dirname(runFile), { recursive: true })
  writeFileSync(runFile, JSON.stringify(joined(readStores(), config.mutate)))
  const run = spawnSync('npx', ['stryker', 'run', ...args], { stdio: 'inherit' })
  if (run.status !== 0) process.exit(run.status ?? 1)
  merge(JSON.parse(readFileSync(runFile, 'utf8')), config.mutate)
  console.log(`mutation results kept in ${STORE}/ (commit them)`)
}
