import type { Command } from 'commander'
import { withServices } from '../../cli/withServices'

/**
 * `keywork case-notes send`: sends the key work case notes that are due now (the service does it every minute; safe to
 * run beside it, and from several machines: each note is claimed by one sender at a time).
 */
export function registerCaseNotes(program: Command) {
  program
    .command('case-notes')
    .description('key work case notes for the MoJ case notes service')
    .command('send')
    .description('send the case notes and amendments that are due now (the service also does it every minute)')
    .action(() =>
      withServices(async s => {
        if (!s.caseNotes.configured) {
          console.log('The case notes service is not configured (CASE_NOTES_API_URL and HMPPS_AUTH_URL): nothing sent')
          return
        }
        const r = await s.caseNotes.sendDue()
        console.log(
          `Case notes: ${r.sent} sent, ${r.retrying} to try again later, ${r.failed} failed, ` +
            `${r.waiting} amendments waiting for their note`,
        )
        if (r.failed) process.exitCode = 1
      }),
    )
}
