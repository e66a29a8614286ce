import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { HmppsAuthConfig, PrisonerSearchConfig } from '../../config'
import type { Database, Establishment, Prisoner } from '../../platform/db/types'
import { type Actor, type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import {
  type Effect,
  type HmppsEvent,
  type RollPrisoner,
  departureOf,
  effectOf,
  parseHmppsEvent,
  recordInputOf,
  rollPrisonerOf,
  unitForCell,
} from '../../domain/hmppsEvents'
import type { EstablishmentsService } from '../establishments/service'
import type { PrisonersService } from '../prisoners/service'
import { type PrisonerRecord, prisonerRecordSchema } from '../prisoners/schema'
import type { UnitsService } from '../units/service'
import { HmppsApiError, type PrisonerSearchClient, prisonerSearchClient } from './client'
import { hmppsSyncRepository } from './repository'

export const ROLL_ACTOR: Actor = { ...SYSTEM_ACTOR, username: 'HMPPS roll sync' }
export const EVENTS_ACTOR: Actor = { ...SYSTEM_ACTOR, username: 'HMPPS events' }

/** A roll entry keywork could not use, and why (kept on the run for the admin page). */
export interface Problem {
  prisonNumber: string | null
  errors: string[]
}

export type SyncOutcome =
  | {
      ok: true
      code: string
      runId: number
      pages: number
      roll: number
      created: number
      updated: number
      unchanged: number
      released: number
      transferred: number
      invalid: number
      problems: Problem[]
    }
  | { ok: false; code: string; message: string; runId: number | null }

/** The answer to a posted event: its HTTP status and JSON body. */
export interface EventAnswer {
  status: 200 | 400 | 503
  body: Record<string, unknown>
}

const MAX_PROBLEMS_KEPT = 50

/** His record as a prisoner record (as a form types it), with another status. */
function recordOf(row: Prisoner, status: 'in' | 'released' | 'transferred'): PrisonerRecord {
  return {
    prisonNumber: row.prison_number,
    firstName: row.first_name,
    lastName: row.last_name,
    dateOfBirth: row.date_of_birth,
    unit: null,
    cell: row.cell,
    receptionDate: row.reception_date,
    releaseDate: row.release_date,
    status,
    complexity: row.complexity as PrisonerRecord['complexity'],
    firstLanguage: row.first_language,
    interpreterNeeded: row.interpreter_needed === 1,
    nationality: row.nationality,
  }
}

const keptOf = (row: Prisoner | undefined) =>
  row
    ? {
        complexity: row.complexity,
        firstLanguage: row.first_language,
        interpreterNeeded: row.interpreter_needed === 1,
        nationality: row.nationality,
      }
    : null

const issuesOf = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) =>
  error.issues.map(i => (i.path.length ? `${String(i.path[0])}: ${i.message}` : i.message))

/** Thrown inside an event's transaction when another delivery of it got there first: rolls back what this one did. */
class AlreadyTaken extends Error {}

/**
 * The HMPPS systems officers already use (issue 18, point 2): the roll of each establishment from Prisoner Search, and
 * the movement and complexity of need events that write the custody history. Both go through the prisoners service,
 * so every change is audited, dated and turned into custody events (and spells) exactly as a form or import would.
 */
export function hmppsSyncService(
  db: Kysely<Database>,
  deps: {
    audit: AuditService
    prisoners: PrisonersService
    establishments: EstablishmentsService
    units: UnitsService
    logger: Logger
    config: {
      hmppsAuth: HmppsAuthConfig | null
      prisonerSearch: PrisonerSearchConfig | null
      hmppsEventsToken: string | null
    }
    /** the HTTP client (tests pass none: they run a fake server) */
    fetch?: typeof fetch
  },
) {
  const repo = hmppsSyncRepository(db)
  const { audit, prisoners, establishments, units, logger, config } = deps
  const client: PrisonerSearchClient | null =
    config.hmppsAuth && config.prisonerSearch
      ? prisonerSearchClient(config.hmppsAuth, config.prisonerSearch, deps.fetch)
      : null
  const tokenDigest = config.hmppsEventsToken
    ? crypto.createHash('sha256').update(config.hmppsEventsToken).digest()
    : null

  async function unitIds(establishmentId: number) {
    const list = await units.list(establishmentId)
    return new Map(list.map(u => [u.code, u.id]))
  }

  /** A roll entry as a validated record for the establishment, or its problems. */
  function validRecord(p: RollPrisoner, unitCodes: Map<string, number>, row: Prisoner | undefined) {
    const unitCode = unitForCell(p.cellLocation, [...unitCodes.keys()])
    const parsed = prisonerRecordSchema.safeParse(recordInputOf(p, unitCode, keptOf(row)))
    if (!parsed.success) return { ok: false as const, errors: issuesOf(parsed.error) }
    return { ok: true as const, record: parsed.data, unitId: unitCode ? (unitCodes.get(unitCode) ?? null) : null }
  }

  /**
   * Records another establishment holds him in custody in are closed as transferred (he is here now), dated the day he
   * arrived here: he left there that day.
   */
  async function closeElsewhere(
    trx: Kysely<Database>,
    actor: Actor,
    establishmentId: number,
    arrivals: { prisonNumber: string; on: string }[],
  ) {
    const on = new Map(arrivals.map(a => [a.prisonNumber, a.on]))
    const rows = arrivals.length ? await repo.inCustodyElsewhere(trx, establishmentId, [...on.keys()]) : []
    // this transaction audits the other establishments and this one: their chains are taken in one order (decision 021)
    await audit.holdChains(trx, [establishmentId, ...rows.map(r => r.establishment_id)])
    for (const row of rows)
      await prisoners.saveMany(
        trx,
        actor,
        row.establishment_id,
        [{ record: recordOf(row, 'transferred'), unitId: row.unit_id }],
        { fullRoll: false, on: on.get(row.prison_number)! },
      )
    return rows
  }

  async function syncRoll(actor: Actor, code: string): Promise<SyncOutcome> {
    code = code.trim().toUpperCase()
    if (!client || !config.prisonerSearch)
      return { ok: false, code, runId: null, message: 'Prisoner Search is not configured (PRISONER_SEARCH_URL)' }
    const est = await establishments.byCode(code)
    if (!est) return { ok: false, code, runId: null, message: `There is no establishment ${code}` }
    const { pageSize, maxPages } = config.prisonerSearch
    const runId = await repo.startRun({
      establishment_id: est.id,
      started_at: new Date().toISOString(),
      outcome: 'running',
      started_by: actor.username ?? 'system',
      ...{ pages: 0, roll: 0, created: 0, updated: 0, unchanged: 0, released: 0, transferred: 0, invalid: 0 },
    })
    let pages = 0
    try {
      // the whole roll first: a partial roll would release the men on the pages not read
      const entries: unknown[] = []
      for (let last = false; !last;) {
        if (pages >= maxPages)
          throw new HmppsApiError(
            `The roll of ${code} has more than ${maxPages} pages of ${pageSize}: nothing was changed (raise HMPPS_ROLL_MAX_PAGES)`,
          )
        const page = await client.rollPage(code, pages, pageSize)
        pages++
        entries.push(...page.content)
        last = page.last || page.content.length === 0
      }

      const problems: Problem[] = []
      // every man the roll names, usable or not: none of them is released
      const onRoll = new Set<string>()
      const roll = new Map<string, RollPrisoner>()
      for (const raw of entries) {
        const r = rollPrisonerOf(raw)
        if (!r.ok) {
          problems.push({ prisonNumber: r.prisonNumber, errors: r.errors })
          if (r.prisonNumber) onRoll.add(r.prisonNumber)
          continue
        }
        onRoll.add(r.value.prisonNumber)
        if (r.value.prisonId !== code)
          problems.push({
            prisonNumber: r.value.prisonNumber,
            errors: [`prisonId is ${r.value.prisonId}, not ${code}`],
          })
        else if (roll.has(r.value.prisonNumber))
          problems.push({ prisonNumber: r.value.prisonNumber, errors: ['on the roll twice'] })
        else roll.set(r.value.prisonNumber, r.value)
      }

      const unitCodes = await unitIds(est.id)
      const existing = new Map((await repo.recordsAt(db, est.id)).map(r => [r.prison_number, r]))
      const records: { record: PrisonerRecord; unitId: number | null }[] = []
      for (const p of roll.values()) {
        const v = validRecord(p, unitCodes, existing.get(p.prisonNumber))
        if (v.ok) records.push({ record: v.record, unitId: v.unitId })
        else problems.push({ prisonNumber: p.prisonNumber, errors: v.errors })
      }

      // men keywork holds here whom the roll no longer names: where Prisoner Search says they went
      const gone = [...existing.values()]
        .filter(r => r.status === 'in' && !onRoll.has(r.prison_number))
        .sort((a, b) => (a.prison_number < b.prison_number ? -1 : 1))
      const found = new Map<string, RollPrisoner>()
      for (const raw of gone.length ? await client.byNumbers(gone.map(r => r.prison_number)) : []) {
        const r = rollPrisonerOf(raw)
        if (r.ok) found.set(r.value.prisonNumber, r.value)
      }
      const departures = gone
        .map(row => ({ row, where: departureOf(found.get(row.prison_number), code) }))
        .filter((d): d is { row: Prisoner; where: 'released' | 'transferred' } => d.where !== 'present')

      const outcome = await db.transaction().execute(async trx => {
        const arriving = records.filter(r => existing.get(r.record.prisonNumber)?.status !== 'in')
        await closeElsewhere(
          trx,
          actor,
          est.id,
          arriving.map(r => ({ prisonNumber: r.record.prisonNumber, on: r.record.receptionDate })),
        )
        const saved = await prisoners.saveMany(trx, actor, est.id, records, { fullRoll: false })
        await prisoners.saveMany(
          trx,
          actor,
          est.id,
          departures.map(d => ({ record: recordOf(d.row, d.where), unitId: d.row.unit_id })),
          { fullRoll: false },
        )
        const counts = {
          pages,
          roll: onRoll.size,
          created: saved.created,
          updated: saved.updated,
          unchanged: saved.unchanged,
          released: departures.filter(d => d.where === 'released').length,
          transferred: departures.filter(d => d.where === 'transferred').length,
          invalid: problems.length,
        }
        await audit.record(trx, actor, {
          action: 'sync',
          entity: 'hmpps_roll',
          entityId: code,
          establishmentId: est.id,
          changes: counts,
        })
        await repo.finishRun(trx, runId, {
          ...counts,
          finished_at: new Date().toISOString(),
          outcome: 'ok',
          problems: problems.length ? JSON.stringify(problems.slice(0, MAX_PROBLEMS_KEPT)) : null,
        })
        return counts
      })
      return { ok: true, code, runId, ...outcome, problems }
    } catch (err) {
      const message =
        err instanceof HmppsApiError ? err.message : `The sync failed and changed nothing: ${(err as Error).message}`
      logger.warn({ err, establishment: code }, 'HMPPS roll sync failed')
      await repo.finishRun(db, runId, { finished_at: new Date().toISOString(), outcome: 'failed', pages, message })
      return { ok: false, code, runId, message }
    }
  }

  /** What an event changes, inside its transaction. */
  async function apply(
    trx: Kysely<Database>,
    e: HmppsEvent,
    effect: Effect,
    fetched: RollPrisoner | null,
    // read before the transaction: on SQLite it holds the one connection
    ests: { byCode: Map<string, Establishment>; byId: Map<number, Establishment>; units: Map<string, number> | null },
  ): Promise<{
    outcome: 'applied' | 'unchanged' | 'ignored'
    detail: string
    establishmentId: number | null
    prisonCode: string | null
  }> {
    const n = e.prisonNumber!
    if (effect.kind === 'complexity') {
      const [row] = await repo.inCustodyElsewhere(trx, null, [n])
      if (!row)
        return {
          outcome: 'ignored',
          detail: 'not in custody at an establishment keywork runs',
          establishmentId: null,
          prisonCode: null,
        }
      const at = ests.byId.get(row.establishment_id)
      const where = { establishmentId: row.establishment_id, prisonCode: at?.code ?? null }
      if (row.complexity === effect.complexity)
        return { outcome: 'unchanged', detail: `complexity of need already ${effect.complexity}`, ...where }
      await prisoners.saveMany(
        trx,
        EVENTS_ACTOR,
        row.establishment_id,
        [{ record: { ...recordOf(row, 'in'), complexity: effect.complexity }, unitId: row.unit_id }],
        { fullRoll: false, on: e.date },
      )
      return { outcome: 'applied', detail: `complexity of need ${row.complexity} → ${effect.complexity}`, ...where }
    }
    const est = e.prisonCode ? ests.byCode.get(e.prisonCode) : undefined
    if (!est)
      return {
        outcome: 'ignored',
        detail: `${e.prisonCode ?? 'no prison'} is not an establishment keywork runs`,
        establishmentId: null,
        prisonCode: e.prisonCode,
      }
    const where = { establishmentId: est.id, prisonCode: est.code }
    if (effect.kind === 'none') return { outcome: 'ignored', detail: effect.why, ...where }
    const own = await repo.recordAt(trx, est.id, n)
    if (effect.kind === 'departure') {
      if (own?.status !== 'in')
        return { outcome: 'unchanged', detail: `keywork does not hold him in custody at ${est.code}`, ...where }
      await prisoners.saveMany(
        trx,
        EVENTS_ACTOR,
        est.id,
        [{ record: recordOf(own, effect.status), unitId: own.unit_id }],
        {
          fullRoll: false,
          on: e.date,
        },
      )
      return { outcome: 'applied', detail: effect.status === 'released' ? 'released' : 'transferred out', ...where }
    }
    // an arrival
    if (own?.status === 'in') return { outcome: 'unchanged', detail: `already in custody at ${est.code}`, ...where }
    let record: PrisonerRecord
    let unitId: number | null = null
    if (own) {
      record = { ...recordOf(own, 'in'), receptionDate: e.date }
      if (record.releaseDate && record.releaseDate < e.date) record.releaseDate = null
      unitId = own.unit_id
    } else if (fetched) {
      const v = validRecord({ ...fetched, receptionDate: e.date }, ests.units ?? new Map(), undefined)
      if (!v.ok)
        return {
          outcome: 'ignored',
          detail: `his Prisoner Search record is not usable: ${v.errors.join('; ')}`,
          ...where,
        }
      record = v.record
      unitId = v.unitId
    } else
      return {
        outcome: 'ignored',
        detail: client
          ? 'keywork has no record of him and Prisoner Search does not know him'
          : 'keywork has no record of him (Prisoner Search is not configured): the roll sync adds him',
        ...where,
      }
    const closed = await closeElsewhere(trx, EVENTS_ACTOR, est.id, [{ prisonNumber: n, on: e.date }])
    await prisoners.saveMany(trx, EVENTS_ACTOR, est.id, [{ record, unitId }], { fullRoll: false, on: e.date })
    const from = closed.length ? ` (transferred out of the establishment that held him)` : ''
    return { outcome: 'applied', detail: `${effect.transfer ? 'transferred in' : 'received'}${from}`, ...where }
  }

  return {
    /** What is configured: the roll sync (Prisoner Search and HMPPS Auth), and the events endpoint (its secret). */
    enabled: { roll: client !== null, events: tokenDigest !== null },

    syncRoll: (actor: Actor, code: string) => syncRoll(actor, code),

    /** The roll of every enabled establishment, one after another; none when Prisoner Search is not configured. */
    async syncAll(actor: Actor): Promise<SyncOutcome[]> {
      if (!client) return []
      const out: SyncOutcome[] = []
      for (const est of (await establishments.all()).filter(e => e.enabled === 1))
        out.push(await syncRoll(actor, est.code))
      return out
    },

    /** Whether an Authorization header carries the events secret: 'off' when none is configured. */
    checkEventsToken(header: string | undefined): 'ok' | 'off' | 'missing' | 'invalid' {
      if (!tokenDigest) return 'off'
      if (header === undefined) return 'missing'
      const m = /^Bearer +(\S+) *$/i.exec(header)
      if (!m) return 'invalid'
      const given = crypto.createHash('sha256').update(m[1]!).digest()
      return crypto.timingSafeEqual(given, tokenDigest) ? 'ok' : 'invalid'
    },

    /**
     * Takes one posted event: 400 listing its problems (nothing written); once by its natural key (a redelivery
     * answers 'duplicate' and changes nothing); 503 when Prisoner Search, needed for a man new to keywork, fails
     * (nothing written: the listener delivers it again).
     */
    async takeEvent(body: unknown): Promise<EventAnswer> {
      const parsed = parseHmppsEvent(body)
      if (!parsed.ok) return { status: 400, body: { status: 400, errors: parsed.errors } }
      const e = parsed.event
      const duplicate = async (): Promise<EventAnswer> => {
        const first = await repo.eventByKey(e.key)
        return { status: 200, body: { status: 200, outcome: 'duplicate', first: first?.outcome ?? null, key: e.key } }
      }
      if (await repo.eventByKey(e.key)) return duplicate()
      const effect = effectOf(e)
      let fetched: RollPrisoner | null = null
      const all = await establishments.all()
      const est = e.prisonCode ? all.find(x => x.code === e.prisonCode) : undefined
      const ests = {
        byCode: new Map(all.map(x => [x.code, x])),
        byId: new Map(all.map(x => [x.id, x])),
        units: est && effect.kind === 'arrival' ? await unitIds(est.id) : null,
      }
      if (effect.kind === 'arrival' && client && est) {
        if (!(await repo.recordAt(db, est.id, e.prisonNumber!)))
          try {
            const [raw] = await client.byNumbers([e.prisonNumber!])
            const r = raw === undefined ? null : rollPrisonerOf(raw)
            fetched = r?.ok ? r.value : null
          } catch (err) {
            if (!(err instanceof HmppsApiError)) throw err
            return { status: 503, body: { status: 503, message: `${err.message}: send the event again later` } }
          }
      }
      try {
        const result = await db.transaction().execute(async trx => {
          const r = await apply(trx, e, effect, fetched, ests)
          const taken = await repo.takeEvent(trx, {
            event_key: e.key,
            event_type: e.eventType,
            prison_number: e.prisonNumber,
            prison_code: r.prisonCode,
            establishment_id: r.establishmentId,
            occurred_at: e.occurredAt,
            received_at: new Date().toISOString(),
            message_id: e.messageId,
            outcome: r.outcome,
            detail: r.detail,
          })
          if (!taken) throw new AlreadyTaken()
          return r
        })
        return { status: 200, body: { status: 200, outcome: result.outcome, detail: result.detail, key: e.key } }
      } catch (err) {
        if (err instanceof AlreadyTaken) return duplicate()
        throw err
      }
    },

    /** The last runs and events: an establishment's, or (null) every establishment's. */
    async recent(establishmentId: number | null) {
      const r = await repo.recent(establishmentId, 10, 50)
      return {
        runs: r.runs.map(run => ({ ...run, problems: run.problems ? (JSON.parse(run.problems) as Problem[]) : [] })),
        events: r.events,
      }
    },
  }
}

export type HmppsSyncService = ReturnType<typeof hmppsSyncService>
