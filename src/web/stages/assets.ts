import path from 'node:path'
import express, { type Express } from 'express'
import type { Services } from '../../services'
import { govukDir, mojDir, srcDir } from '../nunjucks'

/**
 * 4. Static assets, before sessions: a stylesheet or a font needs no session read. Cached as in production except
 * in development, where an edited stylesheet must show on the next load (the browser tests load ~300 pages: without
 * the cache each one revalidated its 7 assets). Nothing after them may be kept by a browser or a proxy: pages, PDFs,
 * CSVs and the API are personal.
 */
export function staticAssets(app: Express, services: Services) {
  const cache = { maxAge: services.config.env === 'development' ? 0 : '7d' }
  app.use('/assets', express.static(path.join(govukDir, 'dist', 'govuk', 'assets'), cache))
  app.use('/assets/moj', express.static(path.join(mojDir, 'moj', 'assets'), cache))
  app.use('/static/govuk', express.static(path.join(govukDir, 'dist', 'govuk'), { ...cache, index: false }))
  app.use('/static/moj', express.static(path.join(mojDir, 'moj'), { ...cache, index: false }))
  app.use('/static/app', express.static(path.join(srcDir, 'web', 'public'), cache))
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store')
    next()
  })
}
