import http from 'node:http'
import { Command } from 'commander'
import { loadConfig } from '../config'
import { migrateToLatest } from '../platform/db/migrate'
import { type Services, startServices } from '../services'
import { createApp } from '../app'
import { type ImportCommandOptions, importCommand } from '../features/import/cli'
import { registerDemo } from '../demo/cli'
import { registerAllocate } from './allocate'
import { registerJobs, runDailyJobs } from './jobs'
import { registerOperations } from './operations'
import { registerStatistics } from '../features/statistics/cli'
import { registerDirectory } from '../features/directory/hsds/cli'
import { registerEstablishments } from '../features/establishments/cli'
import { registerTrainingReminders } from '../features/trainingReminders/cli'
import { registerRetention } from '../features/dataProtection/cli'
import { registerCaseNotes } from '../features/caseNotes/cli'
import { registerHmpps } from '../features/hmppsSync/cli'
import { registerApiClients } from '../features/apiV1/cli'
import { withServices } from './withServices'

const program = new Command()
program.name('keywork').description('Key Work in prisons: allocate, deliver, record, quality-assure and improve')

/** Listens, or rejects with a message for the operator when the port is taken or not allowed. */
function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(new Error(`Port ${port} is already in use: stop the other service or set PORT`))
      else if (err.code === 'EACCES')
        reject(new Error(`Port ${port} needs privileges this user does not have: set PORT to 1024 or above`))
      else if (err.code === 'EADDRNOTAVAIL') reject(new Error(`Cannot listen on ${host}: check HOST`))
      else reject(err)
    }
    server.once('error', failed)
    server.listen(port, host, () => {
      server.off('error', failed)
      resolve()
    })
  })
}

async function serve(services: Services) {
  const { config, logger } = services
  const server = http.createServer(createApp(services))
  try {
    await listen(server, config.port, config.host)
  } catch (err) {
    await services.close()
    throw err
  }
  logger.info({ port: config.port, database: services.db.dialect }, 'keywork listening')
  console.log(
    `\nKey Work is running at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}\n`,
  )
  // the daily jobs are idempotent: run them at start and every hour, so a restart never skips a day
  const runJobs = () =>
    runDailyJobs(services).then(
      r => logger.info(r, 'daily jobs ran'),
      (err: unknown) => logger.error({ err }, 'daily jobs failed'),
    )
  void runJobs()
  const jobsTimer = setInterval(runJobs, 60 * 60_000)
  jobsTimer.unref()
  // key work case notes due to the MoJ case notes service, every minute on every instance (each note is claimed by one)
  let sendingCaseNotes = false
  const sendCaseNotes = () => {
    if (sendingCaseNotes || !services.caseNotes.configured) return
    sendingCaseNotes = true
    void services.caseNotes
      .sendDue()
      .catch((err: unknown) => logger.error({ err }, 'sending case notes failed'))
      .finally(() => (sendingCaseNotes = false))
  }
  const caseNotesTimer = setInterval(sendCaseNotes, 60_000)
  caseNotesTimer.unref()
  const shutdown = (signal: string) => {
    clearInterval(jobsTimer)
    clearInterval(caseNotesTimer)
    logger.info({ signal }, 'shutting down')
    server.close(() => {
      void services.close().then(() => process.exit(0))
    })
    server.closeIdleConnections()
    setTimeout(() => process.exit(1), 10_000).unref()
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
}

program
  .command('serve')
  .description('run the web service (migrates the database first)')
  .action(async () => {
    await serve(await startServices(loadConfig()))
  })

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(() =>
    withServices(async s => {
      const applied = await migrateToLatest(s.db)
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date')
    }),
  )

registerOperations(program)
registerEstablishments(program)
registerAllocate(program)
registerJobs(program)
registerStatistics(program)
registerDirectory(program)
registerTrainingReminders(program)
registerRetention(program)
registerCaseNotes(program)
registerHmpps(program)
registerApiClients(program)
registerDemo(program, serve)

program
  .command('import')
  .description(
    'import prisoners, staff, residential units, allocations or past sessions from a CSV file (see docs/CSV.md)',
  )
  .argument('<kind>', 'prisoners, staff, units, allocations or sessions')
  .argument('<file>', 'a CSV file saved as UTF-8, 10 MB at most')
  .requiredOption('--establishment <code>', 'the establishment to import into, like MDI')
  .option(
    '--skip-invalid',
    'import the valid rows and report the rest (default: a file with any bad row imports nothing)',
  )
  .option('--full-roll', 'prisoners only: the file is the full roll, so mark prisoners not in it as released')
  .option('--json', 'print the outcome as JSON')
  .action((kind: string, file: string, opts: ImportCommandOptions) =>
    withServices(async s => {
      process.exitCode = await importCommand(s, kind, file, opts)
    }),
  )

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
