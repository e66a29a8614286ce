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
