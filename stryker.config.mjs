// Mutation testing (npm run mutation): small changes are made to the code one at a time and the tests must fail
// for each. The scope is src/domain by default; MUTATE names a folder, a file or a comma list of them:
//   MUTATE=src/features/statistics npm run mutation
//   MUTATE=src/domain/statistics.ts,src/domain/moj.ts npm run mutation
//   MUTATE_EXCLUDE=src/features/statistics/demo.ts,src/features/statistics/cli.ts (files left out of the scope)
// The tests run against each mutant are those of the scope's folders (a file's own folder, recursively) plus
// TESTS (a comma list of globs), through the TAP runner: one node:test process per test file, only the files that
// reach the mutant (coverage per test file). MUTATION_CONCURRENCY sets the workers (1 by default).
// Incremental: npm run mutation is scripts/mutation.mjs, which keeps the results in committed stores, one per area
// (test/mutation/src-domain.json, test/mutation/src-features-audit.json, ...), so a later run of any scope (another
// session's too) re-tests only the mutants whose code or covering tests changed. Reports go to reports/mutation/.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'

const list = value =>
  (value ?? '')
    .split(',')
    .map(s => s.trim().replace(/\/+$/, ''))
    .filter(Boolean)
const scopes = list(process.env.MUTATE ?? 'src/domain')
const excluded = list(process.env.MUTATE_EXCLUDE)
const isFile = path => path.endsWith('.ts') || (existsSync(path) && statSync(path).isFile())
const name = [...scopes, ...excluded.map(e => `minus-${e.split('/').pop()}`)]
  .join('+')
  .replace(/\.ts\b/g, '')
  .replace(/[^a-z0-9+]+/gi, '-')
  .slice(0, 120)
const testFolders = [...new Set(scopes.map(s => (isFile(s) ? dirname(s) : s)))]
// The TAP runner's glob takes no negated pattern, so the test files are listed here; the browser tests are left out
// (they drive Chromium: too slow to run per mutant).
const testFiles = testFolders.flatMap(folder =>
  readdirSync(folder, { recursive: true })
    .map(f => join(folder, String(f)))
    .filter(f => f.endsWith('.test.ts') && !f.endsWith('browser.test.ts')),
)
// A static mutant (in a module's constants, evaluated when it loads) runs every test file of the scope until one
// fails, and the others run the files that reach them, in this order: the fastest first, by the seconds
// `npm run mutation -- --time-tests <folder>` measured (test/mutation/test-times.json); a file not timed counts 10 s.
const TIMES = 'test/mutation/test-times.json'
const times = existsSync(TIMES) ? JSON.parse(readFileSync(TIMES, 'utf8')) : {}
const seconds = file => times[file] ?? 10
testFiles.sort((a, b) => seconds(a) - seconds(b) || a.localeCompare(b))

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  mutate: [
    ...scopes.map(s => (isFile(s) ? s : `${s}/**/*.ts`)),
    '!**/*.test.ts',
    '!**/testing.ts',
    '!**/fixtures.ts',
    '!src/demo/**',
    ...excluded.map(e => `!${e}`),
  ],
  tap: {
    testFiles: [...testFiles, ...list(process.env.TESTS)],
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  coverageAnalysis: 'perTest',
  checkers: [],
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  timeoutMS: 20000,
  incremental: true,
  // the run's own file: scripts/mutation.mjs fills it from the committed stores in test/mutation and merges it back
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  ignorePatterns: ['bench', 'reports', 'data', '*.sqlite*', 'coverage'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
