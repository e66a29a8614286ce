// Rules of the audit trail page that mutation testing (npm run mutation, MUTATE=src/features/audit/routes.ts) found
// unprotected: the words the page uses for actions and record types, the filters, the audit of reading the trail,
// and how a change is written out. Every expected value is written here by hand.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { signedIn, testWorld } from '../../../test/harness'
import { describeChanges } from './routes'
import type { Actor } from '../../platform/audit/service'

/** The rows of the page's table, each as its cells' text: [when, who, action, record, changes]. */
function tableRows(html: string): string[][] {
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map(row =>
    [...row[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map(cell => cell[1]!.replace(/\s+/g, ' ').trim()),
  )
}

/** The record-type filter's options as [value, text]. */
function entityOptions(html: string): [string, string][] {
  const select = /<select[^>]*id="entity"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? ''
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([\s\S]*?)<\/option>/g)].map(m => [m[1]!, m[2]!.trim()])
}

describe('audit trail page: the words it uses, its filters, and the audit of reading it', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let mdi: number
  const alice = (): Actor => ({ userId: null, username: 'alice', establishmentId: mdi })
  const bob = (): Actor => ({ userId: null, username: 'bob', establishmentId: mdi })

  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    const audit = world.services.audit
    // one event per known action, each on its own page id so its row can be found
    for (const action of [
      'create',
      'update',
      'delete',
      'view',
      'refused',
      'import',
      'submit',
      'amend',
      'sign-in',
      'sign-out',
      'sign-in-failed',
    ])
      await audit.recordAlone(alice(), { action, entity: 'page', entityId: `act-${action}` })
    // an action and a record type the page has no word for: shown as stored, made readable
    await audit.recordAlone(alice(), { action: 'frobnicate', entity: 'parole_board_note', entityId: 'odd-1' })
    // for the filters: a user record changed by bob, a prisoner viewed by bob
    await audit.recordAlone(bob(), { action: 'update', entity: 'user', entityId: 'u-7', changes: { name: 'x' } })
    await audit.recordAlone(bob(), { action: 'view', entity: 'prisoner', entityId: 'A1234BC' })
  })
  after(() => world.close())

  it('names each action in plain words, and an unknown action or record type as stored, readable', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const res = await admin.get('/audit?username=alice')
    assert.equal(res.status, 200)
    const actionOf = new Map(tableRows(res.text).map(cells => [cells[3], cells[2]]))
    const expected: [string, string][] = [
      ['Page act-create', 'Created'],
      ['Page act-update', 'Changed'],
      ['Page act-delete', 'Deleted'],
      ['Page act-view', 'Viewed'],
      ['Page act-refused', 'Refused access'],
      ['Page act-import', 'Imported'],
      ['Page act-submit', 'Submitted'],
      ['Page act-amend', 'Amended'],
      ['Page act-sign-in', 'Signed in'],
      ['Page act-sign-out', 'Signed out'],
      ['Page act-sign-in-failed', 'Sign-in failed'],
      ['Parole board note odd-1', 'Frobnicate'],
    ]
    for (const [record, action] of expected) assert.equal(actionOf.get(record), action, record)
  })

  it('offers every record type in the filter, named as people call them, in a fixed order', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const res = await admin.get('/audit')
    assert.match(res.text, /<title>\s*Audit trail - Key Work - GOV\.UK\s*<\/title>/)
    // each of these, in this order (a record type added later may follow them)
    const offered = entityOptions(res.text)
    const expected: [string, string][] = [
      ['', 'Any record'],
      ['prisoner', 'Prisoner'],
      ['prisoner_search', 'Prisoner search'],
      ['key_work_session', 'Session entry'],
      ['session_list', 'Your session entries'],
      ['referral', 'Referral'],
      ['referral_list', 'Referrals list'],
      ['caseload', 'Caseload'],
      ['allocation', 'Allocation'],
      ['allocation_list', 'Prisoners to allocate'],
      ['sessions_due', 'Sessions due'],
      ['hub', 'Hub bookings for a day'],
      ['hub_booking', 'Hub booking'],
      ['hub_booking_list', 'Your hub bookings'],
      ['outbox_email', 'Email'],
      ['outbox_email_list', 'Emails list'],
      ['audit_trail', 'Audit trail'],
      ['page', 'Page'],
      ['staff', 'Staff member'],
      ['residential_unit', 'Residential unit'],
      ['user', 'User'],
      ['user_roles', 'User roles'],
      ['establishment', 'Establishment'],
      ['national_policy', 'National policy'],
      ['import', 'Import'],
      ['demo', 'Demo data'],
    ]
    assert.deepEqual(offered.slice(0, expected.length), expected)
  })

  it('filters by record type, record id and username; an unknown record type filters nothing', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const records = async (query: string) =>
      tableRows((await admin.get(`/audit?${query}`)).text)
        .map(cells => cells[3])
        .filter(r => !r!.startsWith('Audit trail')) // the page's own views of the trail

    assert.deepEqual(await records('entity=user'), ['User u-7'])
    assert.deepEqual(await records('entityId=A1234BC'), ['Prisoner A1234BC'])
    assert.deepEqual(await records('username=bob'), ['Prisoner A1234BC', 'User u-7'])
    assert.deepEqual(await records('entity=prisoner&username=alice'), [])
    // a record type the filter does not offer is ignored, not matched literally
    const unfiltered = await records('entity=parole_board_note&username=bob')
    assert.deepEqual(unfiltered, ['Prisoner A1234BC', 'User u-7'])
    // the filter form shows what was asked for
    const page = (await admin.get('/audit?entity=user&entityId=u-7&username=bob')).text
    assert.match(page, /<option value="user" selected>User<\/option>/)
    assert.match(page, /id="entityId" name="entityId" type="text" value="u-7"/)
    assert.match(page, /id="username" name="username" type="text" value="bob"/)
  })

  it('reading the trail is itself audited, with the filters used and how many events were shown', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    await admin.get('/audit?entity=user&username=bob')
    const [event] = await world.services.audit.recent({ establishmentId: mdi, entity: 'audit_trail' }, 1)
    assert.ok(event)
    assert.equal(event.action, 'view')
    assert.equal(event.username, 'establishment_admin.mdi')
    assert.deepEqual(JSON.parse(event.changes!), { entity: 'user', entityId: '', username: 'bob', shown: 1 })
  })
})

describe('describeChanges: a change written out in plain words', () => {
  it('shows an emptied or unset value as (blank)', () => {
    assert.equal(
      describeChanges('{"ratio":{"from":null,"to":7},"note":{"from":"","to":"x"},"cell":""}'),
      'ratio: (blank) → 7; note: (blank) → x; cell: (blank)',
    )
  })

  it('lists an array, and names an empty one "none"', () => {
    assert.equal(
      describeChanges('{"roles":{"from":[],"to":["KEY_WORKER","ESTABLISHMENT_ADMIN"]}}'),
      'roles: none → KEY_WORKER, ESTABLISHMENT_ADMIN',
    )
  })

  it('writes a nested object as its fields and values, not as JSON', () => {
    assert.equal(
      describeChanges('{"filters":{"entity":"user","shown":3,"empty":null}}'),
      'filters: entity user, shown 3, empty (blank)',
    )
  })

  it('writes numbers and booleans as they are', () => {
    assert.equal(describeChanges('{"count":12,"active":false}'), 'count: 12; active: false')
  })

  it('shows text that is not JSON as it was stored', () => {
    assert.equal(describeChanges('not json {'), 'not json {')
  })
})
