import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local stand-in for HMPPS Auth and the MoJ case notes service (ministryofjustice/offender-case-notes), following
 * the published API as keywork uses it:
 *   POST /auth/oauth/token (client credentials, HTTP Basic) → { access_token, expires_in }
 *   POST /case-notes/{personIdentifier}       { locationId, type, subType, occurrenceDateTime, text, systemGenerated }
 *                                             → 201 CaseNote { caseNoteId, offenderIdentifier, type, subType, … }
 *   PUT  /case-notes/{personIdentifier}/{id}  { text } → 200 CaseNote, the text appended as an amendment
 *   GET  /case-notes/{personIdentifier}?type&subType&startDate&endDate → { content: CaseNote[] }
 *   GET  /case-notes/{personIdentifier}/{id}  → CaseNote, 404 when unknown
 * Like the published API it knows nothing of an Idempotency-Key: a repeated request writes again (so a test proves
 * keywork does not repeat one). `plan` scripts the next writes: a status to answer without writing, or 'drop' to
 * write the note and then cut the connection before answering.
 */
export type Step = number | 'drop'

export interface FakeNote {
  caseNoteId: string
  offenderIdentifier: string
  type: string
  subType: string
  occurrenceDateTime: string
  text: string
  locationId: string
  systemGenerated: boolean
  amendments: { additionalNoteText: string; creationDateTime: string }[]
}

export interface Seen {
  method: string
  path: string
  caseloadId: string | undefined
  idempotencyKey: string | undefined
  authorization: string | undefined
  body: unknown
}

export interface FakeCaseNotes {
  url: string
  notes: FakeNote[]
  requests: Seen[]
  /** what the next POSTs and PUTs do, in order (consumed); empty: answer normally */
  plan: Step[]
  close(): Promise<void>
}

export const FAKE_CLIENT = { id: 'keywork-client', secret: 'keywork-secret' }
const TOKEN = 'fake-token-1'

export async function startFakeCaseNotes(): Promise<FakeCaseNotes> {
  const notes: FakeNote[] = []
  const requests: Seen[] = []
  const plan: Step[] = []

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      const url = new URL(req.url ?? '/', 'http://localhost')
      const send = (status: number, body?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(body === undefined ? '' : JSON.stringify(body))
      }
      if (req.method === 'POST' && url.pathname === '/auth/oauth/token') {
        const basic = `Basic ${Buffer.from(`${FAKE_CLIENT.id}:${FAKE_CLIENT.secret}`).toString('base64')}`
        if (req.headers.authorization !== basic || !raw.includes('grant_type=client_credentials'))
          return send(401, { error: 'unauthorized' })
        return send(200, { access_token: TOKEN, token_type: 'bearer', expires_in: 1199 })
      }
      let body: unknown = null
      try {
        body = raw ? JSON.parse(raw) : null
      } catch {
        return send(400, { status: 400, userMessage: 'Malformed JSON' })
      }
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        caseloadId: req.headers['caseloadid'] as string | undefined,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        authorization: req.headers.authorization,
        body,
      })
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { status: 401 })
      const m = /^\/case-notes\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname)
      if (!m) return send(404, { status: 404 })
      const person = decodeURIComponent(m[1]!)
      const id = m[2] ? decodeURIComponent(m[2]) : null
      const writing = req.method === 'POST' || req.method === 'PUT'
      const step = writing ? plan.shift() : undefined
      if (typeof step === 'number') return send(step, { status: step, userMessage: 'Scripted failure' })
      const answer = (status: number, note: FakeNote) => {
        if (step === 'drop') return req.socket.destroy()
        send(status, note)
      }

      if (req.method === 'POST' && id === null) {
        const b = body as Partial<FakeNote> | null
        if (!b || typeof b.text !== 'string' || !b.text.trim() || !b.type || !b.subType)
          return send(400, { status: 400, userMessage: 'text cannot be blank' })
        const note: FakeNote = {
          caseNoteId: crypto.randomUUID(),
          offenderIdentifier: person,
          type: b.type,
          subType: b.subType,
          occurrenceDateTime: b.occurrenceDateTime ?? new Date().toISOString().slice(0, 19),
          text: b.text,
          locationId: b.locationId ?? '',
          systemGenerated: b.systemGenerated ?? false,
          amendments: [],
        }
        notes.push(note)
        return answer(201, note)
      }
      if (req.method === 'PUT' && id !== null) {
        const note = notes.find(n => n.offenderIdentifier === person && n.caseNoteId === id)
        if (!note) return send(404, { status: 404, userMessage: 'Case note not found' })
        const text = (body as { text?: unknown } | null)?.text
        if (typeof text !== 'string' || !text.trim())
          return send(400, { status: 400, userMessage: 'text cannot be blank' })
        note.amendments.push({ additionalNoteText: text, creationDateTime: new Date().toISOString().slice(0, 19) })
        return answer(200, note)
      }
      if (req.method === 'GET' && id !== null) {
        const note = notes.find(n => n.offenderIdentifier === person && n.caseNoteId === id)
        return note ? send(200, note) : send(404, { status: 404 })
      }
      if (req.method === 'GET') {
        const q = url.searchParams
        const content = notes.filter(
          n =>
            n.offenderIdentifier === person &&
            (!q.get('type') || n.type === q.get('type')) &&
            (!q.get('subType') || n.subType === q.get('subType')) &&
            (!q.get('startDate') || n.occurrenceDateTime >= q.get('startDate')!) &&
            (!q.get('endDate') || n.occurrenceDateTime <= q.get('endDate')!),
        )
        return send(200, { content, totalElements: content.length })
      }
      send(405, { status: 405 })
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    notes,
    requests,
    plan,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
