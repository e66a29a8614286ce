import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Role } from '../../domain/roles'
import { signedIn } from '../../../test/harness'
import { type SeededWorld, seededWorld, usernameFor } from '../../../test/fixtures'

// The menu holds each role's everyday work; what an admin does now and then (settings, units, users, imports,
// emails, the audit trail) is on the home page instead, so the menu stays one row.

let world: SeededWorld
before(async () => {
  world = await seededWorld()
})
after(() => world.close())

const menuOf = (html: string) => {
  const nav = /<nav aria-label="Menu"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? ''
  return [...nav.matchAll(/href="([^"]+)"/g)].map(m => m[1])
}
const cardsOf = (html: string) =>
  [...html.matchAll(/<div class="app-card">\s*<h2 class="govuk-heading-s"><a class="govuk-link" href="([^"]+)"/g)].map(
    m => m[1],
  )

const expected: Record<Role, { menu: string[]; cards: string[] }> = {
  KEY_WORKER: {
    menu: [
      '/',
      '/caseload',
      '/my-sessions',
      '/my-feedback',
      '/referrals',
      '/prisoners',
      '/directory',
      '/hubs',
      '/guidance',
      '/training',
    ],
    cards: ['/prisoners', '/staff', '/hubs', '/worksheets', '/booklet', '/training', '/my-supervision'],
  },
  SUPERVISING_OFFICER: {
    menu: [
      '/',
      '/caseload',
      '/sessions-due',
      '/referrals',
      '/allocate',
      '/statistics',
      '/quality',
      '/prisoners',
      '/directory',
      '/guidance',
    ],
    // the menu is full at 1,280 px: training is on the home page; who has read the national bulletins; recruitment
    cards: [
      '/prisoners',
      '/staff',
      '/hubs',
      '/worksheets',
      '/booklet',
      '/training',
      '/bulletins/reach',
      '/recruitment',
    ],
  },
  ESTABLISHMENT_ADMIN: {
    menu: [
      '/',
      '/sessions-due',
      '/referrals',
      '/allocate',
      '/statistics',
      '/quality',
      '/prisoners',
      '/staff',
      '/import',
      '/directory',
      '/guidance',
    ],
    cards: [
      '/prisoners',
      '/staff',
      '/establishment/settings',
      '/units',
      '/users',
      '/import',
      '/outbox',
      '/audit',
      '/case-notes',
      '/hmpps',
      '/hubs',
      '/worksheets',
      '/booklet',
      '/training',
      '/bulletins/reach',
      '/recruitment',
    ],
  },
  NATIONAL_POLICY: {
    // once in an establishment (they land on the national overview: see below)
    menu: [
      '/',
      '/national',
      '/sessions-due',
      '/statistics',
      '/quality',
      '/prisoners',
      '/directory',
      '/guidance',
      '/training',
    ],
    cards: [
      '/prisoners',
      '/staff',
      '/establishment/settings',
      '/units',
      '/users',
      '/outbox',
      '/audit',
      '/case-notes',
      '/hmpps',
      '/hubs',
      '/worksheets',
      '/booklet',
      '/training',
      '/bulletins/reach',
      '/recruitment',
      '/establishments',
      '/national/policy',
      '/data-protection',
    ],
  },
}

describe('the menu and the home page', () => {
  for (const [role, want] of Object.entries(expected) as [Role, (typeof expected)[Role]][]) {
    it(`give a ${role} their everyday work in the menu and the rest on the home page`, async () => {
      const b = await signedIn(world, usernameFor(role))
      if (role === 'NATIONAL_POLICY')
        assert.equal((await b.post('/establishment/switch', { establishment: 'MDI' }, '/')).status, 303)
      const home = await b.get('/')
      assert.equal(home.status, 200)
      assert.deepEqual(menuOf(home.text), want.menu)
      assert.deepEqual(cardsOf(home.text), want.cards)
      // every link offered opens for this role
      for (const href of new Set([...want.menu, ...want.cards]))
        assert.equal((await b.get(href)).status, 200, `${role} opens ${href}`)
    })
  }

  it('lands the national team on the national overview, in no establishment until they choose one', async () => {
    const b = await signedIn(world, usernameFor('NATIONAL_POLICY'))
    const home = await b.get('/')
    assert.equal(home.status, 200)
    assert.match(home.text, /<h1 class="govuk-heading-l">National overview<\/h1>/)
    assert.doesNotMatch(home.text, /app-context-bar__establishment/, 'no establishment is shown as the current one')
    assert.deepEqual(menuOf(home.text), ['/', '/national', '/guidance', '/training'])
    // one row per establishment, each with a way in
    for (const code of ['MDI', 'LEI']) assert.match(home.text, new RegExp(`name="establishment" value="${code}"`))
    assert.equal((await b.get('/national')).status, 200)
    // after choosing, home is that establishment's
    await b.post('/establishment/switch', { establishment: 'LEI' }, '/')
    assert.match((await b.get('/')).text, /Key Work in Leeds/)
    assert.match((await b.get('/national')).text, /National overview/, 'the overview stays in the menu')
  })

  it('marks Guidance as the current section on the booklet and the worksheets', async () => {
    const b = await signedIn(world, usernameFor('KEY_WORKER'))
    for (const path of ['/guidance', '/booklet', '/worksheets']) {
      const nav = /<nav aria-label="Menu"[\s\S]*?<\/nav>/.exec((await b.get(path)).text)?.[0] ?? ''
      assert.match(nav, /href="\/guidance" aria-current="true"/, path)
      assert.equal((nav.match(/aria-current/g) ?? []).length, 1, path)
    }
  })
})
