// npm run bench -- audit [--json] [--writers N] [--seconds S] [--action update|view] [--keep-database NAME]
//
// Audited writes per second on PostgreSQL (issue 18 point 6, decision 021): each write is one audit event in a
// transaction of its own, as `recordAlone` writes a sign-in or a view (an `update` commits durably; a `view` commits
// with synchronous_commit off, as the service does for views). Side by side, for the same number of concurrent
// writers: all of them writing for ONE establishment (one chain: they take turns on its head row, as every writer in
// the nation did when there was one chain) and each writing for an establishment of its own (N chains: they should
// not wait for each other). The bench database is created and dropped here, on the server of BENCH_DATABASE_URL or
// TEST_DATABASE_URL; `keywork audit verify` is run over what was written.
import { parseArgs } from 'node:util'
import type { Services } from '../src/services'
import { withBenchDatabase } from './benchDatabase'

export interface AuditedWritesResult {
  bench: 'audit'
  engine: 'sqlite' | 'postgres'
  measure: string
  action: 'update' | 'view'
  writers: number
  establishments: number
  events: number
  seconds: number
  perSecond: number
  /** per write, from the start of its transaction to its commit */
  p50Ms: number
  p99Ms: number
}

/**
 * Runs `writers` concurrent writers for `seconds`, writer i writing audit events for establishment
 * `establishmentIds[i % establishmentIds.length]` (one id: every writer on one chain; as many ids as writers: a chain
 * each), each event in its own transaction; returns how many were written and how fast. The services' pool bounds the
 * writers that can run at once (10 connections on PostgreSQL).
 */
export async function auditedWrites(
  s: Services,
  opts: { writers: number; establishmentIds: number[]; seconds: number; action?: 'update' | 'view'; measure?: string },
): Promise<AuditedWritesResult> {
  const action = opts.action ?? 'update'
  const latencies: number[] = []
  const start = performance.now()
  const deadline = start + opts.seconds * 1000
  await Promise.all(
    Array.from({ length: opts.writers }, async (_, i) => {
      const establishmentId = opts.establishmentIds[i % opts.establishmentIds.length]!
      const actor = { userId: null, username: `bench.writer${i}`, establishmentId }
      for (let n = 0; performance.now() < deadline; n++) {
        const t = performance.now()
        await s.audit.recordAlone(actor, { action, entity: 'prisoner', entityId: `B${i}-${n}` })
        latencies.push(performance.now() - t)
      }
    }),
  )
  const seconds = (performance.now() - start) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  const establishments = new Set(opts.establishmentIds).size
  return {
    bench: 'audit',
    engine: s.db.dialect,
    measure:
      opts.measure ??
      (establishments === 1 ? 'one establishment, every writer' : `${establishments} establishments, a writer each`),
    action,
    writers: opts.writers,
    establishments,
    events: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  }
}

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      writers: { type: 'string', default: '8' },
      seconds: { type: 'string', default: '5' },
      action: { type: 'string', default: 'update' },
      'keep-database': { type: 'string' },
    },
  })
  const writers = Math.max(1, Number(values.writers))
  const seconds = Math.max(1, Number(values.seconds))
  if (values.action !== 'update' && values.action !== 'view') throw new Error('--action takes update or view')
  const action = values.action
  const say = (line: string) => (values.json ? process.stderr.write(`${line}\n`) : console.log(line))
  const results: AuditedWritesResult[] = []
  await withBenchDatabase('audit', values['keep-database'], async ({ s }) => {
    // a warm-up: the pool's connections open and the statements are prepared
    await auditedWrites(s, { writers, establishmentIds: [1], seconds: 1, action })
    const each = Array.from({ length: writers }, (_, i) => 1000 + i)
    for (const [label, ids] of [
      ['one', [1]],
      ['each', each],
    ] as const) {
      say(
        `audit: ${writers} writers, ${label === 'one' ? 'one establishment' : 'an establishment each'}, ${seconds} s…`,
      )
      const r = await auditedWrites(s, { writers, establishmentIds: [...ids], seconds, action })
      results.push(r)
      if (values.json) console.log(JSON.stringify(r))
    }
    const t = performance.now()
    const verify = await s.audit.verify()
    say(
      `audit verify: ${verify.ok ? 'intact' : 'BROKEN'}, ${verify.checked.toLocaleString('en-GB')} events in ` +
        `${verify.chains} chains, ${Math.round(performance.now() - t)} ms`,
    )
    if (!verify.ok) process.exitCode = 1
  })
  if (!values.json) {
    const n = (x: number, d = 0) => x.toLocaleString('en-GB', { maximumFractionDigits: d })
    console.log(`\nAudited writes on PostgreSQL (${action}, ${writers} concurrent writers, ${seconds} s each):`)
    for (const r of results)
      console.log(
        `  ${r.measure.padEnd(36)} ${n(r.perSecond).padStart(7)} writes/s  p50 ${n(r.p50Ms, 1)} ms  p99 ${n(r.p99Ms, 1)} ms` +
          `  (${n(r.events)} events)`,
      )
  }
}
