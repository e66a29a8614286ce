import type { Response } from 'express'
import type { Services } from '../../services'
import { PATHWAYS, isPathwayCode, pathwayName } from '../../domain/pathways'
import { REDACTION_NAMES } from '../../domain/redact'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { decisionSchema, nominationSchema } from './schema'
import { STATUS_NAMES, pathwayCodes } from './service'

/** Every signed-in role reads the library; Supervising Officers nominate; the national team reviews and publishes. */
const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const NOMINATORS = ['SUPERVISING_OFFICER'] as const
const REVIEWERS = ['NATIONAL_POLICY'] as const

/** Paragraphs of a text, for pages: blank lines separate them, single line breaks stay within. */
const paragraphs = (text: string | null) =>
  (text ?? '')
    .split(/\n\s*\n/)
    .map(p => p.trim())
    .filter(Boolean)
    .map(p => p.split('\n'))

const pathwayList = (codes: string) => pathwayCodes(codes).map(pathwayName)

/**
 * Whose nominations a reviewer sees and decides: the national team every establishment's, in one list, without
 * changing establishment (the library is national); anyone else only those of the establishment acted in.
 */
const reviewScope = (res: Response): number | null => (hasRole(res, 'NATIONAL_POLICY') ? null : establishmentOf(res).id)

const sessionParam = (v: string) => (/^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : null)

export function goodPracticeRoutes(s: Services): RouteDef[] {
  return [
    get('/good-practice', READERS, async (req, res) => {
      const param = queryString(req, 'pathway')
      const pathway = isPathwayCode(param) ? param : null
      const items = await s.goodPractice.library(pathway)
      res.render('goodPractice/views/library', {
        pageTitle: 'Good-practice library',
        items: items.map(i => ({ ...i, pathwayNames: pathwayList(i.pathways), excerpt: excerpt(i.text) })),
        pathway,
        pathwayName: pathway ? pathwayName(pathway) : null,
        pathways: PATHWAYS,
        canReview: hasRole(res, ...REVIEWERS),
      })
    }),

    get('/good-practice/nominate', NOMINATORS, async (req, res) => {
      const est = establishmentOf(res)
      const sessionId = sessionParam(queryString(req, 'session'))
      // without an entry: a form asking for its number (the entry's page links here with it filled in)
      if (sessionId === null)
        return res.render('goodPractice/views/nominate', {
          pageTitle: 'Nominate an entry for the good-practice library',
          entry: null,
          ...takeForm(req, { session: '', reason: '' }),
        })
      const entry = await s.goodPractice.entry(est.id, sessionId)
      if (!entry || entry.status !== 'submitted') throw new HttpError(404)
      await auditView(s.audit, res, {
        entity: 'key_work_session',
        entityId: entry.id,
        details: { prisonNumber: entry.prison_number },
      })
      res.render('goodPractice/views/nominate', {
        pageTitle: 'Nominate an entry for the good-practice library',
        entry,
        paragraphs: paragraphs(entry.text),
        pathwayNames: pathwayList(entry.pathways),
        ...takeForm(req, { session: String(entry.id), reason: '' }),
      })
    }),

    post('/good-practice/nominate', NOMINATORS, async (req, res) => {
      const est = establishmentOf(res)
      const body = req.body as Record<string, unknown>
      const sessionId = sessionParam(typeof body.session === 'string' ? body.session.trim() : '')
      // back to the entry's form when it is one that may be nominated, else to the form that asks for its number
      const entry = sessionId === null ? null : await s.goodPractice.entry(est.id, sessionId)
      const back =
        entry?.status === 'submitted' ? `/good-practice/nominate?session=${entry.id}` : '/good-practice/nominate'
      const form = parseForm(nominationSchema, body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
      const r = await s.goodPractice.nominate(actorOf(res), est.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      flash(
        req,
        'Entry nominated: the national team will review it, and remove names, dates and places, before publishing',
      )
      res.redirect(303, `/sessions/${form.data.session}`)
    }),

    get('/good-practice/nominations', REVIEWERS, async (_req, res) => {
      const scope = reviewScope(res)
      const { rows, waiting } = await s.goodPractice.nominations(scope)
      await auditView(s.audit, res, { entity: 'good_practice_list', details: { nominations: rows.map(r => r.id) } })
      res.render('goodPractice/views/nominations', {
        pageTitle: 'Nominations to the good-practice library',
        rows,
        national: scope === null,
        waiting: scope === null ? waiting : waiting.filter(w => w.id === scope),
        statuses: STATUS_NAMES,
      })
    }),

    get('/good-practice/nominations/:nominationId', REVIEWERS, async (req, res) => {
      const id = intParam(req, 'nominationId')
      const review = await s.goodPractice.review(reviewScope(res), id)
      if (!review) throw new HttpError(404)
      await auditView(s.audit, res, {
        entity: 'good_practice_nomination',
        entityId: id,
        details: { shown: prisonNumbersIn(review.entry) },
      })
      const { nomination, redacted } = review
      const counts = Object.entries(REDACTION_NAMES)
        .map(([kind, name]) => ({ name, n: redacted.removals.filter(r => r.kind === kind).length }))
        .filter(c => c.n > 0)
      res.render('goodPractice/views/review', {
        pageTitle: 'Review a nomination',
        ...review,
        original: paragraphs(review.original),
        redactedParagraphs: redactedParagraphs(redacted.segments),
        counts,
        kindNames: REDACTION_NAMES,
        pathwayNames: review.pathways.map(pathwayName),
        statuses: STATUS_NAMES,
        canDecide: nomination.status === 'nominated',
        ...takeForm(req, { decision: '', title: review.suggestedTitle, text: redacted.text, note: '' }),
      })
    }),

    post('/good-practice/nominations/:nominationId', REVIEWERS, async (req, res) => {
      const scope = reviewScope(res)
      const id = intParam(req, 'nominationId')
      const review = await s.goodPractice.review(scope, id)
      if (!review) throw new HttpError(404)
      const form = parseForm(decisionSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.goodPractice.decide(actorOf(res), scope, id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      if (form.data.decision === 'publish')
        flash(
          req,
          r.value.further
            ? `Published to the library. ${r.value.further} more ${r.value.further === 1 ? 'name, date or place was' : 'names, dates or places were'} removed from what you wrote.`
            : 'Published to the good-practice library',
        )
      else flash(req, 'Nomination declined')
      res.redirect(303, '/good-practice/nominations')
    }),

    get('/good-practice/:goodPracticeId', READERS, async (req, res) => {
      const item = await s.goodPractice.item(intParam(req, 'goodPracticeId'))
      if (!item) throw new HttpError(404)
      res.render('goodPractice/views/item', {
        pageTitle: item.title ?? 'Good practice',
        item,
        paragraphs: paragraphs(item.text),
        pathways: pathwayCodes(item.pathways).map(code => ({ code, name: pathwayName(code) })),
      })
    }),
  ]
}

function excerpt(text: string | null, max = 220): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim()
  return t.length > max ? `${t.slice(0, max).replace(/\s+\S*$/, '')}…` : t
}

/** The redacted text's segments split into paragraphs and lines, each removal kept as a marked segment. */
function redactedParagraphs(segments: { text: string; kind?: string; original?: string }[]) {
  type Seg = { text: string; kind?: string; original?: string }
  const out: Seg[][][] = [[[]]]
  for (const seg of segments) {
    if (seg.kind) {
      out.at(-1)!.at(-1)!.push(seg)
      continue
    }
    const pieces = seg.text.split(/(\n)/)
    for (const piece of pieces) {
      if (piece !== '\n') {
        if (piece) out.at(-1)!.at(-1)!.push({ text: piece })
        continue
      }
      const para = out.at(-1)!
      const line = para.at(-1)!
      // a second line break in a row ends the paragraph
      if (line.length === 0 && para.length > 1) {
        para.pop()
        out.push([[]])
      } else para.push([])
    }
  }
  return out.map(p => p.filter(l => l.length)).filter(p => p.length)
}
