// Labels: the words the pages show for the codes an entry stores. Pure; a code with no label shows as it is.
import { pathwayName } from '../../domain/pathways'
import { GOAL_STATUSES, LOCATIONS, NOT_DELIVERED_REASONS, OUTCOMES, STAKEHOLDERS } from '../../domain/sessions'

const lookup = (names: Record<string, string>, code: string) => names[code] ?? code

/** Why a session cannot be started or changed, in words for the officer. */
export function releasedMessage(p: { first_name: string; last_name: string; status: string }): string {
  const name = `${p.first_name} ${p.last_name}`
  return p.status === 'transferred'
    ? `${name} has been transferred out, so a session cannot be recorded for them here`
    : `${name} has been released, so a session cannot be recorded for them`
}

export const outcomeName = (code: string | null) => (code ? lookup(OUTCOMES, code) : '')
export const reasonName = (code: string | null) => (code ? lookup(NOT_DELIVERED_REASONS, code) : null)
export const locationName = (code: string | null) => (code ? lookup(LOCATIONS, code) : null)
export const stakeholderName = (code: string | null) => (code ? lookup(STAKEHOLDERS, code) : null)
export const goalStatusName = (code: string) => lookup(GOAL_STATUSES, code)
/** The pathways column ('a,b') as names. */
export const pathwayNames = (pathways: string | null) => (pathways ? pathways.split(',').map(pathwayName) : [])

/** Who a referral went to: the directory service's name, else the team's. */
export const referredTo = (r: { service_name: string | null; stakeholder: string | null }) =>
  r.service_name ?? stakeholderName(r.stakeholder) ?? ''
