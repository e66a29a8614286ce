// Why prisoners wait for a Key Worker and what would make room: the establishment's capacity within the national
// bounds, officers who could be flagged as Key Workers, Key Workers who are away. Pure: the pages word it.
import { effectiveCapacity, officerCapacity } from '../capacity'
import { FULL_TIME_HOURS } from '../prisoner'

export interface ExplainOfficer {
  keyWorker: boolean
  /** 'active', or a reason for being away */
  status: string
  returnDate: string | null
  weeklyHours: number
  capacityOverride: number | null
  load: number
}

export interface RoomExplanation {
  waiting: number
  /** free places among active Key Workers */
  room: number
  ratio: number
  max: number
  /** the smallest ratio within the national maximum that makes room for everyone waiting, else the maximum */
  raise: { ratio: number; extra: number } | null
  /** active officers not flagged as Key Workers, and the room they would bring at the current ratio */
  notFlagged: { count: number; room: number }
  /** Key Workers away: how many, the first and last return dates, and how many have no return date */
  away: { count: number; firstBack: string | null; lastBack: string | null; noDate: number }
}

const AWAY = new Set(['annual_leave', 'long_term_absence', 'no_prisoner_contact'])

export function explainRoom(input: {
  waiting: number
  ratio: number
  max: number
  officers: ExplainOfficer[]
}): RoomExplanation {
  const { waiting, ratio, max, officers } = input
  const active = officers.filter(o => o.status === 'active')
  const keyWorkers = active.filter(o => o.keyWorker)
  const roomAt = (r: number) =>
    keyWorkers.reduce((n, o) => n + Math.max(0, effectiveCapacity(r, o.weeklyHours, o.capacityOverride) - o.load), 0)
  const room = roomAt(ratio)
  let raise: RoomExplanation['raise'] = null
  for (let r = ratio + 1; r <= max; r++) {
    raise = { ratio: r, extra: roomAt(r) - room }
    if (raise.extra >= waiting - room) break
  }
  if (raise && raise.extra <= 0) raise = null
  const others = active.filter(o => !o.keyWorker)
  const away = officers.filter(o => o.keyWorker && AWAY.has(o.status))
  const dates = away
    .map(o => o.returnDate)
    .filter((d): d is string => d !== null)
    .sort()
  return {
    waiting,
    room,
    ratio,
    max,
    raise,
    notFlagged: {
      count: others.length,
      room: others.reduce((n, o) => n + officerCapacity(ratio, Math.min(o.weeklyHours, FULL_TIME_HOURS)), 0),
    },
    away: {
      count: away.length,
      firstBack: dates[0] ?? null,
      lastBack: dates.at(-1) ?? null,
      noDate: away.length - dates.length,
    },
  }
}
