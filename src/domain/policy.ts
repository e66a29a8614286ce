export interface Bounds {
  min: number
  max: number
  default: number
}

export interface PolicyBounds {
  ratio: Bounds
  frequencyWeeks: Bounds
  sessionMinutes: Bounds
}

export interface EstablishmentOverrides {
  ratio: number | null
  frequencyWeeks: number | null
  sessionMinutes: number | null
}

export interface EffectiveSettings {
  ratio: number
  frequencyWeeks: number
  sessionMinutes: number
}

export const SETTING_NAMES: Record<keyof PolicyBounds, string> = {
  ratio: 'Prisoners per Key Worker',
  frequencyWeeks: 'Session frequency in weeks',
  sessionMinutes: 'Session length in minutes',
}

/** An establishment's own value applies only while it lies inside the national bounds. */
export function effectiveSettings(policy: PolicyBounds, own: EstablishmentOverrides): EffectiveSettings {
  const pick = (b: Bounds, v: number | null) => (v !== null && v >= b.min && v <= b.max ? v : b.default)
  return {
    ratio: pick(policy.ratio, own.ratio),
    frequencyWeeks: pick(policy.frequencyWeeks, own.frequencyWeeks),
    sessionMinutes: pick(policy.sessionMinutes, own.sessionMinutes),
  }
}

/** Errors keyed by setting for values outside the bounds. */
export function boundsErrors(
  policy: PolicyBounds,
  own: EstablishmentOverrides,
): Partial<Record<keyof PolicyBounds, string>> {
  const errors: Partial<Record<keyof PolicyBounds, string>> = {}
  for (const key of Object.keys(SETTING_NAMES) as (keyof PolicyBounds)[]) {
    const v = own[key]
    const b = policy[key]
    if (v !== null && (v < b.min || v > b.max)) {
      errors[key] = `${SETTING_NAMES[key]} must be between ${b.min} and ${b.max}`
    }
  }
  return errors
}

/** Checks that the national bounds are coherent: min ≤ default ≤ max for each setting. */
export function policyErrors(policy: PolicyBounds): Partial<Record<keyof PolicyBounds, string>> {
  const errors: Partial<Record<keyof PolicyBounds, string>> = {}
  for (const key of Object.keys(SETTING_NAMES) as (keyof PolicyBounds)[]) {
    const b = policy[key]
    if (b.min > b.max) errors[key] = `${SETTING_NAMES[key]}: the minimum must not be more than the maximum`
    else if (b.default < b.min || b.default > b.max)
      errors[key] = `${SETTING_NAMES[key]}: the default must be between the minimum and the maximum`
  }
  return errors
}
