/** Page numbers around the current one, with 0 standing for an ellipsis. */
export function pageItems(current: number, total: number): number[] {
  const wanted = new Set([1, total, current - 1, current, current + 1].filter(p => p >= 1 && p <= total))
  const sorted = [...wanted].sort((a, b) => a - b)
  const out: number[] = []
  for (const p of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && p - last > 1) out.push(0)
    out.push(p)
  }
  return out
}

/** Parameters for govukPagination. */
export function pagination(page: number, pages: number, link: (p: number) => string) {
  return {
    previous: page > 1 ? { href: link(page - 1) } : undefined,
    next: page < pages ? { href: link(page + 1) } : undefined,
    items: pageItems(page, pages).map(p =>
      p === 0 ? { ellipsis: true } : { number: p, href: link(p), current: p === page },
    ),
  }
}
