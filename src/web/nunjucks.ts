import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import type express from 'express'
import nunjucks from 'nunjucks'
import { formatDate } from '../domain/dates'
import { languageName } from '../domain/languages'
import { ROLE_NAMES, type Role } from '../domain/roles'

const require = createRequire(import.meta.url)
export const govukDir = path.dirname(require.resolve('govuk-frontend/package.json'))
export const mojDir = path.dirname(require.resolve('@ministryofjustice/frontend/package.json'))
export const srcDir = path.resolve(import.meta.dirname, '..')

export function setUpNunjucks(app: express.Express, cacheTemplates: boolean) {
  const env = nunjucks.configure(
    [path.join(srcDir, 'web', 'views'), path.join(srcDir, 'features'), path.join(govukDir, 'dist'), mojDir],
    { autoescape: true, express: app, noCache: !cacheTemplates, throwOnUndefined: false },
  )
  app.set('view engine', 'njk')
  env.addFilter('date', (v: string | null | undefined) => formatDate(v))
  env.addFilter('language', (v: string) => languageName(v))
  env.addFilter('roleName', (v: string) => ROLE_NAMES[v as Role] ?? v)
  env.addFilter('yesNo', (v: unknown) => (v ? 'Yes' : 'No'))
  const numbers = new Intl.NumberFormat('en-GB') // one formatter: toLocaleString makes a new one each time
  env.addFilter('number', (v: number) => (typeof v === 'number' ? numbers.format(v) : v))
  env.addGlobal('serviceName', 'Key Work')
  // whether a menu item is the current section: its own path (the home page only exactly) or one of its other paths
  env.addFilter('inSection', (current: string, href: string, also: string[] = []) =>
    href === '/' ? current === '/' : [href, ...also].some(prefix => current.startsWith(prefix)),
  )
  registerGovukMacros(env)
  // The header and footer are the same on every page: render them once.
  env.addGlobal(
    'govukHeaderHtml',
    new nunjucks.runtime.SafeString(env.renderString('{{ govukHeader({ homepageUrl: "/" }) }}', {})),
  )
  env.addGlobal(
    'govukFooterHtml',
    new nunjucks.runtime.SafeString(
      env.renderString('{{ govukFooter({ meta: { items: [{ href: "/status", text: "Service status" }] } }) }}', {}),
    ),
  )
  return env
}

/**
 * Makes every GOV.UK Frontend macro (govukInput, govukTable, …) a global, loaded once at start-up.
 * A `{% from … import %}` in a template re-runs the macro file on every render, which cost most of a page's
 * render time; globals cost nothing per request.
 */
function registerGovukMacros(env: nunjucks.Environment) {
  const componentsDir = path.join(govukDir, 'dist', 'govuk', 'components')
  for (const dir of fs.readdirSync(componentsDir)) {
    if (!fs.existsSync(path.join(componentsDir, dir, 'macro.njk'))) continue
    const template = env.getTemplate(`govuk/components/${dir}/macro.njk`, true) as nunjucks.Template & {
      getExported(cb: (err: Error | null, exported: Record<string, unknown>) => void): void
    }
    template.getExported((err: Error | null, exported: Record<string, unknown>) => {
      if (err) throw err
      for (const [name, macro] of Object.entries(exported)) env.addGlobal(name, macro)
    })
  }
}
