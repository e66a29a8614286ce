import assert from 'node:assert/strict'
import { SYSTEM_ACTOR } from '../../src/platform/audit/service'
import { prisonerRecordSchema } from '../../src/features/prisoners/schema'
import type { Services } from '../../src/services'

/** What a test says of a prisoner it admits; the rest of the record is an ordinary adult man, in, low complexity. */
export interface NewPrisoner {
  prisonNumber: string
  firstName: string
  lastName: string
  /** the unit's code ('' for none) */
  unit: string
  /** 'YYYY-MM-DD' */
  receptionDate: string
  dateOfBirth?: string
  firstLanguage?: string
  interpreterNeeded?: 'yes' | 'no'
}

/** A prisoner received into the establishment through the prisoners service (as the record form would): his id. */
export async function admitPrisoner(s: Services, establishmentId: number, p: NewPrisoner): Promise<number> {
  const r = await s.prisoners.create(
    { ...SYSTEM_ACTOR, establishmentId },
    establishmentId,
    prisonerRecordSchema.parse({
      prisonNumber: p.prisonNumber,
      firstName: p.firstName,
      lastName: p.lastName,
      dateOfBirth: p.dateOfBirth ?? '1990-01-01',
      unit: p.unit,
      cell: '',
      receptionDate: p.receptionDate,
      releaseDate: '',
      status: 'in',
      complexity: 'low',
      firstLanguage: p.firstLanguage ?? 'en',
      interpreterNeeded: p.interpreterNeeded ?? 'no',
      nationality: 'British',
    }),
  )
  assert.ok(r.ok, JSON.stringify(r))
  const row = await s.prisoners.get(establishmentId, p.prisonNumber)
  assert.ok(row)
  return Number(row.id)
}
