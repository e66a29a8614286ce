/**
 * Small-number protection for aggregate tables (the staff survey, recruitment campaigns).
 *
 * Cells form a tree: a cell may name its parent (e.g. an establishment's total is the parent of its roles;
 * the national total is the parent of the establishments). A cell is SHOWN only when
 *  - its count is at least the threshold (primary suppression),
 *  - its parent (and every ancestor) is shown (a part of a hidden whole is hidden too), and
 *  - for every shown parent, the parent's count minus the sum of its shown children is 0 or at least the
 *    threshold (complementary suppression): otherwise the hidden remainder — a group smaller than the
 *    threshold — could be worked out by subtraction. When that happens the smallest shown child is hidden as
 *    well (its count is at least the threshold, so the remainder becomes at least the threshold).
 * Because each shown child is itself at least the threshold, parent minus the sum of ANY subset of its shown
 * children is then 0 or at least the threshold.
 */

export const MIN_THRESHOLD = 5

export interface DisclosureCell {
  key: string
  parent?: string
  n: number
}

/** the keys that may be shown */
export function protectCells(cells: readonly DisclosureCell[], threshold: number): Set<string> {
  const limit = Math.max(threshold, MIN_THRESHOLD)
  const byKey = new Map<string, DisclosureCell>()
  for (const cell of cells) byKey.set(cell.key, cell)
  const children = new Map<string, DisclosureCell[]>()
  for (const cell of cells) {
    if (cell.parent === undefined || !byKey.has(cell.parent)) continue
    const list = children.get(cell.parent) ?? []
    list.push(cell)
    children.set(cell.parent, list)
  }

  const hidden = new Set<string>()
  for (const cell of cells) if (!(cell.n >= limit)) hidden.add(cell.key)

  const isShown = (key: string): boolean => {
    const seen = new Set<string>()
    let current: DisclosureCell | undefined = byKey.get(key)
    while (current) {
      if (hidden.has(current.key)) return false
      if (seen.has(current.key)) return false // a cycle: show nothing of it
      seen.add(current.key)
      current = current.parent === undefined ? undefined : byKey.get(current.parent)
    }
    return true
  }

  // Hiding a child only changes its own parent's remainder (and hides its subtree), so repeating until
  // nothing changes settles in at most one step per cell.
  let changed = true
  while (changed) {
    changed = false
    for (const [parentKey, kids] of children) {
      if (!isShown(parentKey)) continue
      const parent = byKey.get(parentKey)!
      const shownKids = kids.filter(kid => isShown(kid.key))
      const remainder = parent.n - shownKids.reduce((sum, kid) => sum + kid.n, 0)
      if (remainder === 0 || remainder >= limit) continue
      if (shownKids.length === 0) continue // remainder is then the parent itself, at least the threshold
      const smallest = shownKids.reduce((a, b) => (b.n < a.n || (b.n === a.n && b.key < a.key) ? b : a))
      hidden.add(smallest.key)
      changed = true
    }
  }

  const shown = new Set<string>()
  for (const cell of cells) if (isShown(cell.key)) shown.add(cell.key)
  return shown
}
