import { parseTime } from '../../domain/time'
import { z } from 'zod'
import { PROVISIONS, SERVICE_STATUSES } from '../../domain/directory'
import {
  type ContactRecord,
  DAYS,
  type Day,
  LOCATION_KINDS,
  type LocationKind,
  type LocationRecord,
  PHONE_TYPES,
  type PhoneRecord,
  type PhoneType,
  type ScheduleRecord,
  type ServiceEdit,
  type ServiceRecord,
  contactPhonesOf,
  locationKindOf,
  locationsOf,
  noRemovals,
  parseUkPhone,
  sortDays,
} from '../../domain/directoryRecord'
import { PATHWAY_CODES, type PathwayCode } from '../../domain/pathways'
import { capitalise, languageList, optionalText, text } from '../../forms/fields'
import { MAX_ROWS, highestRow, nextRow } from '../../forms/rows'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/

export const optionalEmail = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      if (v.length > 254 || !EMAIL.test(v)) {
        ctx.addIssue({ code: 'custom', message: `Enter ${label} in the correct format, like name@example.org` })
        return z.NEVER
      }
      return v.toLowerCase()
    })

export const optionalPhone = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      const p = parseUkPhone(v)
      if (!p.ok) {
        ctx.addIssue({
          code: 'custom',
          message: `${capitalise(label)}: ${p.message.charAt(0).toLowerCase()}${p.message.slice(1)}`,
        })
        return z.NEVER
      }
      return { number: p.number, extension: p.extension }
    })

const optionalExtension = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      if (!/^\d{1,6}$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be up to 6 digits, like 2204` })
        return z.NEVER
      }
      return v
    })

const optionalTime = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      const t = parseTime(v)
      if (!t) {
        ctx.addIssue({
          code: 'custom',
          message: `${capitalise(label)} must be a time on the 24-hour clock, like 09:00`,
        })
        return z.NEVER
      }
      return t
    })

const optionalUrl = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      if (v.length > 300 || !/^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(v)) {
        ctx.addIssue({ code: 'custom', message: `Enter ${label} starting with https://, like https://www.example.org` })
        return z.NEVER
      }
      return v
    })

/** A checkbox group posts nothing, one value, or several. */
const checked = <T extends string>(values: readonly T[], label: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v, ctx) => {
      const list = v === undefined ? [] : Array.isArray(v) ? v : [v]
      const out: T[] = []
      for (const x of list) {
        if (!x) continue
        const hit = values.find(y => y === x)
        if (!hit) {
          ctx.addIssue({ code: 'custom', message: `Select ${label} from the list` })
          return z.NEVER
        }
        if (!out.includes(hit)) out.push(hit)
      }
      return out
    })

const choice = <T extends string>(values: readonly T[], message: string) =>
  z
    .string({ error: message })
    .trim()
    .transform((v, ctx) => {
      const hit = values.find(x => x === v)
      if (!hit) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return hit
    })

/**
 * Most rows of each list the form takes (a row past these is ignored; the form offers no more): MAX_ROWS, fewer
 * phone numbers, and two opening times a day.
 */
export const ROW_LIMITS = {
  locations: MAX_ROWS,
  phones: 10,
  contacts: MAX_ROWS,
  contactPhones: 10,
  schedules: 14,
} as const satisfies Record<string, number>

/** How many rows of each list the form has: the highest row number among the posted (or kept) fields. */
export interface FormRows {
  locations: number
  phones: number
  contacts: number
  /** phone rows of each contact: [0] is contact 1's */
  contactPhones: number[]
  schedules: number
}

const ROW_KEY = {
  locations: /^location(\d+)(?:Id|Kind|Name|Address1|Address2|City|Postcode|Url|Remove)$/,
  phones: /^phone(\d+)(?:Id|Number|Extension|Type|Remove)$/,
  contacts: /^contact(\d+)(?:Id|Name|Title|Email|Remove|Phone\d+(?:Id|Number|Extension|Type|Remove))$/,
  schedules: /^schedule(\d+)(?:Id|Days|Opens|Closes|Note|Remove)$/,
}
const CONTACT_PHONE_KEY = /^contact(\d+)Phone(\d+)(?:Id|Number|Extension|Type|Remove)$/

/**
 * The rows of a posted or kept form. `least` rows of each list at the very least (1 to show a blank row where a
 * list is empty, 0 to read a post).
 */
export function formRows(values: Record<string, unknown>, least = 0): FormRows {
  const highest = (re: RegExp, max: number) => highestRow(values, re, max, least)
  const contacts = highest(ROW_KEY.contacts, ROW_LIMITS.contacts)
  const contactPhones = Array.from({ length: contacts }, () => least)
  for (const k of Object.keys(values)) {
    const m = CONTACT_PHONE_KEY.exec(k)
    if (!m) continue
    const c = Number(m[1])
    const j = Number(m[2])
    if (c >= 1 && c <= contacts && j <= ROW_LIMITS.contactPhones && j > contactPhones[c - 1]!) contactPhones[c - 1] = j
  }
  return {
    locations: highest(ROW_KEY.locations, ROW_LIMITS.locations),
    phones: highest(ROW_KEY.phones, ROW_LIMITS.phones),
    contacts,
    contactPhones,
    schedules: highest(ROW_KEY.schedules, ROW_LIMITS.schedules),
  }
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

/** The "Add another …" buttons: which list gets a blank row, and the field to show it at. */
export function addRow(values: Record<string, unknown>, add: unknown): { field: string } | null {
  if (typeof add !== 'string') return null
  const rows = formRows(values)
  if (add === 'location') {
    const i = nextRow(rows.locations, ROW_LIMITS.locations)
    return i ? { field: `location${i}Kind` } : null
  }
  if (add === 'phone') {
    const i = nextRow(rows.phones, ROW_LIMITS.phones)
    return i ? { field: `phone${i}Number` } : null
  }
  if (add === 'contact') {
    const i = nextRow(rows.contacts, ROW_LIMITS.contacts)
    return i ? { field: `contact${i}Name` } : null
  }
  if (add === 'schedule') {
    const i = nextRow(rows.schedules, ROW_LIMITS.schedules)
    return i ? { field: `schedule${i}Days` } : null
  }
  const m = /^contact(\d+)Phone$/.exec(add)
  if (m) {
    const c = Number(m[1])
    if (c < 1 || c > rows.contacts) return null
    // a contact shows one blank phone row of its own when it has none
    const j = nextRow(Math.max(1, rows.contactPhones[c - 1] ?? 0), ROW_LIMITS.contactPhones)
    return j ? { field: `contact${c}Phone${j}Number` } : null
  }
  return null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A stored row's id carried by the form (a hidden field); anything else is no id. */
const rowId = () =>
  z
    .unknown()
    .optional()
    .transform(v => (typeof v === 'string' && UUID.test(v.trim()) ? v.trim().toLowerCase() : null))

/** A "Remove …" checkbox. */
const ticked = () =>
  z
    .unknown()
    .optional()
    .transform(v => v === 'yes' || (Array.isArray(v) && v.includes('yes')))

const phoneType = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return 'voice' as PhoneType
      const hit = PHONE_TYPES.find(t => t === v)
      if (!hit) {
        ctx.addIssue({ code: 'custom', message: `Select the type of ${label}` })
        return z.NEVER
      }
      return hit
    })

const locationKind = (i: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      const hit = LOCATION_KINDS.find(k => k === v)
      if (!hit) {
        ctx.addIssue({ code: 'custom', message: `Select where location ${i} is` })
        return z.NEVER
      }
      return hit
    })

/** The fields of the form with `rows` rows in each list, in the order the page shows them. */
function shapeFor(rows: FormRows): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {
    name: text('the service name', 150),
    description: text('a description of the service', 2000),
    organizationName: text('the organisation that runs the service', 150),
    status: choice(SERVICE_STATUSES, 'Select the status of the service'),
    provision: choice(PROVISIONS, 'Select whether the service is inside the prison or in the community'),
    pathways: checked(PATHWAY_CODES, 'pathways'),
    applicationProcess: text('how to refer someone', 2000),
    eligibility: optionalText('who can use the service', 1000),
    waitTime: optionalText('the waiting time', 200),
    email: optionalEmail('the service email address'),
    url: optionalUrl('the website address'),
  }
  const phoneRow = (prefix: string, label: string) => {
    shape[`${prefix}Id`] = rowId()
    shape[`${prefix}Number`] = optionalPhone(label)
    shape[`${prefix}Extension`] = optionalExtension(`${label} extension`)
    shape[`${prefix}Type`] = phoneType(label)
    shape[`${prefix}Remove`] = ticked()
  }
  for (const i of upTo(rows.phones)) phoneRow(`phone${i}`, `phone number ${i}`)
  for (const i of upTo(rows.contacts)) {
    shape[`contact${i}Id`] = rowId()
    shape[`contact${i}Name`] = optionalText(`contact ${i} name`, 150)
    shape[`contact${i}Title`] = optionalText(`contact ${i} role`, 150)
    shape[`contact${i}Email`] = optionalEmail(`contact ${i} email address`)
    shape[`contact${i}Remove`] = ticked()
    for (const j of upTo(rows.contactPhones[i - 1] ?? 0))
      phoneRow(`contact${i}Phone${j}`, `contact ${i}, phone number ${j}`)
  }
  for (const i of upTo(rows.schedules)) {
    shape[`schedule${i}Id`] = rowId()
    shape[`schedule${i}Days`] = checked(DAYS, `the days for opening times ${i}`)
    shape[`schedule${i}Opens`] = optionalTime(`opening time ${i}`)
    shape[`schedule${i}Closes`] = optionalTime(`closing time ${i}`)
    shape[`schedule${i}Note`] = optionalText(`opening times ${i} note`, 150)
    shape[`schedule${i}Remove`] = ticked()
  }
  for (const i of upTo(rows.locations)) {
    shape[`location${i}Id`] = rowId()
    shape[`location${i}Kind`] = locationKind(i)
    shape[`location${i}Name`] = optionalText(`location ${i} name`, 150)
    shape[`location${i}Address1`] = optionalText(`location ${i} address line 1`, 150)
    shape[`location${i}Address2`] = optionalText(`location ${i} address line 2`, 150)
    shape[`location${i}City`] = optionalText(`location ${i} town or city`, 100)
    shape[`location${i}Postcode`] = optionalText(`location ${i} postcode`, 10)
    shape[`location${i}Url`] = optionalUrl(`the web address for location ${i}`)
    shape[`location${i}Remove`] = ticked()
  }
  shape.languages = languageList('languages')
  shape.interpretationServices = optionalText('interpreting', 500)
  return shape
}

type Flat = Record<string, unknown>

function phoneOf(v: Flat, prefix: string): PhoneRecord | null {
  const p = v[`${prefix}Number`] as { number: string; extension: string | null } | null
  if (!p) return null
  const id = v[`${prefix}Id`] as string | null
  return {
    ...(id ? { id } : {}),
    number: p.number,
    extension: (v[`${prefix}Extension`] as string | null) ?? p.extension,
    type: v[`${prefix}Type`] as PhoneType,
  }
}

const TIME = /^\d\d:\d\d$/

/** Rules across fields, each message naming its row. Rows ticked "Remove" are not checked. */
function checkRows(v: Flat, rows: FormRows, ctx: z.RefinementCtx) {
  const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message })
  const need = (field: string, message: string) => {
    if (!v[field]) issue(field, message)
  }
  if (!(v.pathways as string[] | undefined)?.length) issue('pathways', 'Select at least one pathway')
  const phoneRowRules = (prefix: string, label: string) => {
    if (v[`${prefix}Remove`]) return
    if (v[`${prefix}Extension`] && !v[`${prefix}Number`])
      issue(`${prefix}Number`, `${capitalise(label)}: enter the number for the extension`)
  }
  for (const i of upTo(rows.phones)) phoneRowRules(`phone${i}`, `phone number ${i}`)
  for (const i of upTo(rows.contacts)) {
    if (v[`contact${i}Remove`]) continue
    const phones = upTo(rows.contactPhones[i - 1] ?? 0)
    const anyPhone = phones.some(j => !v[`contact${i}Phone${j}Remove`] && v[`contact${i}Phone${j}Number`])
    const any = anyPhone || ['Name', 'Title', 'Email'].some(k => v[`contact${i}${k}`])
    if (any && !v[`contact${i}Name`] && !v[`contact${i}Title`])
      issue(`contact${i}Name`, `Enter a name or a role for contact ${i}`)
    for (const j of phones) phoneRowRules(`contact${i}Phone${j}`, `contact ${i}, phone number ${j}`)
  }
  for (const i of upTo(rows.schedules)) {
    if (v[`schedule${i}Remove`]) continue
    const days = (v[`schedule${i}Days`] as string[] | undefined) ?? []
    const opens = v[`schedule${i}Opens`] as string | null
    const closes = v[`schedule${i}Closes`] as string | null
    const note = v[`schedule${i}Note`]
    if (!days.length && !opens && !closes && !note) continue
    if (!days.length) issue(`schedule${i}Days`, `Select the days for opening times ${i}`)
    if (!opens && !note) issue(`schedule${i}Opens`, `Enter opening time ${i}, like 09:00`)
    if (opens && !closes) issue(`schedule${i}Closes`, `Enter closing time ${i}, like 17:00`)
    // (a time that did not parse is already an error of its own)
    if (opens && closes && TIME.test(opens) && TIME.test(closes) && closes <= opens)
      issue(`schedule${i}Closes`, `Closing time ${i} must be after the opening time`)
  }
  for (const i of upTo(rows.locations)) {
    if (v[`location${i}Remove`]) continue
    const f = (k: string) => `location${i}${k}`
    const kind = v[f('Kind')] as LocationKind | null
    const typed = ['Name', 'Address1', 'Address2', 'City', 'Postcode', 'Url'].some(k => v[f(k)])
    if (!kind) {
      if (typed) issue(f('Kind'), `Location ${i}: select where the service is delivered`)
      continue
    }
    if (kind === 'inside') need(f('Name'), `Location ${i}: enter where in the prison, like Education block`)
    if (kind === 'community') {
      need(f('Name'), `Location ${i}: enter the name of the place, like Leeds Housing Options`)
      need(f('Address1'), `Location ${i}: enter the first line of the address`)
      need(f('City'), `Location ${i}: enter the town or city`)
      need(f('Postcode'), `Location ${i}: enter the postcode`)
    }
  }
}

/** The record and the removals the checked form stands for. Blank rows and rows ticked "Remove" are left out. */
function editOf(v: Flat, rows: FormRows): ServiceEdit {
  const str = (k: string) => (v[k] as string | null | undefined) ?? null
  const idOf = (k: string) => {
    const id = v[k] as string | null
    return id ? { id } : {}
  }
  const removed = noRemovals()
  /** true when the row is ticked "Remove" (its stored row, if any, goes on the list to remove) */
  const removing = (prefix: string, list: string[]) => {
    if (!v[`${prefix}Remove`]) return false
    const id = v[`${prefix}Id`] as string | null
    if (id) list.push(id)
    return true
  }

  const locations: LocationRecord[] = []
  for (const i of upTo(rows.locations)) {
    const f = (k: string) => `location${i}${k}`
    if (removing(`location${i}`, removed.locations)) continue
    const kind = v[f('Kind')] as LocationKind | null
    if (!kind) continue
    locations.push({
      ...idOf(f('Id')),
      type: kind === 'virtual' ? 'virtual' : 'physical',
      name: str(f('Name')) ?? 'Online or by phone',
      description: null,
      url: kind === 'virtual' ? str(f('Url')) : null,
      address:
        kind === 'community'
          ? {
              address1: str(f('Address1'))!,
              address2: str(f('Address2')),
              city: str(f('City'))!,
              region: null,
              postalCode: str(f('Postcode'))!.toUpperCase(),
            }
          : null,
    })
  }

  const phones: PhoneRecord[] = []
  for (const i of upTo(rows.phones)) {
    if (removing(`phone${i}`, removed.phones)) continue
    const p = phoneOf(v, `phone${i}`)
    if (p) phones.push(p)
  }

  const contacts: ContactRecord[] = []
  for (const i of upTo(rows.contacts)) {
    const contactPhones: PhoneRecord[] = []
    const ticks: string[] = []
    for (const j of upTo(rows.contactPhones[i - 1] ?? 0)) {
      if (removing(`contact${i}Phone${j}`, ticks)) continue
      const p = phoneOf(v, `contact${i}Phone${j}`)
      if (p) contactPhones.push(p)
    }
    // removing a contact removes its phone numbers with it
    if (removing(`contact${i}`, removed.contacts)) continue
    removed.phones.push(...ticks)
    const name = str(`contact${i}Name`)
    const title = str(`contact${i}Title`)
    const email = str(`contact${i}Email`)
    if (name || title || email || contactPhones.length)
      contacts.push({
        ...idOf(`contact${i}Id`),
        name,
        title,
        email,
        phone: contactPhones[0] ?? null,
        phones: contactPhones,
      })
  }

  const schedules: ScheduleRecord[] = []
  for (const i of upTo(rows.schedules)) {
    if (removing(`schedule${i}`, removed.schedules)) continue
    const days = sortDays((v[`schedule${i}Days`] as Day[] | undefined) ?? [])
    const opensAt = str(`schedule${i}Opens`)
    const closesAt = str(`schedule${i}Closes`)
    const description = str(`schedule${i}Note`)
    if (days.length || opensAt || closesAt || description)
      schedules.push({ ...idOf(`schedule${i}Id`), days, opensAt, closesAt, description })
  }

  return {
    record: {
      name: v.name as string,
      description: v.description as string,
      organizationName: v.organizationName as string,
      status: v.status as ServiceRecord['status'],
      provision: v.provision as ServiceRecord['provision'],
      applicationProcess: v.applicationProcess as string,
      eligibility: str('eligibility'),
      waitTime: str('waitTime'),
      email: str('email'),
      url: str('url'),
      interpretationServices: str('interpretationServices'),
      location: locations[0] ?? null,
      locations,
      contacts,
      phones,
      schedules,
      languages: (v.languages as string[]) ?? [],
      pathways: (v.pathways as PathwayCode[]) ?? [],
    },
    removed,
  }
}

/**
 * The service form for a posted body: the service, its organisation, its phone numbers, contacts (each with their
 * phone numbers), opening times and locations, as many rows of each as the form has, languages and pathways.
 * Blank rows are ignored; a row ticked "Remove" is neither checked nor kept, and its stored row is removed.
 */
export function serviceFormSchema(body: Record<string, unknown>) {
  const rows = formRows(body)
  return (
    z
      .object(shapeFor(rows))
      // the rules across fields run even when a field is already wrong, so that every error shows at once
      .superRefine((raw, ctx) => checkRows(raw as Flat, rows, ctx), { when: () => true })
      .transform(raw => editOf(raw as Flat, rows))
  )
}

/** Errors in the order of their fields on the page, for the error summary (rules across fields come last else). */
export function inPageOrder(errors: Record<string, string>, body: Record<string, unknown>): Record<string, string> {
  const order = ['scope', ...Object.keys(shapeFor(formRows(body)))]
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length)
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)))
}

/** The posted form as the schema reads it: only the place fields that go with each location's kind of place. */
export function formBody(body: unknown): Record<string, unknown> {
  const b = { ...((body ?? {}) as Record<string, unknown>) }
  // fields of another kind of place are left out rather than kept hidden
  for (const i of upTo(formRows(b).locations)) {
    const kind = b[`location${i}Kind`]
    if (kind !== 'community') for (const k of ['Address1', 'Address2', 'City', 'Postcode']) b[`location${i}${k}`] = ''
    if (kind !== 'virtual') b[`location${i}Url`] = ''
  }
  return b
}

/** Checkbox values kept from a failed post may be one string: make them lists again for the form. */
export function withLists<T extends Record<string, unknown>>(values: T): T {
  const out: Record<string, unknown> = { ...values }
  for (const k of Object.keys(out).filter(k => k === 'pathways' || /^schedule\d+Days$/.test(k))) {
    const v = out[k]
    out[k] = v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]
  }
  out.pathways ??= []
  return out as T
}

/** The form's values for a service (to edit it: every stored row, with its id), or the blank form. */
export function formValuesOf(r: ServiceRecord | null): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: r?.name ?? '',
    description: r?.description ?? '',
    organizationName: r?.organizationName ?? '',
    status: r?.status ?? 'active',
    provision: r?.provision ?? '',
    applicationProcess: r?.applicationProcess ?? '',
    eligibility: r?.eligibility ?? '',
    waitTime: r?.waitTime ?? '',
    email: r?.email ?? '',
    url: r?.url ?? '',
    interpretationServices: r?.interpretationServices ?? '',
    languages: (r?.languages ?? []).join(', '),
    pathways: r?.pathways ?? [],
  }
  const phoneValues = (prefix: string, p: PhoneRecord) => {
    out[`${prefix}Id`] = p.id ?? ''
    out[`${prefix}Number`] = p.number
    out[`${prefix}Extension`] = p.extension ?? ''
    out[`${prefix}Type`] = p.type
  }
  ;(r?.phones ?? []).forEach((p, n) => phoneValues(`phone${n + 1}`, p))
  ;(r?.contacts ?? []).forEach((c, n) => {
    const i = n + 1
    out[`contact${i}Id`] = c.id ?? ''
    out[`contact${i}Name`] = c.name ?? ''
    out[`contact${i}Title`] = c.title ?? ''
    out[`contact${i}Email`] = c.email ?? ''
    contactPhonesOf(c).forEach((p, m) => phoneValues(`contact${i}Phone${m + 1}`, p))
  })
  ;(r?.schedules ?? []).forEach((s, n) => {
    const i = n + 1
    out[`schedule${i}Id`] = s.id ?? ''
    out[`schedule${i}Days`] = s.days
    out[`schedule${i}Opens`] = s.opensAt ?? ''
    out[`schedule${i}Closes`] = s.closesAt ?? ''
    out[`schedule${i}Note`] = s.description ?? ''
  })
  ;(r ? locationsOf(r) : []).forEach((l, n) => {
    const i = n + 1
    out[`location${i}Id`] = l.id ?? ''
    out[`location${i}Kind`] = locationKindOf(l)
    out[`location${i}Name`] = l.name
    out[`location${i}Address1`] = l.address?.address1 ?? ''
    out[`location${i}Address2`] = l.address?.address2 ?? ''
    out[`location${i}City`] = l.address?.city ?? ''
    out[`location${i}Postcode`] = l.address?.postalCode ?? ''
    out[`location${i}Url`] = l.url ?? ''
  })
  return out
}
