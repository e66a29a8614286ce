import crypto from 'node:crypto'
import pg from 'pg'
import supertest from 'supertest'
import type TestAgent from 'supertest/lib/agent'
import { loadConfig, type Config } from '../src/config'
import { openDatabase } from '../src/platform/db/database'
import { migrateToLatest } from '../src/platform/db/migrate'
import type { Role } from '../src/domain/roles'
import { type Services, buildServices } from '../src/services'
import { createApp } from '../src/app'
import { SYSTEM_ACTOR } from '../src/platform/audit/service'

export const PASSWORD = 'correct horse battery staple'

/**
 * A fresh, migrated database for one test file: SQLite in memory, or, when TEST_DATABASE_URL is set,
 * a new PostgreSQL schema dropped again by close().
 */
export async function testServices(): Promise<Services & { dropSchema(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' })
  let database: Config['database'] = { kind: 'sqlite', file: ':memory:' }
  let dropSchema = async () => {}
  if (url) {
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`create schema ${schema}`)
    await admin.end()
    database = { kind: 'postgres', url, schema }
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      await c.query(`drop schema ${schema} cascade`)
      await c.end()
    }
  }
  const config: Config = { ...base, database }
  const services = buildServices(config, openDatabase(database))
  await migrateToLatest(services.db)
  const close = services.close
  return Object.assign(services, {
    dropSchema,
    async close() {
      await close()
      await dropSchema()
    },
  })
}

export interface World {
  services: Services
  app: ReturnType<typeof createApp>
  /** establishment ids by code */
  est: Record<string, number>
}

/** Two establishments (MDI, LEI), a unit each and one user per role in each, plus a national user. */
export async function testWorld(): Promise<World & { close(): Promise<void> }> {
  const services = await testServices()
  const est: Record<string, number> = {}
  for (const [code, name] of [
    ['MDI', 'Moorland (HMP)'],
    ['LEI', 'Leeds (HMP)'],
  ] as const) {
    const r = await services.establishments.create(SYSTEM_ACTOR, {
      code,
      name,
      category: 'Category B local',
      region: 'Yorkshire',
    })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    est[code] = r.value
  }
  for (const code of Object.keys(est)) {
    for (const role of ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as Role[]) {
      await createUser(services, `${role.toLowerCase()}.${code.toLowerCase()}`, [{ role, establishmentId: est[code]! }])
    }
  }
  await createUser(services, 'national', [{ role: 'NATIONAL_POLICY', establishmentId: null }])
  const app = createApp(services)
  return { services, app, est, close: () => services.close() }
}

export async function createUser(
  services: Services,
  username: string,
  roles: { role: Role; establishmentId: number | null }[],
) {
  const r = await services.users.create(SYSTEM_ACTOR, {
    username,
    displayName: username,
    email: null,
    password: PASSWORD,
    roles,
  })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

/** A supertest agent that keeps cookies, with helpers for CSRF-protected forms. */
export class Browser {
  readonly agent: TestAgent

  constructor(app: World['app']) {
    this.agent = supertest.agent(app)
  }

  /** Reads the CSRF token from a page's form. */
  async csrf(path = '/sign-in'): Promise<string> {
    const res = await this.agent.get(path)
    const m = /name="_csrf" value="([^"]+)"/.exec(res.text)
    if (!m) throw new Error(`no CSRF token on ${path} (status ${res.status})`)
    return m[1]!
  }

  async signIn(username: string, password = PASSWORD) {
    const _csrf = await this.csrf('/sign-in')
    return this.agent.post('/sign-in').type('form').send({ _csrf, username, password })
  }

  /** Posts a form with a fresh CSRF token taken from formPath (or the same path). */
  async post(path: string, fields: Record<string, string | string[]>, formPath = path) {
    const _csrf = await this.csrf(formPath)
    return this.agent
      .post(path)
      .type('form')
      .send({ _csrf, ...fields })
  }

  get(path: string) {
    return this.agent.get(path)
  }
}

export async function signedIn(world: World, username: string): Promise<Browser> {
  const b = new Browser(world.app)
  const res = await b.signIn(username)
  if (res.status !== 303 || res.headers.location === '/sign-in')
    throw new Error(`sign-in failed for ${username}: ${res.status}`)
  return b
}
