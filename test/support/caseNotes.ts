import type { Services } from '../../src/services'

/**
 * A key work case note of a submitted session that the case notes service refused (failed, one attempt), written
 * straight to the outbox: the seeded world has no case notes service configured, so nothing is queued there by itself.
 */
export async function failedCaseNote(
  s: Services,
  establishmentId: number,
  sessionId: number,
  prisonNumber: string,
): Promise<number> {
  const at = new Date().toISOString()
  const { id } = await s.db.db
    .insertInto('case_note_outbox')
    .values({
      establishment_id: establishmentId,
      session_id: sessionId,
      amendment_id: null,
      prison_number: prisonNumber,
      kind: 'create',
      source: `session:${sessionId}`,
      payload: JSON.stringify({ type: 'KA', subType: 'KS', text: 'Key work session held.' }),
      idempotency_key: `fixture-${sessionId}`,
      status: 'failed',
      attempts: 1,
      next_attempt_at: at,
      last_error: 'The case notes service answered 400 (the note was refused as it is)',
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}
