// Mutation testing (npm run mutation): small changes are made to the code one at a time and the tests must fail
// for each. The scope is src/domain by default; MUTATE names a folder, a file or a comma list of them:
//   MUTATE=src/features/statistics npm run mutation
//   MUTATE=src/domain/statistics.ts,src/domain/moj.ts npm run mutation
//   MUTATE_EXCLUDE=src/features/statistics/demo.ts,src/features/statistics/cli.ts (files left out of the scope)
// The tests run against each mutant are those of the scope's folders (a file's own folder, recursively) plus
// TESTS (a comma list of globs), through the TAP runner: one node:test process per test file, only the files that
// reach the mutant (coverage per test file). MUTATION_CONCURRENCY sets the workers (1 by default).
// Incremental: the results are kept in test/mutation/<scope>.incremental.json, committed, so a later run (another
// session's too) re-tests only the mutants whose code or covering tests changed. Reports go to reports/mutation/.
import { existsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

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

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  mutate: [
    ...scopes.map(s => (isFile(s) ? s : `${s}/**/*.ts`)),
    '!**/*.test.ts',
    '!**/testing.ts',
    '!**/fixtures.ts',
    '!src/domain/demo/**',
    ...excluded.map(e => `!${e}`),
  ],
  tap: {
    testFiles: [...testFolders.map(f => `${f}/**/*.test.ts`), ...list(process.env.TESTS), '!**/browser.test.ts'],
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  coverageAnalysis: 'perTest',
  checkers: [],
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  timeoutMS: 20000,
  incremental: true,
  incrementalFile: `test/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  ignorePatterns: ['bench', 'reports', 'data', '*.sqlite*', 'coverage'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
