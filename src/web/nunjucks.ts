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

export function setUpNunjucks(app: express.Express, production: boolean) {
  const env = nunjucks.configure(
    [path.join(srcDir, 'web', 'views'), path.join(srcDir, 'features'), path.join(govukDir, 'dist'), mojDir],
    { autoescape: true, express: app, noCache: !production, throwOnUndefined: false },
  )
  app.set('view engine', 'njk')
  env.addFilter('date', (v: string | null | undefined) => formatDate(v))
  env.addFilter('language', (v: string) => languageName(v))
  env.addFilter('roleName', (v: string) => ROLE_NAMES[v as Role] ?? v)
  env.addFilter('yesNo', (v: unknown) => (v ? 'Yes' : 'No'))
  env.addFilter('number', (v: number) => (typeof v === 'number' ? v.toLocaleString('en-GB') : v))
  env.addGlobal('serviceName', 'Key Work')
  return env
}
