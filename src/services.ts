import pino from 'pino'
import type { Config } from './config'
import { type Db, openDatabase } from './db/database'
import { migrateToLatest } from './db/migrate'
import { autoAllocationService } from './features/allocations/auto'
import { coverService } from './features/allocations/cover'
import { rebalanceService } from './features/allocations/rebalance'
import { allocationsService } from './features/allocations/service'
import { auditService } from './features/audit/service'
import { demoService } from './features/demo/service'
import { establishmentsService } from './features/establishments/service'
import { importService } from './features/import/service'
import { prisonersService } from './features/prisoners/service'
import { staffService } from './features/staff/service'
import { unitsService } from './features/units/service'
import { usersService } from './features/users/service'

/** Composition root: every repository and service, built once over one database. No DI container. */
export function buildServices(config: Config, db: Db = openDatabase(config.database)) {
  const logger = pino({ level: config.logLevel, base: { service: 'keywork' } })
  const audit = auditService(db.db, db.dialect)
  const users = usersService(db.db, audit)
  // allocations depends on prisoners, so prisoners reaches it through a hook; called only after both exist
  const prisoners = prisonersService(db.db, audit, {
    onPrisonerChanged: (trx, actor, change) => allocations.prisonerChanged(trx, actor, change),
  })
  const units = unitsService(db.db, audit)
  const staff = staffService(db.db, audit)
  const establishments = establishmentsService(db.db, audit)
  const allocations = allocationsService(db.db, { audit, establishments, prisoners, staff })
  const autoAllocation = autoAllocationService(db.db, { audit, establishments })
  return {
    config,
    logger,
    db,
    audit,
    establishments,
    users,
    prisoners,
    units,
    staff,
    imports: importService(db.db, { audit, prisoners, units, staff }),
    demo: demoService(db, { audit, users }),
    autoAllocation,
    cover: coverService(db.db, { audit, autoAllocation }),
    rebalance: rebalanceService(db.db, { audit, establishments, autoAllocation }),
    allocations,
    async close() {
      await db.close()
    },
  }
}

export type Services = ReturnType<typeof buildServices>

/** Opens the database, brings the schema up to date, and builds the services. */
export async function startServices(config: Config): Promise<Services> {
  const services = buildServices(config)
  await migrateToLatest(services.db)
  return services
}
