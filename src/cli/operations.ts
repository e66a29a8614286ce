import type { Command } from 'commander'
import { z } from 'zod'
import { loadConfig } from '../config'
import { ROLES, type Role } from '../domain/roles'
import { SYSTEM_ACTOR } from '../platform/audit/service'
import { backup, backupPostgres, restore, restorePostgres } from '../features/operations/backup'
import { withServices } from './withServices'

/** audit verify, backup, restore and users create. */
export function registerOperations(program: Command) {
  const audit = program.command('audit').description('the audit trail')
  audit
    .command('verify')
    .description('re-compute the hash chain of the audit trail and report any edited or deleted event')
    .action(() =>
      withServices(async s => {
        const r = await s.audit.verify()
        if (r.ok) {
          console.log(
            `The audit trail is intact: ${r.checked.toLocaleString('en-GB')} events checked in ${r.chains} chains.`,
          )
          return
        }
        console.error(`The audit trail has been tampered with (${r.checked} events checked):`)
        // chains: an establishment's id, 'national' (no establishment), 'legacy' (before migration 042)
        for (const p of r.problems.slice(0, 50)) console.error(`  event ${p.id} (chain ${p.chain}): ${p.problem}`)
        process.exitCode = 1
      }),
    )

  program
    .command('backup')
    .argument('<file>', 'where to write the backup (must not exist)')
    .description(
      'a consistent online backup while the service runs: SQLite, a copy of the file; PostgreSQL, pg_dump of the schema',
    )
    .action(async (file: string) => {
      const database = loadConfig().database
      const r =
        database.kind === 'postgres'
          ? await backupPostgres(database, file)
          : await withServices(s => backup(s.db, file))
      if (!r.ok) {
        console.error(r.message)
        process.exitCode = 1
        return
      }
      console.log(`Backed up to ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB)`)
    })

  program
    .command('restore')
    .argument('<file>', 'a backup made by keywork backup')
    .description(
      'replace the database with a backup (stop the service first); the old SQLite file or PostgreSQL schema is kept',
    )
    .action(async (file: string) => {
      const database = loadConfig().database
      const r = database.kind === 'postgres' ? await restorePostgres(database, file) : restore(database, file)
      if (!r.ok) {
        console.error(r.message)
        process.exitCode = 1
        return
      }
      console.log(`Restored ${file}.${r.replaced ? ` The previous database is kept as ${r.replaced}` : ''}`)
      console.log('Run keywork audit verify to check the restored audit trail.')
    })

  const users = program.command('users').description('user accounts')
  users
    .command('create')
    .description('create a user with roles in establishments')
    .requiredOption('--username <name>', 'sign-in name: lowercase letters, digits, dots and hyphens')
    .requiredOption('--name <display name>', 'the name shown in the service')
    .option('--email <email>')
    .option(
      '--password <password>',
      'at least 12 characters, not a common one, changed at first sign-in; omit for single sign-on only',
    )
    .option(
      '--role <roles...>',
      `ROLE@CODE, one or more: ${ROLES.join(', ')}, each with @ and an establishment code (not needed for NATIONAL_POLICY)`,
    )
    .action((opts: { username: string; name: string; email?: string; password?: string; role?: string[] }) =>
      withServices(async s => {
        const parsed = z
          .object({
            username: z
              .string()
              .regex(/^[a-z0-9.-]{3,50}$/, 'username: 3 to 50 lowercase letters, digits, dots or hyphens'),
            email: z.email('email: not a valid email address').optional(),
          })
          .safeParse({ username: opts.username, email: opts.email })
        if (!parsed.success) {
          console.error(parsed.error.issues.map(i => i.message).join('\n'))
          process.exitCode = 1
          return
        }
        const roles: { role: Role; establishmentId: number | null }[] = []
        for (const spec of opts.role ?? []) {
          const [role, code] = spec.split('@')
          if (!role || !(ROLES as readonly string[]).includes(role)) {
            console.error(`Unknown role ${role}: use one of ${ROLES.join(', ')}`)
            process.exitCode = 1
            return
          }
          if (role === 'NATIONAL_POLICY') {
            roles.push({ role, establishmentId: null })
            continue
          }
          const est = code ? await s.establishments.byCode(code) : undefined
          if (!est) {
            console.error(`${spec}: give a known establishment code, like ${role}@MDI`)
            process.exitCode = 1
            return
          }
          roles.push({ role: role as Role, establishmentId: est.id })
        }
        const r = await s.users.create(SYSTEM_ACTOR, {
          username: opts.username,
          displayName: opts.name,
          email: opts.email ?? null,
          password: opts.password ?? null,
          roles,
          // an operator chooses it for someone else: the whole password policy, and changed at first sign-in
          mustChangePassword: true,
        })
        if (!r.ok) {
          console.error(Object.values(r.errors).join('\n'))
          process.exitCode = 1
          return
        }
        console.log(`Created user ${opts.username} (id ${r.value})`)
      }),
    )
}
