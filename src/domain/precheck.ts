/**
 * "Check my entry" (issue 15): hints against the national rubric that can be computed honestly from a session entry
 * as typed, and a per-criterion estimate (1-4, or null when the entry says nothing that can be judged without a
 * reader). Hints explain themselves and never block a submit.
 *
 * The estimate never reaches 4 (good practice): that needs a person who reads the entry. It looks only at what the
 * form holds: which questions are answered, how much is written, whether the narrative mentions each pathway ticked,
 * whether goals, referrals and follow-up dates are there. Pure: works on the form as typed (EntryText), valid or not.
 */
import { CRITERION, type NationalCode, type Score, meanScore } from './rubric'
import { type PathwayCode, isPathwayCode, pathwayName } from './pathways'
import type { EntryText } from './sessionEntry'

export interface PrecheckHint {
  /** the rubric criterion the hint is about (a national code) */
  criterion: NationalCode
  /** what to look at and why, in plain English */
  message: string
  /** the form field to look at (the id a link in the hints panel points to) */
  field: string
}

export interface PrecheckContext {
  /** the prisoner's open goals (the form's review fields are named after their ids) */
  openGoalIds: readonly number[]
  /** the prisoner's first name, for the messages; "the prisoner" without it */
  firstName?: string
  /** what the prisoner's record says about needing an interpreter */
  recordSaysInterpreter?: boolean
}

export interface Precheck {
  estimates: Record<NationalCode, Score | null>
  hints: PrecheckHint[]
}

/** What is stored with a submitted entry (key_work_sessions.precheck, JSON). */
export interface StoredPrecheck extends Precheck {
  rubricVersion: number
}

/** A delivered session this long or longer should say more than a couple of lines. */
export const LONG_SESSION_MINUTES = 30
/** About two lines of the narrative's text boxes: fewer characters than this is a thin entry for a long session. */
export const THIN_NARRATIVE_CHARS = 160
/** What the prisoner said, shorter than this, is a phrase rather than their account. */
export const SHORT_WORDS_CHARS = 60
/** A narrative this long gives room to say what the prisoner is doing well. */
export const ROOM_FOR_STRENGTHS_CHARS = 200

/** Words and phrases, '|' between them. */
const list = (words: string): readonly string[] => words.split('|')

/**
 * Words that show a pathway was written about (lower case; matched at the start of a word, so "hous" finds
 * "housing" and "housed"). Deliberately generous: a hint only says a ticked pathway has no words at all.
 */
export const PATHWAY_WORDS: Record<PathwayCode, readonly string[]> = {
  accommodation: list(
    'accommodation|hous|home|hostel|approved premises|address|tenancy|rent|landlord|homeless|flat|live|living|council|cas2|cas3',
  ),
  'education-training-employment': list(
    'education|educat|train|course|class|job|work|employ|career|cv|qualif|learn|college|apprentice|maths|english|reading|literacy|numeracy|certificate|workshop|kitchen|gym orderly|orderly|skill',
  ),
  health: list(
    'health|doctor|gp|nurse|mental|medic|prescri|pain|sleep|dentist|anxiety|anxious|depress|therapy|counsel|hospital|appointment|ill|injur|psych',
  ),
  'drugs-alcohol': list(
    'drug|alcohol|drink|substance|spice|psychoactive|cannabis|heroin|cocaine|methadone|detox|recovery|sober|clean|relapse|using|forward|misuse|addict',
  ),
  'finance-benefit-debt': list(
    'financ|money|benefit|debt|bank|account|universal credit|uc|pay|wage|budget|owe|loan|fine|dwp|savings|canteen|spends',
  ),
  'children-families': list(
    'child|famil|son|daughter|kid|partner|wife|husband|girlfriend|boyfriend|mum|mother|dad|father|brother|sister|visit|contact|parent|grand|social worker|phone call|letter',
  ),
  'attitudes-thinking-behaviour': list(
    'attitude|thinking|behaviour|behavior|anger|temper|conflict|fight|victim|offend|programme|course|iep|incentive|adjudication|nicked|calm|respect|consequen|choice|decision|motivat|change',
  ),
  'wellbeing-safety': list(
    'wellbeing|well-being|safe|safety|mood|low|feel|self-harm|self harm|acct|bull|threat|scared|afraid|worr|stress|lonely|isolat|cope|coping|listener|samaritan|chaplain',
  ),
}

/** Words that suggest a risk or wellbeing concern (the hint asks; it never decides). */
const CONCERN_WORDS = list(
  'self-harm|self harm|suicid|kill myself|end it|ligature|overdose|cutting|hopeless|no point|threatened|assault|bullied|being bullied|in debt to|scared for|afraid for',
)

/** Words that suggest something the prisoner does well or has achieved. */
const STRENGTH_WORDS = list(
  'strength|proud|well done|progress|achiev|improv|complet|passed|certificate|good at|skill|motivat|positive|commit|determined|enjoy|managed to|doing well|success|praise|enhanced|kept going|attended every',
)

/** Words that say when something happens next. */
const WHEN_WORDS = list(
  'next session|next week|next month|tomorrow|today|by |before |within|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weeks|days|follow up|follow-up|review on|will see|will check',
)

/** Words that suggest signposting without a referral row. */
const SIGNPOST_WORDS = list('signpost|refer|application|apply|app |told to see|put in|contact|see the|speak to')

/** First-person words or quotation marks: the prisoner's own voice. */
const OWN_VOICE = /(^|[\s"“‘'(])(i|i'm|i’m|i've|i’ve|i'll|i’ll|i'd|i’d|me|my|myself|we|our)(?=[\s.,;:!?"”’)]|$)|["“”]/i

/** Each word list's patterns, compiled once (a list is a constant; the statistics check thousands of entries). */
const compiled = new WeakMap<readonly string[], readonly RegExp[]>()

function patternsOf(words: readonly string[]): readonly RegExp[] {
  let patterns = compiled.get(words)
  if (!patterns) {
    patterns = words.map(w => new RegExp(`[^a-z0-9]${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    compiled.set(words, patterns)
  }
  return patterns
}

/** Does the text mention any of the words (at the start of a word; multi-word phrases anywhere)? */
export function mentions(text: string, words: readonly string[]): string | null {
  const lower = ` ${text.toLowerCase().replace(/\s+/g, ' ')} `
  const patterns = patternsOf(words)
  for (let i = 0; i < words.length; i++) if (patterns[i]!.test(lower)) return words[i]!.trim()
  return null
}

const yes = (v: string) => ['yes', 'true', '1', 'on'].includes(v.trim().toLowerCase())
const no = (v: string) => ['no', 'false', '0', 'off'].includes(v.trim().toLowerCase())

const EMPTY: Record<NationalCode, Score | null> = {
  [CRITERION.voice]: null,
  [CRITERION.needs]: null,
  [CRITERION.goal]: null,
  [CRITERION.signposting]: null,
  [CRITERION.risk]: null,
  [CRITERION.strengths]: null,
  [CRITERION.interpreter]: null,
  [CRITERION.followUp]: null,
  [CRITERION.language]: null,
}

/**
 * The hints and estimates for an entry as typed. A session recorded as not delivered is not judged (every estimate
 * null, no hints); until an outcome is chosen the entry is checked as a delivered one.
 */
export function precheck(entry: EntryText, context: PrecheckContext): Precheck {
  const estimates = { ...EMPTY }
  const hints: PrecheckHint[] = []
  if (entry.outcome === 'not_delivered') return { estimates, hints }
  const who = context.firstName?.trim() || 'the prisoner'
  const Who = who.charAt(0).toUpperCase() + who.slice(1)
  const hint = (criterion: NationalCode, field: string, message: string) => hints.push({ criterion, field, message })

  const words = entry.prisonerWords.trim()
  const agreed = entry.agreed.trim()
  const narrative = `${words}\n${agreed}`.trim()
  const narrativeChars = words.length + agreed.length
  const goals = entry.goals
    .map((g, i) => ({ ...g, i }))
    .filter(g => g.description.trim() || g.measure.trim() || g.targetDate.trim())
  const reviewed = context.openGoalIds.filter(id => (entry.reviews.get(id)?.status ?? '').trim() !== '')
  const referrals = entry.referrals.map((r, i) => ({ ...r, i })).filter(r => r.to.trim())

  // the prisoner's own voice
  if (!words) {
    estimates.voice = 1
    hint(
      CRITERION.voice,
      'prisonerWords',
      `Nothing is written in ${who}'s own words. Record what they told you, quoting them where you can: a reviewer looks for their view, not only yours.`,
    )
  } else if (words.length < SHORT_WORDS_CHARS) {
    estimates.voice = 2
    hint(
      CRITERION.voice,
      'prisonerWords',
      `What ${who} said is a few words (${words.length} characters). Add what they told you about how they are and what they want, in their words.`,
    )
  } else if (!OWN_VOICE.test(words)) {
    estimates.voice = 2
    hint(
      CRITERION.voice,
      'prisonerWords',
      `"What ${who} said" reads as a description of them rather than their words. Quote them, or write it as they said it ("I want to…").`,
    )
  } else estimates.voice = 3

  // needs explored and mapped to pathways
  const ticked = entry.pathways.filter(isPathwayCode)
  if (!ticked.length) {
    estimates.needs = narrative ? 2 : 1
    hint(
      CRITERION.needs,
      'pathways',
      'No pathway is ticked. Tick the pathways you talked about, so the entry shows which needs were explored.',
    )
  } else {
    const silent = ticked.filter(p => !mentions(narrative, PATHWAY_WORDS[p]))
    estimates.needs = silent.length === 0 ? 3 : silent.length === ticked.length ? 1 : 2
    if (silent.length)
      hint(
        CRITERION.needs,
        'pathways',
        `${silent.length === 1 ? 'A pathway is' : `${silent.length} pathways are`} ticked with nothing written about ${silent.length === 1 ? 'it' : 'them'}: ${silent.map(pathwayName).join('; ')}. Say in "What ${who} said" or "What was agreed" what you discussed, or untick ${silent.length === 1 ? 'it' : 'them'}.`,
      )
  }

  // a SMART goal set or reviewed
  const smart = goals.filter(g => g.description.trim() && g.measure.trim() && g.targetDate.trim())
  const open = context.openGoalIds.length
  const allReviewed = open > 0 && reviewed.length === open
  if (open > 0 && reviewed.length === 0)
    hint(
      CRITERION.goal,
      `review${context.openGoalIds[0]}Status`,
      `${Who} has ${open === 1 ? 'an open goal' : `${open} open goals`} and none is reviewed. Say whether each is in progress, achieved or dropped, with a note on progress.`,
    )
  if (open === 0 && goals.length === 0)
    hint(
      CRITERION.goal,
      'goal0Description',
      `No goal is set. Agree one goal with ${who}: what they will do, how you will both know, and by when.`,
    )
  const undated = goals.find(g => g.description.trim() && !g.targetDate.trim())
  if (undated)
    hint(
      CRITERION.goal,
      `goal${undated.i}TargetDate`,
      `New goal ${undated.i + 1} has no date. A SMART goal says by when, so progress can be reviewed.`,
    )
  if (smart.length || allReviewed) estimates.goal = 3
  else if (goals.length || reviewed.length) estimates.goal = 2
  else estimates.goal = 1

  // signposting or referral to a real service
  if (referrals.length) {
    const toService = referrals.filter(r => r.to.startsWith('service:'))
    const withPurpose = referrals.filter(r => r.note.trim())
    estimates.signposting = withPurpose.length ? 3 : 2
    const bare = referrals.find(r => !r.note.trim())
    if (bare)
      hint(
        CRITERION.signposting,
        `referral${bare.i}Note`,
        `Referral ${bare.i + 1} does not say what it is for. Add what ${who} wants from it, so the service and a reviewer know.`,
      )
    else if (!toService.length && ticked.length)
      hint(
        CRITERION.signposting,
        `referral${referrals[0]!.i}To`,
        `The referrals are to teams only. If a service in the directory meets ${who}'s need, refer to it by name.`,
      )
  } else {
    const said = mentions(narrative, SIGNPOST_WORDS)
    estimates.signposting = said ? 2 : null
    hint(
      CRITERION.signposting,
      'referral0To',
      said
        ? `The entry mentions signposting ("${said}") but no referral is recorded. Choose the service from the directory in "Refer to", with what it is for.`
        : `No referral or signposting is recorded. If ${who} needs a service, refer them to one from the directory; if not, nothing to do.`,
    )
  }

  // risk and wellbeing concerns escalated
  if (yes(entry.concern)) {
    if (entry.concernEscalatedTo.trim()) estimates.risk = 3
    else {
      estimates.risk = 1
      hint(
        CRITERION.risk,
        'concernEscalatedTo',
        'You recorded a wellbeing or self-harm concern but not who it was escalated to. Escalate it (safer custody, the orderly officer, an ACCT) and say to whom.',
      )
    }
  } else {
    const word = mentions(narrative, CONCERN_WORDS)
    if (word)
      hint(
        CRITERION.risk,
        'concern',
        `The entry mentions "${word}" but no concern is recorded. If there is a risk to ${who} or others, record the concern and who you escalated it to.`,
      )
  }

  // strengths-based approach
  const achieved = context.openGoalIds.some(id => entry.reviews.get(id)?.status === 'achieved')
  if (achieved || mentions(narrative, STRENGTH_WORDS)) estimates.strengths = 3
  else if (narrativeChars >= ROOM_FOR_STRENGTHS_CHARS) {
    estimates.strengths = 2
    hint(
      CRITERION.strengths,
      'agreed',
      `Nothing in the entry says what ${who} is doing well. Note a strength or some progress and build the plan on it.`,
    )
  }

  // interpreter used when needed
  if (yes(entry.interpreterNeeded)) {
    if (yes(entry.interpreterUsed)) {
      const missing = !entry.interpreterService.trim() || !entry.interpreterLanguage.trim()
      estimates.interpreter = missing ? 2 : 3
      if (missing)
        hint(
          CRITERION.interpreter,
          entry.interpreterService.trim() ? 'interpreterLanguage' : 'interpreterService',
          'An interpreter was used: record the interpreting service and the language.',
        )
    } else if (entry.interpreterWhyNot.trim()) {
      // a reason is given: whether it is a sound one needs a reader
      estimates.interpreter = null
    } else {
      estimates.interpreter = 1
      hint(
        CRITERION.interpreter,
        no(entry.interpreterUsed) ? 'interpreterWhyNot' : 'interpreterUsed',
        `${Who} needs an interpreter and none is recorded as used, with no reason given. Say whether one was used, and if not, why not.`,
      )
    }
  } else if (no(entry.interpreterNeeded) && context.recordSaysInterpreter)
    hint(
      CRITERION.interpreter,
      'interpreterNeeded',
      `${Who}'s record says they need an interpreter but you answered no. If they managed without one, say so in the entry.`,
    )

  // follow-up planned
  const dated =
    goals.some(g => g.targetDate.trim()) || referrals.some(r => r.followUp.trim()) || !!mentions(agreed, WHEN_WORDS)
  if (!agreed && !goals.length && !referrals.length) {
    estimates[CRITERION.followUp] = 1
    hint(
      CRITERION.followUp,
      'agreed',
      `Nothing says what happens next. In "What was agreed", write who will do what, and by when.`,
    )
  } else if (dated) estimates[CRITERION.followUp] = 3
  else {
    estimates[CRITERION.followUp] = 2
    hint(
      CRITERION.followUp,
      'agreed',
      'What happens next has no time. Say when: a date, "by the next session", or a follow-up date on a referral.',
    )
  }

  // clear, professional language: only length can be judged without a reader
  const minutes = Number(entry.duration)
  const long = entry.outcome === 'delivered' && Number.isInteger(minutes) && minutes >= LONG_SESSION_MINUTES
  if (!narrative) estimates.language = 1
  else if (long && narrativeChars < THIN_NARRATIVE_CHARS) {
    estimates.language = 1
    hint(
      CRITERION.language,
      'prisonerWords',
      `This was a ${minutes}-minute session but the entry is about two lines (${narrativeChars} characters). A reader who was not there needs more: what ${who} said, what you discussed, what was agreed.`,
    )
  }

  return { estimates, hints }
}

/** The mean of the estimates given (nulls left out), or null when none could be given. */
export function precheckScore(p: Pick<Precheck, 'estimates'>): number | null {
  return meanScore(Object.values(p.estimates))
}

/** Estimates only for the criteria a rubric version has (a later version may drop or rename one). */
export function forCodes(p: Precheck, codes: readonly string[]): Precheck {
  const keep = new Set(codes)
  return {
    estimates: Object.fromEntries(Object.entries(p.estimates).filter(([c]) => keep.has(c))) as Precheck['estimates'],
    hints: p.hints.filter(h => keep.has(h.criterion)),
  }
}
