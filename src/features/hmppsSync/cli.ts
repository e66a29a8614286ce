import type { Command } from 'commander'
import { withServices } from '../../cli/withServices'
import type { Services } from '../../services'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import type { SyncOutcome } from './service'

/** One line per establishment synced; the exit code is 1 when any sync failed or nothing could run. */
export async function syncRollCommand(s: Services, opts: { establishment?: string; json?: boolean }): Promise<number> {
  if (!s.hmppsSync.enabled.roll) {
    console.error(
      'Prisoner Search is not configured: set PRISONER_SEARCH_URL and HMPPS_AUTH_URL, HMPPS_CLIENT_ID, HMPPS_CLIENT_SECRET',
    )
    return 1
  }
  const actor = { ...SYSTEM_ACTOR, username: 'keywork hmpps sync-roll' }
  const outcomes: SyncOutcome[] = opts.establishment
    ? [await s.hmppsSync.syncRoll(actor, opts.establishment)]
    : await s.hmppsSync.syncAll(actor)
  if (opts.json) console.log(JSON.stringify(outcomes, null, 2))
  else
    for (const r of outcomes) {
      if (!r.ok) console.log(`${r.code}: failed, nothing changed: ${r.message}`)
      else {
        console.log(
          `${r.code}: ${r.roll} on the roll (${r.pages} ${r.pages === 1 ? 'page' : 'pages'}): ${r.created} new, ` +
            `${r.updated} changed, ${r.unchanged} unchanged, ${r.released} released, ${r.transferred} transferred out`,
        )
        for (const p of r.problems)
          console.log(`  not used: ${p.prisonNumber ?? 'no prison number'}: ${p.errors.join('; ')}`)
      }
    }
  return outcomes.length > 0 && outcomes.every(r => r.ok) ? 0 : 1
}

/** `keywork hmpps sync-roll [--establishment CODE]`: the roll from Prisoner Search now (the hourly job runs it too). */
export function registerHmpps(program: Command) {
  const hmpps = program.command('hmpps').description('the HMPPS systems: the roll from Prisoner Search')
  hmpps
    .command('sync-roll')
    .description('read the roll of one establishment (or every enabled one) from Prisoner Search and reconcile it')
    .option('--establishment <code>', 'the establishment, like MDI (default: every enabled establishment)')
    .option('--json', 'print the outcome as JSON')
    .action((opts: { establishment?: string; json?: boolean }) =>
      withServices(async s => {
        process.exitCode = await syncRollCommand(s, opts)
      }),
    )
}
