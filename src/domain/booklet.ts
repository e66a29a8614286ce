import type { BookletService } from './directory'
import { PATHWAYS } from './pathways'

/**
 * Part 2 of the Key Worker booklet, from an establishment's services directory: the services grouped by pathway
 * (in the pathways' own order; a service on two pathways appears under both), then one contact table.
 */

export interface BookletPathwayGroup {
  code: string
  name: string
  services: BookletService[]
}

export interface BookletContactRow {
  name: string
  role: string
  service: string
  phone: string
  email: string
}

export interface BookletPart2 {
  groups: BookletPathwayGroup[]
  /** services with no pathway, listed last */
  other: BookletService[]
  contacts: BookletContactRow[]
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en')

export function bookletPart2(services: readonly BookletService[]): BookletPart2 {
  const usable = services.filter(s => s.status === 'active' || s.status === 'temporarily closed').sort(byName)
  const groups = PATHWAYS.map(p => ({
    code: p.code as string,
    name: p.name as string,
    services: usable.filter(s => s.pathways.includes(p.code)),
  })).filter(g => g.services.length > 0)
  const known = new Set<string>(PATHWAYS.map(p => p.code))
  const other = usable.filter(s => !s.pathways.some(code => known.has(code)))

  const contacts: BookletContactRow[] = []
  const seen = new Set<string>()
  for (const s of usable) {
    const rows: BookletContactRow[] = s.contacts.map(c => ({
      name: c.name ?? s.name,
      role: c.title ?? '',
      service: s.name,
      phone: (c.phones.length ? c.phones : s.phones).join(', '),
      email: c.email ?? s.email ?? '',
    }))
    // a service with no named contact still has a row when it can be reached
    if (rows.length === 0 && (s.phones.length || s.email))
      rows.push({ name: s.name, role: '', service: s.name, phone: s.phones.join(', '), email: s.email ?? '' })
    for (const r of rows) {
      const key = [r.name, r.role, r.phone, r.email].join('|')
      if (seen.has(key)) continue
      seen.add(key)
      contacts.push(r)
    }
  }
  contacts.sort((a, b) => a.name.localeCompare(b.name, 'en') || a.service.localeCompare(b.service, 'en'))
  return { groups, other, contacts }
}
