import { Command } from 'commander'
import { loadConfig } from '../config'
import { migrateToLatest } from '../db/migrate'
import { type Services, startServices } from '../services'
import { createApp } from '../web/app'
import { registerOperations } from './operations'
import { withServices } from './withServices'

const program = new Command()
program.name('keywork').description('Key Work in prisons: allocate, deliver, record, quality-assure and improve')

async function serve(services: Services) {
  const { config, logger } = services
  const app = createApp(services)
  const server = app.listen(config.port, config.host, () => {
    logger.info({ port: config.port, database: services.db.dialect }, 'keywork listening')
    console.log(
      `\nKey Work is running at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}\n`,
    )
  })
  const shutdown = (signal: string) => {
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

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
