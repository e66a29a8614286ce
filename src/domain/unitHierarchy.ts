// Pure helpers for units inside units (a wing inside a houseblock). No I/O: the service and the import use them.

export interface UnitLink {
  code: string
  parent: string | null
}

export interface UnitNode {
  id: number
  parent_id: number | null
}

/** The code chain from code upwards if it comes back to code (a unit inside itself), else null. */
function cycleFrom(code: string, parentOf: Map<string, string | null>): string[] | null {
  const chain = [code]
  let current = parentOf.get(code) ?? null
  while (current) {
    if (current === code) return [...chain, code]
    if (chain.includes(current)) return null // a loop further up, reported on its own units
    chain.push(current)
    current = parentOf.get(current) ?? null
  }
  return null
}

/**
 * Checks the parents of incoming units against the establishment's units and each other: a parent may be added
 * later in the same file, but must exist somewhere, and no unit may end up inside itself.
 */
export function parentProblems(existing: readonly UnitLink[], records: readonly UnitLink[]) {
  const parentOf = new Map<string, string | null>(existing.map(u => [u.code, u.parent]))
  for (const r of records) parentOf.set(r.code, r.parent)
  const problems: { index: number; message: string }[] = []
  records.forEach((r, index) => {
    if (!r.parent) return
    if (r.parent === r.code) problems.push({ index, message: 'A unit cannot be inside itself' })
    else if (!parentOf.has(r.parent))
      problems.push({ index, message: `Parent unit ${r.parent} is not a unit of this establishment` })
    else {
      const cycle = cycleFrom(r.code, parentOf)
      if (cycle) problems.push({ index, message: `Unit ${r.code} would be inside itself: ${cycle.join(' in ')}` })
    }
  })
  return problems
}

/** The ids of every unit inside the given one, at any depth (not the unit itself). */
export function descendantIds(units: readonly UnitNode[], id: number): Set<number> {
  const children = new Map<number, number[]>()
  for (const u of units)
    if (u.parent_id !== null) children.set(u.parent_id, [...(children.get(u.parent_id) ?? []), u.id])
  const out = new Set<number>()
  const stack = [...(children.get(id) ?? [])]
  while (stack.length) {
    const next = stack.pop()!
    if (out.has(next) || next === id) continue
    out.add(next)
    stack.push(...(children.get(next) ?? []))
  }
  return out
}

export interface UnitTreeFields {
  depth: number
  /** prisoners in the unit and in every unit inside it */
  occupiedWithin: number
  parentCode: string | null
  hasUnitsInside: boolean
}

/**
 * Units in reading order, each parent followed by the units inside it, with their depth; also the prisoners in each
 * unit counting those in the units inside it (a man on A-1 landing is in A wing too).
 */
export function unitTree<U extends UnitNode & { code: string; occupied: number }>(
  units: readonly U[],
): (U & UnitTreeFields)[] {
  const byId = new Map(units.map(u => [u.id, u]))
  const children = new Map<number | null, U[]>()
  for (const u of units) {
    const parent = u.parent_id !== null && byId.has(u.parent_id) ? u.parent_id : null
    children.set(parent, [...(children.get(parent) ?? []), u])
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }))
  const out: (U & UnitTreeFields)[] = []
  const seen = new Set<number>()
  const visit = (u: U, depth: number): number => {
    seen.add(u.id)
    const row = {
      ...u,
      depth,
      occupiedWithin: u.occupied,
      parentCode: u.parent_id === null ? null : (byId.get(u.parent_id)?.code ?? null),
      hasUnitsInside: (children.get(u.id) ?? []).length > 0,
    }
    out.push(row)
    for (const c of children.get(u.id) ?? []) if (!seen.has(c.id)) row.occupiedWithin += visit(c, depth + 1)
    return row.occupiedWithin
  }
  for (const u of children.get(null) ?? []) visit(u, 0)
  // units caught in a loop of parents (never made by keywork itself) are still listed
  for (const u of units) if (!seen.has(u.id)) visit(u, 0)
  return out
}
