// npm run bench -- <name> [--json] [options]: runs one benchmark. Each prints a table for people and, with
// --json, one JSON object per result line for machines. Add a benchmark by adding it to BENCHMARKS.

export const BENCHMARKS: Record<string, { about: string; run: (args: string[]) => Promise<void> }> = {
  pages: {
    about:
      'prisoner search and prisoner page under load, side by side with a bare node:http server [--json] ' +
      '[--duration S] [--connections N] [--engines sqlite,postgres] [--establishments N] [--prisoners-per N]',
    run: async args => (await import('./pages')).run(args),
  },
  directory: {
    about:
      'services directory search over 5,000 services on SQLite, side by side with a bare node:http server, then ' +
      'the HSDS import and export of 20,000 services with every field filled, with /ping during the import ' +
      '[--json] [--services N] [--duration S] [--connections N] [--hsds-services N] [--skip-search] [--skip-hsds]',
    run: async args => (await import('./directory')).run(args),
  },
  allocation: {
    about:
      'Key Worker allocation, optimal engine against the greedy baseline, on a Category B local and a national ' +
      'run [--json] [--seed N] [--establishments N] [--national-prisoners N]',
    run: async args => (await import('./allocation')).run(args),
  },
  integrity: {
    about:
      'near-duplicate narratives over 1,000,000 generated entries with planted copies: full scan, recall and ' +
      'precision against a brute force over a subset, incremental check p50/p99 [--json] [--entries N] ' +
      '[--subset N] [--probes N] [--seed N]',
    run: async args => (await import('./integrity')).run(args),
  },
  quality: {
    about:
      'the quality dashboard for a national year on PostgreSQL (≈ 3 million entries, 58,000 reviews): all ' +
      'establishments, one, a houseblock and a Key Worker [--json] [--establishments N] [--prisoners-per N] ' +
      '[--sessions-per N] [--key-workers-per N] [--repeat N] [--keep-database NAME]',
    run: async args => (await import('./qualityDashboard')).run(args),
  },
  training: {
    about:
      'the national training dashboard on PostgreSQL (≈ 22,000 Key Workers, 5 years of records) against count(*) of ' +
      'the completions, and the daily reminder job run twice [--json] [--establishments N] [--key-workers-per N] ' +
      '[--repeat N] [--skip-reminders] [--proposed-indexes] [--keep-database NAME]',
    run: async args => (await import('./training')).run(args),
  },
  overview: {
    about:
      'the national overview over the national demo on PostgreSQL (120 establishments × 733 prisoners, a year of ' +
      'history) [--json] [--establishments N] [--prisoners-per N] [--repeat N] [--skip-history] [--keep-database NAME]',
    run: async args => (await import('./overview')).run(args),
  },
  sessions: {
    about:
      'recording a session under 50 concurrent users against a bare node:http server, and the statistics pages of ' +
      'an establishment and of all establishments for a year on PostgreSQL against count(*) [--json] [--requests N] ' +
      '[--connections N] [--establishments N] [--prisoners-per N] [--repeat N] [--skip-post] [--skip-statistics]',
    run: async args => (await import('./sessions')).run(args),
  },
  scale: {
    about:
      'several instances on one PostgreSQL: a mixed audited load (prisoner pages, searches, submissions, statistics) ' +
      'against one `keywork serve` and against two, side by side, with the CPU the load generator took; audited ' +
      'writes per second, one establishment against many; the prisoner page on PostgreSQL against SQLite [--json] ' +
      '[--duration S] [--connections N] [--writers N] [--audit-seconds S] [--skip-sqlite] [--keep-database NAME]',
    run: async args => (await import('./scale')).run(args),
  },
  evaluation: {
    about:
      'the trial evaluation method on simulated panels (120 establishments × 36 months, staggered adoption, a planted ' +
      'heterogeneous effect): bias and 95% interval coverage of the Callaway–Sant’Anna estimate, time of one estimate ' +
      'with its bootstrap, beside the two-way fixed effects bias [--json] [--simulations N] [--bootstrap N] [--seed N] ' +
      '[--effect dynamic|constant|none] [--control notYetTreated|neverTreated]',
    run: async args => (await import('./evaluation')).run(args),
  },
  audit: {
    about:
      'audited writes per second on PostgreSQL: N concurrent writers all for one establishment (one audit chain) ' +
      'against one writer for each of N establishments (a chain each) [--json] [--writers N] [--seconds S] ' +
      '[--action update|view] [--keep-database NAME]',
    run: async args => (await import('./audit')).run(args),
  },
}

const [name, ...args] = process.argv.slice(2)
const bench = name ? BENCHMARKS[name] : undefined
if (!bench) {
  console.error(`Usage: npm run bench -- <name> [--json] [options]\n\nBenchmarks:`)
  for (const [n, b] of Object.entries(BENCHMARKS)) console.error(`  ${n}  ${b.about}`)
  process.exit(name ? 1 : 0)
}
try {
  await bench.run(args)
} catch (err) {
  console.error(err instanceof Error ? err.message : err)
  process.exitCode = 1
}
