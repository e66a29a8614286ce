// The event-time chart of a trial outcome as inline SVG: each month since adoption with its estimate and 95% interval
// (whiskers), the months before adoption drawn hollow, a zero line, a dashed line where adoption falls, axis labels.

export interface EventPoint {
  e: number
  estimate: number
  lower: number
  upper: number
}

const esc = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

/** A round number near a step that gives about five ticks. */
function niceStep(span: number): number {
  const raw = span / 5
  const p = 10 ** Math.floor(Math.log10(raw))
  const f = raw / p
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p
}

export const formatNumber = (v: number, digits = 1) =>
  (Math.abs(v) < 0.5 * 10 ** -digits ? 0 : v).toLocaleString('en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })

/** The chart's geometry, shared by the page's SVG and the PDF's drawing. */
export function chartGeometry(points: EventPoint[], width: number, height: number) {
  const pad = { left: 56, right: 12, top: 12, bottom: 44 }
  const es = points.map(p => p.e)
  const eMin = Math.min(...es, -1)
  const eMax = Math.max(...es, 0)
  const values = points.flatMap(p => [p.lower, p.upper, p.estimate]).filter(Number.isFinite)
  let yMin = Math.min(0, ...values)
  let yMax = Math.max(0, ...values)
  if (yMax - yMin < 1e-9) [yMin, yMax] = [yMin - 1, yMax + 1]
  const step = niceStep(yMax - yMin)
  yMin = Math.floor(yMin / step) * step
  yMax = Math.ceil(yMax / step) * step
  const ticks: number[] = []
  for (let v = yMin; v <= yMax + step / 2; v += step) ticks.push(Math.round(v / step) * step)
  const plotW = width - pad.left - pad.right
  const plotH = height - pad.top - pad.bottom
  const x = (e: number) => pad.left + ((e - eMin + 0.5) / (eMax - eMin + 1)) * plotW
  const y = (v: number) => pad.top + ((yMax - v) / (yMax - yMin)) * plotH
  const eTicks: number[] = []
  const eStep = eMax - eMin > 12 ? 3 : eMax - eMin > 6 ? 2 : 1
  for (let e = eMin; e <= eMax; e++) if (e % eStep === 0) eTicks.push(e)
  return { pad, x, y, ticks, eTicks, plotW, plotH, eMin, eMax, step }
}

export function eventTimeSvg(points: EventPoint[], opts: { id: string; measure: string; unit: string }): string {
  const W = 640
  const H = 320
  const g = chartGeometry(points, W, H)
  const digits = g.step < 1 ? 2 : 1
  const out: string[] = []
  out.push(
    `<svg class="kw-trial-chart" viewBox="0 0 ${W} ${H}" width="100%" font-family="&quot;GDS Transport&quot;, arial, sans-serif" role="img" aria-labelledby="${opts.id}-title ${opts.id}-desc" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${opts.id}-title">Effect on ${esc(opts.measure)} by month since adoption</title>`,
    `<desc id="${opts.id}-desc">Estimates with 95% intervals for each month before and after adoption; the table below gives the same figures.</desc>`,
  )
  // grid and y axis labels
  for (const t of g.ticks) {
    const yy = g.y(t).toFixed(1)
    out.push(
      `<line x1="${g.pad.left}" x2="${W - g.pad.right}" y1="${yy}" y2="${yy}" stroke="${t === 0 ? '#0b0c0c' : '#b1b4b6'}" stroke-width="${t === 0 ? 1.5 : 0.5}"/>`,
      `<text x="${g.pad.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" font-size="12" fill="#0b0c0c">${esc(formatNumber(t, digits))}</text>`,
    )
  }
  // adoption line between -1 and 0
  const xa = ((g.x(-1) + g.x(0)) / 2).toFixed(1)
  out.push(
    `<line x1="${xa}" x2="${xa}" y1="${g.pad.top}" y2="${H - g.pad.bottom}" stroke="#505a5f" stroke-dasharray="4 3"/>`,
    `<text x="${Number(xa) + 4}" y="${g.pad.top + 10}" font-size="11" fill="#505a5f">adoption</text>`,
  )
  // x ticks
  for (const e of g.eTicks)
    out.push(
      `<text x="${g.x(e).toFixed(1)}" y="${H - g.pad.bottom + 16}" text-anchor="middle" font-size="12" fill="#0b0c0c">${e}</text>`,
    )
  // axis labels
  out.push(
    `<text x="${g.pad.left + g.plotW / 2}" y="${H - 8}" text-anchor="middle" font-size="12" fill="#0b0c0c">Months since adoption (before adoption: negative)</text>`,
    `<text transform="translate(14 ${g.pad.top + g.plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12" fill="#0b0c0c">Effect (${esc(opts.unit)})</text>`,
  )
  // whiskers and points
  for (const p of points) {
    const xx = g.x(p.e).toFixed(1)
    const pre = p.e < 0
    const colour = pre ? '#505a5f' : '#1d70b8'
    out.push(
      `<line x1="${xx}" x2="${xx}" y1="${g.y(p.upper).toFixed(1)}" y2="${g.y(p.lower).toFixed(1)}" stroke="${colour}" stroke-width="1.5"/>`,
      `<line x1="${Number(xx) - 4}" x2="${Number(xx) + 4}" y1="${g.y(p.upper).toFixed(1)}" y2="${g.y(p.upper).toFixed(1)}" stroke="${colour}"/>`,
      `<line x1="${Number(xx) - 4}" x2="${Number(xx) + 4}" y1="${g.y(p.lower).toFixed(1)}" y2="${g.y(p.lower).toFixed(1)}" stroke="${colour}"/>`,
      `<circle cx="${xx}" cy="${g.y(p.estimate).toFixed(1)}" r="4" fill="${pre ? '#ffffff' : colour}" stroke="${colour}" stroke-width="2"/>`,
    )
  }
  out.push('</svg>')
  return out.join('')
}
