import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import type { StatisticsScope } from '../statistics/service'
import { addUnits } from '../../../test/support/imports'
import { redatedByReception } from './custodyRepository'

// A corrected reception date re-dates his arrival, so the custody history and the eligible prisoners of past days
// follow the correction (on the form and in the import, which share the service's save).
describe('a corrected reception date re-dates his arrival', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let mdi: number
  let admin: Browser
  const houseblock: Record<string, number> = {}
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    // houseblocks of their own, so that the counts are of these men alone
    await addUnits(world.services, mdi, ['RD1', 'RD2'])
    for (const u of await world.services.units.list(mdi)) houseblock[u.code] = u.id
    admin = await signedIn(world, 'establishment_admin.mdi')
  })
  after(() => world.close())

  const scope = (code: string): StatisticsScope => ({
    kind: 'houseblock',
    establishmentId: mdi,
    unitId: houseblock[code]!,
  })
  const eligible = async (code: string, day: string) =>
    (await world.services.statistics.compute(scope(code), { from: day, to: day })).figures.eligible
  const arrivals = async (prisonNumber: string) =>
    (await world.services.prisoners.custodyEvents(mdi, prisonNumber)).map(e => [e.kind, e.date])
  const form = (prisonNumber: string, unit: string, received: [string, string, string]) => ({
    prisonNumber,
    firstName: 'Carl',
    lastName: 'Correct',
    'dateOfBirth-day': '3',
    'dateOfBirth-month': '4',
    'dateOfBirth-year': '1990',
    unit,
    'receptionDate-day': received[0],
    'receptionDate-month': received[1],
    'receptionDate-year': received[2],
    status: 'in',
    complexity: 'low',
    firstLanguage: 'en',
    interpreterNeeded: 'no',
  })

  it('rule: on the edit form, 10 January corrected to 5 January: eligible on 7 January, history says 5 January', async () => {
    assert.equal((await admin.post('/prisoners/new', form('A7401RD', 'RD1', ['10', '1', '2026']))).status, 303)
    // received on the 10th: not eligible on the 7th, eligible on the 10th
    assert.equal(await eligible('RD1', '2026-01-07'), 0)
    assert.equal(await eligible('RD1', '2026-01-10'), 1)

    const res = await admin.post(
      '/prisoners/A7401RD/edit',
      form('A7401RD', 'RD1', ['5', '1', '2026']),
      '/prisoners/A7401RD/edit',
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/prisoners/A7401RD')

    // received on the 5th: eligible on the 5th and the 7th, not on the 4th
    assert.equal(await eligible('RD1', '2026-01-04'), 0)
    assert.equal(await eligible('RD1', '2026-01-05'), 1)
    assert.equal(await eligible('RD1', '2026-01-07'), 1)
    assert.deepEqual(await arrivals('A7401RD'), [['reception', '2026-01-05']])
    const page = await admin.get('/prisoners/A7401RD')
    const history = /id="custody-history"[^>]*>([\s\S]*?)<\/ul>/.exec(page.text)?.[1] ?? ''
    assert.match(history, /5 January 2026: /)
    assert.doesNotMatch(history, /10 January 2026/)

    // audited as part of the prisoner's update: his reception date and the event's
    const update = (await world.services.audit.forEntity('prisoner', 'A7401RD')).find(e => e.action === 'update')
    assert.ok(update, 'an update event')
    const changes = typeof update.changes === 'string' ? JSON.parse(update.changes) : update.changes
    assert.deepEqual(changes.reception_date, { from: '2026-01-10', to: '2026-01-05' })
    assert.deepEqual(changes.reception_event_date, { from: '2026-01-10', to: '2026-01-05' })
  })

  it('rule: the import corrects it the same way, later as well as earlier', async () => {
    assert.equal((await admin.post('/prisoners/new', form('A7402RD', 'RD2', ['10', '1', '2026']))).status, 303)
    const run = (received: string) =>
      world.services.imports.run(
        { userId: null, username: 'import-test', establishmentId: mdi },
        mdi,
        'prisoners',
        Buffer.from(
          [
            'Prison number,First name,Last name,Date of birth,Residential unit,Reception date,Status',
            `A7402RD,Carl,Correct,03/04/1990,RD2,${received},in`,
          ].join('\n'),
        ),
        { fileName: 'redate.csv', skipInvalid: false, fullRoll: false },
      )
    assert.equal((await run('05/01/2026')).status, 'imported')
    assert.deepEqual(await arrivals('A7402RD'), [['reception', '2026-01-05']])
    assert.equal(await eligible('RD2', '2026-01-07'), 1)
    // and later: 12 January, so not eligible on the 11th
    assert.equal((await run('12/01/2026')).status, 'imported')
    assert.deepEqual(await arrivals('A7402RD'), [['reception', '2026-01-12']])
    assert.equal(await eligible('RD2', '2026-01-11'), 0)
    assert.equal(await eligible('RD2', '2026-01-12'), 1)
  })

  it('rule: only his latest stay moves, never before the stay before it; its later events move with it', () => {
    const events = [
      { id: 1, kind: 'reception', date: '2025-01-01' },
      { id: 2, kind: 'release', date: '2025-06-01' },
      { id: 3, kind: 'reception', date: '2026-01-10' },
      { id: 4, kind: 'moved', date: '2026-01-12' },
    ]
    assert.deepEqual(redatedByReception(events, '2026-01-05'), [
      { id: 3, kind: 'reception', from: '2026-01-10', to: '2026-01-05' },
    ])
    // later than his move: the move cannot come before he arrived
    assert.deepEqual(redatedByReception(events, '2026-01-15'), [
      { id: 3, kind: 'reception', from: '2026-01-10', to: '2026-01-15' },
      { id: 4, kind: 'moved', from: '2026-01-12', to: '2026-01-15' },
    ])
    // before the release that ended his first stay: the stays do not overlap
    assert.deepEqual(redatedByReception(events, '2025-03-01'), [
      { id: 3, kind: 'reception', from: '2026-01-10', to: '2025-06-01' },
    ])
    assert.deepEqual(redatedByReception(events, '2026-01-10'), [])
    assert.deepEqual(redatedByReception([], '2026-01-10'), [])
  })
})
