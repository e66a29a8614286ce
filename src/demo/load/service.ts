import type { Insertable } from 'kysely'
import type { Db } from '../../platform/db/database'
import type { PrisonerTable, StaffTable } from '../../platform/db/types'
import { todayIso } from '../../domain/dates'
import {
  DEMO_PASSWORD,
  DEMO_USERNAMES,
  type DemoEstablishment,
  type DemoUser,
  demoUsers,
  establishmentPlan,
  generateDemo,
} from '../generator/generate'
import { type Result, fail, ok } from '../../domain/result'
import { ROLE_NAMES } from '../../domain/roles'
import { type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import type { DirectoryService } from '../../features/directory/service'
import type { GuidanceService } from '../../features/guidance/service'
import type { HubsService } from '../../features/hubs/service'
import type { PlanningService } from '../../features/planning/service'
import type { UsersService } from '../../features/users/service'
import type { PrisonersService } from '../../features/prisoners/service'
import { loadDemoDirectory, loadDemoGuidance, loadDemoHubs, loadDemoSlots } from './loaders'
import { demoRepository } from './repository'

export const DEFAULT_DEMO = { seed: 1, establishments: 3 } as const

export interface DemoLoadOptions {
  seed: number
  establishments: number
  /** average men in custody per establishment, scaled by each one's real size; omitted: the real sizes */
  prisonersPer?: number
  /** delete all data first; without it a database that already has establishments is left alone */
  reset: boolean
  /** the day of the roll ('YYYY-MM-DD'), today by default */
  today?: string
  onProgress?: (p: { done: number; total: number; establishment: string }) => void
}

export interface DemoSignIn {
  username: string
  password: string
  role: string
  establishments: string
  name: string
}

export interface DemoSummary {
  establishments: number
  units: number
  staff: number
  prisoners: number
  signIns: DemoSignIn[]
  /** tables emptied by --reset */
  wiped: string[]
}

export function demoService(
  db: Db,
  deps: {
    audit: AuditService
    users: UsersService
    directory: DirectoryService
    hubs: HubsService
    guidance: GuidanceService
    planning: PlanningService
    prisoners: PrisonersService
  },
) {
  const repo = demoRepository(db.db, db.dialect)

  function signInsOf(users: DemoUser[], names: Map<string, string>): DemoSignIn[] {
    return users.map(u => ({
      username: u.username,
      password: DEMO_PASSWORD,
      role: ROLE_NAMES[u.role],
      establishments: u.establishments.length
        ? u.establishments.map(c => `${names.get(c) ?? c}`).join(', ')
        : 'All establishments',
      name: u.displayName,
    }))
  }

  return {
    /** True when there is nothing to lose: no establishments and none of the demo usernames taken. */
    async isEmpty(): Promise<boolean> {
      return (await repo.establishmentCount()) === 0 && (await repo.existingUsernames(DEMO_USERNAMES)).length === 0
    },

    /**
     * Builds the demo: establishments, units, staff and prisoners in one transaction (bulk inserts, one audit
     * event per establishment), then one user per role through the users service.
     */
    async load(opts: DemoLoadOptions): Promise<Result<DemoSummary>> {
      if (!opts.reset) {
        const establishments = await repo.establishmentCount()
        if (establishments > 0)
          return fail({
            database: `The database already has ${establishments.toLocaleString('en-GB')} establishment${establishments === 1 ? '' : 's'}. The demo only fills an empty database: run it again with --reset to delete all data (every establishment, person, user and audit event) and load the demo.`,
          })
        const taken = await repo.existingUsernames(DEMO_USERNAMES)
        if (taken.length > 0)
          return fail({
            database: `The database already has users named ${taken.join(', ')}. Run the demo with --reset to delete all data and load the demo.`,
          })
      }
      const today = opts.today ?? todayIso()
      const plan = establishmentPlan(opts)
      const generated: Pick<DemoEstablishment, 'code' | 'name' | 'staff'>[] = []
      const ids = new Map<string, number>()
      let wiped: string[] = []

      await db.db.transaction().execute(async trx => {
        if (opts.reset) {
          wiped = await repo.wipe(trx)
          await deps.audit.record(trx, SYSTEM_ACTOR, {
            action: 'delete',
            entity: 'database',
            establishmentId: null,
            changes: { reason: 'keywork demo --reset', tables: wiped },
          })
        }
        let done = 0
        for (const e of generateDemo({ ...opts, today })) {
          const now = new Date().toISOString()
          const establishmentId = await repo.insertEstablishment(trx, {
            code: e.code,
            name: e.name,
            category: e.category,
            region: e.region,
            enabled: 1,
            ratio: null,
            frequency_weeks: null,
            session_minutes: null,
            created_at: now,
            updated_at: now,
          })
          ids.set(e.code, establishmentId)
          const unitIds = await repo.insertUnits(
            trx,
            e.units.map(u => ({
              establishment_id: establishmentId,
              code: u.code,
              name: u.name,
              parent_id: null,
              capacity: u.capacity,
              created_at: now,
              updated_at: now,
            })),
          )
          const unitId = (code: string | null) => (code === null ? null : (unitIds.get(code) ?? null))
          await repo.insertStaff(
            trx,
            e.staff.map((s): Insertable<StaffTable> => ({
              establishment_id: establishmentId,
              staff_number: s.staffNumber,
              first_name: s.firstName,
              last_name: s.lastName,
              grade: s.grade,
              email: s.email,
              working_pattern: s.workingPattern,
              weekly_hours: s.weeklyHours,
              started_in_post: s.startedInPost,
              languages: s.languages.join(','),
              status: s.status,
              status_return_date: s.statusReturnDate,
              home_unit_id: unitId(s.homeUnitCode),
              key_worker: s.keyWorker ? 1 : 0,
              user_id: null,
              created_at: now,
              updated_at: now,
            })),
          )
          await repo.insertPrisoners(
            trx,
            e.prisoners.map((p): Insertable<PrisonerTable> => ({
              prison_number: p.prisonNumber,
              first_name: p.firstName,
              last_name: p.lastName,
              date_of_birth: p.dateOfBirth,
              establishment_id: establishmentId,
              // a man who has left is on no unit now (his unit is in his custody history)
              unit_id: p.status === 'in' ? unitId(p.unitCode) : null,
              cell: p.cell,
              reception_date: p.receptionDate,
              release_date: p.releaseDate,
              status: p.status,
              complexity: p.complexity,
              first_language: p.firstLanguage,
              interpreter_needed: p.interpreterNeeded ? 1 : 0,
              nationality: p.nationality,
              created_at: now,
              updated_at: now,
            })),
          )
          // each man's custody history: his reception and, for those who have left, his release or transfer out
          const prisonerIds = await repo.prisonerIds(trx, establishmentId)
          const recordedAt = new Date().toISOString()
          await deps.prisoners.insertCustodyHistory(
            trx,
            e.prisoners.flatMap(p => {
              const base = {
                prison_number: p.prisonNumber,
                establishment_id: establishmentId,
                prisoner_id: prisonerIds.get(p.prisonNumber)!,
                recorded_at: recordedAt,
                username: 'demo',
              }
              const reception = {
                ...base,
                kind: 'reception',
                date: p.receptionDate,
                unit_id: unitId(p.unitCode),
                complexity: p.complexity,
              }
              if (p.status === 'in') return [reception]
              const kind = p.status === 'transferred' ? 'transfer_out' : 'release'
              return [reception, { ...base, kind, date: p.releaseDate ?? p.receptionDate }]
            }),
          )
          await loadDemoHubs(db, trx, SYSTEM_ACTOR, {
            establishmentId,
            houseblocks: e.units.map(u => ({ id: unitIds.get(u.code)!, code: u.code, name: u.name })),
            today,
            seed: opts.seed,
          })
          // ring-fenced key work time for every Key Worker: two weekly slots each
          await loadDemoSlots(db, trx, SYSTEM_ACTOR, { establishmentId, today })
          await deps.audit.record(trx, SYSTEM_ACTOR, {
            action: 'import',
            entity: 'demo',
            entityId: e.code,
            establishmentId,
            changes: {
              seed: opts.seed,
              today,
              units: e.units.length,
              staff: e.staff.length,
              prisoners: e.prisoners.length,
              inCustody: e.prisoners.filter(p => p.status === 'in').length,
            },
          })
          // keep only what the users need: the rest of the establishment can be collected
          generated.push({ code: e.code, name: e.name, staff: done < 2 ? e.staff : [] })
          done++
          opts.onProgress?.({ done, total: plan.length, establishment: e.name })
        }
        await loadDemoDirectory(
          deps.directory,
          trx,
          generated.map(g => ({ id: ids.get(g.code)!, code: g.code, name: g.name })),
          today,
        )
        // national guide and worksheets (a reset emptied them) and each establishment's booklet introduction
        await loadDemoGuidance(
          db,
          trx,
          deps.guidance,
          SYSTEM_ACTOR,
          generated.map(g => ({ id: ids.get(g.code)!, name: g.name })),
        )
      })

      // Users after the data: the users service runs its own transactions (hashing, audit events).
      const users = demoUsers(generated)
      for (const u of users) {
        const roles = u.establishments.length
          ? u.establishments.map(code => ({ role: u.role, establishmentId: ids.get(code)! }))
          : [{ role: u.role, establishmentId: null }]
        const r = await deps.users.create(SYSTEM_ACTOR, {
          username: u.username,
          displayName: u.displayName,
          email: u.email,
          password: DEMO_PASSWORD,
          roles,
        })
        if (!r.ok) return fail(r.errors)
        const staffNumber = u.staffNumber
        const establishmentId = ids.get(u.establishments[0] ?? '')
        if (staffNumber && establishmentId !== undefined)
          await db.db.transaction().execute(trx => repo.linkStaffToUser(trx, establishmentId, staffNumber, r.value))
      }
      const counts = await repo.counts()
      return ok({ ...counts, signIns: signInsOf(users, new Map(generated.map(e => [e.code, e.name]))), wiped })
    },

    /** The demo sign-ins that exist in this database (for `keywork start` to print again on later starts). */
    async signIns(): Promise<DemoSignIn[]> {
      const out: DemoSignIn[] = []
      for (const username of DEMO_USERNAMES) {
        const u = (await deps.users.list(null, username)).find(x => x.username === username)
        if (!u) continue
        const role = u.roles[0]?.role
        out.push({
          username,
          password: DEMO_PASSWORD,
          role: role ? (ROLE_NAMES[role as keyof typeof ROLE_NAMES] ?? role) : '',
          establishments: u.roles.map(r => r.name ?? 'All establishments').join(', '),
          name: u.display_name,
        })
      }
      return out
    },
  }
}

export type DemoService = ReturnType<typeof demoService>
