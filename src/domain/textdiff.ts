import { diffLines, diffWordsWithSpace } from 'diff'

/**
 * "What changed" between two versions of a text, for people rather than machines: changed lines with a little
 * context around them, runs of unchanged lines folded away, and inside a changed line the words that changed.
 */

export interface Segment {
  text: string
  /** the words that differ from the other version of the line */
  changed: boolean
}

export type DiffRow =
  | { kind: 'same'; segments: Segment[] }
  | { kind: 'added'; segments: Segment[] }
  | { kind: 'removed'; segments: Segment[] }
  | { kind: 'gap'; lines: number }

export interface TextDiff {
  rows: DiffRow[]
  added: number
  removed: number
  /** true when nothing changed */
  same: boolean
}

const whole = (text: string): Segment[] => [{ text, changed: false }]

function splitLines(value: string): string[] {
  const lines = value.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** Word-level segments of a line changed into another: what was removed from `before`, added to `after`. */
function wordSegments(before: string, after: string): { removed: Segment[]; added: Segment[] } {
  const removed: Segment[] = []
  const added: Segment[] = []
  for (const part of diffWordsWithSpace(before, after)) {
    if (!part.added) removed.push({ text: part.value, changed: !!part.removed })
    if (!part.removed) added.push({ text: part.value, changed: !!part.added })
  }
  return { removed, added }
}

/** Compares two texts line by line; `context` unchanged lines are kept either side of each change. */
export function textDiff(before: string, after: string, context = 2): TextDiff {
  // a missing newline at the very end is not a change anyone would want to see
  const norm = (t: string) => {
    const u = t.replace(/\r\n/g, '\n')
    return u === '' || u.endsWith('\n') ? u : `${u}\n`
  }
  const parts = diffLines(norm(before), norm(after))
  const full: Exclude<DiffRow, { kind: 'gap' }>[] = []
  let added = 0
  let removed = 0
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    const lines = splitLines(part.value)
    if (part.removed) {
      removed += lines.length
      const next = parts[i + 1]
      const nextLines = next?.added ? splitLines(next.value) : null
      if (next?.added && nextLines && nextLines.length === lines.length) {
        // a block of lines edited in place: show the words that changed in each
        added += nextLines.length
        const pairs = lines.map((l, j) => wordSegments(l, nextLines[j]!))
        for (const p of pairs) full.push({ kind: 'removed', segments: p.removed })
        for (const p of pairs) full.push({ kind: 'added', segments: p.added })
        i++
      } else for (const l of lines) full.push({ kind: 'removed', segments: whole(l) })
    } else if (part.added) {
      added += lines.length
      for (const l of lines) full.push({ kind: 'added', segments: whole(l) })
    } else for (const l of lines) full.push({ kind: 'same', segments: whole(l) })
  }

  // fold unchanged lines further than `context` from any change
  const near = full.map(() => false)
  full.forEach((r, i) => {
    if (r.kind === 'same') return
    for (let j = Math.max(0, i - context); j <= Math.min(full.length - 1, i + context); j++) near[j] = true
  })
  const rows: DiffRow[] = []
  let folded = 0
  full.forEach((r, i) => {
    if (r.kind !== 'same' || near[i]) {
      if (folded) rows.push({ kind: 'gap', lines: folded })
      folded = 0
      rows.push(r)
    } else folded++
  })
  if (folded) rows.push({ kind: 'gap', lines: folded })
  return { rows, added, removed, same: added === 0 && removed === 0 }
}
