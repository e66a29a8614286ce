import type { Command } from 'commander'
import { withServices } from '../../cli/withServices'
import { parseDate } from '../../domain/dates'

/** The `keywork training` command group, shared with the other training commands: found, or added once. */
export function trainingCommand(program: Command): Command {
  return (
    program.commands.find(c => c.name() === 'training') ??
    program.command('training').description('the Key Worker training programme')
  )
}

/** `keywork training reminders [--date YYYY-MM-DD]`: the daily reminder job now (safe to run any number of times). */
export function registerTrainingReminders(program: Command) {
  trainingCommand(program)
    .command('reminders')
    .description(
      'tell Key Workers and their Supervising Officers what training has fallen due, is overdue or expires soon ' +
        '(each reminder once: safe to run again; the service also runs it every hour)',
    )
    .option('--date <yyyy-mm-dd>', 'run as on this day (default: today in London)')
    .option('--json', 'print the outcome as JSON')
    .action((opts: { date?: string; json?: boolean }) =>
      withServices(async s => {
        const today = opts.date === undefined ? undefined : parseDate(opts.date)
        if (today === null) {
          console.error('--date must be a real date, like 2026-03-27')
          process.exitCode = 2
          return
        }
        const started = performance.now()
        const r = await s.trainingReminders.run(today)
        const seconds = ((performance.now() - started) / 1000).toFixed(1)
        if (opts.json) return console.log(JSON.stringify({ ...r, seconds: Number(seconds) }))
        console.log(
          `Training reminders: ${r.sent} new for ${r.officersTold} of ${r.officers} Key Workers, ` +
            `${r.digests} Supervising Officer digests, ${r.emails} emails, in ${seconds} s.`,
        )
      }),
    )
}
