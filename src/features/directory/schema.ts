import { z } from 'zod'
import { PROVISIONS, SERVICE_STATUSES } from '../../domain/directory'
import {
  DAYS,
  type Day,
  PHONE_TYPES,
  type PhoneRecord,
  type PhoneType,
  type ServiceRecord,
  parseTime,
  parseUkPhone,
  sortDays,
} from '../../domain/directoryRecord'
import { PATHWAY_CODES, type PathwayCode } from '../../domain/pathways'
import { capitalise, languageList, optionalText, text } from '../../web/fields'

/** Blank rows the form offers (no JavaScript needed to add one). */
export const CONTACT_SLOTS = 3
export const PHONE_SLOTS = 2
export const SCHEDULE_SLOTS = 4

const slots = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

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

export const LOCATION_KINDS = ['inside', 'community', 'virtual', 'none'] as const

const shape: Record<string, z.ZodType> = {
  name: text('the service name', 150),
  description: text('a description of the service', 2000),
  organizationName: text('the organisation that runs the service', 150),
  status: choice(SERVICE_STATUSES, 'Select the status of the service'),
  provision: choice(PROVISIONS, 'Select whether the service is inside the prison or in the community'),
  applicationProcess: text('how to refer someone', 2000),
  eligibility: optionalText('who can use the service', 1000),
  waitTime: optionalText('the waiting time', 200),
  email: optionalEmail('the service email address'),
  url: optionalUrl('the website address'),
  interpretationServices: optionalText('interpreting', 500),
  languages: languageList('languages'),
  pathways: checked(PATHWAY_CODES, 'pathways'),
  locationKind: choice(LOCATION_KINDS, 'Select where the service is delivered'),
  locationName: optionalText('the place name', 150),
  locationAddress1: optionalText('the first line of the address', 150),
  locationAddress2: optionalText('the second line of the address', 150),
  locationCity: optionalText('the town or city', 100),
  locationPostcode: optionalText('the postcode', 10),
  locationUrl: optionalUrl('the web address for the service online'),
}
for (const i of slots(CONTACT_SLOTS)) {
  shape[`contact${i}Name`] = optionalText(`contact ${i} name`, 150)
  shape[`contact${i}Title`] = optionalText(`contact ${i} role`, 150)
  shape[`contact${i}Email`] = optionalEmail(`contact ${i} email address`)
  shape[`contact${i}Phone`] = optionalPhone(`contact ${i} phone number`)
  shape[`contact${i}Extension`] = optionalExtension(`contact ${i} extension`)
}
for (const i of slots(PHONE_SLOTS)) {
  shape[`phone${i}Number`] = optionalPhone(`phone number ${i}`)
  shape[`phone${i}Extension`] = optionalExtension(`phone number ${i} extension`)
  shape[`phone${i}Type`] = z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return 'voice' as PhoneType
      const hit = PHONE_TYPES.find(t => t === v)
      if (!hit) {
        ctx.addIssue({ code: 'custom', message: `Select the type of phone number ${i}` })
        return z.NEVER
      }
      return hit
    })
}
for (const i of slots(SCHEDULE_SLOTS)) {
  shape[`schedule${i}Days`] = checked(DAYS, `the days for opening times ${i}`)
  shape[`schedule${i}Opens`] = optionalTime(`opening time ${i}`)
  shape[`schedule${i}Closes`] = optionalTime(`closing time ${i}`)
  shape[`schedule${i}Note`] = optionalText(`opening times ${i} note`, 150)
}

type Flat = Record<string, unknown>

function phoneOf(v: Flat, numberKey: string, extensionKey: string, type: PhoneType): PhoneRecord | null {
  const p = v[numberKey] as { number: string; extension: string | null } | null
  if (!p) return null
  return { number: p.number, extension: (v[extensionKey] as string | null) ?? p.extension, type }
}

/**
 * The service form: the service, its organisation, where it is, up to three contacts, two phone numbers and
 * four lines of opening times, languages and pathways. Blank rows are ignored.
 */
export const serviceFormSchema = z
  .object(shape)
  .superRefine((raw, ctx) => {
    const v = raw as Flat
    const need = (field: string, message: string) => {
      if (!v[field]) ctx.addIssue({ code: 'custom', path: [field], message })
    }
    if (v.locationKind === 'inside') need('locationName', 'Enter where in the prison, like Education block')
    if (v.locationKind === 'community') {
      need('locationName', 'Enter the name of the place, like Leeds Housing Options')
      need('locationAddress1', 'Enter the first line of the address')
      need('locationCity', 'Enter the town or city')
      need('locationPostcode', 'Enter the postcode')
    }
    if (!(v.pathways as string[] | undefined)?.length)
      ctx.addIssue({ code: 'custom', path: ['pathways'], message: 'Select at least one pathway' })
    for (const i of slots(CONTACT_SLOTS)) {
      const any = ['Name', 'Title', 'Email', 'Phone'].some(k => v[`contact${i}${k}`])
      if (any && !v[`contact${i}Name`] && !v[`contact${i}Title`])
        ctx.addIssue({ code: 'custom', path: [`contact${i}Name`], message: `Enter a name or a role for contact ${i}` })
      if (v[`contact${i}Extension`] && !v[`contact${i}Phone`])
        ctx.addIssue({ code: 'custom', path: [`contact${i}Phone`], message: `Enter the phone number for contact ${i}` })
    }
    for (const i of slots(PHONE_SLOTS)) {
      if (v[`phone${i}Extension`] && !v[`phone${i}Number`])
        ctx.addIssue({ code: 'custom', path: [`phone${i}Number`], message: `Enter phone number ${i}` })
    }
    for (const i of slots(SCHEDULE_SLOTS)) {
      const days = (v[`schedule${i}Days`] as string[] | undefined) ?? []
      const opens = v[`schedule${i}Opens`] as string | null
      const closes = v[`schedule${i}Closes`] as string | null
      const note = v[`schedule${i}Note`]
      if (!days.length && !opens && !closes && !note) continue
      if (!days.length)
        ctx.addIssue({ code: 'custom', path: [`schedule${i}Days`], message: `Select the days for opening times ${i}` })
      if (!opens && !note)
        ctx.addIssue({ code: 'custom', path: [`schedule${i}Opens`], message: `Enter opening time ${i}, like 09:00` })
      if (opens && !closes)
        ctx.addIssue({ code: 'custom', path: [`schedule${i}Closes`], message: `Enter closing time ${i}, like 17:00` })
      if (opens && closes && closes <= opens)
        ctx.addIssue({
          code: 'custom',
          path: [`schedule${i}Closes`],
          message: `Closing time ${i} must be after the opening time`,
        })
    }
  })
  .transform((raw): ServiceRecord => {
    const v = raw as Flat
    const str = (k: string) => (v[k] as string | null | undefined) ?? null
    const kind = v.locationKind as (typeof LOCATION_KINDS)[number]
    const location: ServiceRecord['location'] =
      kind === 'none'
        ? null
        : {
            type: kind === 'virtual' ? 'virtual' : 'physical',
            name: str('locationName') ?? 'Online or by phone',
            description: null,
            url: kind === 'virtual' ? str('locationUrl') : null,
            address:
              kind === 'community'
                ? {
                    address1: str('locationAddress1')!,
                    address2: str('locationAddress2'),
                    city: str('locationCity')!,
                    region: null,
                    postalCode: str('locationPostcode')!.toUpperCase(),
                  }
                : null,
          }
    const contacts: ServiceRecord['contacts'] = []
    for (const i of slots(CONTACT_SLOTS)) {
      const name = str(`contact${i}Name`)
      const title = str(`contact${i}Title`)
      const email = str(`contact${i}Email`)
      const phone = phoneOf(v, `contact${i}Phone`, `contact${i}Extension`, 'voice')
      if (name || title || email || phone) contacts.push({ name, title, email, phone })
    }
    const phones: PhoneRecord[] = []
    for (const i of slots(PHONE_SLOTS)) {
      const p = phoneOf(v, `phone${i}Number`, `phone${i}Extension`, v[`phone${i}Type`] as PhoneType)
      if (p) phones.push(p)
    }
    const schedules: ServiceRecord['schedules'] = []
    for (const i of slots(SCHEDULE_SLOTS)) {
      const days = sortDays((v[`schedule${i}Days`] as Day[] | undefined) ?? [])
      const opensAt = str(`schedule${i}Opens`)
      const closesAt = str(`schedule${i}Closes`)
      const description = str(`schedule${i}Note`)
      if (days.length || opensAt || closesAt || description) schedules.push({ days, opensAt, closesAt, description })
    }
    return {
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
      location,
      contacts,
      phones,
      schedules,
      languages: (v.languages as string[]) ?? [],
      pathways: (v.pathways as PathwayCode[]) ?? [],
    }
  })

/** The posted form as the schema reads it: only the place fields that go with the chosen kind of place. */
export function formBody(body: unknown): Record<string, unknown> {
  const b = { ...((body ?? {}) as Record<string, unknown>) }
  // fields of another kind of place are left out rather than kept hidden
  if (b.locationKind !== 'community')
    for (const k of ['locationAddress1', 'locationAddress2', 'locationCity', 'locationPostcode']) b[k] = ''
  if (b.locationKind !== 'virtual') b.locationUrl = ''
  if (b.locationKind === 'none') b.locationName = ''
  return b
}

/** Checkbox values kept from a failed post may be one string: make them lists again for the form. */
export function withLists<T extends Record<string, unknown>>(values: T): T {
  const out: Record<string, unknown> = { ...values }
  for (const k of ['pathways', ...SLOTS_KEYS]) {
    const v = out[k]
    out[k] = v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]
  }
  return out as T
}

/** The form's values for a service (to edit it), or the blank form. */
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
    locationKind: !r
      ? ''
      : !r.location
        ? 'none'
        : r.location.type === 'virtual'
          ? 'virtual'
          : r.location.address
            ? 'community'
            : 'inside',
    locationName: r?.location?.name ?? '',
    locationAddress1: r?.location?.address?.address1 ?? '',
    locationAddress2: r?.location?.address?.address2 ?? '',
    locationCity: r?.location?.address?.city ?? '',
    locationPostcode: r?.location?.address?.postalCode ?? '',
    locationUrl: r?.location?.url ?? '',
  }
  for (const i of slots(CONTACT_SLOTS)) {
    const c = r?.contacts[i - 1]
    out[`contact${i}Name`] = c?.name ?? ''
    out[`contact${i}Title`] = c?.title ?? ''
    out[`contact${i}Email`] = c?.email ?? ''
    out[`contact${i}Phone`] = c?.phone?.number ?? ''
    out[`contact${i}Extension`] = c?.phone?.extension ?? ''
  }
  for (const i of slots(PHONE_SLOTS)) {
    const p = r?.phones[i - 1]
    out[`phone${i}Number`] = p?.number ?? ''
    out[`phone${i}Extension`] = p?.extension ?? ''
    out[`phone${i}Type`] = p?.type ?? 'voice'
  }
  for (const i of slots(SCHEDULE_SLOTS)) {
    const s = r?.schedules[i - 1]
    out[`schedule${i}Days`] = s?.days ?? []
    out[`schedule${i}Opens`] = s?.opensAt ?? ''
    out[`schedule${i}Closes`] = s?.closesAt ?? ''
    out[`schedule${i}Note`] = s?.description ?? ''
  }
  return out
}

const SLOTS_KEYS = slots(SCHEDULE_SLOTS).map(i => `schedule${i}Days`)

export const SLOTS = {
  contacts: slots(CONTACT_SLOTS),
  phones: slots(PHONE_SLOTS),
  schedules: slots(SCHEDULE_SLOTS),
}
