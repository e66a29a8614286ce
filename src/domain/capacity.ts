import { FULL_TIME_HOURS } from './prisoner'

/**
 * How many prisoners a Key Worker can hold: the establishment's ratio, pro rata for part-time hours,
 * never below 1 for someone working at all.
 */
export function officerCapacity(ratio: number, weeklyHours: number): number {
  if (weeklyHours <= 0) return 0
  return Math.max(1, Math.round((ratio * Math.min(weeklyHours, FULL_TIME_HOURS)) / FULL_TIME_HOURS))
}

/**
 * The capacity actually used for an officer: their own override when one is set (an establishment admin's decision,
 * already checked against the national bounds), otherwise the pro-rata default above.
 */
export function effectiveCapacity(ratio: number, weeklyHours: number, override: number | null | undefined): number {
  if (override !== null && override !== undefined) return override
  return officerCapacity(ratio, weeklyHours)
}
