import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { strToU8, unzipSync, zipSync } from 'fflate'
import { testWorld } from '../../../../test/harness'
import { type Actor, SYSTEM_ACTOR } from '../../../platform/audit/service'
import { fixture, jsonBytes, withFreshIds } from '../../../../test/support/hsds'
import { readHsdsFile } from './read'
import { PART_ITEMS, joinPart, splitResult } from './readTransfer'
import { readInWorker } from './readWorker'
import { isByDay, isDateTime, isRealDate, isTimeOfDay } from './values'

type World = Awaited<ReturnType<typeof testWorld>>
type Obj = Record<string, unknown>

const clone = <T>(v: T): T => structuredClone(v)

// ids of the fixture (fixtures/directory.json), written out by hand
const HOUSING = 'f067d74c-35d6-5a2e-942f-d0bf3db59742'
const PRIYA = '5633b453-1810-5794-b473-b95d65d2e0ce'
const HUB = 'a663906d-52d2-53d5-950a-b1d4a785b570'
const PRIYA_PHONE = 'f8e18f6f-803a-579a-94b4-1cf5942294b1'
const HOUSING_SCHEDULE = '56cbc564-66d7-5757-97c7-3b3878f56d32'
const NOWHERE = '11111111-2222-4333-8444-555555555555'
// a control character, as a binary file read as text would show it
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/

describe('HSDS values keywork shows: the checks themselves', () => {
  it('times of day: HH:MM or HH:MM:SS on a 24-hour clock, perhaps with a time zone', () => {
    for (const ok of ['00:00', '09:30', '23:59', '09:30:15', '17:00:00', '09:00Z', '09:00-05:00', '09:00:00+01:00'])
      assert.ok(isTimeOfDay(ok), ok)
    for (const bad of ['25:99', '24:00', '12:60', '9:30', 'lunchtime', '09:30:61', '0930', '09:30 am', ''])
      assert.ok(!isTimeOfDay(bad), bad)
  })

  it('dates: real calendar days only', () => {
    for (const ok of ['2025-03-31', '2024-02-29', '2000-02-29']) assert.ok(isRealDate(ok), ok)
    for (const bad of [
      '2025-02-29',
      '1900-02-29',
      '2025-04-31',
      '2025-13-01',
      '2025-00-10',
      'not a date',
      '31/03/2025',
    ])
      assert.ok(!isRealDate(bad), bad)
  })

  it('date-times: a real date, a real time and a time zone', () => {
    assert.ok(isDateTime('2023-03-15T10:30:45.123Z'))
    assert.ok(isDateTime('2023-03-15T10:30:45+01:00'))
    for (const bad of [
      '2023-03-15',
      '2023-03-15T10:30:45',
      '2023-02-30T10:00:00Z',
      '2023-03-15T25:00:00Z',
      'yesterday',
    ])
      assert.ok(!isDateTime(bad), bad)
  })

  it('byday: weekdays separated by commas, each perhaps after an RFC 5545 ordinal', () => {
    for (const ok of ['MO', 'MO,TU,WE,TH,FR', 'SA,SU', '1MO', '-1FR', '2MO,+3TU', 'TU, TH']) assert.ok(isByDay(ok), ok)
    for (const bad of ['Monday', 'MO,XX', 'MO;TU', '0MO', '54MO', 'MO,', '', '1']) assert.ok(!isByDay(bad), bad)
  })
})

function actorIn(world: World, code: string): Actor {
  return { ...SYSTEM_ACTOR, username: `admin.${code.toLowerCase()}`, establishmentId: world.est[code]! }
}

describe('HSDS import: the shapes publishers produce, copies, values and every problem in one pass', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })
  after(() => world.close())

  async function importInto(bytes: Uint8Array, name = 'file.json', code = 'MDI') {
    return world.services.hsds.import(actorIn(world, code), world.est[code]!, bytes, name)
  }
  async function problemsOf(bytes: Uint8Array, name = 'bad.json'): Promise<string[]> {
    const r = await importInto(bytes, name)
    assert.equal(r.status, 'rejected', JSON.stringify(r).slice(0, 500))
    return r.status === 'rejected' ? r.problems.map(p => `${p.path}: ${p.message}`) : []
  }
  const services = async (estCode: string) =>
    (
      await world.services.db.db
        .selectFrom('directory_services')
        .select('id')
        .where('establishment_id', '=', world.est[estCode]!)
        .execute()
    ).map(s => s.id)

  it('one service on its own, as GET /services/{id} answers, with JSON paths from its root', async () => {
    const one = fixture()[3]!
    const r = await importInto(jsonBytes(one), 'one.json', 'MDI')
    assert.equal(r.status, 'imported', JSON.stringify(r).slice(0, 500))
    if (r.status === 'imported') assert.equal(r.report.services, 1)
    assert.deepEqual(await services('MDI'), [one.id])

    const bad = clone(fixture()[3]!)
    bad.status = 'open'
    bad.organization_id = NOWHERE
    delete bad.organization
    const problems = await problemsOf(jsonBytes(bad))
    assert.ok(
      problems.some(p => p.startsWith('/status: must be one of "active"')),
      problems.join('\n'),
    )
    assert.ok(
      problems.some(p => p.startsWith(`/organization_id: refers to organization "${NOWHERE}"`)),
      problems.join('\n'),
    )
  })

  it('a page of services, as GET /services answers (contents), with paths into contents', async () => {
    const page = {
      total_items: 4,
      total_pages: 1,
      page_number: 1,
      size: 4,
      first_page: true,
      last_page: true,
      empty: false,
      contents: withFreshIds(fixture()),
    }
    const r = await importInto(jsonBytes(page), 'page.json', 'LEI')
    assert.equal(r.status, 'imported', JSON.stringify(r).slice(0, 500))
    if (r.status === 'imported') assert.equal(r.report.services, 4)
    assert.equal((await services('LEI')).length, 4)

    const bad = clone(page)
    bad.contents[1]!.status = 'open'
    const problems = await problemsOf(jsonBytes(bad))
    assert.ok(
      problems.some(p => p.startsWith('/contents/1/status: must be one of')),
      problems.join('\n'),
    )
    assert.deepEqual(await problemsOf(jsonBytes({ ...page, contents: [] })), ['/contents: The file holds no services'])
    assert.deepEqual(await problemsOf(jsonBytes({ ...page, contents: 'none' })), [
      '/contents: must be an array of HSDS services (a page of GET /services)',
    ])
  })

  it('the tabular form with its datapackage.json: the resource paths say where the CSV files are', async () => {
    const mdi = { establishmentId: world.est.MDI!, includeNational: false }
    const files = await world.services.hsds.exportTabularFiles(mdi)
    const zip: Record<string, Uint8Array> = {}
    const resources: Obj[] = []
    for (const [name, text] of Object.entries(files)) {
      zip[`directory/data/${name}`] = strToU8(text)
      resources.push({ name: name.replace(/\.csv$/, ''), path: `data/${name}`, format: 'csv' })
    }
    zip['directory/datapackage.json'] = strToU8(
      JSON.stringify({ name: 'hsds', profile: 'tabular-data-package', resources }),
    )
    // keywork's own export of MDI, read again through the data package: the same records, nothing to change
    const r = await importInto(zipSync(zip), 'package.zip', 'MDI')
    assert.equal(r.status, 'imported', JSON.stringify(r).slice(0, 800))
    if (r.status === 'imported') {
      assert.equal(r.report.services, (await services('MDI')).length)
      assert.deepEqual(r.report.created, {})
      assert.ok(r.report.unchanged > 0)
    }

    // a resource named after its table, in a file of another name, is read as that table
    const renamed: Record<string, Uint8Array> = {
      'datapackage.json': strToU8(
        JSON.stringify({
          resources: [
            { name: 'service', path: 'svc.csv' },
            { name: 'organization', path: 'orgs.csv' },
            { name: 'phone', path: 'phones-list.csv' },
          ],
        }),
      ),
      'svc.csv': strToU8(`id,name,status,organization_id\r\n${NOWHERE},A,shut,${NOWHERE}\r\n`),
      'orgs.csv': strToU8(`id,name,description\r\n${NOWHERE},Org,An organisation\r\n`),
    }
    const problems = await problemsOf(zipSync(renamed), 'renamed.zip')
    assert.ok(
      problems.some(p => p.startsWith('services.csv row 2, status: must be one of')),
      problems.join('\n'),
    )
    assert.ok(
      problems.includes(
        'datapackage.json, resources/2/path: names phones-list.csv, which is not in the zip: add the file or remove the resource',
      ),
      problems.join('\n'),
    )
  })

  it('an empty zip says it holds no CSV files, and no page repeats a control character', async () => {
    const empty = zipSync({})
    assert.deepEqual(await problemsOf(empty, 'empty.zip'), [
      '/: The zip file holds no CSV files of the HSDS tabular form',
    ])
    const binary = await problemsOf(Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff, 0xfe, 0x7d]), 'binary.json')
    assert.ok(
      binary.every(p => !CONTROL.test(p)),
      JSON.stringify(binary),
    )
    const nul = await problemsOf(Buffer.from('[{"a":\u0000}]'), 'nul.json')
    assert.match(nul[0]!, /^\/: The file is not valid JSON/)
    assert.ok(!CONTROL.test(nul[0]!), JSON.stringify(nul))
  })

  it('identical copies of a phone under its service, contact and location are one phone with all three links', async () => {
    const file = fixture()
    const housing = file[0]!
    const phone = (((housing.contacts as Obj[])[0]!.phones as Obj[])[0] as Obj)!
    assert.equal(phone.id, PRIYA_PHONE)
    ;(housing.phones as Obj[]).push(clone(phone))
    const location = ((housing.service_at_locations as Obj[])[0]!.location as Obj)!
    ;(location.phones as Obj[]).push(clone(phone))
    const r = await importInto(jsonBytes(file), 'copies.json', 'MDI')
    assert.equal(r.status, 'imported', JSON.stringify(r).slice(0, 800))
    const rows = await world.services.db.db
      .selectFrom('directory_phones')
      .selectAll()
      .where('id', '=', PRIYA_PHONE)
      .execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.service_id, HOUSING)
    assert.equal(rows[0]!.contact_id, PRIYA)
    assert.equal(rows[0]!.location_id, HUB)
    assert.equal(rows[0]!.number, '0114 123 4570')
  })

  it('copies that differ are one problem naming the id, the fields that differ and where each copy is', async () => {
    const file = fixture()
    const housing = file[0]!
    const phone = (((housing.contacts as Obj[])[0]!.phones as Obj[])[0] as Obj)!
    // a field keywork keeps, and one it does not show: both count
    ;(housing.phones as Obj[]).push({ ...clone(phone), number: '0114 000 0000', description: 'Direct line' })
    const problems = await problemsOf(jsonBytes(file))
    assert.deepEqual(
      problems.filter(p => /more than once/.test(p)),
      [
        `/0/phones/1/id: the phone id appears more than once with different values: "${PRIYA_PHONE}" is also at /0/contacts/0/phones/0, and differs in number, description`,
      ],
    )

    // a schedule that is the same but for its service: keywork holds one service per schedule
    const two = fixture()
    const schedule = clone((two[0]!.schedules as Obj[])[0]!)
    delete schedule.service_id
    ;(two[3]!.schedules = [schedule]) as unknown
    const again = await problemsOf(jsonBytes(two))
    assert.deepEqual(
      again.filter(p => /more than once/.test(p)),
      [
        `/3/schedules/0/id: the schedule id appears more than once with different values: "${HOUSING_SCHEDULE}" is also at /0/schedules/0, and differs in service_id`,
      ],
    )
  })

  it('every bad value keywork would show, with its JSON path', async () => {
    // fresh ids: the fixture's metadata is in MDI already, and metadata never changes
    const file = withFreshIds(fixture())
    const housing = file[0]!
    const schedule = (housing.schedules as Obj[])[0]!
    Object.assign(schedule, {
      opens_at: '25:99',
      closes_at: 'lunchtime',
      valid_from: '2025-02-30',
      valid_to: 'soon',
      dtstart: '2025-13-01',
      until: '31/12/2025',
      byday: 'MO,XX',
    })
    housing.assured_date = 'not a date'
    ;((housing.metadata as Obj[])[0] as Obj).last_action_date = 'last week'
    file[1]!.last_modified = 'yesterday'
    ;((file[1]!.schedules as Obj[])[0] as Obj).byday = '1MO,-1FR'
    ;((file[1]!.languages as Obj[])[0] as Obj).code = 'en-GB'
    ;((file[0]!.languages as Obj[])[0] as Obj).code = 'English'
    const problems = await problemsOf(jsonBytes(file))
    const expected = [
      '/0/schedules/0/opens_at: "25:99" is not a time of day: use HH:MM or HH:MM:SS (24-hour clock), for example 09:30',
      '/0/schedules/0/closes_at: "lunchtime" is not a time of day: use HH:MM or HH:MM:SS (24-hour clock), for example 09:30',
      '/0/schedules/0/valid_from: "2025-02-30" is not a date: use YYYY-MM-DD, for example 2025-03-31',
      '/0/schedules/0/valid_to: "soon" is not a date: use YYYY-MM-DD, for example 2025-03-31',
      '/0/schedules/0/dtstart: "2025-13-01" is not a date: use YYYY-MM-DD, for example 2025-03-31',
      '/0/schedules/0/until: "31/12/2025" is not a date: use YYYY-MM-DD, for example 2025-03-31',
      '/0/schedules/0/byday: "MO,XX" is not a list of weekdays: use MO, TU, WE, TH, FR, SA and SU separated by commas (an occurrence such as 1MO or -1FR may come first)',
      '/0/assured_date: "not a date" is not a date: use YYYY-MM-DD, for example 2025-03-31',
      '/0/metadata/0/last_action_date: "last week" is not a date: use YYYY-MM-DD, or a date and time such as 2025-03-31T09:30:00Z',
      '/0/languages/0/code: "English" is not a language code: use an ISO 639 code such as en, cy or pol (a region may follow, as in en-GB)',
    ]
    for (const e of expected) assert.ok(problems.includes(e), `${e}\nnot in\n${problems.join('\n')}`)
    // the schema's date-time format says it once; the ordinals of RFC 5545 are fine
    assert.deepEqual(
      problems.filter(p => p.startsWith('/1/')),
      ['/1/last_modified: must match format "date-time"'],
    )
    assert.equal(problems.length, expected.length + 1, problems.join('\n'))
  })

  it('every bad value in the tabular form, by file, row and column', async () => {
    const sid = '22222222-2222-4333-8444-555555555555'
    const oid = '33333333-2222-4333-8444-555555555555'
    const problems = await problemsOf(
      zipSync({
        'organizations.csv': strToU8(`id,name,description\r\n${oid},Org,An organisation\r\n`),
        'services.csv': strToU8(
          `id,name,status,organization_id,assured_date,last_modified\r\n${sid},A,active,${oid},2025-02-29,2025-01-01T09:00:00Z\r\n`,
        ),
        'schedules.csv': strToU8(
          `id,service_id,opens_at,closes_at,byday,dtstart,until\r\n` +
            `44444444-2222-4333-8444-555555555555,${sid},09:00,17:00,"MO,TU",2025-01-01,2025-12-31\r\n` +
            `55555555-2222-4333-8444-555555555555,${sid},25:99,lunchtime,"MO,FUN",2025-00-01,never\r\n`,
        ),
      }),
      'bad.zip',
    )
    assert.deepEqual(problems, [
      'services.csv row 2, assured_date: "2025-02-29" is not a date: use YYYY-MM-DD, for example 2025-03-31',
      'schedules.csv row 3, dtstart: "2025-00-01" is not a date: use YYYY-MM-DD, for example 2025-03-31',
      'schedules.csv row 3, until: "never" is not a date: use YYYY-MM-DD, for example 2025-03-31',
      'schedules.csv row 3, opens_at: "25:99" is not a time of day: use HH:MM or HH:MM:SS (24-hour clock), for example 09:30',
      'schedules.csv row 3, closes_at: "lunchtime" is not a time of day: use HH:MM or HH:MM:SS (24-hour clock), for example 09:30',
      'schedules.csv row 3, byday: "MO,FUN" is not a list of weekdays: use MO, TU, WE, TH, FR, SA and SU separated by commas (an occurrence such as 1MO or -1FR may come first)',
    ])
  })

  it('JSON: schema errors, bad values, dangling references and differing copies, all in one pass', async () => {
    const file = fixture()
    file[0]!.favourite_colour = 'blue' // schema
    ;((file[0]!.schedules as Obj[])[0] as Obj).opens_at = '25:99' // value
    ;(file[3]!.phones as Obj[])[0]!.contact_id = NOWHERE // reference, checked against the database
    ;(file[2]!.phones as Obj[]).push({ ...clone((file[2]!.phones as Obj[])[0]!), number: '0800 000 0000' }) // copy
    const problems = await problemsOf(jsonBytes(file))
    assert.ok(
      problems.includes('/0/favourite_colour: unknown field "favourite_colour": HSDS 3.0 has no such field here'),
      problems.join('\n'),
    )
    assert.ok(problems.some(p => p.startsWith('/0/schedules/0/opens_at: "25:99" is not a time of day')))
    assert.ok(problems.some(p => p.startsWith(`/3/phones/0/contact_id: refers to contact "${NOWHERE}"`)))
    assert.ok(problems.some(p => p.startsWith('/2/phones/2/id: the phone id appears more than once')))
    assert.equal(problems.length, 4, problems.join('\n'))
  })

  it('tabular: a bad header hides neither its file’s rows nor the other files’ problems', async () => {
    const sid = '22222222-2222-4333-8444-555555555555'
    const oid = '33333333-2222-4333-8444-555555555555'
    const problems = await problemsOf(
      zipSync({
        'organizations.csv': strToU8(`id,name,description\r\n${oid},Org,An organisation\r\n`),
        'services.csv': strToU8(
          `id,name,status,organization_id,colour,name\r\n${sid},A,shut,${oid},red,B\r\n${NOWHERE},C,active,${NOWHERE},blue,D\r\n`,
        ),
        'phones.csv': strToU8(`id,service_id,number,mobile\r\n66666666-2222-4333-8444-555555555555,${sid},,yes\r\n`),
        'schedules.csv': strToU8(`id,service_id,opens_at\r\n44444444-2222-4333-8444-555555555555,${sid},9am\r\n`),
        'notes.txt': strToU8('hello'),
      }),
      'bad.zip',
    )
    // in any order: the reading thread's problems, then the importer's checks against the database
    assert.deepEqual(
      [...problems].sort(),
      [
        'notes.txt: is not a file of the HSDS tabular form (organizations.csv, ...)',
        'services.csv, column colour: unknown column "colour": HSDS 3.0 has no such field in services.csv',
        'services.csv, column name: the column appears more than once',
        'services.csv row 2, status: must be one of "active", "inactive", "defunct", "temporarily closed"',
        'phones.csv, column mobile: unknown column "mobile": HSDS 3.0 has no such field in phones.csv',
        'schedules.csv row 2, opens_at: "9am" is not a time of day: use HH:MM or HH:MM:SS (24-hour clock), for example 09:30',
        'services.csv row 3, organization_id: refers to organization "11111111-2222-4333-8444-555555555555", which is neither in the file nor in your establishment’s directory',
        'phones.csv row 2, number: must not be empty',
      ].sort(),
    )
  })

  it('keywork’s own tabular export still reads back as it is', async () => {
    const mdi = { establishmentId: world.est.MDI!, includeNational: false }
    const zip = await world.services.hsds.exportZip(mdi)
    assert.ok(Object.keys(unzipSync(zip)).includes('services.csv'))
    const r = await importInto(zip, 'again.zip', 'MDI')
    assert.equal(r.status, 'imported', JSON.stringify(r).slice(0, 800))
    if (r.status === 'imported') assert.deepEqual(r.report.created, {})
  })
})

describe('HSDS reading thread: a large reading comes back in parts, whole', () => {
  it('splits long lists into parts and joins them back in order', () => {
    const reading = {
      problems: Array.from({ length: PART_ITEMS * 2 + 5 }, (_, i) => ({ path: `/${i}`, message: 'x' })),
      bundle: {
        phones: Array.from({ length: PART_ITEMS + 1 }, (_, i) => ({ id: String(i) })),
        services: [{ id: 's' }],
      },
      ignored: new Map([['service.fees', 2]]),
    }
    const { skeleton, parts } = splitResult(structuredClone(reading))
    assert.equal(parts.length, 5, '3 parts of problems and 2 of phones')
    assert.deepEqual(skeleton.problems, [])
    assert.deepEqual(skeleton.bundle.services, [{ id: 's' }], 'a short list stays in the skeleton')
    for (const part of structuredClone(parts)) joinPart(skeleton, part)
    assert.deepEqual(skeleton, reading)
  })

  it('a file of thousands of records reads the same in the thread as in place', async () => {
    const one = fixture()[3]!
    const phone = (one.phones as Obj[])[0]!
    one.phones = Array.from({ length: PART_ITEMS * 2 + 10 }, (_, i) => ({
      ...phone,
      id: `${String(i).padStart(8, '0')}-2222-4333-8444-555555555555`,
      number: `0114 496 ${String(i).padStart(4, '0')}`,
    }))
    const bytes = jsonBytes([one])
    const terms = new Set<string>()
    const inThread = await readInWorker(bytes, terms)
    const inPlace = readHsdsFile(bytes, terms)
    assert.ok(!Array.isArray(inThread) && !Array.isArray(inPlace))
    assert.equal(inThread.bundle.phones.length, PART_ITEMS * 2 + 10)
    assert.deepEqual(inThread, inPlace)
  })
})
