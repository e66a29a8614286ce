import type { Request } from 'express'
import { type EntryForm, textOf } from '../../domain/sessionEntry'
import { entryFormOf } from './schema'

/** The entry form's posts: a draft save and a submit. */
const ENTRY_POST = /^\/sessions\/(\d{1,9})\/(draft|submit)$/
/** the most a kept form may weigh in the session (the body limit is 200 kB; a full entry is far less) */
const MAX_KEPT_CHARS = 150_000

/**
 * An entry form posted after the sign-in expired: keeps what was typed in the (new, signed-out) session, to show on
 * the form's page once signed in, and answers that page. Nothing is saved: the officer sends the form again, with a
 * fresh token. Null for any other request.
 */
export function keepUnsavedEntry(req: Request): string | null {
  const m = req.method === 'POST' ? ENTRY_POST.exec(req.path) : null
  if (!m) return null
  const page = `/sessions/${m[1]}/edit`
  const values = entryFormOf(req.body)
  if (JSON.stringify(values).length <= MAX_KEPT_CHARS) req.session.unsaved = { page, values }
  return page
}

/**
 * The kept form of this draft, once (taken from the session), or null. Only the form of this very draft: its client
 * key (a random value only the draft's own page holds) must match, so a form posted from elsewhere is never shown.
 */
export function takeUnsavedEntry(req: Request, row: { id: number; client_key: string | null }): EntryForm | null {
  const kept = req.session.unsaved
  if (!kept || kept.page !== `/sessions/${row.id}/edit`) return null
  delete req.session.unsaved
  const form = kept.values as EntryForm
  return row.client_key && textOf(form, 'client_key') === row.client_key ? form : null
}
