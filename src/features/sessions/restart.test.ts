import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, it } from 'node:test'
import { type Config, loadConfig } from '../../config'
import { openDatabase } from '../../platform/db/database'
import { migrateToLatest } from '../../platform/db/migrate'
import { londonNow } from '../../domain/hubs'
import { type Services, buildServices } from '../../services'
import { createApp } from '../../app'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { Browser, createUser, testServices } from '../../../test/harness'

// The draft survives a restart of the server between two saves: two apps, one after the other, over the same
// database (a temporary SQLite file, or one PostgreSQL schema with TEST_DATABASE_URL).

const cleanups: (() => Promise<void>)[] = []
after(async () => {
  for (const c of cleanups.reverse()) await c()
})

/** The first services, and how to build a second set over the same database after closing the first. */
async function firstServices(): Promise<{ first: Services; config: Config }> {
  if (process.env.TEST_DATABASE_URL) {
    const first = await testServices()
    cleanups.push(() => first.dropSchema())
    return { first, config: first.config }
  }
  const file = path.join(os.tmpdir(), `keywork-sessions-restart-${crypto.randomBytes(6).toString('hex')}.db`)
  cleanups.push(async () => {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true })
  })
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    database: { kind: 'sqlite', file },
  }
  const first = buildServices(config, openDatabase(config.database))
  await migrateToLatest(first.db)
  return { first, config }
}

it('keeps a draft across a restart between two saves, then submits both', async () => {
  const { first, config } = await firstServices()
  const est = await first.establishments.create(SYSTEM_ACTOR, {
    code: 'MDI',
    name: 'Moorland (HMP)',
    category: 'Category B local',
    region: 'Yorkshire',
  })
  assert.ok(est.ok)
  const establishmentId = est.value
  const actor = { ...SYSTEM_ACTOR, establishmentId }
  assert.ok((await first.units.create(actor, establishmentId, { code: 'HB1', name: 'Houseblock 1', capacity: 10 })).ok)
  const record = prisonerRecordSchema.parse({
    prisonNumber: 'A1234BC',
    firstName: 'Tomasz',
    lastName: 'Nowak',
    dateOfBirth: '1988-05-14',
    unit: 'HB1',
    cell: '',
    receptionDate: '2025-02-03',
    releaseDate: '',
    status: 'in',
    complexity: 'low',
    firstLanguage: 'en',
    interpreterNeeded: 'no',
    nationality: 'British',
  })
  assert.ok((await first.prisoners.create(actor, establishmentId, record)).ok)
  await createUser(first, 'key_worker.mdi', [{ role: 'KEY_WORKER', establishmentId }])

  // first server: start a draft and save once
  const b1 = new Browser(createApp(first))
  assert.equal((await b1.signIn('key_worker.mdi')).status, 303)
  const started = await b1.post('/prisoners/A1234BC/sessions', {}, '/')
  const id = Number(/\/sessions\/(\d+)\/edit/.exec(started.headers.location ?? '')?.[1])
  assert.ok(id > 0, started.headers.location)
  const [y, m, d] = londonNow().date.split('-')
  const base = {
    outcome: 'delivered',
    'sessionDate-day': d!,
    'sessionDate-month': m!,
    'sessionDate-year': y!,
    duration: '45',
    location: 'cell',
    private: 'no',
    interpreterNeeded: 'no',
    concern: 'no',
  }
  const save1 = await b1.post(
    `/sessions/${id}/draft`,
    { ...base, prisonerWords: 'Said before the restart' },
    `/sessions/${id}/edit`,
  )
  assert.equal(save1.status, 303)
  await first.db.close()

  // second server over the same database: the officer signs in again and finds the draft
  const second = buildServices(config, openDatabase(config.database))
  cleanups.push(() => second.db.close())
  await migrateToLatest(second.db)
  const b2 = new Browser(createApp(second))
  assert.equal((await b2.signIn('key_worker.mdi')).status, 303)
  const drafts = await b2.get('/sessions/drafts')
  assert.match(drafts.text, new RegExp(`/sessions/${id}/edit`))
  const edit = await b2.get(`/sessions/${id}/edit`)
  assert.match(edit.text, /Said before the restart/)
  // the second save posts the whole form, as the page does, with what the page showed
  const save2 = await b2.post(
    `/sessions/${id}/draft`,
    { ...base, prisonerWords: 'Said before the restart', agreed: 'Agreed after the restart' },
    `/sessions/${id}/edit`,
  )
  assert.equal(save2.status, 303)
  const submit = await b2.post(
    `/sessions/${id}/submit`,
    { ...base, prisonerWords: 'Said before the restart', agreed: 'Agreed after the restart' },
    `/sessions/${id}/edit`,
  )
  assert.equal(submit.headers.location, `/sessions/${id}`)
  const row = await second.db.db
    .selectFrom('key_work_sessions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(row.status, 'submitted')
  assert.equal(row.prisoner_words, 'Said before the restart')
  assert.equal(row.agreed, 'Agreed after the restart')
  const saves = await second.db.db
    .selectFrom('audit_events')
    .select('changes')
    .where('entity', '=', 'key_work_session')
    .where('entity_id', '=', String(id))
    .where('action', '=', 'update')
    .execute()
  assert.equal(saves.length, 2, 'two draft saves, one on each server')
})
