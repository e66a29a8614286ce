import type { ContributorRole, ModuleFormat, ModuleKind } from './training'

/**
 * The national Key Worker training programme: its seed (version 1, co-created) and the pure rules a module and a
 * version must meet — codes, hours, prerequisites that exist and never go round in a circle.
 */

/** A module as written: its code is stable across versions (a completion counts for the code). */
export interface ModuleText {
  code: string
  title: string
  kind: ModuleKind
  format: ModuleFormat
  hours: number
  days: number
  summary: string
  outcomes: string[]
  prerequisites: string[]
}

export interface ContributorText {
  name: string
  role: ContributorRole
  organisation: string
}

export interface ProgrammeSeed {
  version: 1
  summary: string
  contributors: ContributorText[]
  modules: ModuleText[]
}

export const HOURS_MAX = 200
export const DAYS_MAX = 30
export const TITLE_MAX = 120
export const SUMMARY_MAX = 1000
export const OUTCOME_MAX = 300
export const OUTCOMES_MAX = 20
export const CHANGE_SUMMARY_MAX = 2000
/** A module code: a letter, then letters, digits and hyphens, 2 to 40 in all (KW-INITIAL, LOCAL-MDI-1). */
export const MODULE_CODE = /^[A-Za-z][A-Za-z0-9-]{1,39}$/
/** The kinds a national module may have; an establishment's own modules are always 'local'. */
export const NATIONAL_KINDS = ['initial', 'topup', 'cpd'] as const satisfies readonly ModuleKind[]

export const INITIAL_CODE = 'KW-INITIAL'

/** The initial course, as the review describes it: five days, several months after starting in post. */
const initial: ModuleText = {
  code: INITIAL_CODE,
  title: 'Key Worker initial course',
  kind: 'initial',
  format: 'workshop',
  hours: 30,
  days: 5,
  summary:
    'Five days of workshops for officers who have been in post for some months, so the course does not drown in ' +
    'induction. It covers the whole of the Key Worker role: talking with prisoners, supporting change, working ' +
    'with vulnerable and complex prisoners, writing entries that matter and learning from your own practice.',
  outcomes: [
    'Communication: open a conversation, listen actively and agree what the session is for, including with a prisoner who needs an interpreter',
    'Motivational interviewing: use open questions, affirmations, reflections and summaries to draw out a prisoner’s own reasons for change',
    'Vulnerable and complex prisoners: recognise signs of poor mental health and know when and how to refer to the mental health team',
    'Vulnerable and complex prisoners: respond to a risk of self-harm, open an ACCT where needed and record who was told',
    'Vulnerable and complex prisoners: personality disorder awareness, and working with the offender personality disorder pathway',
    'Report writing: write a Key Work entry that records the prisoner’s own voice, needs, a SMART goal and a referral to a real service',
    'Reflective practice: reflect on a session with a structured model (Gibbs) and bring it to supervision',
    'Human rights and rehabilitation: explain how decency, procedural justice and human rights support rehabilitation',
    'The seven pathways: map a prisoner’s needs to the seven pathways to reduce reoffending and signpost to the services for each',
  ],
  prerequisites: [],
}

const topup = (code: string, title: string, format: ModuleFormat, hours: number, summary: string, outcomes: string[]) =>
  ({
    code,
    title,
    kind: 'topup',
    format,
    hours,
    days: 1,
    summary,
    outcomes,
    prerequisites: [INITIAL_CODE],
  }) satisfies ModuleText

/** Version 1 of the national programme, co-created. The people named are illustrative placeholders. */
export const NATIONAL_PROGRAMME_V1: ProgrammeSeed = {
  version: 1,
  summary:
    'The first national Key Worker training programme: the five-day initial course and four top-ups, co-created by ' +
    'an academic criminologist, a forensic psychologist, a mental health nurse, two Key Workers and a prisoner ' +
    'voice representative.',
  contributors: [
    { name: 'Dr Alex Example (illustrative)', role: 'academic', organisation: 'University criminology department' },
    { name: 'Dr Sam Placeholder (illustrative)', role: 'psychologist', organisation: 'HMPPS forensic psychology' },
    { name: 'Jo Sample RMN (illustrative)', role: 'mental_health', organisation: 'Prison mental health in-reach team' },
    {
      name: 'Officer Chris Demo (illustrative)',
      role: 'prison_officer',
      organisation: 'Key Worker, a category B local prison',
    },
    {
      name: 'Officer Pat Instance (illustrative)',
      role: 'prison_officer',
      organisation: 'Key Worker, a category C training prison',
    },
    {
      name: 'Lee Specimen (illustrative)',
      role: 'prisoner_voice',
      organisation: 'Prisoner voice representative, a peer-led charity',
    },
  ],
  modules: [
    initial,
    topup(
      'KW-TOPUP-MI',
      'Motivational interviewing refresher',
      'practical',
      3,
      'Practise motivational interviewing again in role-play, with feedback, a year or so after the initial course.',
      [
        'Use open questions, affirmations, reflections and summaries in a recorded role-play',
        'Recognise and respond to change talk and sustain talk',
        'Roll with resistance without arguing for change',
      ],
    ),
    topup(
      'KW-TOPUP-ENTRIES',
      'Writing entries that matter',
      'workshop',
      2,
      'Learn from real, anonymised entries scored against the national quality rubric.',
      [
        'Score an anonymised entry against the national quality rubric and agree the score with a colleague',
        'Rewrite a thin entry so it records the prisoner’s voice, a SMART goal and a referral',
        'Never make up or copy an entry: record a session that did not happen as not delivered, with why',
      ],
    ),
    topup(
      'KW-TOPUP-MH',
      'Mental health and self-harm update',
      'lecture',
      3,
      'What has changed in mental health care and self-harm prevention in custody, with the establishment’s teams.',
      [
        'Describe the current ACCT process and the Key Worker’s part in it',
        'Recognise the signs of a mental health crisis and refer to the in-reach team the same day',
        'Look after your own wellbeing after a difficult session, and know where to get support',
      ],
    ),
    topup(
      'KW-TOPUP-PATHWAYS',
      'Signposting across the seven pathways',
      'e_learning',
      2,
      'Signpost to the right service for each of the seven pathways, using the establishment’s services directory.',
      [
        'Find a service for each of the seven pathways in the establishment’s directory',
        'Make a referral that names the service, its contact and what the prisoner wants from it',
        'Follow up a referral and record what came of it',
      ],
    ),
  ],
}

/** Module codes, upper case, each once, from text separated by commas, spaces or new lines. */
export function parseCodes(text: string): string[] {
  const out: string[] = []
  for (const part of text.split(/[\s,;]+/)) {
    const code = part.trim().toUpperCase()
    if (code && !out.includes(code)) out.push(code)
  }
  return out
}

/** Learning outcomes, one a line, blank lines dropped. */
export function parseOutcomes(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(l => l.replace(/^\s*[-*•]\s*/, '').trim())
    .filter(Boolean)
}

/**
 * The first circle of prerequisites found, as codes from a module back to itself (['A', 'B', 'A']), or null when
 * there is none. Prerequisites naming a code not in the list are ignored here (checked on their own).
 */
export function prerequisiteCycle(
  modules: readonly { code: string; prerequisites: readonly string[] }[],
): string[] | null {
  const edges = new Map<string, string[]>()
  for (const m of modules)
    edges.set(
      m.code.toUpperCase(),
      m.prerequisites.map(p => p.toUpperCase()),
    )
  const done = new Set<string>()
  const path: string[] = []
  const onPath = new Set<string>()
  const visit = (code: string): string[] | null => {
    if (onPath.has(code)) return [...path.slice(path.indexOf(code)), code]
    if (done.has(code) || !edges.has(code)) return null
    onPath.add(code)
    path.push(code)
    for (const next of edges.get(code)!) {
      const found = visit(next)
      if (found) return found
    }
    path.pop()
    onPath.delete(code)
    done.add(code)
    return null
  }
  for (const code of edges.keys()) {
    const found = visit(code)
    if (found) return found
  }
  return null
}

/**
 * What is wrong with a set of modules' prerequisites, keyed by module code: a prerequisite that is not one of the
 * known codes, a module that is its own prerequisite, or a circle. `known` defaults to the modules' own codes.
 */
export function prerequisiteProblems(
  modules: readonly { code: string; prerequisites: readonly string[] }[],
  known: Iterable<string> = modules.map(m => m.code),
): Map<string, string> {
  const codes = new Set([...known].map(c => c.toUpperCase()))
  const problems = new Map<string, string>()
  for (const m of modules) {
    const code = m.code.toUpperCase()
    if (m.prerequisites.some(p => p.toUpperCase() === code)) {
      problems.set(code, `${m.code} cannot be its own prerequisite`)
      continue
    }
    const unknown = m.prerequisites.filter(p => !codes.has(p.toUpperCase()))
    if (unknown.length)
      problems.set(
        code,
        `${unknown.length === 1 ? 'There is no module with the code' : 'There are no modules with the codes'} ${unknown.join(', ')}`,
      )
  }
  if (problems.size) return problems
  const cycle = prerequisiteCycle(modules)
  if (cycle) problems.set(cycle[0]!, `The prerequisites go round in a circle: ${cycle.join(' → ')}`)
  return problems
}
