import assert from 'node:assert/strict'
import { SYSTEM_ACTOR } from '../../src/platform/audit/service'
import { staffRecordSchema } from '../../src/features/staff/schema'
import type { Services } from '../../src/services'

/** What a test says of an officer it hires; the rest is a full-time band 3 Key Worker speaking English, active. */
export interface NewOfficer {
  staffNumber: string
  firstName: string
  lastName: string
  workingPattern?: string
  /** '' for the pattern's default */
  weeklyHours?: string
  status?: string
  /** 'yes' or 'no' */
  keyWorker?: string
  /** a unit's code, '' for none */
  homeUnit?: string
  languages?: string
  /** the officer's own capacity, over the establishment's ratio */
  capacityOverride?: number | null
}

/** A member of staff created through the staff service (as the staff form would): their id. */
export async function hireOfficer(s: Services, establishmentId: number, o: NewOfficer): Promise<number> {
  const r = await s.staff.create(SYSTEM_ACTOR, establishmentId, {
    ...staffRecordSchema.parse({
      staffNumber: o.staffNumber,
      firstName: o.firstName,
      lastName: o.lastName,
      grade: 'Band 3',
      workingPattern: o.workingPattern ?? 'full_time',
      weeklyHours: o.weeklyHours ?? '',
      startedInPost: '2022-01-10',
      languages: o.languages ?? 'English',
      status: o.status ?? 'active',
      statusReturnDate: o.status === 'annual_leave' ? '2099-01-01' : '',
      homeUnit: o.homeUnit ?? '',
      keyWorker: o.keyWorker ?? 'yes',
    }),
    capacityOverride: o.capacityOverride ?? null,
  })
  assert.ok(r.ok, JSON.stringify(r))
  return r.value
}
