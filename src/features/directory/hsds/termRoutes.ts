import type { Response } from 'express'
import { PATHWAYS, isPathwayCode } from '../../../domain/pathways'
import { flash, redirectWithErrors, takeForm } from '../../../forms/forms'
import type { Services } from '../../../services'
import { HttpError } from '../../../web/errors'
import { actorOf, establishmentOf, hasRole } from '../../../web/context'
import { type RouteDef, get, param, post } from '../../../web/routing'
import type { TermScope } from './termMapping'

const MAPPERS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A national policy user maps for the national directory; an establishment admin for their establishment's. */
function scopeOf(res: Response): TermScope {
  const establishmentId = establishmentOf(res).id
  return { owner: hasRole(res, 'NATIONAL_POLICY') ? null : establishmentId, establishmentId }
}

/** The terms of other taxonomies that imports brought, and the pathway each is mapped to (termMapping.ts). */
export function termRoutes(s: Services): RouteDef[] {
  return [
    get('/directory/taxonomy-terms', MAPPERS, async (req, res) => {
      const scope = scopeOf(res)
      const owner = scope.owner
      const { errorList } = takeForm(req, {})
      const terms = await s.hsds.termMapping.list(scope)
      res.render('directory/hsds/views/taxonomy-terms', {
        pageTitle: 'Map taxonomy terms to pathways',
        directoryName: owner === null ? 'the national directory' : `the directory of ${establishmentOf(res).name}`,
        terms,
        unmapped: terms.filter(t => t.pathway === null).length,
        pathways: PATHWAYS,
        errorList,
      })
    }),

    post('/directory/taxonomy-terms/:termId', MAPPERS, async (req, res) => {
      const termId = param(req, 'termId')
      if (!UUID.test(termId)) throw new HttpError(404)
      const scope = scopeOf(res)
      if (!(await s.hsds.termMapping.visible(scope, termId))) throw new HttpError(404)
      const body = (req.body ?? {}) as Record<string, unknown>
      const pathway = body.pathway
      if (pathway !== '' && !(typeof pathway === 'string' && isPathwayCode(pathway)))
        return redirectWithErrors(req, res, { [`pathway-${termId}`]: 'Select a pathway' }, '/directory/taxonomy-terms')
      const result = await s.hsds.termMapping.map(actorOf(res), scope, termId, pathway === '' ? null : pathway)
      if (result === 'not-found') throw new HttpError(404)
      if (result === 'forbidden') throw new HttpError(403)
      flash(req, pathway === '' ? 'The term is no longer mapped to a pathway' : 'The term is mapped to the pathway')
      res.redirect(303, `/directory/taxonomy-terms#term-${termId}`)
    }),
  ]
}
