import { todayIso } from '../../src/domain/dates'
import type { EntryForm } from '../../src/domain/sessionEntry'
import type { Actor } from '../../src/platform/audit/service'
import type { SessionsService } from '../../src/features/sessions/service'

/**
 * For tests, fixtures and the demo: records a submitted session through the sessions service, as the form would
 * (start a draft, then submit the form). The form defaults to a delivered, private 45-minute session today in an
 * interview room, with an interpreter when the prisoner needs one; `form` overrides any field.
 */
export async function recordSession(
  sessions: SessionsService,
  actor: Actor,
  establishmentId: number,
  prisonNumber: string,
  form: EntryForm = {},
  today = todayIso(),
): Promise<number> {
  const started = await sessions.start(actor, establishmentId, prisonNumber)
  if (started === 'not-found' || !started.ok) throw new Error(`recordSession start: ${JSON.stringify(started)}`)
  const id = started.value.id
  const row = await sessions.get(establishmentId, id)
  const [y, m, d] = today.split('-')
  const full: EntryForm = {
    outcome: 'delivered',
    'sessionDate-day': d!,
    'sessionDate-month': m!,
    'sessionDate-year': y!,
    startsAt: '10:00',
    duration: '45',
    location: 'interview_room',
    private: 'yes',
    interpreterNeeded: row?.interpreter_needed ? 'yes' : 'no',
    interpreterUsed: row?.interpreter_needed ? 'yes' : 'no',
    interpreterLanguage: row?.interpreter_needed ? 'Their first language' : '',
    pathways: ['accommodation'],
    concern: 'no',
    prisonerWords: 'I want to sort out somewhere to live before release.',
    agreed: 'To look at housing options together next time.',
    ...form,
  }
  const r = await sessions.submit(actor, establishmentId, id, full)
  if (r === 'not-found' || !r.ok) throw new Error(`recordSession submit: ${JSON.stringify(r)}`)
  return id
}
