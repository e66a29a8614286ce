// The MoJ case notes service over HTTP (ministryofjustice/offender-case-notes, CaseNoteController):
//   POST /case-notes/{personIdentifier}               CreateCaseNoteRequest → 201 CaseNote { caseNoteId, … }
//   PUT  /case-notes/{personIdentifier}/{caseNoteId}  AmendCaseNoteRequest { text } → CaseNote
//   GET  /case-notes/{personIdentifier}?type&subType&startDate&endDate → a page { content: CaseNote[] }
//   GET  /case-notes/{personIdentifier}/{caseNoteId}  → CaseNote { amendments: [{ additionalNoteText }] }
// each with the establishment as the CaseloadId header and a client-credentials token from HMPPS Auth. Every request
// that writes carries the row's Idempotency-Key header, the same on every retry.
import type { CaseNotesConfig, HmppsAuthConfig } from '../../config'
import type { AmendCaseNote, CreateCaseNote } from '../../domain/caseNotes'

/** An answer: its status and JSON body; or none (status null) with why, in words without personal data. */
export type Answer = { status: number; body: unknown } | { status: null; error: string }

/** A case note as the service returns it (the fields keywork reads). */
export interface ApiCaseNote {
  caseNoteId: string
  type?: string
  subType?: string
  occurrenceDateTime?: string
  text?: string
  amendments?: { additionalNoteText?: string }[]
}

export const REQUEST_TIMEOUT_MS = 15_000

export interface CaseNotesClient {
  create(prisonNumber: string, caseloadId: string, note: CreateCaseNote, key: string): Promise<Answer>
  amend(prisonNumber: string, caseNoteId: string, caseloadId: string, body: AmendCaseNote, key: string): Promise<Answer>
  /** the prisoner's key work notes of this subtype that happened at exactly this time */
  find(prisonNumber: string, caseloadId: string, note: CreateCaseNote): Promise<Answer>
  get(prisonNumber: string, caseNoteId: string, caseloadId: string): Promise<Answer>
}

export function caseNotesClient(api: CaseNotesConfig, auth: HmppsAuthConfig): CaseNotesClient {
  let token: { value: string; until: number } | null = null

  async function bearer(): Promise<{ token: string } | { status: null; error: string }> {
    if (token && token.until > Date.now()) return { token: token.value }
    const basic = Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')
    let res: Response
    try {
      res = await fetch(`${auth.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      })
    } catch (err) {
      return { status: null, error: `HMPPS Auth: ${failure(err)}` }
    }
    const body = (await res.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null
    if (!res.ok || typeof body?.access_token !== 'string')
      return { status: null, error: `HMPPS Auth answered ${res.status}: no token` }
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 300
    token = { value: body.access_token, until: Date.now() + Math.max(0, seconds - 60) * 1000 }
    return { token: token.value }
  }

  async function call(method: string, path: string, caseloadId: string, body?: unknown, key?: string): Promise<Answer> {
    const t = await bearer()
    if (!('token' in t)) return t
    let res: Response
    try {
      res = await fetch(`${api.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${t.token}`,
          accept: 'application/json',
          CaseloadId: caseloadId,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key ? { 'Idempotency-Key': key } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      })
    } catch (err) {
      return { status: null, error: failure(err) }
    }
    // a token the service no longer accepts is fetched afresh next time
    if (res.status === 401) token = null
    let json: unknown = null
    try {
      const text = await res.text()
      json = text ? JSON.parse(text) : null
    } catch (err) {
      // the body broke off or is not JSON: for a success, the answer is as unknown as no answer
      if (res.ok) return { status: null, error: failure(err) }
    }
    return { status: res.status, body: json }
  }

  const person = (prisonNumber: string) => `/case-notes/${encodeURIComponent(prisonNumber)}`
  return {
    create: (prisonNumber, caseloadId, note, key) => call('POST', person(prisonNumber), caseloadId, note, key),
    amend: (prisonNumber, caseNoteId, caseloadId, body, key) =>
      call('PUT', `${person(prisonNumber)}/${encodeURIComponent(caseNoteId)}`, caseloadId, body, key),
    find: (prisonNumber, caseloadId, note) => {
      const q = new URLSearchParams({
        type: note.type,
        subType: note.subType,
        startDate: note.occurrenceDateTime,
        endDate: note.occurrenceDateTime,
        size: '100',
      })
      return call('GET', `${person(prisonNumber)}?${q.toString()}`, caseloadId)
    },
    get: (prisonNumber, caseNoteId, caseloadId) =>
      call('GET', `${person(prisonNumber)}/${encodeURIComponent(caseNoteId)}`, caseloadId),
  }
}

/** Why a request had no answer, in words that quote nothing of the request. */
function failure(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer in time'
  const code = e?.cause?.code
  return code ? `no answer (${code})` : 'no answer (the connection failed)'
}
