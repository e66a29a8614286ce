/**
 * The vocabulary of a Key Work session entry, shared by the recording form, planning, referrals, the timeline and
 * the statistics. Codes are stored; names are what people read.
 */

export const OUTCOMES = { delivered: 'Delivered', not_delivered: 'Not delivered' } as const
export type Outcome = keyof typeof OUTCOMES

export const NOT_DELIVERED_REASONS = {
  prisoner_refused: 'Prisoner refused',
  unavailable_court: 'Prisoner unavailable: court',
  unavailable_healthcare: 'Prisoner unavailable: healthcare',
  unavailable_visit: 'Prisoner unavailable: visit',
  unavailable_segregation: 'Prisoner unavailable: segregation',
  officer_redeployed: 'Officer redeployed',
  regime_curtailed: 'Regime curtailed',
  other: 'Other (say why)',
} as const
export type NotDeliveredReason = keyof typeof NOT_DELIVERED_REASONS

export const LOCATIONS = {
  hub_room: 'Key Worker hub room',
  interview_room: 'Interview room',
  cell: 'Cell',
  wing_office: 'Wing office',
} as const
export type SessionLocation = keyof typeof LOCATIONS

export const STAKEHOLDERS = {
  pom: 'Prison Offender Manager (POM)',
  mental_health: 'Mental health team',
  healthcare: 'Healthcare',
  substance_misuse: 'Substance misuse team',
  chaplaincy: 'Chaplaincy',
  education: 'Education',
  resettlement: 'Resettlement',
} as const
export type Stakeholder = keyof typeof STAKEHOLDERS

export const REFERRAL_STATUSES = {
  sent: 'Sent',
  acknowledged: 'Acknowledged',
  done: 'Done',
  declined: 'Declined',
} as const
export type ReferralStatus = keyof typeof REFERRAL_STATUSES

export const GOAL_STATUSES = {
  open: 'Open',
  in_progress: 'In progress',
  achieved: 'Achieved',
  dropped: 'Dropped',
} as const
export type GoalStatus = keyof typeof GOAL_STATUSES

export const SESSION_STATUSES = ['draft', 'submitted', 'deleted'] as const
export type SessionStatus = (typeof SESSION_STATUSES)[number]

/** Session length bounds the form accepts, in minutes (the policy default is in national_policy). */
export const DURATION_MIN = 5
export const DURATION_MAX = 180
