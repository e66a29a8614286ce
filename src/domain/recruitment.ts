/**
 * Values-based recruitment (issue 17): the assessment framework (criteria built on the HMPPS values and behaviours and
 * attitudes to rehabilitation), behaviourally anchored rating scales (a written anchor for each score point), candidate
 * codes, the moderation rule, the final score, inter-rater agreement per question, and the retention of candidates'
 * personal data. Pure functions.
 */
import { krippendorffAlpha } from './agreement'
import { addDays } from './dates'

export const CRITERION_KINDS = ['value', 'behaviour', 'attitude'] as const
export type CriterionKind = (typeof CRITERION_KINDS)[number]
export const CRITERION_KIND_NAMES: Record<CriterionKind, string> = {
  value: 'HMPPS value',
  behaviour: 'Behaviour',
  attitude: 'Attitude',
}

export const QUESTION_KINDS = ['interview', 'role_play'] as const
export type QuestionKind = (typeof QUESTION_KINDS)[number]
export const QUESTION_KIND_NAMES: Record<QuestionKind, string> = {
  interview: 'Structured interview',
  role_play: 'Role play',
}

/** Scores run from 1 to the campaign's top score point (4: the HMPPS scale). */
export const SCALE_MIN = 1
export const DEFAULT_SCALE_MAX = 4
export const QUESTION_MAX = 600
export const ANCHOR_MAX = 400

/** Fewer pairs of scores than this and agreement is not reported ("not enough pairs"). */
export const MIN_PAIRS = 5

export interface CriterionSeed {
  code: string
  name: string
  kind: CriterionKind
  description: string
}

export interface QuestionSeed {
  criterion: string
  kind: QuestionKind
  text: string
  /** one written anchor per score point, from 1 up */
  anchors: string[]
}

/** The default framework a new campaign starts from; the national team adjusts it per campaign. */
export const DEFAULT_CRITERIA: readonly CriterionSeed[] = [
  {
    code: 'purpose',
    name: 'Purpose',
    kind: 'value',
    description: 'Committed to protecting the public and helping people lead law-abiding lives.',
  },
  {
    code: 'humanity',
    name: 'Humanity',
    kind: 'value',
    description: 'Treats people with decency and respect, and believes in their ability to change.',
  },
  {
    code: 'openness',
    name: 'Openness',
    kind: 'value',
    description: 'Honest and transparent; learns from mistakes and welcomes challenge.',
  },
  {
    code: 'together',
    name: 'Together',
    kind: 'value',
    description: 'Works with colleagues and partners for the people in our care.',
  },
  {
    code: 'communicating',
    name: 'Communicating and influencing',
    kind: 'behaviour',
    description: 'Listens, explains clearly and persuades without force.',
  },
  {
    code: 'caring',
    name: 'Caring',
    kind: 'behaviour',
    description: 'Notices distress and vulnerability and acts on it.',
  },
  {
    code: 'decisions',
    name: 'Making effective decisions',
    kind: 'behaviour',
    description: 'Weighs evidence and risk, decides, and explains the decision.',
  },
  {
    code: 'rehabilitation',
    name: 'Attitudes to rehabilitation',
    kind: 'attitude',
    description: 'Believes people in prison can change and that officers help them do so.',
  },
]

export const DEFAULT_QUESTIONS: readonly QuestionSeed[] = [
  {
    criterion: 'purpose',
    kind: 'interview',
    text: 'Why do you want to be a Key Worker, and what difference do you expect to make to the men you work with?',
    anchors: [
      'Gives no reason beyond the job itself; does not connect the role with public protection or change.',
      'Names a general wish to help, without an example or an idea of what a Key Worker does.',
      'Links the role to reducing reoffending with a relevant example from work or life.',
      'Explains clearly how regular key work protects the public and supports change, with specific examples.',
    ],
  },
  {
    criterion: 'humanity',
    kind: 'interview',
    text: 'Tell us about a time you treated someone with respect when others did not. What did you do and why?',
    anchors: [
      'Cannot give an example, or describes treating the person with contempt.',
      'Gives an example where respect was shown only because they were told to.',
      'Gives a clear example of choosing to treat someone decently, and explains why it mattered.',
      'Gives a clear example, explains the effect on the person, and reflects on how it changed their own practice.',
    ],
  },
  {
    criterion: 'openness',
    kind: 'interview',
    text: 'Describe a mistake you made at work. What happened next?',
    anchors: [
      'Denies making mistakes or blames others.',
      'Admits a mistake but says little about putting it right or learning from it.',
      'Owns the mistake, put it right and says what they learned.',
      'Owns the mistake, told the right people promptly, put it right and changed how they work as a result.',
    ],
  },
  {
    criterion: 'together',
    kind: 'interview',
    text: 'How would you work with a Prison Offender Manager and the mental health team for a man on your caseload?',
    anchors: [
      'Sees no need to work with others; would handle everything alone.',
      'Would pass problems on to others without following them up.',
      'Would share information appropriately, agree actions and follow them up.',
      'Describes a joined-up plan with each partner’s part, how they would keep in touch and how they would check it worked.',
    ],
  },
  {
    criterion: 'communicating',
    kind: 'role_play',
    text: 'Role play: a man refuses to come to his key work session and is shouting at you through the door.',
    anchors: [
      'Raises their voice, threatens or walks away without trying to engage.',
      'Stays calm but talks at the man; does not listen to why he is refusing.',
      'Stays calm, asks open questions, listens and agrees a next step.',
      'De-escalates skilfully, reflects back what he says, finds the reason and agrees a time he accepts.',
    ],
  },
  {
    criterion: 'caring',
    kind: 'role_play',
    text: 'Role play: during a session a man says he has had bad news from home and “there is no point any more”.',
    anchors: [
      'Misses or dismisses the risk and moves on with the session.',
      'Notices the distress but offers only reassurance; takes no action on the risk.',
      'Asks about the risk directly, stays with him and follows the self-harm procedure.',
      'Asks directly and kindly, keeps him safe, opens the procedure, involves the right people and plans to follow up.',
    ],
  },
  {
    criterion: 'decisions',
    kind: 'role_play',
    text: 'Role play: two men on your caseload both need a referral today and you have time for one full session.',
    anchors: [
      'Decides at random or avoids deciding.',
      'Decides, but cannot explain the reasons or the risks.',
      'Weighs each man’s need and risk, decides, and makes a plan for the other.',
      'Weighs need and risk, decides, explains the decision to both men and records it, and arranges cover for the other.',
    ],
  },
  {
    criterion: 'rehabilitation',
    kind: 'interview',
    text: 'Some colleagues say people in prison never change. What do you think, and how would it show in your work?',
    anchors: [
      'Agrees that people do not change; sees the role as containment only.',
      'Believes some change is possible but that it is not an officer’s job.',
      'Believes people can change and gives examples of how an officer supports it.',
      'Believes people can change, gives evidence, and describes specific ways their everyday conduct would support it.',
    ],
  },
]

/** "VBR-2026-0042": a candidate as assessors know them. */
export function candidateCode(year: number, sequence: number): string {
  return `VBR-${year}-${String(sequence).padStart(4, '0')}`
}

export interface QuestionDraft {
  criterionId: number | null
  kind: string
  text: string
  anchors: readonly (string | null | undefined)[]
}

/**
 * Every problem of a question at once: its criterion, kind, text, and a written anchor for EACH score point of the
 * scale (from 1 to scaleMax). Keys name the form's fields (anchor1 … anchorN).
 */
export function checkQuestion(
  q: QuestionDraft,
  scaleMax: number,
  criterionIds: readonly number[],
): Record<string, string> {
  const errors: Record<string, string> = {}
  if (q.criterionId === null || !criterionIds.includes(q.criterionId))
    errors.criterion = 'Choose the criterion the question assesses'
  if (!(QUESTION_KINDS as readonly string[]).includes(q.kind)) errors.kind = 'Choose interview or role play'
  const text = q.text.trim()
  if (!text) errors.text = 'Enter the question'
  else if (text.length > QUESTION_MAX) errors.text = `The question must be ${QUESTION_MAX} characters or fewer`
  for (let score = SCALE_MIN; score <= scaleMax; score++) {
    const anchor = (q.anchors[score - SCALE_MIN] ?? '').trim()
    if (!anchor)
      errors[`anchor${score}`] = `Enter the anchor for a score of ${score}: what a candidate who scores ${score} does`
    else if (anchor.length > ANCHOR_MAX)
      errors[`anchor${score}`] = `The anchor for a score of ${score} must be ${ANCHOR_MAX} characters or fewer`
  }
  return errors
}

/** Whether a score is a whole number on the scale. */
export const onScale = (score: number, scaleMax: number) =>
  Number.isInteger(score) && score >= SCALE_MIN && score <= scaleMax

/** Two assessors' scores differing by MORE than the gap go to the moderator. */
export const needsModeration = (a: number, b: number, gap: number) => Math.abs(a - b) > gap

export interface FinalScore {
  score: number | null
  method: 'mean' | 'moderated' | 'awaiting_moderation' | 'awaiting_scores'
}

/** The final score of a question: the mean of the two, or the moderator's when they differ by more than the gap. */
export function finalScore(a: number | null, b: number | null, gap: number, moderated: number | null): FinalScore {
  if (a === null || b === null) return { score: null, method: 'awaiting_scores' }
  if (!needsModeration(a, b, gap)) return { score: (a + b) / 2, method: 'mean' }
  if (moderated === null) return { score: null, method: 'awaiting_moderation' }
  return { score: moderated, method: 'moderated' }
}

export const mean = (xs: readonly number[]): number | null =>
  xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null

export interface Agreement {
  /** pairs of scores: candidates both assessors scored on this question */
  n: number
  enough: boolean
  /** share of pairs with the same score, 0–1 */
  exact: number | null
  /** share of pairs at most one point apart, 0–1 */
  adjacent: number | null
  /** Cohen's kappa with quadratic weights (null: no expected disagreement, every score the same) */
  kappa: number | null
  /** Krippendorff's alpha, ordinal (src/domain/agreement.ts) */
  alpha: number | null
}

/**
 * Inter-rater agreement between the first and second assessor over pairs of scores on one question (scale from
 * SCALE_MIN to scaleMax). Weighted kappa: 1 − Σ w·observed / Σ w·expected, w = (i − j)², expected from the two
 * assessors' own score distributions (row total × column total / n). Below MIN_PAIRS pairs nothing but n is reported.
 */
export function agreement(
  pairs: readonly (readonly [number, number])[],
  scaleMax: number,
  minPairs = MIN_PAIRS,
): Agreement {
  const n = pairs.length
  if (n < minPairs || n === 0) return { n, enough: false, exact: null, adjacent: null, kappa: null, alpha: null }
  const exact = pairs.filter(([a, b]) => a === b).length / n
  const adjacent = pairs.filter(([a, b]) => Math.abs(a - b) <= 1).length / n
  const k = scaleMax - SCALE_MIN + 1
  const rows = new Array<number>(k).fill(0)
  const cols = new Array<number>(k).fill(0)
  let observed = 0
  for (const [a, b] of pairs) {
    rows[a - SCALE_MIN]!++
    cols[b - SCALE_MIN]!++
    observed += (a - b) ** 2
  }
  let expected = 0
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expected += ((rows[i]! * cols[j]!) / n) * (i - j) ** 2
  const kappa = expected === 0 ? null : 1 - observed / expected
  const alpha = krippendorffAlpha(
    pairs.map(([a, b]) => [a, b]),
    'ordinal',
  ).alpha
  return { n, enough: true, exact, adjacent, kappa, alpha }
}

/** The last day a campaign's candidates' personal data is kept: the campaign's closing date plus the retention days. */
export const keptUntil = (closesOn: string, retentionDays: number) => addDays(closesOn, retentionDays)

/** Whether personal data is due for deletion today: the day after the last day it is kept, or later. */
export const retentionDue = (closesOn: string, retentionDays: number, today: string) =>
  today > keptUntil(closesOn, retentionDays)

export const RETENTION_MIN = 30
export const RETENTION_MAX = 2 * 365
export const GAP_MIN = 0
