// The rules of Key Worker training: when the initial course falls due, when a top-up expires, how many hours of
// continuing professional development (CPD) an officer has in the last 12 months, and whether an untrained officer
// may be given a caseload. Pure: dates are 'YYYY-MM-DD' Europe/London days, compared as text.
import { addDays, addMonths } from './dates'

export type ModuleKind = 'initial' | 'topup' | 'local' | 'cpd'
export const MODULE_KINDS: readonly ModuleKind[] = ['initial', 'topup', 'local', 'cpd']
export const MODULE_KIND_NAMES: Record<ModuleKind, string> = {
  initial: 'Initial course',
  topup: 'Top-up',
  local: 'Local module',
  cpd: 'Continuing professional development',
}

export type ModuleFormat = 'workshop' | 'lecture' | 'practical' | 'observation' | 'peer_supervision' | 'e_learning'
export const MODULE_FORMATS: readonly ModuleFormat[] = [
  'workshop',
  'lecture',
  'practical',
  'observation',
  'peer_supervision',
  'e_learning',
]
export const MODULE_FORMAT_NAMES: Record<ModuleFormat, string> = {
  workshop: 'Workshop',
  lecture: 'Lecture',
  practical: 'Practical',
  observation: 'Observation',
  peer_supervision: 'Peer supervision',
  e_learning: 'E-learning',
}

export type ContributorRole =
  'academic' | 'psychologist' | 'mental_health' | 'prison_officer' | 'prisoner_voice' | 'other'
export const CONTRIBUTOR_ROLES: readonly ContributorRole[] = [
  'academic',
  'psychologist',
  'mental_health',
  'prison_officer',
  'prisoner_voice',
  'other',
]
export const CONTRIBUTOR_ROLE_NAMES: Record<ContributorRole, string> = {
  academic: 'Academic',
  psychologist: 'Psychologist',
  mental_health: 'Mental health professional',
  prison_officer: 'Prison officer',
  prisoner_voice: 'Prisoner voice (lived experience)',
  other: 'Other',
}

export type Outcome = 'completed' | 'passed' | 'failed'
export const OUTCOMES: readonly Outcome[] = ['completed', 'passed', 'failed']
export const OUTCOME_NAMES: Record<Outcome, string> = { completed: 'Completed', passed: 'Passed', failed: 'Not passed' }

export type UntrainedAllocation = 'allow' | 'warn' | 'refuse'
export const UNTRAINED_ALLOCATIONS: readonly UntrainedAllocation[] = ['allow', 'warn', 'refuse']
export const UNTRAINED_ALLOCATION_NAMES: Record<UntrainedAllocation, string> = {
  allow: 'Allow: untrained officers may hold a caseload',
  warn: 'Warn: allocate only after the user confirms',
  refuse: 'Refuse: untrained officers are never allocated prisoners',
}

export interface TrainingRules {
  windowFromMonths: number
  windowToMonths: number
  topupMonths: number
  cpdHours: number
  untrainedAllocation: UntrainedAllocation
}

export const DEFAULT_TRAINING_RULES: TrainingRules = {
  windowFromMonths: 3,
  windowToMonths: 9,
  topupMonths: 12,
  cpdHours: 6,
  untrainedAllocation: 'warn',
}

export interface CompletionFact {
  moduleCode: string
  kind: ModuleKind
  completedOn: string
  hours: number
  outcome: Outcome
}

export interface JournalFact {
  writtenOn: string
  minutes: number
}

/** A top-up is "expiring" from this many days before it falls due. */
export const EXPIRING_DAYS = 30

/** yyyy-mm-dd plus n calendar months, clamped to the month's last day (31 Jan + 1 → 28 or 29 Feb) */
export function addMonthsIso(date: string, months: number): string {
  return addMonths(date, months)
}

export type InitialState = 'not_yet_due' | 'in_window' | 'overdue' | 'done' | 'no_start_date'
export type TopupState = 'not_applicable' | 'current' | 'expiring' | 'expired'

export const INITIAL_STATE_NAMES: Record<InitialState, string> = {
  not_yet_due: 'Not yet due',
  in_window: 'Due now',
  overdue: 'Overdue',
  done: 'Done',
  no_start_date: 'No start date recorded',
}

export const TOPUP_STATE_NAMES: Record<TopupState, string> = {
  not_applicable: 'Not applicable until the initial course is done',
  current: 'Current',
  expiring: 'Expiring soon',
  expired: 'Expired',
}

export interface TrainingStatus {
  initial: { state: InitialState; windowOpens: string | null; windowCloses: string | null; completedOn: string | null }
  topup: { state: TopupState; lastOn: string | null; dueOn: string | null }
  cpd: { hours: number; target: number; from: string; to: string; met: boolean }
  trained: boolean
}

function latest(dates: readonly string[]): string | null {
  let best: string | null = null
  for (const d of dates) if (best === null || d > best) best = d
  return best
}

function earliest(dates: readonly string[]): string | null {
  let best: string | null = null
  for (const d of dates) if (best === null || d < best) best = d
  return best
}

/** Hours rounded to hundredths, so that 20 minutes three times is 1 hour, not 0.9999… */
function roundHours(hours: number): number {
  return Math.round(hours * 100) / 100
}

/** windowOpens = start + from months, windowCloses = start + to months (both inclusive: overdue from the day after);
 *  topup dueOn = the latest of (initial done, last topup) + topupMonths: current before dueOn − 30 days, expiring from
 *  dueOn − 30 days to dueOn inclusive, expired after; CPD = hours of non-failed completions + journal minutes / 60 in
 *  the 12 months to today (from = today − 12 months + 1 day, to = today), met when ≥ target. */
export function trainingStatus(
  rules: TrainingRules,
  startedInPost: string | null,
  completions: CompletionFact[],
  today: string,
  journal: JournalFact[] = [],
): TrainingStatus {
  const counted = completions.filter(c => c.outcome !== 'failed')
  const initialDates = counted.filter(c => c.kind === 'initial').map(c => c.completedOn)
  const topupDates = counted.filter(c => c.kind === 'topup').map(c => c.completedOn)

  const completedOn = earliest(initialDates)
  const windowOpens = startedInPost ? addMonthsIso(startedInPost, rules.windowFromMonths) : null
  const windowCloses = startedInPost ? addMonthsIso(startedInPost, rules.windowToMonths) : null
  let initialState: InitialState
  if (completedOn !== null) initialState = 'done'
  else if (windowOpens === null || windowCloses === null) initialState = 'no_start_date'
  else if (today < windowOpens) initialState = 'not_yet_due'
  else if (today <= windowCloses) initialState = 'in_window'
  else initialState = 'overdue'
  const trained = completedOn !== null

  const lastOn = latest(topupDates)
  let topupState: TopupState = 'not_applicable'
  let dueOn: string | null = null
  if (trained) {
    const basis = latest([...initialDates, ...topupDates])!
    dueOn = addMonthsIso(basis, rules.topupMonths)
    if (today < addDays(dueOn, -EXPIRING_DAYS)) topupState = 'current'
    else if (today <= dueOn) topupState = 'expiring'
    else topupState = 'expired'
  }

  const from = addDays(addMonthsIso(today, -12), 1)
  const to = today
  const inYear = (d: string) => d >= from && d <= to
  let hours = 0
  for (const c of counted) if (inYear(c.completedOn)) hours += c.hours
  let minutes = 0
  for (const j of journal) if (inYear(j.writtenOn)) minutes += j.minutes
  hours = roundHours(hours + minutes / 60)

  return {
    initial: { state: initialState, windowOpens, windowCloses, completedOn },
    topup: { state: topupState, lastOn, dueOn },
    cpd: { hours, target: rules.cpdHours, from, to, met: hours >= rules.cpdHours },
    trained,
  }
}

/** 'ok' when trained or the rule is allow; else the rule ('warn' | 'refuse') */
export function allocationCheck(rule: UntrainedAllocation, trained: boolean): 'ok' | 'warn' | 'refuse' {
  if (trained || rule === 'allow') return 'ok'
  return rule
}

/** The national training policy: the defaults, and the bounds within which an establishment may set its own. */
export interface TrainingPolicy extends TrainingRules {
  /** the latest an establishment may close the initial course window, in months after the start in post */
  windowToMax: number
  topupMonthsMin: number
  topupMonthsMax: number
  cpdHoursMin: number
  cpdHoursMax: number
  /** whether an establishment may choose its own rule for allocating to an untrained officer */
  untrainedLocal: boolean
}

/** An establishment's own settings; null uses the national default. */
export interface LocalTrainingSettings {
  windowFromMonths: number | null
  windowToMonths: number | null
  topupMonths: number | null
  cpdHours: number | null
  untrainedAllocation: UntrainedAllocation | null
}

export const NO_LOCAL_SETTINGS: LocalTrainingSettings = {
  windowFromMonths: null,
  windowToMonths: null,
  topupMonths: null,
  cpdHours: null,
  untrainedAllocation: null,
}

/** The outer limits of the national policy itself. */
export const TRAINING_LIMITS = { months: 60, cpdHours: 200 } as const

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v))

/**
 * The rules in force at an establishment: its own values where it set them, else the national defaults; an own
 * value that the national bounds have since moved past is brought back within them, and the window never opens
 * after it closes.
 */
export function effectiveRules(
  policy: TrainingPolicy,
  local: LocalTrainingSettings = NO_LOCAL_SETTINGS,
): TrainingRules {
  const windowToMonths = clamp(local.windowToMonths ?? policy.windowToMonths, 0, policy.windowToMax)
  const windowFromMonths = clamp(local.windowFromMonths ?? policy.windowFromMonths, 0, windowToMonths)
  return {
    windowFromMonths,
    windowToMonths,
    topupMonths: clamp(local.topupMonths ?? policy.topupMonths, policy.topupMonthsMin, policy.topupMonthsMax),
    cpdHours: clamp(local.cpdHours ?? policy.cpdHours, policy.cpdHoursMin, policy.cpdHoursMax),
    untrainedAllocation: (policy.untrainedLocal ? local.untrainedAllocation : null) ?? policy.untrainedAllocation,
  }
}

const isWhole = (v: number) => Number.isInteger(v)
/** hours: whole or to one decimal place (a half-hour session is 0.5) */
const isTenths = (v: number) => Number.isFinite(v) && Math.abs(v * 10 - Math.round(v * 10)) < 1e-9

/** Every problem with a national policy, keyed by its form field; empty when it may be saved. */
export function policyProblems(p: TrainingPolicy): Record<string, string> {
  const e: Record<string, string> = {}
  const M = TRAINING_LIMITS.months
  const H = TRAINING_LIMITS.cpdHours
  const whole = (key: keyof TrainingPolicy, v: number, what: string, min: number, max: number) => {
    if (!isWhole(v) || v < min || v > max) e[key] = `${what} must be a whole number from ${min} to ${max}`
  }
  whole('windowToMax', p.windowToMax, 'The latest an establishment may close the window', 1, M)
  whole('windowToMonths', p.windowToMonths, 'The months to the end of the window', 1, M)
  whole('windowFromMonths', p.windowFromMonths, 'The months to the start of the window', 0, M)
  if (!e.windowToMonths && !e.windowToMax && p.windowToMonths > p.windowToMax)
    e.windowToMonths = 'The window must close no later than the latest an establishment may close it'
  if (!e.windowFromMonths && !e.windowToMonths && p.windowFromMonths > p.windowToMonths)
    e.windowFromMonths = 'The window must open before it closes, or on the same month'
  whole('topupMonthsMin', p.topupMonthsMin, 'The shortest top-up interval', 1, M)
  whole('topupMonthsMax', p.topupMonthsMax, 'The longest top-up interval', 1, M)
  whole('topupMonths', p.topupMonths, 'The top-up interval', 1, M)
  if (!e.topupMonthsMin && !e.topupMonthsMax && p.topupMonthsMin > p.topupMonthsMax)
    e.topupMonthsMax = 'The longest top-up interval must be at least the shortest'
  else if (!e.topupMonths && !e.topupMonthsMin && !e.topupMonthsMax) {
    if (p.topupMonths < p.topupMonthsMin || p.topupMonths > p.topupMonthsMax)
      e.topupMonths = `The top-up interval must be from ${p.topupMonthsMin} to ${p.topupMonthsMax} months (the bounds)`
  }
  const hours = (key: keyof TrainingPolicy, v: number, what: string) => {
    if (!isTenths(v) || v < 0 || v > H) e[key] = `${what} must be a number of hours from 0 to ${H}, like 6 or 7.5`
  }
  hours('cpdHoursMin', p.cpdHoursMin, 'The smallest CPD target')
  hours('cpdHoursMax', p.cpdHoursMax, 'The largest CPD target')
  hours('cpdHours', p.cpdHours, 'The CPD target')
  if (!e.cpdHoursMin && !e.cpdHoursMax && p.cpdHoursMin > p.cpdHoursMax)
    e.cpdHoursMax = 'The largest CPD target must be at least the smallest'
  else if (!e.cpdHours && !e.cpdHoursMin && !e.cpdHoursMax) {
    if (p.cpdHours < p.cpdHoursMin || p.cpdHours > p.cpdHoursMax)
      e.cpdHours = `The CPD target must be from ${p.cpdHoursMin} to ${p.cpdHoursMax} hours (the bounds)`
  }
  if (!UNTRAINED_ALLOCATIONS.includes(p.untrainedAllocation))
    e.untrainedAllocation = 'Select what happens when an untrained officer is allocated prisoners'
  return e
}

/** Every problem with an establishment's own settings against the national policy, keyed by form field. */
export function settingsProblems(policy: TrainingPolicy, s: LocalTrainingSettings): Record<string, string> {
  const e: Record<string, string> = {}
  const to = s.windowToMonths ?? policy.windowToMonths
  const from = s.windowFromMonths ?? policy.windowFromMonths
  if (
    s.windowToMonths !== null &&
    (!isWhole(s.windowToMonths) || s.windowToMonths < 1 || s.windowToMonths > policy.windowToMax)
  )
    e.windowToMonths = `The months to the end of the window must be a whole number from 1 to ${policy.windowToMax} (the national bound)`
  if (
    s.windowFromMonths !== null &&
    (!isWhole(s.windowFromMonths) || s.windowFromMonths < 0 || s.windowFromMonths > TRAINING_LIMITS.months)
  )
    e.windowFromMonths = `The months to the start of the window must be a whole number from 0 to ${TRAINING_LIMITS.months}`
  if (!e.windowFromMonths && !e.windowToMonths && from > to)
    e[s.windowFromMonths !== null ? 'windowFromMonths' : 'windowToMonths'] =
      `The window must open before it closes, or on the same month (it opens at ${from} and closes at ${to} months)`
  if (
    s.topupMonths !== null &&
    (!isWhole(s.topupMonths) || s.topupMonths < policy.topupMonthsMin || s.topupMonths > policy.topupMonthsMax)
  )
    e.topupMonths = `The top-up interval must be a whole number of months from ${policy.topupMonthsMin} to ${policy.topupMonthsMax} (the national bounds)`
  if (
    s.cpdHours !== null &&
    (!isTenths(s.cpdHours) || s.cpdHours < policy.cpdHoursMin || s.cpdHours > policy.cpdHoursMax)
  )
    e.cpdHours = `The CPD target must be from ${policy.cpdHoursMin} to ${policy.cpdHoursMax} hours (the national bounds)`
  if (s.untrainedAllocation !== null) {
    if (!policy.untrainedLocal)
      e.untrainedAllocation =
        'The national team sets what happens when an untrained officer is allocated: leave it blank'
    else if (!UNTRAINED_ALLOCATIONS.includes(s.untrainedAllocation))
      e.untrainedAllocation = 'Select what happens when an untrained officer is allocated prisoners'
  }
  return e
}
