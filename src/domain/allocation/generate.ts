// Generated establishments for the benchmark and the tests: seeded, so the same seed gives the same prison.
import { Random } from '../random'
import type { AllocationInput, AllocationOfficer, AllocationPrisoner } from './types'

export interface EstablishmentShape {
  prisoners: number
  officers: number
  houseblocks: number
  /** share of prisoners who need an interpreter */
  interpreterNeed: number
  /** share of prisoners who had a Key Worker here before */
  previousKeyWorker: number
  /** share of prisoners excluded (high complexity of need) */
  excluded: number
  today: string
}

export const CATEGORY_B_LOCAL: EstablishmentShape = {
  prisoners: 1200,
  officers: 200,
  houseblocks: 8,
  interpreterNeed: 0.12,
  previousKeyWorker: 0.4,
  excluded: 0.05,
  today: '2025-06-02',
}

// Languages of prisoners who need an interpreter, roughly in proportion to the foreign national population.
const LANGUAGES: [string, number][] = [
  ['pl', 14],
  ['ro', 13],
  ['sq', 12],
  ['lt', 6],
  ['ar', 6],
  ['vi', 6],
  ['pt', 4],
  ['ur', 4],
  ['so', 4],
  ['fa', 4],
  ['ku', 4],
  ['zh', 3],
  ['es', 3],
  ['tr', 3],
  ['pa', 3],
  ['bg', 3],
  ['ti', 2],
  ['lv', 2],
  ['ru', 2],
  ['cs', 2],
]

const SURNAMES = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Wright']
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'

export function generateEstablishment(seed: number, shape: EstablishmentShape = CATEGORY_B_LOCAL): AllocationInput {
  const rng = new Random(seed)
  const units = Array.from({ length: shape.houseblocks }, (_, i) => `HB${i + 1}`)
  const officers: AllocationOfficer[] = []
  for (let i = 0; i < shape.officers; i++) {
    // Most officers are full time (7 prisoners); part-timers carry pro-rata caseloads.
    const capacity = rng.weighted<number>([
      [7, 70],
      [3, 8],
      [4, 10],
      [5, 7],
      [7, 5],
    ])
    officers.push({
      id: `O${String(i + 1).padStart(4, '0')}`,
      homeUnitCode: rng.chance(0.9) ? rng.pick(units) : null,
      languages: rng.chance(0.12) ? ['en', rng.weighted(LANGUAGES)] : ['en'],
      capacity,
      currentLoad: 0,
      active: rng.chance(0.92),
      keyWorker: rng.chance(0.97),
    })
  }
  const prisoners: AllocationPrisoner[] = []
  for (let i = 0; i < shape.prisoners; i++) {
    const interpreterNeeded = rng.chance(shape.interpreterNeed)
    const previous: string[] = []
    if (rng.chance(shape.previousKeyWorker)) {
      previous.push(rng.pick(officers).id)
      if (rng.chance(0.2)) previous.push(rng.pick(officers).id)
    }
    const waited = Math.floor(rng.exponential(30))
    const date = new Date(Date.parse(`${shape.today}T00:00:00Z`) - waited * 86_400_000).toISOString().slice(0, 10)
    let name = rng.pick(SURNAMES) + ', '
    for (let k = 0; k < 6; k++) name += rng.pick([...LETTERS])
    prisoners.push({
      id: `P${String(i + 1).padStart(5, '0')}`,
      name,
      unitCode: rng.chance(0.96) ? rng.pick(units) : null,
      receptionDate: date,
      language: interpreterNeeded ? rng.weighted(LANGUAGES) : 'en',
      interpreterNeeded,
      excluded: rng.chance(shape.excluded),
      previousOfficerIds: previous,
    })
  }
  return { prisoners, officers, today: shape.today }
}
