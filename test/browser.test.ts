import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { Result as AxeResult } from 'axe-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { ROLES, type Role } from '../src/domain/roles'
import { routeDefsOf } from '../src/app'
import type { Access } from '../src/web/routing'
import { CHROMIUM, launchChromium, missingChromium } from './chromium'
import { PASSWORD } from './harness'
import { resolvePath, seededWorld, usernameFor } from './fixtures'
import { SYSTEM_ACTOR } from '../src/platform/audit/service'
import { prisonerRecordSchema } from '../src/features/prisoners/schema'
import { assertNoRawValues, axeViolations } from './journey'

// Real Chromium over the real app on a loopback port: every page each role may open passes axe (WCAG 2.1 A and
// AA) with no violations, the main journeys work with the keyboard alone, and the pages work without JavaScript.

const world = await seededWorld()
const defs = routeDefsOf(world.app)
const own = world.seeded.MDI
const other = world.seeded.LEI
const ownPrisoner = await world.services.prisoners.get(own.establishmentId, own.prisonNumber)
if (!ownPrisoner) throw new Error('fixture prisoner missing')

const server = world.app.listen(0, '127.0.0.1')
await new Promise<void>(resolve => server.once('listening', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

let browser: Browser | undefined

// A test of its own, so a missing browser counts as a failure in the summary, not only as cancelled tests.
it('Chromium is installed', () => assert.ok(existsSync(CHROMIUM), missingChromium))

before(async () => {
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
  await world.close()
})

function allows(access: Access, role: Role | null): boolean {
  if (access === 'public') return true
  if (role === null) return false
  return access === 'signed-in' || access.includes(role)
}

async function newContext(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  assert.ok(browser, 'Chromium did not start')
  return browser.newContext({ baseURL: base, ...options })
}

/** One line per failing element, so a failure says what to fix and where. */
function describeViolations(violations: AxeResult[]): string {
  return violations
    .map(v => {
      const nodes = v.nodes
        .slice(0, 5)
        .map(
          n =>
            `      at ${n.target.join(' ')}\n        ${n.html.slice(0, 200)}\n        ${(n.failureSummary ?? '').replaceAll('\n', '\n        ')}`,
        )
        .join('\n')
      return `  - ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}`
    })
    .join('\n')
}

async function expectAccessible(page: Page, what: string) {
  await assertNoRawValues(page, what)
  const violations = await axeViolations(page)
  assert.equal(
    violations.length,
    0,
    `${what} (${page.url()}) has ${violations.length} accessibility violation(s):\n${describeViolations(violations)}`,
  )
  assert.equal(await page.locator('h1').count(), 1, `${what} should have exactly one h1`)
}

/**
 * A page is its content (what is inside the width container holding <main>: back link or breadcrumbs, then
 * <main>) inside a frame (head, header, service navigation, context bar, footer). Many page views repeat both: the
 * same content for several roles, and each role's frame on most of its pages (it changes with the navigation item
 * marked current). A fingerprint of each, as the browser has it once the page's scripts ran, with the values that
 * differ on every load (CSRF tokens) and the page title (axe only asks that there is one) left out.
 */
async function fingerprints(page: Page): Promise<{ content: string; frame: string }> {
  const { content, frame } = (await page.evaluate(`(() => {
    const container = document.querySelector('main')?.parentElement ?? document.body
    const whole = document.documentElement.outerHTML
    const inner = container.outerHTML
    return { content: inner, frame: whole.replace(inner, '<!-- content -->').replace(/<title>[^<]*<\\/title>/, '') }
  })()`)) as { content: string; frame: string }
  const hash = (html: string) =>
    crypto
      .createHash('sha256')
      .update(html.replace(/(name="_csrf" value=")[^"]*"/g, '$1"'))
      .digest('hex')
  return { content: hash(content), frame: hash(frame) }
}

/**
 * The parts of a page that pass axe are put together the same way on every page, so the checks that could only
 * fail on how a content and a frame combine are the ones about ids across the two: every id once, and every
 * reference to an id (a label's for, aria-labelledby, aria-describedby, aria-controls) finds it.
 */
async function expectIdsConsistent(page: Page, what: string) {
  const problems = (await page.evaluate(`(() => {
    const out = []
    const seen = new Set()
    for (const el of document.querySelectorAll('[id]')) {
      if (seen.has(el.id)) out.push('id "' + el.id + '" is used more than once')
      seen.add(el.id)
    }
    for (const attr of ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls']) {
      for (const el of document.querySelectorAll('[' + attr + ']')) {
        for (const id of (el.getAttribute(attr) ?? '').split(/\\s+/).filter(Boolean))
          if (!document.getElementById(id)) out.push(attr + '="' + id + '" on <' + el.localName + '> points at no element')
      }
    }
    return out
  })()`)) as string[]
  assert.deepEqual(problems, [], `${what} (${page.url()})`)
  assert.equal(await page.locator('h1').count(), 1, `${what} should have exactly one h1`)
}

// fingerprints of the contents and frames axe has passed, in this file
const checkedContents = new Set<string>()
const checkedFrames = new Set<string>()

/**
 * axe over a page view unless both its content and its frame have passed axe already (on this or another page, as
 * this or another role); then only the checks on how the two combine. Every distinct content and every distinct
 * frame a role can see is checked by axe at least once.
 */
async function expectAccessibleView(page: Page, what: string) {
  await assertNoRawValues(page, what)
  const { content, frame } = await fingerprints(page)
  if (checkedContents.has(content) && checkedFrames.has(frame)) return expectIdsConsistent(page, what)
  await expectAccessible(page, what)
  checkedContents.add(content)
  checkedFrames.add(frame)
}

async function signInThroughForm(page: Page, username: string) {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(url => url.pathname === '/')
}

async function actInMdi(page: Page) {
  await page.selectOption('#switch-establishment', 'MDI')
  await page.getByRole('button', { name: 'Change establishment' }).click()
  await page.waitForURL(url => url.pathname === '/')
}

const contextBar = (page: Page) => page.locator('.app-context-bar__establishment').textContent()

describe('accessibility: signed out', () => {
  let context: BrowserContext
  let page: Page
  before(async () => {
    context = await newContext()
    page = await context.newPage()
  })
  after(() => context?.close())

  it('axe really looks: an unlabelled field is reported', async () => {
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><h1>t</h1><input id="x"></main></html>')
    const violations = await axeViolations(page)
    assert.ok(
      violations.some(v => v.id === 'label'),
      describeViolations(violations) || 'no violations found',
    )
  })

  it('the sign-in page', async () => {
    const res = await page.goto('/sign-in')
    assert.equal(res?.status(), 200)
    await expectAccessible(page, 'sign-in page')
  })

  it('the sign-in page showing its error summary', async () => {
    await page.goto('/sign-in')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    await expectAccessible(page, 'sign-in page with errors')
  })
})

for (const role of ROLES) {
  describe(`accessibility: every page a ${role} may use`, () => {
    let context: BrowserContext
    let page: Page
    before(async () => {
      context = await newContext()
      page = await context.newPage()
      await signInThroughForm(page, usernameFor(role))
      if (role === 'NATIONAL_POLICY') await actInMdi(page)
      assert.match((await contextBar(page)) ?? '', /MDI/)
    })
    after(() => context?.close())

    const pages = defs.filter(d => d.method === 'get' && d.path !== '/sign-in' && allows(d.access, role))
    // a recruitment candidate is scored by its assessors (the SO and admin) and moderated by its moderator (the
    // national user) only: test/access.test.ts ASSESSORS_ONLY and MODERATOR_ONLY
    const notAssigned = (path: string) =>
      role === 'NATIONAL_POLICY'
        ? path === '/recruitment/:campaignId/candidates/:candidateId/score'
        : path === '/recruitment/:campaignId/moderation'
    // a transfer handover is prepared by his Key Worker (the one signed in is not his), an SO or an admin: 404
    const notHisKeyWorker = (path: string) =>
      role === 'KEY_WORKER' && path === '/prisoners/:prisonNumber/handover/prepare'
    for (const def of pages) {
      const path = resolvePath(def.path, own)
      it(`GET ${def.path}`, async () => {
        // the xAPI statements take an establishment's token, never a session: not a page (test/access.test.ts);
        // the API for other services takes a client's bearer token, never a session (decision 019); its OpenAPI
        // document is public JSON
        if (def.path.startsWith('/api/xapi/') || (def.path.startsWith('/api/v1/') && !def.path.endsWith('.json'))) {
          assert.equal((await page.request.get(path)).status(), 401, `GET ${path} as ${role}`)
          return
        }
        // an officer's certificate is theirs: the Key Worker signed in holds none (test/access.test.ts HOLDER_ONLY)
        if (role === 'KEY_WORKER' && def.path === '/training/certificates/:certificateId') {
          assert.equal((await page.request.get(path)).status(), 404, `GET ${path} as ${role}`)
          return
        }
        if (notAssigned(def.path) || notHisKeyWorker(def.path)) {
          assert.equal((await page.request.get(path)).status(), 404, `GET ${path} as ${role}`)
          return
        }
        // a CSV download is not a page (Chromium starts a download instead of navigating)
        if (def.path.endsWith('.csv')) {
          const csv = await page.request.get(path)
          assert.equal(csv.status(), 200, `GET ${path} as ${role}`)
          assert.match(csv.headers()['content-type'] ?? '', /^text\/csv/)
          return
        }
        // a subject access request's downloads (JSON and PDF) are attachments, not pages
        if (/^\/data-protection\/.*\.(json|pdf)$/.test(def.path)) {
          const file = await page.request.get(path)
          assert.equal(file.status(), 200, `GET ${path} as ${role}`)
          assert.match(file.headers()['content-type'] ?? '', /^application\/(json|pdf)/)
          return
        }
        const res = await page.goto(path)
        assert.equal(res?.status(), 200, `GET ${path} as ${role}`)
        // JSON APIs (/api/...) are not pages: nothing for axe to check
        if (!/^text\/html/.test((await res?.headerValue('content-type')) ?? '')) return
        await expectAccessibleView(page, `GET ${path} as ${role}`)
      })

      // Each form on the page, submitted with its text fields cleared, shows the error summary accessibly.
      const formHere =
        !def.path.startsWith('/api/') &&
        !notAssigned(def.path) &&
        !notHisKeyWorker(def.path) &&
        defs.some(d => d.method === 'post' && d.path === def.path && allows(d.access, role))
      if (formHere) {
        it(`GET ${def.path} after an invalid submit`, async () => {
          await page.goto(path)
          const form = page
            .locator(`main form[method="post"]:is(:not([action]), [action=""], [action="${path}"])`)
            .first()
          if ((await form.count()) === 0) return assert.fail(`GET ${path} has no form for POST ${def.path}`)
          const fields = form.locator(
            'input[type="text"], input:not([type]), input[type="email"], input[type="password"], input[type="number"], input[type="tel"], textarea',
          )
          for (let i = 0; i < (await fields.count()); i++) await fields.nth(i).fill('')
          await form.locator('button[type="submit"], button:not([type])').first().click()
          await page
            .locator('.govuk-error-summary')
            .waitFor({ timeout: 10_000 })
            .catch(() => assert.fail(`POST ${def.path} with cleared fields should show the error summary`))
          await expectAccessibleView(page, `${path} showing its errors, as ${role}`)
        })
      }
    }

    it('the page not found page (another establishment’s prisoner)', async () => {
      const res = await page.goto(`/prisoners/${other.prisonNumber}`)
      assert.equal(res?.status(), 404)
      await expectAccessibleView(page, `404 page as ${role}`)
    })

    const forbidden = defs.find(d => d.method === 'get' && !allows(d.access, role))
    if (forbidden) {
      it(`the forbidden page (GET ${forbidden.path})`, async () => {
        const res = await page.goto(resolvePath(forbidden.path, own))
        assert.equal(res?.status(), 403)
        await expectAccessibleView(page, `403 page as ${role}`)
      })
    }
  })
}

/** What has the keyboard focus: its id, link target or text. */
const focusedId = (page: Page) => page.evaluate('document.activeElement?.id ?? ""') as Promise<string>
const focusedHref = (page: Page) =>
  page.evaluate('document.activeElement?.getAttribute("href") ?? ""') as Promise<string>
const focusedText = (page: Page) =>
  page.evaluate('document.activeElement?.textContent?.trim() ?? ""') as Promise<string>

/** Presses Tab until the check passes; fails if it never does, as a keyboard user would be stuck. */
async function tabUntil(page: Page, check: (page: Page) => Promise<boolean>, what: string, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await check(page)) return
  }
  assert.fail(`could not reach ${what} with the Tab key`)
}

describe('keyboard only', () => {
  let context: BrowserContext
  let page: Page
  before(async () => {
    context = await newContext()
    page = await context.newPage()
  })
  after(() => context?.close())

  it('signs in with Tab, typing and Enter', async () => {
    await page.goto('/sign-in')
    await tabUntil(page, async p => (await focusedId(p)) === 'username', 'the username field')
    await page.keyboard.type(usernameFor('KEY_WORKER'))
    await tabUntil(page, async p => (await focusedId(p)) === 'password', 'the password field')
    await page.keyboard.type(PASSWORD)
    await Promise.all([page.waitForURL(url => url.pathname === '/'), page.keyboard.press('Enter')])
    assert.match((await page.locator('h1').textContent()) ?? '', /Key Work in Moorland/)
  })

  it('searches for a prisoner by prison number and opens their page', async () => {
    await tabUntil(page, async p => (await focusedHref(p)) === '/prisoners', 'the link to prisoners')
    await Promise.all([page.waitForURL(url => url.pathname === '/prisoners'), page.keyboard.press('Enter')])
    await tabUntil(page, async p => (await focusedId(p)) === 'q', 'the search field')
    await page.keyboard.type(own.prisonNumber.toLowerCase())
    await Promise.all([page.waitForURL(url => url.searchParams.has('q')), page.keyboard.press('Enter')])
    const target = `/prisoners/${own.prisonNumber}`
    await tabUntil(page, async p => (await focusedHref(p)) === target, 'the prisoner’s link')
    await Promise.all([page.waitForURL(url => url.pathname === target), page.keyboard.press('Enter')])
    assert.equal(await page.locator('h1').textContent(), `${ownPrisoner.first_name} ${ownPrisoner.last_name}`)
  })

  it('switches establishment as a national user', async () => {
    const national = await newContext()
    try {
      const p = await national.newPage()
      await signInThroughForm(p, usernameFor('NATIONAL_POLICY'))
      await actInMdi(p)
      assert.match((await contextBar(p)) ?? '', /MDI/)
      await tabUntil(p, async q => (await focusedId(q)) === 'switch-establishment', 'the establishment switcher')
      // typing on a focused select picks the matching option, as it does for keyboard users
      await p.keyboard.type('Leeds')
      assert.equal(await p.locator('#switch-establishment').inputValue(), 'LEI')
      await tabUntil(p, async q => (await focusedText(q)) === 'Change establishment', 'the change establishment button')
      await p.keyboard.press('Enter')
      await p.locator('.govuk-notification-banner', { hasText: 'You are now working in Leeds' }).waitFor()
      assert.match((await contextBar(p)) ?? '', /Leeds \(HMP\) \(LEI\)/)
    } finally {
      await national.close()
    }
  })
})

describe('without JavaScript', () => {
  it('signs in, searches and opens a prisoner’s page', async () => {
    const context = await newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      await signInThroughForm(page, usernameFor('SUPERVISING_OFFICER'))
      await page.goto('/prisoners')
      await page.getByLabel('Name or prison number').fill(ownPrisoner.last_name)
      await page.getByRole('button', { name: 'Search' }).click()
      await page.waitForURL(url => url.searchParams.get('q') === ownPrisoner.last_name)
      const link = page.getByRole('link', { name: `${ownPrisoner.last_name}, ${ownPrisoner.first_name}` })
      assert.equal(await link.count(), 1)
      await link.click()
      await page.waitForURL(url => url.pathname === `/prisoners/${own.prisonNumber}`)
      assert.equal(await page.locator('h1').textContent(), `${ownPrisoner.first_name} ${ownPrisoner.last_name}`)
      // and signs out again
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(url => url.pathname === '/sign-in')
    } finally {
      await context.close()
    }
  })
})

describe('on a phone (390 × 844)', () => {
  let context: BrowserContext
  let page: Page
  before(async () => {
    // a caseload like the demo's: a few prisoners, long names among them, one who needs an interpreter
    const s = world.services
    const actor = { ...SYSTEM_ACTOR, establishmentId: own.establishmentId }
    const people = [
      ['P3901AA', 'Christopher-Alexander', 'Montgomery-Fitzwilliam', 'pl', 'yes'],
      ['P3902AA', 'Oluwaseun', 'Adebayo-Okonkwo', 'en', 'no'],
    ] as const
    const ids = [ownPrisoner.id]
    for (const [prisonNumber, firstName, lastName, firstLanguage, interpreterNeeded] of people) {
      const record = prisonerRecordSchema.parse({
        prisonNumber,
        firstName,
        lastName,
        dateOfBirth: '3/4/1990',
        receptionDate: '5/1/2026',
        status: 'in',
        complexity: 'low',
        firstLanguage,
        interpreterNeeded,
        nationality: 'British',
        unit: own.unitCode,
        cell: 'A1-01',
      })
      assert.ok((await s.prisoners.create(actor, own.establishmentId, record)).ok, prisonNumber)
      ids.push((await s.prisoners.get(own.establishmentId, prisonNumber))!.id)
    }
    for (const prisonerId of ids)
      await s.db.db
        .insertInto('allocations')
        .values({
          establishment_id: own.establishmentId,
          prisoner_id: prisonerId,
          staff_id: own.staffId,
          allocated_at: '2026-01-06T09:00:00.000Z',
          allocated_by: 'supervising_officer.mdi',
          allocation_reason: 'manual',
          deallocated_at: null,
          deallocated_by: null,
          deallocation_reason: null,
          deallocation_note: null,
          handover_note: null,
        })
        .execute()
    // the Key Worker's account is their staff record, as in the demo
    const kw = await s.db.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', usernameFor('KEY_WORKER'))
      .executeTakeFirstOrThrow()
    await s.db.db.updateTable('staff').set({ user_id: kw.id }).where('id', '=', own.staffId).execute()
    assert.ok(browser, 'Chromium did not start')
    context = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 844 }, isMobile: true })
    page = await context.newPage()
    await signInThroughForm(page, usernameFor('KEY_WORKER'))
  })
  after(() => context?.close())

  const fits = async (path: string) => {
    const res = await page.goto(path)
    assert.equal(res?.status(), 200, path)
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number
    assert.ok(width <= 390, `${path} is ${width} px wide on a 390 px screen: it scrolls sideways`)
    await expectAccessible(page, `${path} on a phone`)
  }

  it('the caseload fits, and every row has a visible "Record a session"', async () => {
    await fits('/caseload')
    const links = page.getByRole('link', { name: /^Record a session/ })
    assert.equal(await links.count(), 3)
    for (let i = 0; i < 3; i++) assert.ok(await links.nth(i).isVisible(), `row ${i + 1}: Record a session is visible`)
    const box = await links.nth(0).boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the link is on the screen')
  })

  it('"My sessions" fits', () => fits('/my-sessions'))

  it('the referrals fit', async () => {
    await fits('/referrals')
    assert.ok(
      await page
        .getByRole('link', { name: /Referral|\w+ \w+/ })
        .first()
        .isVisible(),
    )
  })

  it('the prisoner page fits, and its "Record a session" is visible', async () => {
    await fits(`/prisoners/${own.prisonNumber}`)
    assert.ok(await page.getByRole('button', { name: 'Record a session' }).isVisible())
  })
})

describe('the menu at 1,280 px', () => {
  /** The top of each menu item, in the order shown; all equal when the menu is one row. */
  const tops = (page: Page) =>
    page.evaluate(
      `[...document.querySelectorAll('.govuk-service-navigation__item')].map(li => Math.round(li.getBoundingClientRect().top))`,
    ) as Promise<number[]>
  const items = (page: Page) =>
    page.evaluate(
      `[...document.querySelectorAll('.govuk-service-navigation__item')].map(li => li.textContent.trim())`,
    ) as Promise<string[]>

  for (const role of ROLES) {
    it(`is one row for a ${role}`, async () => {
      assert.ok(browser, 'Chromium did not start')
      const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } })
      try {
        const page = await context.newPage()
        await signInThroughForm(page, usernameFor(role))
        if (role === 'NATIONAL_POLICY') {
          // the national team lands on the national overview, in no establishment yet
          assert.equal(await page.locator('h1').textContent(), 'National overview')
          assert.equal(await page.locator('.app-context-bar__establishment').count(), 0)
          assert.ok((await page.locator('#establishments-overview tbody tr').count()) >= 2)
          const row = await tops(page)
          assert.ok(row.length > 1 && row.every(t => t === row[0]), `menu of ${role} before choosing: ${row}`)
          await expectAccessible(page, 'the national overview')
          await actInMdi(page)
        }
        const row = await tops(page)
        assert.ok(row.length > 1 && row.every(t => t === row[0]), `menu of ${role} on two rows: tops ${row}`)
        if (role === 'ESTABLISHMENT_ADMIN') {
          const names = await items(page)
          assert.ok(names.includes('Import'), `admin menu: ${names}`)
          assert.ok(names.includes('Referrals'), `admin menu: ${names}`)
        }
      } finally {
        await context.close()
      }
    })
  }
})
