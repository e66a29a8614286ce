import type { Command } from 'commander'
import { SYSTEM_ACTOR } from '../platform/audit/service'
import type { Services } from '../services'
import { withServices } from './withServices'

interface AllocateOptions {
  establishment: string
  dryRun?: boolean
  strategy: string
  json?: boolean
  rebalance?: boolean
  moveRecent?: boolean
}

/** keywork allocate --rebalance: the fewest moves that bring Key Workers within capacity, saved unless --dry-run. */
async function rebalanceCli(s: Services, est: { id: number; code: string; name: string }, opts: AllocateOptions) {
  const moveRecentlySeen = opts.moveRecent === true
  const preview = await s.rebalance.preview(est.id, { moveRecentlySeen })
  let saved = 0
  if (!opts.dryRun && preview.moves.length > 0) {
    const actor = { ...SYSTEM_ACTOR, username: 'keywork allocate', establishmentId: est.id }
    const numbers = preview.moves.map(m => m.prisoner.prison_number)
    const r = await s.rebalance.confirm(actor, est.id, { moveRecentlySeen }, preview.fingerprint, numbers)
    if (!r.ok) {
      console.error(Object.values(r.errors).join('\n'))
      process.exitCode = 1
      return
    }
    saved = r.value
  }
  const summary = {
    establishment: est.code,
    mode: 'rebalance',
    allocated: preview.allocated,
    proposedMoves: preview.moves.length,
    notMovedSeenRecently: preview.pinned,
    before: preview.before,
    after: preview.after,
    saved,
  }
  if (opts.json) {
    const moves = preview.moves.map(m => ({
      prisonNumber: m.prisoner.prison_number,
      fromStaffId: m.from.id,
      toStaffId: m.to.id,
      reasons: m.reasons,
    }))
    console.log(JSON.stringify({ ...summary, moves }))
    return
  }
  console.log(`${est.name} (${est.code}), rebalance:`)
  console.log(`  ${preview.moves.length} moves proposed for ${preview.allocated} prisoners with a Key Worker`)
  console.log(
    `  Key Workers over capacity: ${preview.before.overCapacityOfficers} now, ${preview.after.overCapacityOfficers} after`,
  )
  console.log(`  same houseblock: ${preview.before.sameHouseblock} now, ${preview.after.sameHouseblock} after`)
  console.log(`  not moved (seen in the last ${preview.recentDays} days): ${preview.pinned}`)
  console.log(opts.dryRun ? '  Dry run: nothing saved.' : `  Made ${saved} moves.`)
}

/** keywork allocate: runs the allocation engine for one establishment and saves the proposal unless --dry-run. */
export function registerAllocate(program: Command) {
  program
    .command('allocate')
    .description('allocate a Key Worker to every eligible prisoner waiting for one, and say why')
    .requiredOption('--establishment <code>', 'the establishment, like LEI')
    .option('--dry-run', 'show the proposal without saving it')
    .option('--strategy <name>', 'optimal (the default) or greedy (the old single pass, for comparison)', 'optimal')
    .option('--json', 'print the proposal as JSON')
    .option('--rebalance', 'instead: propose the fewest moves that bring Key Workers within capacity')
    .option('--move-recent', 'with --rebalance: also move prisoners seen in the last 28 days')
    .action((opts: AllocateOptions) =>
      withServices(async s => {
        if (opts.strategy !== 'optimal' && opts.strategy !== 'greedy') {
          console.error('--strategy must be optimal or greedy')
          process.exitCode = 2
          return
        }
        const est = await s.establishments.byCode(opts.establishment)
        if (!est) {
          console.error(`No establishment with code ${opts.establishment}`)
          process.exitCode = 2
          return
        }
        if (est.auto_allocation === 0 && !opts.dryRun) {
          console.error(
            `${est.name} does not use automatic allocation (establishment settings). Use --dry-run to see a proposal.`,
          )
          process.exitCode = 1
          return
        }
        if (opts.rebalance) return rebalanceCli(s, est, opts)
        const preview = await s.autoAllocation.preview(est.id, {}, opts.strategy)
        const summary = {
          establishment: est.code,
          strategy: opts.strategy,
          proposed: preview.pairs.length,
          unallocated: preview.unallocated.length,
          capacityViolations: preview.stats.capacityViolations,
          saved: 0,
        }
        if (!opts.dryRun) {
          if (preview.stats.capacityViolations > 0) {
            console.error('This proposal puts Key Workers over capacity, so it is not saved. Use --dry-run to compare.')
            process.exitCode = 1
          } else {
            const actor = { ...SYSTEM_ACTOR, username: 'keywork allocate', establishmentId: est.id }
            const rows = preview.pairs.map(p => ({
              prisonNumber: p.prisoner.prison_number,
              staffId: p.officer.id,
              overridden: false,
            }))
            const r = await s.autoAllocation.confirm(actor, est.id, {}, preview.fingerprint, rows)
            if (!r.ok) {
              console.error(Object.values(r.errors).join('\n'))
              process.exitCode = 1
              return
            }
            summary.saved = r.value
          }
        }
        if (opts.json) {
          const pairs = preview.pairs.map(p => ({
            prisonNumber: p.prisoner.prison_number,
            staffId: p.officer.id,
            reasons: p.reasons,
          }))
          const unallocated = preview.unallocated.map(u => ({
            prisonNumber: u.prisoner.prison_number,
            reason: u.reason,
          }))
          console.log(JSON.stringify({ ...summary, pairs, unallocated }))
          return
        }
        const reasons = new Map<string, number>()
        for (const p of preview.pairs) for (const r of p.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1)
        console.log(`${est.name} (${est.code}), ${opts.strategy}:`)
        console.log(
          `  ${summary.proposed} prisoners matched with a Key Worker, ${summary.unallocated} could not be allocated`,
        )
        for (const [r, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`    ${n} × ${r}`)
        for (const u of preview.unallocated.slice(0, 10))
          console.log(`  not allocated: ${u.prisoner.prison_number}: ${u.reason}`)
        console.log(opts.dryRun ? '  Dry run: nothing saved.' : `  Saved ${summary.saved} allocations.`)
      }),
    )
}
