import type { Command } from 'commander'
import { withServices } from '../../cli/withServices'
import { SYSTEM_ACTOR } from '../../platform/audit/service'

/** `keywork retention run [--dry-run]`: the national retention rule now (the daily job runs it too; safe to repeat). */
export function registerRetention(program: Command) {
  program
    .command('retention')
    .description('the national retention rule for prisoners’ personal data')
    .command('run')
    .description('anonymise the personal data of men released longer ago than the rule (a second run changes nothing)')
    .option('--dry-run', 'say what it would change, changing nothing')
    .action((opts: { dryRun?: boolean }) =>
      withServices(async s => {
        const r = opts.dryRun
          ? await s.dataProtection.dryRun()
          : await s.dataProtection.run({ ...SYSTEM_ACTOR, username: 'keywork retention run' })
        const verb = opts.dryRun ? 'would be anonymised' : 'anonymised'
        console.log(
          `Retention: ${r.years} ${r.years === 1 ? 'year' : 'years'} after release (released on or before ${r.cutoff}): ` +
            `${r.men} men, ${r.records} prisoner records ${verb}`,
        )
        for (const e of r.perEstablishment) console.log(`  ${e.establishment}: ${e.records}`)
      }),
    )
}
