// The choices of "Refer to" on the session form: directory services and teams, each once. The demo's directory (and
// an establishment's own) lists the chaplaincy, healthcare, the resettlement team and so on as services, which are
// also teams: the form showed them twice. A service also listed nationally under the same name shows once.

const core = (name: string) =>
  name
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\b(team|service|services|unit)\b/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

const abbreviations = (name: string) => [...name.matchAll(/\(([A-Z]{2,})\)/g)].map(m => m[1]!)

/** True when a directory service and a team are the same people: same name at heart, or the same abbreviation. */
export function sameTarget(service: string, team: string): boolean {
  const a = core(service)
  const b = core(team)
  if (a && b && (a === b || a.startsWith(`${b} `) || b.startsWith(`${a} `))) return true
  const own = abbreviations(service)
  return abbreviations(team).some(x => own.includes(x))
}

/**
 * Each service once (an establishment's own service wins over a national one of the same name) and the teams that
 * no service already stands for.
 */
export function referralTargets<S extends { name: string; national: boolean }>(
  services: S[],
  teams: Record<string, string>,
): { services: S[]; stakeholders: Record<string, string> } {
  const byName = new Map<string, S>()
  for (const s of services) {
    const key = s.name.trim().toLowerCase()
    const seen = byName.get(key)
    if (!seen || (seen.national && !s.national)) byName.set(key, s)
  }
  const kept = services.filter(s => byName.get(s.name.trim().toLowerCase()) === s)
  const stakeholders = Object.fromEntries(
    Object.entries(teams).filter(([, team]) => !kept.some(s => sameTarget(s.name, team))),
  )
  return { services: kept, stakeholders }
}
