// Mutation testing (npm run mutation): small changes are made to the code one at a time and the tests must fail
// for each. The scope is a folder, src/domain by default: MUTATE=src/features/statistics npm run mutation.
// The scope's own tests run against each mutant (the TAP runner, one node:test process per file, only
// the files that reach the mutant). Incremental: a second run re-tests only mutants whose code or tests changed.
const scope = (process.env.MUTATE ?? 'src/domain').replace(/\/+$/, '')
const name = scope.replace(/[^a-z0-9]+/gi, '-')

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  mutate: [`${scope}/**/*.ts`, '!**/*.test.ts', '!**/testing.ts', '!**/fixtures.ts', '!src/domain/demo/**'],
  tap: {
    testFiles: [`${scope}/**/*.test.ts`, '!**/browser.test.ts'],
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  coverageAnalysis: 'perTest',
  checkers: [],
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  timeoutMS: 20000,
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  ignorePatterns: ['bench', 'reports', 'data', '*.sqlite*', 'coverage'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
