// The allocation engine: pure, no I/O. `allocate` proposes Key Worker allocations with reasons; the feature layer
// reads the database into an AllocationInput and saves what the Supervising Officer confirms.
import { allocateGreedy } from './greedy'
import { allocateOptimal } from './optimal'
import type { AllocationInput, AllocationOptions, AllocationResult } from './types'

export * from './types'
export { type RoomExplanation, explainRoom } from './explain'
export { EXCLUDED_REASON, NO_OFFICER_REASON, NO_ROOM_REASON } from './optimal'
export { Scorer, SCALE, isEligibleOfficer, roomOf } from './scoring'

export function allocate(
  input: AllocationInput,
  options: AllocationOptions = { strategy: 'optimal' },
): AllocationResult {
  return options.strategy === 'greedy' ? allocateGreedy(input) : allocateOptimal(input, options.network ?? 'pruned')
}
