import type { Services } from '../../services'
import { FLAG_KINDS, FLAG_OUTCOMES, isFlagKind, reasonOf } from '../../domain/integrity'
import { formatDate } from '../../domain/dates'
import { sharedPassages } from '../../domain/nearDuplicates'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { pagination } from '../../web/pagination'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { resolveFlagSchema } from './schema'
import { PAGE_SIZE } from './service'

// Integrity flags: the Supervising Officer looks at each, resolves it with an outcome and a note; the establishment
// admin and the national team read them. A flag is a question to look into, never a sanction.
const READERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const RESOLVERS = ['SUPERVISING_OFFICER'] as const
const STATUSES = { open: 'Open', resolved: 'Resolved' } as const

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** A narrative as HTML with the word ranges given marked (<mark>), everything escaped. */
export function markedHtml(text: string, ranges: [number, number][]): string {
  const words = text.split(/\s+/).filter(Boolean)
  const on = new Uint8Array(words.length)
  for (const [from, to] of ranges) on.fill(1, from, to)
  let html = ''
  words.forEach((w, i) => {
    if (on[i] && (i === 0 || !on[i - 1])) html += '<mark>'
    html += escapeHtml(w)
    if (on[i] && (i === words.length - 1 || !on[i + 1])) html += '</mark>'
    if (i < words.length - 1) html += ' '
  })
  return html
}

const parseEvidence = (e: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(e) as unknown
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** The ids of the entries a flag is about: its own, the other, and those its evidence lists. */
function sessionIdsOf(
  flag: { session_id: number; other_session_id: number | null },
  evidence: Record<string, unknown>,
) {
  const ids = new Set<number>([flag.session_id])
  if (flag.other_session_id !== null) ids.add(flag.other_session_id)
  const listed = Array.isArray(evidence.sessions) ? evidence.sessions : []
  for (const s of listed.slice(0, 50)) {
    const id = typeof s === 'number' ? s : Number((s as { id?: unknown })?.id)
    if (Number.isInteger(id)) ids.add(id)
  }
  return [...ids].sort((a, b) => a - b)
}

export function integrityRoutes(s: Services): RouteDef[] {
  return [
    get('/quality/flags', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const statusParam = queryString(req, 'status')
      const status = statusParam === 'open' || statusParam === 'resolved' ? statusParam : undefined
      const kindParam = queryString(req, 'kind')
      const kind = isFlagKind(kindParam) ? kindParam : undefined
      const page = Math.max(1, Math.min(10_000, Number(queryString(req, 'page')) || 1))
      const { rows, total } = await s.integrity.list({
        establishmentId: est.id,
        ...(status ? { status } : {}),
        ...(kind ? { kind } : {}),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      })
      await auditView(s.audit, res, {
        entity: 'integrity_flag_list',
        details: {
          ...(status ? { status } : {}),
          ...(kind ? { kind } : {}),
          page,
          flags: rows.map(r => r.id),
          shown: prisonNumbersIn(rows),
        },
      })
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
      const link = (p: number) => {
        const params = new URLSearchParams({ page: String(p) })
        if (status) params.set('status', status)
        if (kind) params.set('kind', kind)
        return `/quality/flags?${params}`
      }
      res.render('integrity/views/list', {
        pageTitle: 'Integrity flags',
        flags: rows.map(r => ({ ...r, reason: reasonOf(r.kind, parseEvidence(r.evidence), formatDate) })),
        total,
        pages,
        pagination: pagination(page, pages, link),
        filters: { status: status ?? '', kind: kind ?? '' },
        kinds: FLAG_KINDS,
        outcomes: FLAG_OUTCOMES,
        statuses: STATUSES,
        canScan: hasRole(res, ...RESOLVERS),
      })
    }),

    get('/quality/flags/:flagId', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const flagId = intParam(req, 'flagId')
      const flag = await s.integrity.get(est.id, flagId)
      if (!flag) throw new HttpError(404)
      const evidence = parseEvidence(flag.evidence)
      const entries = await s.integrity.entries(est.id, sessionIdsOf(flag, evidence))
      await auditView(s.audit, res, {
        entity: 'integrity_flag',
        entityId: flagId,
        details: { sessions: entries.map(e => e.id), shown: prisonNumbersIn(entries) },
      })
      // near-duplicates: the two narratives side by side, the passages they share marked
      let sideBySide = null
      if (flag.kind === 'near_duplicate' && flag.other_session_id !== null) {
        const a = entries.find(e => e.id === flag.other_session_id)
        const b = entries.find(e => e.id === flag.session_id)
        if (a && b) {
          const textOf = (e: typeof a) => [e.prisoner_words ?? '', e.agreed ?? ''].filter(t => t.trim()).join('\n')
          const shared = sharedPassages(textOf(a), textOf(b))
          sideBySide = [
            { entry: a, html: markedHtml(textOf(a), shared.a) },
            { entry: b, html: markedHtml(textOf(b), shared.b) },
          ]
        }
      }
      res.render('integrity/views/show', {
        pageTitle: `${FLAG_KINDS[flag.kind as keyof typeof FLAG_KINDS] ?? 'Integrity flag'}: ${flag.prisoner_first_name} ${flag.prisoner_last_name}`,
        flag,
        kindName: FLAG_KINDS[flag.kind as keyof typeof FLAG_KINDS] ?? 'Integrity flag',
        reason: reasonOf(flag.kind, evidence, formatDate),
        entries,
        sideBySide,
        outcomes: FLAG_OUTCOMES,
        canResolve: hasRole(res, ...RESOLVERS) && flag.status === 'open',
        ...takeForm(req, { outcome: '', note: '' }),
      })
    }),

    post('/quality/flags/scan', RESOLVERS, async (req, res) => {
      const est = establishmentOf(res)
      const r = await s.integrity.scan(est.id, actorOf(res))
      flash(
        req,
        `Every submitted entry was checked: ${r.raised === 0 ? 'no new flags' : r.raised === 1 ? '1 new flag' : `${r.raised} new flags`}`,
      )
      res.redirect(303, '/quality/flags')
    }),
    post('/quality/flags/:flagId', RESOLVERS, async (req, res) => {
      const est = establishmentOf(res)
      const flagId = intParam(req, 'flagId')
      if (!(await s.integrity.get(est.id, flagId))) throw new HttpError(404)
      const form = parseForm(resolveFlagSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.integrity.resolve(actorOf(res), est.id, flagId, form.data)
      if (r === 'not-found') throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Flag resolved')
      res.redirect(303, `/quality/flags/${flagId}`)
    }),
  ]
}
