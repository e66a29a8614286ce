import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { strToU8, unzipSync, zipSync } from 'fflate'
import { testWorld } from '../../../../test/harness'
import { searchTextOf } from '../../../domain/directory'
import { PATHWAYS } from '../../../domain/pathways'
import { type Actor, SYSTEM_ACTOR } from '../../../platform/audit/service'
import { PROVISION_TERMS } from './model'
import type { Scope } from './repository'
import { HSDS_FILE_LIMIT_BYTES } from './service'
import {
  errorsOf,
  fixture,
  fixtureBytes,
  hsdsValidators,
  jsonBytes,
  metadataIds,
  stripMetadata,
  tabularObject,
  withFreshIds,
} from '../../../../test/support/hsds'

type World = Awaited<ReturnType<typeof testWorld>>
type Obj = Record<string, unknown>

const clone = <T>(v: T): T => structuredClone(v)

function actorIn(world: World, code: string): Actor {
  return { ...SYSTEM_ACTOR, username: `admin.${code.toLowerCase()}`, establishmentId: world.est[code]! }
}
const own = (world: World, code = 'MDI'): Scope => ({ establishmentId: world.est[code]!, includeNational: false })

async function counts(world: World): Promise<Record<string, number>> {
  const db = world.services.db.db
  const out: Record<string, number> = {}
  for (const t of [
    'directory_organizations',
    'directory_services',
    'directory_locations',
    'directory_addresses',
    'directory_service_at_locations',
    'directory_contacts',
    'directory_phones',
    'directory_schedules',
    'directory_languages',
    'directory_attributes',
    'directory_metadata',
  ] as const) {
    const r = await db
      .selectFrom(t)
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    out[t] = Number(r.n)
  }
  return out
}

async function auditImports(world: World): Promise<number> {
  const r = await world.services.db.db
    .selectFrom('audit_events')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('entity', '=', 'directory')
    .where('action', '=', 'import')
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

describe('HSDS import and export', () => {
  let world: World
  let mdi: number
  let exported: Obj[]
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    const r = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, fixtureBytes(), 'directory.json')
    assert.equal(r.status, 'imported', JSON.stringify(r))
    exported = await world.services.hsds.exportJson(own(world))
  })
  after(() => world.close())

  it('imports every entity of the fixture into the establishment, with its provision, in one audited event', async () => {
    const db = world.services.db.db
    const services = await db.selectFrom('directory_services').selectAll().orderBy('name').execute()
    assert.deepEqual(
      services.map(s => [s.name, s.establishment_id, s.provision, s.status]),
      [
        ['Education and skills', mdi, 'internal', 'active'],
        ['Housing advice before release', mdi, 'external', 'active'],
        ['Listeners', mdi, 'internal', 'active'],
        ['Money and debt clinic', mdi, 'internal', 'temporarily closed'],
      ],
    )
    const c = await counts(world)
    assert.equal(c.directory_organizations, 4)
    assert.equal(c.directory_locations, 2)
    assert.equal(c.directory_addresses, 2)
    assert.equal(c.directory_service_at_locations, 3)
    assert.equal(c.directory_contacts, 2)
    assert.equal(c.directory_phones, 6)
    assert.equal(c.directory_schedules, 2)
    assert.equal(c.directory_languages, 4)
    assert.equal(c.directory_attributes, 5, 'pathways only: provision is a column, not an attribute row')
    const ext = await db.selectFrom('directory_phones').select('extension').where('extension', 'is not', null).execute()
    assert.deepEqual(
      ext.map(e => e.extension),
      ['212'],
    )
    assert.equal(await auditImports(world), 1)
    const orgs = await db.selectFrom('directory_organizations').select('establishment_id').execute()
    assert.ok(orgs.every(o => o.establishment_id === mdi))
  })

  it('sets search_text with searchTextOf on every imported service', async () => {
    const db = world.services.db.db
    for (const s of await db.selectFrom('directory_services').selectAll().execute()) {
      const org = await db
        .selectFrom('directory_organizations')
        .select('name')
        .where('id', '=', s.organization_id)
        .executeTakeFirstOrThrow()
      const contacts = await db.selectFrom('directory_contacts').selectAll().where('service_id', '=', s.id).execute()
      const expected = searchTextOf({
        name: s.name,
        alternateName: s.alternate_name,
        description: s.description,
        organizationName: org.name,
        eligibility: s.eligibility_description,
        contacts,
      })
      assert.equal(s.search_text, expected)
    }
    const housing = await db
      .selectFrom('directory_services')
      .select('search_text')
      .where('name', '=', 'Housing advice before release')
      .executeTakeFirstOrThrow()
    assert.match(housing.search_text, /shelter/)
    assert.match(housing.search_text, /priya shah/)
  })

  it('writes an HSDS metadata row for each record created by the import', async () => {
    const rows = await world.services.db.db
      .selectFrom('directory_metadata')
      .selectAll()
      .where('last_action_type', '=', 'import')
      .execute()
    assert.equal(rows.length, 34)
    const service = rows.find(r => r.resource_type === 'service' && r.field_name === 'id')
    assert.ok(service)
    assert.equal(service.updated_by, 'admin.mdi')
  })

  it('exports services that validate against the published HSDS 3.0 service schema', () => {
    const { service } = hsdsValidators()
    assert.equal(exported.length, 4)
    for (const s of exported) assert.ok(service(s), errorsOf(service))
    const housing = exported.find(s => s.name === 'Housing advice before release')!
    const attrs = housing.attributes as Obj[]
    const provision = attrs.find(a => a.taxonomy_term_id === PROVISION_TERMS.external.id)
    assert.ok(provision, 'provision travels as an attribute with the keywork-provision term')
    assert.equal(
      ((provision.taxonomy_term as Obj).taxonomy_detail as Obj).name,
      'keywork-provision',
      'the provision term names its taxonomy',
    )
    const pathway = attrs.find(a => a.taxonomy_term_id === PATHWAYS[0].termId)
    assert.equal((pathway?.taxonomy_term as Obj).code, 'accommodation')
    const contact = (housing.contacts as Obj[])[0]!
    assert.equal(((contact.phones as Obj[])[0] as Obj).extension, 212)
    const sal = (housing.service_at_locations as Obj[])[0]!
    assert.equal(((sal.location as Obj).addresses as Obj[]).length, 1)
    assert.equal((housing.organization as Obj).name, 'Shelter')
  })

  it('exports the tabular zip: one CSV per table, valid against the published HSDS tabular schema', async () => {
    const zip = await world.services.hsds.exportZip(own(world))
    const names = Object.keys(unzipSync(zip)).sort()
    assert.deepEqual(names, [
      'addresses.csv',
      'attributes.csv',
      'contacts.csv',
      'languages.csv',
      'locations.csv',
      'metadata.csv',
      'organizations.csv',
      'phones.csv',
      'schedules.csv',
      'service_at_location.csv',
      'services.csv',
      'taxonomies.csv',
      'taxonomy_terms.csv',
    ])
    const tab = tabularObject(zip)
    const { tabular } = hsdsValidators()
    assert.ok(tabular(tab), errorsOf(tabular))
    assert.equal(tab.service!.length, 4)
    assert.equal(tab.attribute!.length, 9, '5 pathways and 4 provision attributes')
    assert.equal(tab.taxonomy!.length, 2)
    assert.equal(tab.taxonomy_term!.length, PATHWAYS.length + 2)
  })

  it('re-importing its own export changes nothing', async () => {
    const before = await counts(world)
    const r = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, jsonBytes(exported), 'again.json')
    assert.equal(r.status, 'imported', JSON.stringify(r))
    if (r.status !== 'imported') return
    assert.deepEqual(r.report.created, {})
    assert.deepEqual(r.report.updated, {})
    assert.deepEqual(r.report.foreignTerms, { created: 0, updated: 0 })
    assert.deepEqual(await counts(world), before)
    assert.deepEqual(await world.services.hsds.exportJson(own(world)), exported)
    const zip = await world.services.hsds.exportZip(own(world))
    const z = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, zip, 'again.zip')
    assert.equal(z.status, 'imported', JSON.stringify(z))
    assert.deepEqual(await counts(world), before)
    assert.deepEqual(await world.services.hsds.exportJson(own(world)), exported)
  })

  it('updates a changed service, records what changed in metadata, and refreshes search_text', async () => {
    const file = clone(exported)
    const debt = file.find(s => s.name === 'Money and debt clinic')!
    debt.description = 'Debt advice and bank accounts'
    ;(debt.contacts as Obj[])[0]!.name = 'Anna Nowak'
    const r = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, jsonBytes(file), 'changed.json')
    assert.equal(r.status, 'imported', JSON.stringify(r))
    if (r.status !== 'imported') return
    assert.deepEqual(r.report.updated, { services: 1, contacts: 1 })
    const db = world.services.db.db
    const row = await db
      .selectFrom('directory_services')
      .selectAll()
      .where('id', '=', String(debt.id))
      .executeTakeFirstOrThrow()
    assert.equal(row.description, 'Debt advice and bank accounts')
    assert.match(row.search_text, /anna nowak/)
    assert.doesNotMatch(row.search_text, /kowalski/)
    const meta = await db
      .selectFrom('directory_metadata')
      .selectAll()
      .where('resource_id', '=', String(debt.id))
      .where('field_name', '=', 'description')
      .executeTakeFirstOrThrow()
    assert.equal(meta.last_action_type, 'import')
    assert.equal(meta.previous_value, 'Help with debts, bank accounts, fines and benefit claims for release.')
    assert.equal(meta.replacement_value, 'Debt advice and bank accounts')
    // back as it was, for the tests after this one
    const back = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, jsonBytes(exported), 'back.json')
    assert.equal(back.status, 'imported')
    exported = await world.services.hsds.exportJson(own(world))
  })

  it('never overwrites another establishment’s records: their ids are errors, and nothing is imported', async () => {
    const before = await counts(world)
    const lei = world.est.LEI!
    const file = clone(exported)
    ;(file[0] as Obj).name = 'Taken over'
    const r = await world.services.hsds.import(actorIn(world, 'LEI'), lei, jsonBytes(file), 'steal.json')
    assert.equal(r.status, 'rejected')
    if (r.status !== 'rejected') return
    assert.ok(
      r.problems.some(p => p.path === '/0/id' && /another establishment/.test(p.message)),
      JSON.stringify(r.problems.slice(0, 5)),
    )
    assert.deepEqual(await counts(world), before)
    const names = await world.services.db.db.selectFrom('directory_services').select('name').execute()
    assert.ok(!names.some(n => n.name === 'Taken over'))
  })
})

describe('HSDS round trip into a fresh world', () => {
  let a: World
  let b: World
  let c: World
  before(async () => {
    ;[a, b, c] = await Promise.all([testWorld(), testWorld(), testWorld()])
    const r = await a.services.hsds.import(actorIn(a, 'MDI'), a.est.MDI!, fixtureBytes(), 'directory.json')
    assert.equal(r.status, 'imported')
  })
  after(async () => {
    await Promise.all([a.close(), b.close(), c.close()])
  })

  it('JSON: export, import elsewhere, export again gives the same file, apart from the new import metadata', async () => {
    const e1 = await a.services.hsds.exportJson(own(a))
    const r = await b.services.hsds.import(actorIn(b, 'MDI'), b.est.MDI!, jsonBytes(e1), 'e1.json')
    assert.equal(r.status, 'imported', JSON.stringify(r))
    const e2 = await b.services.hsds.exportJson(own(b))
    const added: Obj[] = []
    assert.deepEqual(stripMetadata(e2, metadataIds(e1), added), e1)
    assert.ok(added.length > 0)
    assert.ok(added.every(m => m.last_action_type === 'import' && m.updated_by === 'admin.mdi'))

    // and importing the same file again changes nothing at all
    const before = await counts(b)
    const again = await b.services.hsds.import(actorIn(b, 'MDI'), b.est.MDI!, jsonBytes(e1), 'e1.json')
    assert.equal(again.status, 'imported')
    assert.deepEqual(await counts(b), before)
    assert.deepEqual(await b.services.hsds.exportJson(own(b)), e2)
  })

  it('zip: the tabular form round-trips to the same directory', async () => {
    const e1 = await a.services.hsds.exportJson(own(a))
    const zip = await a.services.hsds.exportZip(own(a))
    const r = await c.services.hsds.import(actorIn(c, 'MDI'), c.est.MDI!, zip, 'directory.zip')
    assert.equal(r.status, 'imported', JSON.stringify(r))
    const e2 = await c.services.hsds.exportJson(own(c))
    assert.deepEqual(stripMetadata(e2, metadataIds(e1), []), e1)
    const files1 = await a.services.hsds.exportTabularFiles(own(a))
    const files2 = await c.services.hsds.exportTabularFiles(own(c))
    for (const name of Object.keys(files1))
      if (name !== 'metadata.csv') assert.equal(files2[name], files1[name], `${name} differs`)
    const before = await counts(c)
    const again = await c.services.hsds.import(actorIn(c, 'MDI'), c.est.MDI!, zip, 'directory.zip')
    assert.equal(again.status, 'imported')
    assert.deepEqual(await counts(c), before)
  })

  it('national: the national policy team imports into the national directory, which establishments then see', async () => {
    const national = clone(fixture()).slice(0, 1)
    const r = await b.services.hsds.import(SYSTEM_ACTOR, null, jsonBytes(withFreshIds(national)), 'national.json')
    assert.equal(r.status, 'imported', JSON.stringify(r))
    const nationalExport = await b.services.hsds.exportJson({ establishmentId: null, includeNational: false })
    assert.equal(nationalExport.length, 1)
    const withNational = await b.services.hsds.exportJson({ establishmentId: b.est.LEI!, includeNational: true })
    assert.deepEqual(withNational, nationalExport, 'LEI has none of its own, and sees the national one')

    // an establishment may re-import a file holding national services unchanged, but not change them
    const same = await b.services.hsds.import(actorIn(b, 'LEI'), b.est.LEI!, jsonBytes(withNational), 'n.json')
    assert.equal(same.status, 'imported', JSON.stringify(same))
    const changed = clone(withNational)
    changed[0]!.name = 'Renamed locally'
    const refused = await b.services.hsds.import(actorIn(b, 'LEI'), b.est.LEI!, jsonBytes(changed), 'n.json')
    assert.equal(refused.status, 'rejected')
    if (refused.status === 'rejected')
      assert.ok(refused.problems.some(p => p.path === '/0/id' && /national directory/.test(p.message)))
  })
})

describe('HSDS import: every problem is reported, and nothing is imported', () => {
  let world: World
  let mdi: number
  let good: Obj[]
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    good = fixture()
  })
  after(() => world.close())

  async function rejected(bytes: Uint8Array, name = 'bad.json') {
    const before = await counts(world)
    const r = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, bytes, name)
    assert.equal(r.status, 'rejected', JSON.stringify(r).slice(0, 500))
    assert.deepEqual(await counts(world), before, 'nothing was written')
    return r.status === 'rejected' ? r.problems.map(p => `${p.path}: ${p.message}`) : []
  }

  it('a field HSDS does not define, at any depth', async () => {
    const file = clone(good)
    file[0]!.favourite_colour = 'blue'
    ;((file[0]!.phones as Obj[])[0] as Obj).mobile = true
    const problems = await rejected(jsonBytes(file))
    assert.ok(
      problems.includes('/0/favourite_colour: unknown field "favourite_colour": HSDS 3.0 has no such field here'),
    )
    assert.ok(problems.includes('/0/phones/0/mobile: unknown field "mobile": HSDS 3.0 has no such field here'))
  })

  it('wrong types and values, with their JSON path', async () => {
    const file = clone(good)
    ;((file[0]!.contacts as Obj[])[0]!.phones as Obj[])[0]!.number = 1234
    file[1]!.status = 'open'
    file[2]!.id = 'not-a-uuid'
    file[3]!.email = 'not an email'
    const problems = await rejected(jsonBytes(file))
    assert.ok(problems.includes('/0/contacts/0/phones/0/number: must be string'), problems.join('\n'))
    assert.ok(problems.some(p => p.startsWith('/1/status: must be one of "active"')))
    assert.ok(problems.includes('/2/id: must match format "uuid"'))
    assert.ok(problems.includes('/3/email: must match format "email"'))
  })

  it('a missing required field', async () => {
    const file = clone(good)
    delete file[1]!.name
    delete ((file[0]!.service_at_locations as Obj[])[0]!.location as Obj).location_type
    const problems = await rejected(jsonBytes(file))
    assert.ok(problems.includes('/1/name: is required'))
    assert.ok(problems.includes('/0/service_at_locations/0/location/location_type: is required'))
  })

  it('dangling ids: a phone’s contact and a service at location’s location that exist nowhere', async () => {
    const file = clone(good)
    const nowhere = '11111111-2222-4333-8444-555555555555'
    ;(file[3]!.phones as Obj[])[0]!.contact_id = nowhere
    const sal = (file[1]!.service_at_locations as Obj[])[0]!
    delete sal.location
    sal.location_id = nowhere
    const problems = await rejected(jsonBytes(file))
    assert.ok(
      problems.some(p => p.startsWith(`/3/phones/0/contact_id: refers to contact "${nowhere}"`)),
      problems.join('\n'),
    )
    assert.ok(
      problems.some(p => p.startsWith(`/1/service_at_locations/0/location_id: refers to location "${nowhere}"`)),
    )
  })

  it('a nested record pointing at another parent than the one it is in', async () => {
    const file = clone(good)
    ;(file[0]!.schedules as Obj[])[0]!.service_id = file[1]!.id
    const problems = await rejected(jsonBytes(file))
    assert.ok(problems.some(p => p.startsWith('/0/schedules/0/service_id: must be')))
  })

  it('duplicates: the same service twice, or one id with two different values', async () => {
    const file = clone(good)
    file.push(clone(file[0]!))
    const org = file[2]!.organization as Obj
    const other = clone(file[1]!)
    other.id = '99999999-2222-4333-8444-555555555555'
    other.attributes = []
    other.service_at_locations = []
    other.schedules = []
    other.languages = []
    other.organization = { ...org, name: 'Another name' }
    other.organization_id = org.id
    file.push(other)
    const problems = await rejected(jsonBytes(file))
    assert.ok(problems.some(p => p.startsWith('/4/id: the service id appears more than once (also at /0)')))
    assert.ok(problems.some(p => p.startsWith('/5/organization/id: the organization id appears more than once')))
  })

  it('taxonomy terms keywork does not know', async () => {
    const file = clone(good)
    const attr = (file[0]!.attributes as Obj[])[0]!
    attr.taxonomy_term_id = '00000000-0000-4000-8000-000000000001'
    const problems = await rejected(jsonBytes(file))
    assert.ok(
      problems.includes(
        '/0/attributes/0/taxonomy_term_id: unknown taxonomy term "00000000-0000-4000-8000-000000000001": give the term (taxonomy_term, or a row of taxonomy_terms.csv)',
      ),
    )
  })

  it('a service both internal and external', async () => {
    const file = clone(good)
    ;(file[0]!.attributes as Obj[]).push({
      id: '12121212-2222-4333-8444-555555555555',
      taxonomy_term_id: PROVISION_TERMS.internal.id,
    })
    const problems = await rejected(jsonBytes(file))
    assert.ok(problems.some(p => /both internal and external/.test(p)))
  })

  it('one bad service among good ones imports nothing', async () => {
    const file = clone(good)
    file[3]!.status = 'closed'
    const problems = await rejected(jsonBytes(file))
    assert.equal(problems.length, 1)
  })

  it('a file that is not JSON, not UTF-8, empty, not an array, or too large', async () => {
    assert.match((await rejected(Buffer.from('name,status\nx,active\n')))[0]!, /^\/: The file is not valid JSON/)
    assert.deepEqual(await rejected(Buffer.from([0x5b, 0xff, 0xfe, 0x5d])), [
      '/: The file is not UTF-8 text: save it as UTF-8',
    ])
    assert.deepEqual(await rejected(Buffer.alloc(0)), ['/: The selected file is empty'])
    assert.deepEqual(await rejected(Buffer.from('  \n')), ['/: The selected file is empty'])
    assert.deepEqual(await rejected(Buffer.from('[]')), ['/: The file holds no services'])
    assert.match((await rejected(jsonBytes({ colour: 'blue' })))[0]!, /must be an array of HSDS services/)
    assert.deepEqual(await rejected(Buffer.alloc(HSDS_FILE_LIMIT_BYTES + 1, 0x20)), [
      '/: The file must be smaller than 20 MB',
    ])
  })

  it('the tabular form: unknown columns and files, bad cells and dangling ids, by file, row and column', async () => {
    const files: Record<string, Uint8Array> = {
      'services.csv': strToU8(
        'id,name,status,organization_id,colour\r\n11111111-2222-4333-8444-555555555555,A,active,,red\r\n',
      ),
    }
    let problems = await rejected(zipSync(files), 'bad.zip')
    assert.deepEqual(problems, [
      'services.csv, column colour: unknown column "colour": HSDS 3.0 has no such field in services.csv',
      'services.csv row 2, organization_id: is required by keywork',
    ])

    problems = await rejected(zipSync({ 'notes.txt': strToU8('hello') }), 'bad.zip')
    assert.deepEqual(problems, ['notes.txt: is not a file of the HSDS tabular form (organizations.csv, ...)'])

    const sid = '11111111-2222-4333-8444-555555555555'
    problems = await rejected(
      zipSync({
        'services.csv': strToU8(
          `id,name,status,organization_id,minimum_age\r\n${sid},A,shut,22222222-2222-4333-8444-555555555555,ten\r\n`,
        ),
        'phones.csv': strToU8(`id,service_id,number\r\n33333333-2222-4333-8444-555555555555,${sid},\r\n`),
      }),
      'bad.zip',
    )
    assert.ok(
      problems.some(p => p.startsWith('services.csv row 2, status: must be one of')),
      problems.join('\n'),
    )
    assert.ok(problems.includes('services.csv row 2, minimum_age: must be number'))
    assert.ok(problems.includes('phones.csv row 2, number: must not be empty'), problems.join('\n'))

    problems = await rejected(
      zipSync({
        'services.csv': strToU8(
          `id,name,status,organization_id\r\n${sid},A,active,22222222-2222-4333-8444-555555555555\r\n`,
        ),
      }),
      'bad.zip',
    )
    assert.deepEqual(problems, [
      'services.csv row 2, organization_id: refers to organization "22222222-2222-4333-8444-555555555555", which is neither in the file nor in your establishment’s directory',
    ])

    problems = await rejected(Buffer.from('PK\u0003\u0004 not really a zip'), 'bad.zip')
    assert.match(problems[0]!, /^\/: The zip file cannot be opened/)
  })
})
