/**
 * The Key Work quality rubric (issue 15): criteria scored 1-4 on the HMPPS quality scale, each score point with a
 * written descriptor. The national team versions the rubric; every review keeps the version it used. Establishments
 * may add criteria of their own (never remove national ones). Pure: no database, no project imports.
 */

/** One criterion as a reviewer sees it: a national one of the rubric's version, or an establishment's own. */
export interface RubricCriterion {
  id: number
  code: string
  title: string
  guidance: string
  /** what a score of 1, 2, 3 and 4 looks like, in that order */
  descriptors: [string, string, string, string]
  national: boolean
}

/** A rubric as used for a review: one national version plus the establishment's (active) criteria. */
export interface Rubric {
  versionId: number
  version: number
  criteria: RubricCriterion[]
}

/** A criterion's text, before it is stored. */
export type CriterionText = Omit<RubricCriterion, 'id' | 'national'>

export type Score = 1 | 2 | 3 | 4

/** The HMPPS quality scale: what each score means, in words people read. */
export const QUALITY_SCALE: Record<Score, string> = {
  1: 'Poor',
  2: 'Requires improvement',
  3: 'Good',
  4: 'Good practice',
}

export const SCORES: readonly Score[] = [1, 2, 3, 4]

export function isScore(n: unknown): n is Score {
  return n === 1 || n === 2 || n === 3 || n === 4
}

/** "3 – Good" for a score; '' for none. */
export function scoreLabel(score: number | null | undefined): string {
  return isScore(score) ? `${score} – ${QUALITY_SCALE[score]}` : ''
}

/** Rubric version statuses: a draft the national team edits, the one published, and the ones it replaced. */
export const RUBRIC_STATUSES = ['draft', 'published', 'superseded'] as const
export type RubricStatus = (typeof RUBRIC_STATUSES)[number]
export const RUBRIC_STATUS_LABELS: Record<RubricStatus, string> = {
  draft: 'Draft',
  published: 'Published',
  superseded: 'Superseded',
}

/** The codes of the national criteria of version 1 (the pre-check estimates against these). */
export const CRITERION = {
  voice: 'voice',
  needs: 'needs',
  goal: 'goal',
  signposting: 'signposting',
  risk: 'risk',
  strengths: 'strengths',
  interpreter: 'interpreter',
  followUp: 'follow-up',
  language: 'language',
} as const
export type NationalCode = (typeof CRITERION)[keyof typeof CRITERION]

/** The national rubric, version 1: what `ensureNational` writes when the database has no rubric yet. */
export const NATIONAL_RUBRIC_V1: { version: 1; notes: string; criteria: CriterionText[] } = {
  version: 1,
  notes: 'The first national Key Work quality rubric.',
  criteria: [
    {
      code: CRITERION.voice,
      title: "The prisoner's own voice",
      guidance:
        'The entry records what the prisoner said, in their words or a close paraphrase, about how they are and what ' +
        'they want. Look for their view recorded separately from the officer’s, and for quoted or attributed words.',
      descriptors: [
        'The prisoner’s views are absent: the entry describes the prisoner only from the officer’s point of view.',
        'The prisoner’s view is mentioned in general terms ("he is fine", "no issues raised") with nothing they said.',
        'What the prisoner said is recorded in their words or a close paraphrase, and it shapes what was agreed.',
        'The prisoner’s own words run through the entry: their priorities, their account of progress and their ' +
          'response to what was agreed, with disagreements recorded honestly.',
      ],
    },
    {
      code: CRITERION.needs,
      title: 'Needs explored and mapped to pathways',
      guidance:
        'The session explored the prisoner’s needs and the entry links each to one of the seven pathways (or ' +
        'wellbeing and safety), with something written about each pathway ticked.',
      descriptors: [
        'No needs are explored, or pathways are ticked with nothing written about any of them.',
        'Needs are listed but not explored; some pathways ticked have nothing written about them.',
        'The main needs are explored and each pathway ticked is described: what the need is and where it stands.',
        'Needs are explored in depth and connected (for example debt and family contact), each mapped to its ' +
          'pathway, with changes since the last session noted.',
      ],
    },
    {
      code: CRITERION.goal,
      title: 'A SMART goal set or reviewed',
      guidance:
        'At least one goal is set or an open goal reviewed. A goal is specific, measurable, achievable, relevant ' +
        'and time-bound: what will be done, how anyone will know, and by when.',
      descriptors: [
        'No goal is set, and open goals are not reviewed.',
        'A goal is set or reviewed, but it is vague ("engage with education") with no measure or date.',
        'A SMART goal is set, or each open goal is reviewed with a note on progress.',
        'Goals are SMART, agreed with the prisoner in their terms, every open goal reviewed, and the next step ' +
          'for each is clear.',
      ],
    },
    {
      code: CRITERION.signposting,
      title: 'Signposting or referral to a real service',
      guidance:
        'Where a need calls for it, the prisoner is referred or signposted to a named service from the directory ' +
        '(or a named stakeholder), with what the referral is for.',
      descriptors: [
        'Needs that call for a service are left without a referral or signposting.',
        'Signposting is generic ("told to see education") with no named service or purpose.',
        'A referral or signposting names a real service from the directory and says what it is for.',
        'Referrals name the service and contact, say what the prisoner wants from it, carry a follow-up date, ' +
          'and earlier referrals are chased.',
      ],
    },
    {
      code: CRITERION.risk,
      title: 'Risk and wellbeing concerns escalated',
      guidance:
        'Any concern about self-harm, safety, safeguarding or wellbeing is recorded and escalated to the right ' +
        'person or process (ACCT, safer custody, healthcare, security) with who was told.',
      descriptors: [
        'A concern is apparent from the entry and is neither recorded as a concern nor escalated.',
        'A concern is recorded but it is not clear who was told or what happened next.',
        'The concern is recorded and escalated to a named person or process.',
        'The concern is escalated promptly to the right process, the prisoner’s view of it is recorded, and the ' +
          'follow-up (an ACCT review, a healthcare appointment) is planned.',
      ],
    },
    {
      code: CRITERION.strengths,
      title: 'Strengths-based approach',
      guidance:
        'The entry recognises what the prisoner does well and builds on it (skills, relationships, progress, ' +
        'motivation), not only problems and behaviour.',
      descriptors: [
        'The entry is only about problems, behaviour or compliance.',
        'A strength is mentioned in passing ("polite") without any link to the plan.',
        'Strengths or progress are recognised and used in what was agreed.',
        'The prisoner’s strengths and achievements are central: the plan builds on them and progress is ' +
          'acknowledged in specific terms.',
      ],
    },
    {
      code: CRITERION.interpreter,
      title: 'Interpreter used when needed',
      guidance:
        'When the prisoner needs an interpreter, one is used (the service and booking recorded) or the entry says ' +
        'why not. Where no interpreter is needed, score the communication the entry describes.',
      descriptors: [
        'An interpreter was needed and not used, with no reason given.',
        'An interpreter was not used and the reason given does not justify it, or the language is not recorded.',
        'An interpreter was used and recorded (service and language), or a sound reason is given why not.',
        'An interpreter was booked in advance and recorded, and the entry shows the prisoner could take a full ' +
          'part in the session.',
      ],
    },
    {
      code: CRITERION.followUp,
      title: 'Follow-up planned',
      guidance:
        'The entry says what happens next and when: actions for the prisoner and the officer, referral follow-ups, ' +
        'goal target dates and the next session.',
      descriptors: [
        'Nothing is planned after the session.',
        'A next step is mentioned without who does it or when.',
        'Next steps are clear, with who does what and by when.',
        'Next steps, referral follow-ups and goal dates form one clear plan, agreed with the prisoner, with the ' +
          'next session in view.',
      ],
    },
    {
      code: CRITERION.language,
      title: 'Clear, professional language',
      guidance:
        'The entry is clear to a reader who was not there: plain English, factual, respectful, free of jargon, ' +
        'labels and unexplained abbreviations.',
      descriptors: [
        'The entry is unclear, judgemental or disrespectful, or so short it says nothing a reader can use.',
        'The entry can be followed but relies on jargon, abbreviations or labels, or mixes opinion with fact.',
        'The entry is clear, factual and respectful; a reader who was not there understands what happened.',
        'The entry is concise and precise, separates fact from the officer’s assessment, and would read well to ' +
          'the prisoner.',
      ],
    },
  ],
}

/** The national codes of version 1, for refusing an establishment code that would shadow one. */
export const NATIONAL_CODES: readonly string[] = NATIONAL_RUBRIC_V1.criteria.map(c => c.code)

/** An establishment's own criterion code: letters, digits and hyphens, 2-20 characters. */
export const LOCAL_CODE = /^[A-Za-z][A-Za-z0-9-]{1,19}$/

export const TITLE_MAX = 120
export const GUIDANCE_MAX = 1000
export const DESCRIPTOR_MAX = 500

/** A criterion as stored (national or local), read into the shape a rubric uses. */
export function criterionOf(row: {
  id: number
  code: string
  title: string
  guidance: string
  descriptor_1: string
  descriptor_2: string
  descriptor_3: string
  descriptor_4: string
  establishment_id: number | null
}): RubricCriterion {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    guidance: row.guidance,
    descriptors: [row.descriptor_1, row.descriptor_2, row.descriptor_3, row.descriptor_4],
    national: row.establishment_id === null,
  }
}

/** The mean of the scores given (nulls left out), or null when there is none. */
export function meanScore(scores: readonly (number | null | undefined)[]): number | null {
  const given = scores.filter((s): s is number => typeof s === 'number' && Number.isFinite(s))
  if (!given.length) return null
  return given.reduce((a, b) => a + b, 0) / given.length
}
