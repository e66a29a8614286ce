import type { Request, Response } from 'express'
import { addDays, formatDate, parseDate } from '../../domain/dates'
import { DURATIONS, endTimeFor, londonNow, normaliseTime } from '../../domain/hubs'
import type { Services } from '../../services'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { formText, splitDate } from '../../forms/fields'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { bookingSchema, cancelSchema, hubSchema, roomSchema } from './schema'

const ADMINS = ['ESTABLISHMENT_ADMIN'] as const
const BOOKERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
const VIEWERS = [...BOOKERS, 'NATIONAL_POLICY'] as const
/** Supervising Officers and admins may cancel anyone's booking. */
const CANCEL_ANY = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const

const hubDefaults = { name: '', unit: 'central', opensAt: '08:00', closesAt: '20:00', active: 'yes' }
const roomDefaults = { name: '', kind: 'room', private: 'yes', equipment: [] as string[], active: 'yes' }

/** Checkbox values come back from a kept form as a string or a list. */
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(formText) : v ? [formText(v)] : [])

export function hubRoutes(s: Services): RouteDef[] {
  async function hubOr404(res: Response, req: Request) {
    const hub = await s.hubs.hub(establishmentOf(res).id, intParam(req, 'hubId'))
    if (!hub) throw new HttpError(404)
    return hub
  }

  return [
    get('/hubs', VIEWERS, async (_req, res) => {
      const est = establishmentOf(res)
      res.render('hubs/views/list', {
        pageTitle: 'Key Worker hubs',
        hubs: await s.hubs.overview(est.id),
        canManage: hasRole(res, ...ADMINS),
        canBook: hasRole(res, ...BOOKERS),
        today: londonNow().date,
      })
    }),

    get('/hubs/new', ADMINS, async (req, res) => {
      res.render('hubs/views/hub-edit', {
        pageTitle: 'Add a hub',
        houseblocks: await s.hubs.houseblocks(establishmentOf(res).id),
        ...takeForm(req, hubDefaults),
        isNew: true,
      })
    }),

    post('/hubs/new', ADMINS, async (req, res) => {
      const form = parseForm(hubSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.hubs.createHub(actorOf(res), establishmentOf(res).id, { ...form.data, unitId: form.data.unit })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.name} has been added`)
      res.redirect(303, '/hubs')
    }),

    get('/hubs/my-bookings', BOOKERS, async (_req, res) => {
      const est = establishmentOf(res)
      const actor = actorOf(res)
      const bookings = await s.hubs.myBookings(est.id, actor.userId!)
      await auditView(s.audit, res, { entity: 'hub_booking_list', details: { shown: prisonNumbersIn(bookings) } })
      res.render('hubs/views/my-bookings', { pageTitle: 'My bookings', bookings })
    }),

    get('/hubs/book', BOOKERS, async (req, res) => {
      const est = establishmentOf(res)
      const rooms = await s.hubs.roomOptions(est.id)
      const roomQuery = queryString(req, 'roomId')
      if (roomQuery) {
        // a link to book a room of another establishment (or none): not found, revealing nothing
        const room = /^\d{1,9}$/.test(roomQuery) ? await s.hubs.room(est.id, Number(roomQuery)) : undefined
        if (!room) throw new HttpError(404)
      }
      const iso = parseDate(queryString(req, 'date')) ?? londonNow().date
      const { day, month, year } = splitDate(iso)
      const date = `${day}/${month}/${year}`
      const startsAt = normaliseTime(queryString(req, 'startsAt')) ?? ''
      res.render('hubs/views/book', {
        pageTitle: 'Book a room',
        rooms,
        keyWorkers: await s.hubs.keyWorkers(est.id),
        durations: DURATIONS,
        ...takeForm(req, {
          roomId: roomQuery,
          date,
          startsAt,
          duration: '45',
          staffId: '',
          prisonNumber: '',
          purpose: 'Key work session',
        }),
      })
    }),

    post('/hubs/book', BOOKERS, async (req, res) => {
      const est = establishmentOf(res)
      const form = parseForm(bookingSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const { roomId, date, startsAt, duration, staffId, prisonNumber, purpose } = form.data
      const endsAt = endTimeFor(startsAt, duration)
      if (!endsAt) {
        const start = normaliseTime(startsAt)
        return redirectWithErrors(req, res, {
          [start ? 'duration' : 'startsAt']: start
            ? 'The booking must end before midnight'
            : 'Start time must be a time on the 24-hour clock, like 09:30',
        })
      }
      const r = await s.hubs.book(actorOf(res), est.id, {
        roomId,
        date,
        startsAt,
        endsAt,
        staffId,
        prisonNumber,
        purpose,
      })
      if (!r.ok) {
        // the form asks for a length, not an end time: show an end-time problem there
        const { endsAt: endProblem, ...rest } = r.errors
        return redirectWithErrors(req, res, endProblem ? { ...rest, duration: endProblem } : rest)
      }
      const booking = (await s.hubs.booking(est.id, r.value))!
      flash(
        req,
        `${booking.room_name} is booked for ${formatDate(booking.date)}, ${booking.starts_at} to ${booking.ends_at}`,
      )
      res.redirect(303, `/hubs/${booking.hub_id}?date=${booking.date}`)
    }),

    get('/hubs/bookings/:bookingId/cancel', BOOKERS, async (req, res) => {
      const est = establishmentOf(res)
      const booking = await s.hubs.booking(est.id, intParam(req, 'bookingId'))
      if (!booking) throw new HttpError(404)
      await auditView(s.audit, res, {
        entity: 'hub_booking',
        entityId: booking.id,
        details: booking.prison_number ? { prisonNumber: booking.prison_number } : {},
      })
      const actor = actorOf(res)
      const owner = { bookedByUserId: booking.booked_by_user_id, staffUserId: booking.staff_user_id }
      res.render('hubs/views/cancel', {
        pageTitle: 'Cancel a booking',
        booking,
        allowed: s.hubs.mayCancel(owner, actor.userId, hasRole(res, ...CANCEL_ANY)),
        ...takeForm(req, { reason: '' }),
      })
    }),

    post('/hubs/bookings/:bookingId/cancel', BOOKERS, async (req, res) => {
      const est = establishmentOf(res)
      const bookingId = intParam(req, 'bookingId')
      const booking = await s.hubs.booking(est.id, bookingId)
      if (!booking) throw new HttpError(404)
      const form = parseForm(cancelSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.hubs.cancel(actorOf(res), est.id, bookingId, {
        anyBooking: hasRole(res, ...CANCEL_ANY),
        reason: form.data.reason,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(
        req,
        `The booking of ${booking.room_name} on ${formatDate(booking.date)}, ${booking.starts_at} to ${booking.ends_at}, has been cancelled`,
      )
      res.redirect(303, `/hubs/${booking.hub_id}?date=${booking.date}`)
    }),

    get('/hubs/rooms/:roomId/edit', ADMINS, async (req, res) => {
      const room = await s.hubs.room(establishmentOf(res).id, intParam(req, 'roomId'))
      if (!room) throw new HttpError(404)
      const kept = takeForm(req, {
        name: room.name,
        kind: room.kind,
        private: room.is_private ? 'yes' : 'no',
        equipment: [...(room.has_computer ? ['computer'] : []), ...(room.has_phone ? ['phone'] : [])],
        active: room.active ? 'yes' : 'no',
      })
      res.render('hubs/views/room-edit', {
        pageTitle: `Edit ${room.name}`,
        hub: { id: room.hub_id, name: room.hub_name },
        ...kept,
        equipment: asList(kept.values.equipment),
        isNew: false,
      })
    }),

    post('/hubs/rooms/:roomId/edit', ADMINS, async (req, res) => {
      const est = establishmentOf(res)
      const roomId = intParam(req, 'roomId')
      const room = await s.hubs.room(est.id, roomId)
      if (!room) throw new HttpError(404)
      const form = parseForm(roomSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const { private: isPrivate, equipment, ...rest } = form.data
      const r = await s.hubs.updateRoom(actorOf(res), est.id, roomId, { ...rest, isPrivate, ...equipment })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.name} has been saved`)
      res.redirect(303, '/hubs')
    }),

    get('/hubs/:hubId', VIEWERS, async (req, res) => {
      const est = establishmentOf(res)
      const hub = await hubOr404(res, req)
      const today = londonNow().date
      const date = parseDate(queryString(req, 'date')) ?? today
      const view = (await s.hubs.dayView(est.id, hub.id, date))!
      await auditView(s.audit, res, {
        entity: 'hub',
        entityId: hub.id,
        details: { date, shown: prisonNumbersIn(view) },
      })
      res.render('hubs/views/day', {
        pageTitle: `${hub.name}: ${formatDate(date)}`,
        ...view,
        date,
        today,
        previous: addDays(date, -1),
        next: addDays(date, 1),
        canBook: hasRole(res, ...BOOKERS),
      })
    }),

    get('/hubs/:hubId/edit', ADMINS, async (req, res) => {
      const hub = await hubOr404(res, req)
      res.render('hubs/views/hub-edit', {
        pageTitle: `Edit ${hub.name}`,
        houseblocks: await s.hubs.houseblocks(establishmentOf(res).id),
        ...takeForm(req, {
          name: hub.name,
          unit: hub.unit_id === null ? 'central' : String(hub.unit_id),
          opensAt: hub.opens_at,
          closesAt: hub.closes_at,
          active: hub.active ? 'yes' : 'no',
        }),
        hub,
        isNew: false,
      })
    }),

    post('/hubs/:hubId/edit', ADMINS, async (req, res) => {
      const hub = await hubOr404(res, req)
      const form = parseForm(hubSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.hubs.updateHub(actorOf(res), establishmentOf(res).id, hub.id, {
        ...form.data,
        unitId: form.data.unit,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.name} has been saved`)
      res.redirect(303, '/hubs')
    }),

    get('/hubs/:hubId/rooms/new', ADMINS, async (req, res) => {
      const hub = await hubOr404(res, req)
      const kept = takeForm(req, roomDefaults)
      res.render('hubs/views/room-edit', {
        pageTitle: `Add a room to ${hub.name}`,
        hub,
        ...kept,
        equipment: asList(kept.values.equipment),
        isNew: true,
      })
    }),

    post('/hubs/:hubId/rooms/new', ADMINS, async (req, res) => {
      const hub = await hubOr404(res, req)
      const form = parseForm(roomSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const { private: isPrivate, equipment, ...rest } = form.data
      const r = await s.hubs.addRoom(actorOf(res), establishmentOf(res).id, hub.id, {
        ...rest,
        isPrivate,
        ...equipment,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.name} has been added to ${hub.name}`)
      res.redirect(303, '/hubs')
    }),
  ]
}
