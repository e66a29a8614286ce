// Test code (never imported by shipped code): the records the domain's unit tests start from, shared by the older
// tests and the rules tests mutation testing added beside them. Each test overrides only what it is about.
import type { BookletService } from './directory'
import type { Slot } from './planning'
import type { EntryText } from './sessionEntry'

/** A booklet service: active, inside, with nothing listed; its id is its name. */
export const bookletService = (over: Partial<BookletService>): BookletService => ({
  id: over.name ?? 'x',
  name: 'x',
  description: null,
  provision: 'internal',
  status: 'active',
  pathways: [],
  applicationProcess: null,
  email: null,
  location: null,
  contacts: [],
  phones: [],
  openingTimes: [],
  national: false,
  ...over,
})

/** 2026-06-01 is a Monday. */
export const MONDAY = '2026-06-01'

/** A weekly key work slot (weekday 1 is Monday), from MONDAY unless told. */
export const weekly = (
  weekday: number,
  startsAt: string,
  endsAt: string,
  validFrom = MONDAY,
  validTo: string | null = null,
) => ({ weekday, onDate: null, startsAt, endsAt, validFrom, validTo }) satisfies Slot

/** A key work slot on one date. */
export const oneOff = (onDate: string, startsAt: string, endsAt: string) =>
  ({ weekday: null, onDate, startsAt, endsAt, validFrom: onDate, validTo: onDate }) satisfies Slot

/** A goal row left blank. */
export const blankGoal = { description: '', measure: '', targetDate: '' }

/**
 * A session entry as read from the form: delivered on 19 May 2026 at 9.30 for 45 minutes in an interview room, not
 * private, no interpreter, no concern, "Meet again" agreed, one blank goal row and one blank referral row.
 */
export const entryText = (over: Partial<EntryText> = {}): EntryText => ({
  outcome: 'delivered',
  notDeliveredReason: '',
  notDeliveredDetail: '',
  sessionDate: { day: '19', month: '5', year: '2026' },
  startsAt: '9.30',
  duration: '45',
  location: 'interview_room',
  hubBookingId: '',
  private: 'no',
  interpreterNeeded: 'no',
  interpreterUsed: '',
  interpreterService: '',
  interpreterBookingRef: '',
  interpreterLanguage: '',
  interpreterWhyNot: '',
  pathways: [],
  concern: 'no',
  concernEscalatedTo: '',
  prisonerWords: '',
  agreed: 'Meet again',
  goals: [blankGoal],
  reviews: new Map(),
  referrals: [{ to: '', note: '', followUp: '' }],
  worksheets: [],
  ...over,
})

/** An entry as typed for the pre-check: a delivered 45-minute session on 1 December 2026 with nothing else filled in. */
export const precheckEntry = (over: Partial<EntryText> = {}): EntryText =>
  entryText({
    sessionDate: { day: '1', month: '12', year: '2026' },
    startsAt: '',
    location: 'hub_room',
    private: 'yes',
    agreed: '',
    ...over,
  })
