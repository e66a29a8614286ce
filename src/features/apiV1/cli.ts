import type { Command } from 'commander'
import { withServices } from '../../cli/withServices'
import type { Services } from '../../services'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { RATE_LIMIT_DEFAULT, SCOPE_NAMES, clientCreateSchema } from './schema'

export interface Io {
  out(line: string): void
  err(line: string): void
}
const consoleIo: Io = { out: l => console.log(l), err: l => console.error(l) }

export interface CreateOptions {
  name: string
  /** comma or space separated */
  scopes: string
  /** "all", or establishment codes, comma separated */
  establishment: string
  rateLimit?: string
}

const list = (v: string) =>
  v
    .split(/[\s,]+/)
    .map(x => x.trim())
    .filter(Boolean)

/**
 * `keywork api-clients create --name N --scopes S --establishment CODES|all [--rate-limit N]`: prints the client id
 * and secret, once. The CLI acts for the national team (it runs on the server). 0 made, 2 a wrong command.
 */
export async function createClient(s: Services, opts: CreateOptions, io: Io = consoleIo): Promise<number> {
  const establishment = opts.establishment.trim()
  const parsed = clientCreateSchema.safeParse({
    name: opts.name,
    scopes: list(opts.scopes),
    establishments: establishment.toLowerCase() === 'all' ? 'all' : list(establishment),
    ...(opts.rateLimit !== undefined ? { rateLimitPerMinute: opts.rateLimit } : {}),
  })
  if (!parsed.success) {
    for (const i of parsed.error.issues) io.err(i.message)
    return 2
  }
  const r = await s.apiClients.create({ ...SYSTEM_ACTOR, username: 'keywork api-clients create' }, null, parsed.data)
  if (!r.ok) {
    for (const m of Object.values(r.errors)) io.err(m)
    return 2
  }
  io.out(`Client "${parsed.data.name}" created. Give these to its owner now: the secret is not shown again.`)
  io.out(`client_id:     ${r.value.clientId}`)
  io.out(`client_secret: ${r.value.clientSecret}`)
  io.out(`scopes:        ${parsed.data.scopes.join(' ')}`)
  return 0
}

export async function listClients(s: Services, io: Io = consoleIo): Promise<number> {
  const rows = await s.apiClients.list(null)
  if (rows.length === 0) io.out('No API clients')
  for (const c of rows)
    io.out(
      [
        c.client_id,
        c.name,
        c.scopes,
        c.all_establishments === 1 ? 'all establishments' : 'listed establishments',
        `${c.rate_limit_per_minute}/min`,
        c.revoked_at ? `revoked ${c.revoked_at}` : `last used ${c.last_used_at ?? 'never'}`,
      ].join('  '),
    )
  return 0
}

export async function revokeClient(s: Services, clientId: string, io: Io = consoleIo): Promise<number> {
  const r = await s.apiClients.revoke({ ...SYSTEM_ACTOR, username: 'keywork api-clients revoke' }, null, clientId)
  if (r === 'not-found') {
    io.err(`There is no API client ${clientId}`)
    return 2
  }
  io.out(r === 'revoked' ? `Revoked ${clientId}: its tokens stop working now` : `${clientId} was already revoked`)
  return 0
}

export function registerApiClients(program: Command) {
  const cmd = program.command('api-clients').description('clients of the API for other services (/api/v1)')
  cmd
    .command('create')
    .description('make a client: prints its id and secret once')
    .requiredOption('--name <name>', 'who the client is, like "Digital Prison Services"')
    .requiredOption('--scopes <scopes>', `comma separated, among: ${SCOPE_NAMES.join(', ')}`)
    .requiredOption('--establishment <codes>', 'establishment codes it may read, comma separated, or "all"')
    .option('--rate-limit <calls>', `calls a minute (default ${RATE_LIMIT_DEFAULT})`)
    .action((opts: CreateOptions) =>
      withServices(async s => {
        process.exitCode = await createClient(s, opts)
      }),
    )
  cmd
    .command('list')
    .description('every client, newest first (never a secret)')
    .action(() =>
      withServices(async s => {
        process.exitCode = await listClients(s)
      }),
    )
  cmd
    .command('revoke')
    .description('revoke a client and its tokens')
    .argument('<clientId>', 'the client id (kwc_…)')
    .action((clientId: string) =>
      withServices(async s => {
        process.exitCode = await revokeClient(s, clientId)
      }),
    )
}
