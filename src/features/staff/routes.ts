import type { Services } from '../../services'
import { formatDate } from '../../domain/dates'
import type { Bounds } from '../../domain/policy'
import { languageName } from '../../domain/languages'
import { STAFF_STATUS_NAMES, WORKING_PATTERN_NAMES } from '../../domain/prisoner'
import { STAFF_GRADES, splitLanguages } from '../../domain/staff'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { joinDateInputs, splitDate } from '../../forms/fields'
import { flash, parseForm, redirectWithErrors, takeForm, queryString } from '../../forms/forms'
import { pagination } from '../../web/pagination'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { ALLOCATION_REASONS, DEALLOCATION_REASONS } from '../allocations/schema'
import { PAGE_SIZE } from './service'
import { staffRecordSchema } from './schema'

const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const EDITORS = ['ESTABLISHMENT_ADMIN'] as const
const USER_MANAGERS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const DATE_FIELDS = ['startedInPost', 'statusReturnDate']

/** The form's "linked user account" select: blank for none, else a user id. */
function userIdOf(body: Record<string, unknown>): { ok: true; value: number | null } | { ok: false } {
  const v = typeof body.userId === 'string' ? body.userId.trim() : ''
  if (!v) return { ok: true, value: null }
  const n = Number(v)
  return Number.isSafeInteger(n) && n > 0 ? { ok: true, value: n } : { ok: false }
}

/**
 * The optional "Capacity override" field: blank for none, else a whole number of prisoners within the national
 * bounds of prisoners per Key Worker (the same bounds an establishment's own ratio must respect).
 */
function capacityOverrideOf(
  body: Record<string, unknown>,
  bounds: Bounds,
): { ok: true; value: number | null } | { ok: false; error: string } {
  const v = typeof body.capacityOverride === 'string' ? body.capacityOverride.trim() : ''
  if (!v) return { ok: true, value: null }
  const range = `between ${bounds.min} and ${bounds.max}`
  if (!/^\d{1,4}$/.test(v)) return { ok: false, error: `Capacity override must be a whole number ${range}` }
  const n = Number(v)
  if (n < bounds.min || n > bounds.max) return { ok: false, error: `Capacity override must be ${range}` }
  return { ok: true, value: n }
}

/** Validates the staff form: the record, plus the user account to link and the capacity override. */
function parseStaffForm(body: Record<string, unknown>, bounds: Bounds) {
  const joined = joinDateInputs(body, DATE_FIELDS)
  const form = parseForm(staffRecordSchema, joined)
  const user = userIdOf(body)
  const capacity = capacityOverrideOf(body, bounds)
  const errors = form.ok ? {} : { ...form.errors }
  if (!user.ok) errors.userId = 'Choose a user account from the list'
  if (!capacity.ok) errors.capacityOverride = capacity.error
  if (!form.ok || !user.ok || !capacity.ok) return { ok: false as const, errors }
  return { ok: true as const, data: { ...form.data, userId: user.value, capacityOverride: capacity.value } }
}

const languageNames = (codes: readonly string[]) => codes.map(languageName).join(', ')

export function staffRoutes(s: Services): RouteDef[] {
  /** The national bounds on prisoners per Key Worker, which also bound a capacity override. */
  const ratioBounds = async (establishmentId: number): Promise<Bounds> => {
    const settings = await s.establishments.settings(establishmentId)
    if (!settings) throw new HttpError(404)
    return settings.bounds.ratio
  }

  const formOptions = async (establishmentId: number) => ({
    ratioBounds: await ratioBounds(establishmentId),
    units: await s.staff.units(establishmentId),
    users: await s.staff.linkableUsers(establishmentId),
    grades: STAFF_GRADES,
    statuses: STAFF_STATUS_NAMES,
    patterns: WORKING_PATTERN_NAMES,
  })

  return [
    get('/staff', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const q = queryString(req, 'q')
      const status = queryString(req, 'status')
      const statusFilter = Object.hasOwn(STAFF_STATUS_NAMES, status) ? status : ''
      const page = Math.max(1, Math.min(10_000, Number(queryString(req, 'page')) || 1))
      const { rows, total } = await s.staff.search({
        establishmentId: est.id,
        query: q,
        status: statusFilter || undefined,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      })
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
      const link = (p: number) => `/staff?${new URLSearchParams({ q, status: statusFilter, page: String(p) })}`
      res.render('staff/views/list', {
        pageTitle: 'Staff',
        rows,
        total,
        page,
        pages,
        pagination: pagination(page, pages, link),
        filters: { q, status: statusFilter },
        statuses: STAFF_STATUS_NAMES,
        patterns: WORKING_PATTERN_NAMES,
        canEdit: hasRole(res, ...EDITORS),
      })
    }),

    get('/staff/new', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      res.render('staff/views/edit', {
        pageTitle: 'Add a member of staff',
        ...(await formOptions(est.id)),
        ...takeForm(req, { grade: 'Band 3', workingPattern: 'full_time', weeklyHours: '37', status: 'active' }),
        isNew: true,
      })
    }),

    post('/staff/new', EDITORS, async (req, res) => {
      const form = parseStaffForm(req.body as Record<string, unknown>, await ratioBounds(establishmentOf(res).id))
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.staff.create(actorOf(res), establishmentOf(res).id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.firstName} ${form.data.lastName} (${form.data.staffNumber}) has been added`)
      res.redirect(303, `/staff/${r.value}`)
    }),

    get('/staff/:staffId', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const member = await s.staff.get(est.id, intParam(req, 'staffId'))
      if (!member) throw new HttpError(404)
      const [caseload, history, capacity] = await Promise.all([
        s.allocations.caseload(est.id, member.id),
        s.allocations.historyForStaff(est.id, member.id),
        s.allocations.capacityOf(est.id, member),
      ])
      await auditView(s.audit, res, {
        entity: 'caseload',
        entityId: member.id,
        details: { page: 'staff member', shown: prisonNumbersIn(caseload, history) },
      })
      res.render('staff/views/show', {
        pageTitle: `${member.first_name} ${member.last_name}`,
        member,
        caseload,
        capacity,
        hasOverride: member.capacity_override !== null,
        history,
        allocationReasons: ALLOCATION_REASONS,
        deallocationReasons: DEALLOCATION_REASONS,
        languages: languageNames(splitLanguages(member.languages)),
        statuses: STAFF_STATUS_NAMES,
        patterns: WORKING_PATTERN_NAMES,
        canEdit: hasRole(res, ...EDITORS),
        canArrangeCover: hasRole(res, 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'),
        canSeeUsers: hasRole(res, ...USER_MANAGERS),
      })
    }),

    get('/staff/:staffId/edit', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const m = await s.staff.get(est.id, intParam(req, 'staffId'))
      if (!m) throw new HttpError(404)
      const started = splitDate(m.started_in_post)
      const back = splitDate(m.status_return_date)
      const defaults = {
        staffNumber: m.staff_number,
        firstName: m.first_name,
        lastName: m.last_name,
        grade: m.grade,
        email: m.email ?? '',
        workingPattern: m.working_pattern,
        weeklyHours: String(m.weekly_hours),
        'startedInPost-day': started.day,
        'startedInPost-month': started.month,
        'startedInPost-year': started.year,
        languages: languageNames(splitLanguages(m.languages)),
        status: m.status,
        'statusReturnDate-day': back.day,
        'statusReturnDate-month': back.month,
        'statusReturnDate-year': back.year,
        homeUnit: m.home_unit_code ?? '',
        keyWorker: m.key_worker ? 'yes' : 'no',
        userId: m.user_id === null ? '' : String(m.user_id),
        capacityOverride: m.capacity_override === null ? '' : String(m.capacity_override),
      }
      res.render('staff/views/edit', {
        pageTitle: `Edit ${m.first_name} ${m.last_name}`,
        ...(await formOptions(est.id)),
        ...takeForm(req, defaults),
        member: m,
        isNew: false,
      })
    }),

    post('/staff/:staffId/edit', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const staffId = intParam(req, 'staffId')
      const existing = await s.staff.get(est.id, staffId)
      if (!existing) throw new HttpError(404)
      const form = parseStaffForm(
        { ...(req.body as Record<string, unknown>), staffNumber: existing.staff_number },
        await ratioBounds(est.id),
      )
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.staff.update(actorOf(res), est.id, staffId, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      // Marking a Key Worker unavailable offers cover for the prisoners they leave behind.
      const leaving = existing.status === 'active' && form.data.status !== 'active'
      const caseload = leaving ? await s.allocations.caseload(est.id, staffId) : []
      if (caseload.length > 0) {
        const until = form.data.statusReturnDate ? ` until ${formatDate(form.data.statusReturnDate)}` : ''
        flash(
          req,
          `Staff details saved. ${existing.first_name} ${existing.last_name} is not available${until} and has ` +
            `${caseload.length} ${caseload.length === 1 ? 'prisoner' : 'prisoners'}: arrange cover for them below, ` +
            `or leave them with ${existing.first_name}.`,
        )
        return res.redirect(303, `/staff/${staffId}/cover`)
      }
      flash(req, 'Staff details saved')
      res.redirect(303, `/staff/${staffId}`)
    }),
  ]
}
