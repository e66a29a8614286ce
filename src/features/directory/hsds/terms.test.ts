import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { parse } from 'csv-parse/sync'
import { strToU8, unzipSync, zipSync } from 'fflate'
import { signedIn, testWorld } from '../../../../test/harness'
import { type Actor, SYSTEM_ACTOR } from '../../../platform/audit/service'
import { jsonBytes } from '../../../../test/support/hsds'

/**
 * A council's directory classified with its own taxonomy (LGA-style, with a parent term): imported as it is, its
 * services listed as "no pathway yet", a term mapped to a pathway on the terms page, the mapping applied to later
 * imports, and the taxonomy exported unchanged.
 */

type World = Awaited<ReturnType<typeof testWorld>>
type Obj = Record<string, unknown>

const actorIn = (world: World, code: string): Actor => ({
  ...SYSTEM_ACTOR,
  username: `admin.${code.toLowerCase()}`,
  establishmentId: world.est[code]!,
})

const TAXONOMY = {
  id: '6f1f3a0e-2b1c-4d5e-8f90-a1b2c3d4e5f0',
  name: 'LGA Service List',
  description: 'The Local Government Association list of council services',
  uri: 'https://webarchive.example.org/lga/service-list',
  version: '3.10',
}
const PARENT = {
  id: '6f1f3a0e-2b1c-4d5e-8f90-a1b2c3d4e500',
  code: '100',
  name: 'Advice and benefits',
  description: 'Advice on money, benefits and housing',
  taxonomy_id: TAXONOMY.id,
}
const DEBT = {
  id: '6f1f3a0e-2b1c-4d5e-8f90-a1b2c3d4e501',
  code: '101',
  name: 'Debt advice',
  description: 'Help with debts and arrears',
  parent_id: PARENT.id,
  taxonomy_id: TAXONOMY.id,
  term_uri: 'https://webarchive.example.org/lga/service-list/101',
  taxonomy_detail: TAXONOMY,
}
const HOUSING = {
  id: '6f1f3a0e-2b1c-4d5e-8f90-a1b2c3d4e502',
  code: '102',
  name: 'Housing advice',
  description: 'Help to find and keep a home',
  parent_id: PARENT.id,
  taxonomy_id: TAXONOMY.id,
  taxonomy_detail: TAXONOMY,
}
const COUNCIL = {
  id: '0b6c2e9a-3d4f-4a5b-9c8d-7e6f5a4b3c21',
  name: 'Leeds City Council',
  description: 'The council',
  tax_status: 'public body',
}

function councilService(id: string, name: string, term: Obj, attributeId: string): Obj {
  return {
    id,
    organization_id: COUNCIL.id,
    name,
    status: 'active',
    fees_description: 'Free',
    minimum_age: 18,
    organization: COUNCIL,
    funding: [{ id: `${id.slice(0, 24)}00000000f001`, service_id: id, source: 'Council tax' }],
    attributes: [
      {
        id: attributeId,
        link_id: id,
        link_entity: 'service',
        taxonomy_term_id: term.id,
        taxonomy_term: term,
      },
    ],
  }
}

const DEBT_SERVICE = 'a1a1a1a1-0000-4000-8000-000000000001'
const HOUSING_SERVICE = 'a1a1a1a1-0000-4000-8000-000000000002'
const LATER_SERVICE = 'a1a1a1a1-0000-4000-8000-000000000003'
const file = [
  councilService(DEBT_SERVICE, 'Debt Advice Leeds', DEBT, 'b2b2b2b2-0000-4000-8000-000000000001'),
  councilService(HOUSING_SERVICE, 'Tenancy support', HOUSING, 'b2b2b2b2-0000-4000-8000-000000000002'),
]

function shownForm(html: string): Record<string, string | string[]> {
  const form = /<form method="post" novalidate>([\s\S]*?)<\/form>/.exec(html)?.[1]
  assert.ok(form, 'the page has the service form')
  const out: Record<string, string | string[]> = {}
  const add = (name: string, value: string) => {
    const had = out[name]
    out[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value]
  }
  const unescape = (s: string) =>
    s
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&')
  const attrs = (tag: string) => {
    const a: Record<string, string> = {}
    for (const m of tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) a[m[1]!] = unescape(m[2] ?? '')
    return a
  }
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const a = attrs(m[1]!)
    if (!a.name) continue
    if ((a.type === 'checkbox' || a.type === 'radio') && !('checked' in a)) continue
    add(a.name, a.value ?? '')
  }
  for (const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const a = attrs(m[1]!)
    if (a.name) add(a.name, unescape(m[2]!))
  }
  for (const m of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const a = attrs(m[1]!)
    const chosen = /<option\b([^>]*\bselected[^>]*)>/.exec(m[2]!) ?? /<option\b([^>]*)>/.exec(m[2]!)
    if (a.name && chosen) add(a.name, attrs(chosen[1]!).value ?? '')
  }
  return out
}

describe('Other taxonomies: kept, listed as no pathway yet, mapped to pathways', () => {
  let world: World
  let mdi: number
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    const r = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, jsonBytes(file), 'leeds.json')
    assert.equal(r.status, 'imported', JSON.stringify(r))
    if (r.status === 'imported') assert.deepEqual(r.report.foreignTerms, { created: 2, updated: 0 })
  })
  after(() => world.close())

  it('imports services with no pathway and lists them as "no pathway yet", a filter of their own', async () => {
    const b = await signedIn(world, 'key_worker.mdi')
    const all = await b.get('/directory')
    assert.equal(all.status, 200)
    assert.match(all.text, /Debt Advice Leeds[\s\S]*No pathway yet/)
    const none = await b.get('/directory?pathway=none')
    assert.match(none.text, /Debt Advice Leeds/)
    assert.match(none.text, /Tenancy support/)
    assert.match(none.text, /<option value="none" selected>No pathway yet<\/option>/)
    const debt = await b.get('/directory?pathway=finance-benefit-debt')
    assert.doesNotMatch(debt.text, /Debt Advice Leeds/)
  })

  it('the terms page lists the unmapped terms with how many services carry each; a key worker may not see it', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get('/directory/taxonomy-terms')).status, 403)
    const b = await signedIn(world, 'establishment_admin.mdi')
    const page = await b.get('/directory/taxonomy-terms')
    assert.equal(page.status, 200)
    assert.match(page.text, /2 of 2 terms not mapped yet/)
    assert.match(page.text, /Debt advice <span[^>]*>\(101\)<\/span>/)
    assert.match(page.text, /LGA Service List/)
    assert.match(page.text, /Housing advice/)
  })

  it('maps a term through the page: its services are on the pathway, audited; later imports follow the mapping', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const res = await b.post(
      `/directory/taxonomy-terms/${DEBT.id}`,
      { pathway: 'finance-benefit-debt' },
      '/directory/taxonomy-terms',
    )
    assert.equal(res.status, 303)
    const page = await b.get('/directory/taxonomy-terms')
    assert.match(page.text, /1 of 2 terms not mapped yet/)
    assert.match(page.text, /<option value="finance-benefit-debt" selected>/)

    const onPathway = await b.get('/directory?pathway=finance-benefit-debt')
    assert.match(onPathway.text, /Debt Advice Leeds/)
    assert.doesNotMatch(onPathway.text, /Tenancy support/)
    const none = await b.get('/directory?pathway=none')
    assert.doesNotMatch(none.text, /Debt Advice Leeds/)
    assert.match(none.text, /Tenancy support/)
    const shown = await b.get(`/directory/services/${DEBT_SERVICE}`)
    assert.match(shown.text, /Finance, benefit and debt/)

    const audit = await world.services.db.db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity', '=', 'directory-term')
      .where('entity_id', '=', DEBT.id)
      .execute()
    assert.equal(audit.length, 1)
    assert.deepEqual(JSON.parse(audit[0]!.changes!), { term: 'Debt advice', pathway: [null, 'finance-benefit-debt'] })

    // a later import of another service carrying the term: on the pathway at once
    const later = [councilService(LATER_SERVICE, 'Money mentors', DEBT, 'b2b2b2b2-0000-4000-8000-000000000003')]
    const r = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, jsonBytes(later), 'later.json')
    assert.equal(r.status, 'imported', JSON.stringify(r))
    assert.match((await b.get('/directory?pathway=finance-benefit-debt')).text, /Money mentors/)
  })

  it('another establishment cannot map a term its directory does not hold; a bad pathway is an error', async () => {
    const lei = await signedIn(world, 'establishment_admin.lei')
    const res = await lei.post(
      `/directory/taxonomy-terms/${HOUSING.id}`,
      { pathway: 'accommodation' },
      '/directory/taxonomy-terms',
    )
    assert.equal(res.status, 404)
    const b = await signedIn(world, 'establishment_admin.mdi')
    const bad = await b.post(
      `/directory/taxonomy-terms/${HOUSING.id}`,
      { pathway: 'astrology' },
      '/directory/taxonomy-terms',
    )
    assert.equal(bad.status, 303)
    assert.match((await b.get('/directory/taxonomy-terms')).text, /There is a problem[\s\S]*Select a pathway/)
  })

  it('exports the terms unchanged, with the kept fields; the form keeps them when a service is edited', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const edit = await b.get(`/directory/services/${DEBT_SERVICE}/edit`)
    assert.equal(edit.status, 200)
    const saved = await b.agent
      .post(`/directory/services/${DEBT_SERVICE}/edit`)
      .type('form')
      // the form asks for what keywork shows: a description, how to refer, a pathway
      .send({
        ...shownForm(edit.text),
        name: 'Debt Advice Leeds and Wakefield',
        description: 'Help with debts',
        applicationProcess: 'Ask at the library',
        pathways: 'health',
      })
    assert.equal(saved.status, 303)
    assert.equal(saved.headers.location, `/directory/services/${DEBT_SERVICE}`)

    const exported = await world.services.hsds.exportJson({ establishmentId: mdi, includeNational: false })
    const s = exported.find(x => x.id === DEBT_SERVICE)!
    assert.equal(s.name, 'Debt Advice Leeds and Wakefield')
    assert.equal(s.fees_description, 'Free')
    assert.equal(s.minimum_age, 18)
    assert.deepEqual(s.funding, (file[0]!.funding as Obj[]).slice())
    assert.equal((s.organization as Obj).tax_status, 'public body')
    const attrs = s.attributes as Obj[]
    const foreign = attrs.find(a => a.taxonomy_term_id === DEBT.id)!
    assert.deepEqual(foreign.taxonomy_term, DEBT, 'the term exactly as imported, not the pathway it is mapped to')
  })

  it('the tabular form: the taxonomy and its parent term are kept and exported in their files', async () => {
    const other = await testWorld()
    try {
      const zip = unzipSync(await world.services.hsds.exportZip({ establishmentId: mdi, includeNational: false }))
      const terms = Buffer.from(zip['taxonomy_terms.csv']!).toString('utf8')
      assert.match(terms, new RegExp(`${DEBT.id},101,Debt advice`))
      assert.match(Buffer.from(zip['taxonomies.csv']!).toString('utf8'), new RegExp(`${TAXONOMY.id},LGA Service List`))
      const funding = parse(Buffer.from(zip['funding.csv']!).toString('utf8'), { columns: true }) as Obj[]
      assert.ok(funding.some(f => f.service_id === DEBT_SERVICE && f.source === 'Council tax'))
      // the publisher's tabular file also lists the parent term, which no service carries
      zip['taxonomy_terms.csv'] = strToU8(
        `${terms}${PARENT.id},${PARENT.code},${PARENT.name},"${PARENT.description}",,,,${TAXONOMY.id},\r\n`,
      )
      const r = await other.services.hsds.import(actorIn(other, 'MDI'), other.est.MDI!, zipSync(zip), 'leeds.zip')
      assert.equal(r.status, 'imported', JSON.stringify(r))
      const again = unzipSync(
        await other.services.hsds.exportZip({ establishmentId: other.est.MDI!, includeNational: false }),
      )
      const rows = parse(Buffer.from(again['taxonomy_terms.csv']!).toString('utf8'), { columns: true }) as Obj[]
      const parent = rows.find(t => t.id === PARENT.id)
      assert.ok(parent, 'the parent term is kept')
      assert.equal(parent.name, 'Advice and benefits')
      assert.equal(rows.find(t => t.id === DEBT.id)!.parent_id, PARENT.id)
    } finally {
      await other.close()
    }
  })
})
