/**
 * The one clock. Everything that asks what time it is asks here, and "today" and every day boundary are the
 * Europe/London day (src/domain/dates.ts: londonDate, londonDayStart), never the UTC one. Tests set the clock to
 * run at a chosen instant (00:30 British Summer Time, say) instead of depending on the time they happen to run.
 */
const system = () => new Date()
let source: () => Date = system

/** The current instant. */
export function now(): Date {
  return source()
}

/** Sets the clock (tests): a fixed instant, a function, or null for the system clock again. */
export function setClock(at: Date | string | (() => Date) | null): void {
  source = at === null ? system : typeof at === 'function' ? at : () => new Date(at)
}
