/**
 * The Ministry of Justice's key worker statistics, worked out their way, for the CSV's moj_value columns. Read from
 * ministryofjustice/keyworker-api: services/PrisonStatsService.kt (an establishment's period), services/Statistic.kt
 * (percentages), services/GetKeyworkerDetails.kt (one Key Worker). Their daily figures are whole numbers, averages
 * over a period are truncated to whole numbers, and a percentage is the double n ÷ d × 100 rounded to 2 decimals
 * half-even as Java's `new BigDecimal(double)` does it: on the double's exact binary value. Pure functions.
 */

/** x as mantissa × 2^exponent, exactly (x finite and ≥ 0). */
function binaryParts(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 }
}

/**
 * `new BigDecimal(x).setScale(digits, HALF_EVEN).toDouble()`: the exact value of the double is rounded, so 2.675
 * (stored as 2.67499999…) gives 2.67, and only a true binary tie (15.625) goes to the even neighbour (15.62).
 */
export function bigDecimalHalfEven(x: number, digits = 2): number {
  if (!Number.isFinite(x) || x === 0) return x
  const { mantissa, exponent } = binaryParts(Math.abs(x))
  if (exponent >= 0) return x // a whole number
  const scaled = mantissa * 10n ** BigInt(digits)
  const divisor = 1n << BigInt(-exponent)
  let q = scaled / divisor
  const twice = (scaled % divisor) * 2n
  if (twice > divisor || (twice === divisor && q % 2n === 1n)) q += 1n
  const r = Number(q) / 10 ** digits
  return x < 0 ? -r : r
}

/** Statistic.percentage: null when either side is 0, else numerator ÷ denominator × 100 to 2 decimals half-even. */
export function mojPercentage(numerator: number, denominator: number): number | null {
  if (numerator === 0 || denominator === 0) return null
  return bigDecimalHalfEven((numerator / denominator) * 100, 2)
}

/** The average of whole daily counts over `days` days, truncated to a whole number (Kotlin's average().toInt()). */
export function mojAverage(sumOfDailyCounts: number, days: number): number {
  return days > 0 ? Math.trunc(sumOfDailyCounts / days) : 0
}

/**
 * Projected sessions: the (already truncated) average eligible prisoners × (days ÷ (frequency in weeks × 7)), in
 * that order of operations, truncated; 0 when nobody is eligible.
 */
export function mojProjected(eligible: number, days: number, frequencyWeeks: number): number {
  if (eligible === 0) return 0
  return Math.trunc(eligible * (days / (frequencyWeeks * 7)))
}

/** Compliance: sessions ÷ projected as a percentage, 0 (not null) when there is nothing to divide or nothing held. */
export function mojCompliance(sessions: number, projected: number): number {
  return mojPercentage(sessions, projected) ?? 0
}
