import assert from 'node:assert/strict'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import supertest from 'supertest'
import { loadConfig } from '../../config'
import { buildServices } from '../../services'
import { createApp } from '../../app'
import { Browser, createUser, testServices } from '../../../test/harness'
import { launchChromium } from '../../../test/chromium'
import { axeViolations } from '../../../test/journey'

// The footer's "Service status" leads to a page for people (/status); /health stays JSON for load balancers.

const root = path.resolve(import.meta.dirname, '../../..')
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
const services = await testServices()
after(() => services.close())
const app = createApp(services)

/** The same app over a PostgreSQL server that is not there: every query fails, as when the database is down. */
function appWithoutDatabase() {
  const down = buildServices({
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    database: { kind: 'postgres', url: 'postgres://keywork@127.0.0.1:9/nowhere' },
  })
  return { app: createApp(down), close: () => down.close() }
}

describe('the service status page', () => {
  it('is linked from the footer of every page instead of raw JSON', async () => {
    const page = await supertest(app).get('/sign-in')
    const footer = /class="govuk-footer"[\s\S]*/.exec(page.text)?.[0] ?? ''
    assert.match(footer, /<a class="govuk-footer__link" href="\/status">\s*Service status\s*<\/a>/)
    assert.doesNotMatch(footer, /href="\/(ping|health)"/)
  })

  it('tells anyone, signed in or not, that the service and its database work, and the version', async () => {
    const res = await supertest(app).get('/status')
    assert.equal(res.status, 200)
    assert.match(res.headers['content-type'] ?? '', /^text\/html/)
    assert.match(res.text, /<h1 class="govuk-heading-l">Service status<\/h1>/)
    assert.match(res.text, /Key Work is working normally/)
    assert.match(
      res.text,
      /Database\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*<strong class="govuk-tag govuk-tag--green">Working/,
    )
    assert.match(
      res.text,
      new RegExp(`Version\\s*</dt>\\s*<dd class="govuk-summary-list__value">\\s*${version}\\s*</dd>`),
    )
    assert.match(res.text, /<title>Service status - Key Work - GOV.UK<\/title>/)

    await createUser(services, 'status.reader', [])
    const b = new Browser(app)
    await b.signIn('status.reader')
    const signedIn = await b.get('/status')
    assert.equal(signedIn.status, 200)
    assert.match(signedIn.text, /Key Work is working normally/)
  })

  it('says plainly when the database cannot be reached, with a 503', async () => {
    const down = appWithoutDatabase()
    try {
      const res = await supertest(down.app).get('/status')
      assert.equal(res.status, 503)
      assert.match(res.headers['content-type'] ?? '', /^text\/html/)
      assert.match(res.text, /Key Work cannot reach its database/)
      assert.match(res.text, /<strong class="govuk-tag govuk-tag--red">Not working<\/strong>/)
      assert.doesNotMatch(res.text, /working normally/)
    } finally {
      await down.close()
    }
  })

  it('leaves /health as JSON for load balancers', async () => {
    const res = await supertest(app).get('/health')
    assert.equal(res.status, 200)
    assert.match(res.headers['content-type'] ?? '', /^application\/json/)
    assert.equal((res.body as { status: string }).status, 'UP')
  })
})

describe('the service status page in Chromium', () => {
  let server: ReturnType<typeof app.listen>
  let downServer: ReturnType<typeof app.listen>
  let down: ReturnType<typeof appWithoutDatabase>
  let browser: Awaited<ReturnType<typeof launchChromium>>
  const base = (s: typeof server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`
  before(async () => {
    server = app.listen(0, '127.0.0.1')
    down = appWithoutDatabase()
    downServer = down.app.listen(0, '127.0.0.1')
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    for (const s of [server, downServer]) {
      s.closeAllConnections()
      await new Promise(resolve => s.close(resolve))
    }
    await down.close()
  })

  for (const [what, which] of [
    ['working', () => server],
    ['without its database', () => downServer],
  ] as const) {
    it(`passes axe (WCAG 2.1 A and AA) ${what}`, async () => {
      const page = await browser.newPage()
      try {
        const res = await page.goto(`${base(which())}/status`)
        assert.equal(res?.status(), what === 'working' ? 200 : 503)
        await page.getByRole('heading', { name: 'Service status' }).waitFor()
        const violations = await axeViolations(page)
        assert.deepEqual(
          violations.map(v => `${v.id}: ${v.help}`),
          [],
        )
      } finally {
        await page.close()
      }
    })
  }
})
