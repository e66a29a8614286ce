import type { Role } from '../src/domain/roles'
import { SYSTEM_ACTOR } from '../src/features/audit/service'
import { prisonerRecordSchema } from '../src/features/prisoners/schema'
import { staffRecordSchema } from '../src/features/staff/schema'
import { type World, testWorld } from './harness'

export const CODES = ['MDI', 'LEI'] as const
export type Code = (typeof CODES)[number]

/** The records seeded in one establishment, for tests to point routes at. */
export interface Seeded {
  code: Code
  establishmentId: number
  unitId: number
  unitCode: string
  staffId: number
  staffNumber: string
  prisonNumber: string
  /** a user with a role only in this establishment, not one the tests sign in as (routes may change it) */
  userId: number
}

export type SeededWorld = World & { seeded: Record<Code, Seeded>; close(): Promise<void> }

/** The user each role signs in as, acting in `code`. */
export function usernameFor(role: Role, code: Code = 'MDI'): string {
  return role === 'NATIONAL_POLICY' ? 'national' : `${role.toLowerCase()}.${code.toLowerCase()}`
}

interface People {
  unit: string
  unitName: string
  staffNumber: string
  prisoner: Record<string, string>
}

const PEOPLE: Record<Code, People> = {
  MDI: {
    unit: 'HB1',
    unitName: 'Houseblock 1',
    staffNumber: 'MDI0001',
    prisoner: {
      prisonNumber: 'A1111AA',
      firstName: 'Tomasz',
      lastName: 'Nowak',
      dateOfBirth: '1988-05-14',
      unit: 'HB1',
      cell: 'HB1-1-004',
      receptionDate: '2025-02-03',
      releaseDate: '2027-08-30',
      status: 'in',
      complexity: 'medium',
      firstLanguage: 'pl',
      interpreterNeeded: 'yes',
      nationality: 'Polish',
    },
  },
  LEI: {
    unit: 'A',
    unitName: 'A wing',
    staffNumber: 'LEI0001',
    prisoner: {
      prisonNumber: 'B2222BB',
      firstName: 'David',
      lastName: 'Jones',
      dateOfBirth: '1979-11-02',
      unit: 'A',
      cell: 'A-2-011',
      receptionDate: '2025-06-20',
      releaseDate: '',
      status: 'in',
      complexity: 'low',
      firstLanguage: 'en',
      interpreterNeeded: 'no',
      nationality: 'British',
    },
  },
}

function must<T>(r: { ok: true; value: T } | { ok: false; errors: Record<string, string> }, what: string): T {
  if (!r.ok) throw new Error(`fixture ${what}: ${JSON.stringify(r.errors)}`)
  return r.value
}

/**
 * testWorld() plus, in each of MDI and LEI, a residential unit, a staff member, a prisoner in that unit and a
 * user with a role there, all made through the services as a person would make them.
 */
export async function seededWorld(): Promise<SeededWorld> {
  const world = await testWorld()
  const s = world.services
  const seeded = {} as Record<Code, Seeded>
  for (const code of CODES) {
    const establishmentId = world.est[code]!
    const p = PEOPLE[code]
    const actor = { ...SYSTEM_ACTOR, establishmentId }

    const unitId = must(
      await s.units.create(actor, establishmentId, { code: p.unit, name: p.unitName, capacity: 120 }),
      `unit ${code}`,
    )

    const record = prisonerRecordSchema.parse(p.prisoner)
    must(await s.prisoners.create(actor, establishmentId, record), `prisoner ${code}`)

    const userId = must(
      await s.users.create(SYSTEM_ACTOR, {
        username: `fixture.${code.toLowerCase()}`,
        displayName: `Fixture user ${code}`,
        email: null,
        password: null,
        roles: [{ role: 'KEY_WORKER', establishmentId }],
      }),
      `user ${code}`,
    )

    const staffId = must(
      await s.staff.create(
        actor,
        establishmentId,
        staffRecordSchema.parse({
          staffNumber: p.staffNumber,
          firstName: 'Sam',
          lastName: `Officer ${code}`,
          grade: 'Band 3',
          workingPattern: 'full_time',
          startedInPost: '2023-04-01',
          languages: 'English',
          status: 'active',
          homeUnit: p.unit,
        }),
      ),
      `staff ${code}`,
    )

    seeded[code] = {
      code,
      establishmentId,
      unitId,
      unitCode: p.unit,
      staffId,
      staffNumber: p.staffNumber,
      prisonNumber: record.prisonNumber,
      userId,
    }
  }
  return Object.assign(world, { seeded })
}

/**
 * What each route parameter stands for, in a given establishment. A route with a parameter not listed here
 * fails the access and browser tests: add it here (and seed the record above) when adding the route.
 */
export const PARAM_VALUES: Record<string, (s: Seeded) => string> = {
  prisonNumber: s => s.prisonNumber,
  staffId: s => String(s.staffId),
  unitId: s => String(s.unitId),
  userId: s => String(s.userId),
}

/** Fills a route path's parameters with the records seeded in one establishment. */
export function resolvePath(path: string, s: Seeded): string {
  if (/[*{}()?+]/.test(path))
    throw new Error(
      `route ${path} uses wildcard or optional path syntax: test/fixtures.ts resolvePath does not know how to fill it`,
    )
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = PARAM_VALUES[name]
    if (!value)
      throw new Error(
        `route ${path} has parameter :${name}, which test/fixtures.ts PARAM_VALUES does not know: ` +
          `seed a record for it in seededWorld() and add :${name} to PARAM_VALUES`,
      )
    return encodeURIComponent(value(s))
  })
}

export const hasParams = (path: string) => /:\w/.test(path)
