import type { Command } from 'commander'
import { withServices } from '../../cli/withServices'

/** `keywork stats rebuild [--establishment CODE]`: recomputes the statistics aggregates from the sessions. */
export function registerStatistics(program: Command) {
  const stats = program.command('stats').description('delivery statistics')
  stats
    .command('rebuild')
    .description('recompute the pre-aggregated statistics from the recorded sessions (safe at any time)')
    .option('--establishment <code>', 'only this establishment')
    .action((opts: { establishment?: string }) =>
      withServices(async s => {
        const started = performance.now()
        let id: number | undefined
        if (opts.establishment) {
          const est = await s.establishments.byCode(opts.establishment.toUpperCase())
          if (!est) {
            console.error(`No establishment has the code ${opts.establishment}.`)
            process.exitCode = 1
            return
          }
          id = est.id
        }
        // the spells of eligibility, from the custody events
        const records = await s.prisoners.rebuildCustody(id ?? null)
        const days = await s.statistics.rebuild(id)
        const seconds = ((performance.now() - started) / 1000).toFixed(1)
        console.log(
          `Rebuilt the statistics: ${days.toLocaleString('en-GB')} establishment-days and the custody history of ` +
            `${records.toLocaleString('en-GB')} prisoner records in ${seconds} s.`,
        )
      }),
    )
}
