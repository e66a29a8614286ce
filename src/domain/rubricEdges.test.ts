import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { NATIONAL_RUBRIC_V1, RUBRIC_STATUS_LABELS, SCORES, meanScore } from './rubric'

describe('rubric: the edges', () => {
  it('the scale offers the four scores 1 to 4, in order', () => {
    assert.deepEqual(SCORES, [1, 2, 3, 4])
  })

  it('rubric version statuses read as words', () => {
    assert.deepEqual(RUBRIC_STATUS_LABELS, { draft: 'Draft', published: 'Published', superseded: 'Superseded' })
  })

  it('the national rubric is version 1, with its note', () => {
    assert.equal(NATIONAL_RUBRIC_V1.version, 1)
    assert.equal(NATIONAL_RUBRIC_V1.notes, 'The first national Key Work quality rubric.')
  })

  it('each national criterion gives reviewers its full guidance, word for word', () => {
    assert.deepEqual(
      NATIONAL_RUBRIC_V1.criteria.map(c => [c.code, c.guidance]),
      [
        [
          'voice',
          'The entry records what the prisoner said, in their words or a close paraphrase, about how they are and ' +
            'what they want. Look for their view recorded separately from the officer’s, and for quoted or ' +
            'attributed words.',
        ],
        [
          'needs',
          'The session explored the prisoner’s needs and the entry links each to one of the seven pathways (or ' +
            'wellbeing and safety), with something written about each pathway ticked.',
        ],
        [
          'goal',
          'At least one goal is set or an open goal reviewed. A goal is specific, measurable, achievable, relevant ' +
            'and time-bound: what will be done, how anyone will know, and by when.',
        ],
        [
          'signposting',
          'Where a need calls for it, the prisoner is referred or signposted to a named service from the directory ' +
            '(or a named stakeholder), with what the referral is for.',
        ],
        [
          'risk',
          'Any concern about self-harm, safety, safeguarding or wellbeing is recorded and escalated to the right ' +
            'person or process (ACCT, safer custody, healthcare, security) with who was told.',
        ],
        [
          'strengths',
          'The entry recognises what the prisoner does well and builds on it (skills, relationships, progress, ' +
            'motivation), not only problems and behaviour.',
        ],
        [
          'interpreter',
          'When the prisoner needs an interpreter, one is used (the service and booking recorded) or the entry says ' +
            'why not. Where no interpreter is needed, score the communication the entry describes.',
        ],
        [
          'follow-up',
          'The entry says what happens next and when: actions for the prisoner and the officer, referral ' +
            'follow-ups, goal target dates and the next session.',
        ],
        [
          'language',
          'The entry is clear to a reader who was not there: plain English, factual, respectful, free of jargon, ' +
            'labels and unexplained abbreviations.',
        ],
      ],
    )
  })

  it('what a 4 (good practice) looks like, word for word, for each national criterion', () => {
    assert.deepEqual(
      NATIONAL_RUBRIC_V1.criteria.map(c => [c.code, c.descriptors[3]]),
      [
        [
          'voice',
          'The prisoner’s own words run through the entry: their priorities, their account of progress and their ' +
            'response to what was agreed, with disagreements recorded honestly.',
        ],
        [
          'needs',
          'Needs are explored in depth and connected (for example debt and family contact), each mapped to its ' +
            'pathway, with changes since the last session noted.',
        ],
        [
          'goal',
          'Goals are SMART, agreed with the prisoner in their terms, every open goal reviewed, and the next step ' +
            'for each is clear.',
        ],
        [
          'signposting',
          'Referrals name the service and contact, say what the prisoner wants from it, carry a follow-up date, ' +
            'and earlier referrals are chased.',
        ],
        [
          'risk',
          'The concern is escalated promptly to the right process, the prisoner’s view of it is recorded, and the ' +
            'follow-up (an ACCT review, a healthcare appointment) is planned.',
        ],
        [
          'strengths',
          'The prisoner’s strengths and achievements are central: the plan builds on them and progress is ' +
            'acknowledged in specific terms.',
        ],
        [
          'interpreter',
          'An interpreter was booked in advance and recorded, and the entry shows the prisoner could take a full ' +
            'part in the session.',
        ],
        [
          'follow-up',
          'Next steps, referral follow-ups and goal dates form one clear plan, agreed with the prisoner, with the ' +
            'next session in view.',
        ],
        [
          'language',
          'The entry is concise and precise, separates fact from the officer’s assessment, and would read well to ' +
            'the prisoner.',
        ],
      ],
    )
  })

  it('the mean leaves out scores that are not finite numbers (NaN, Infinity) as well as nulls', () => {
    // only 3 and 1 count: (3 + 1) / 2 = 2
    assert.equal(meanScore([3, NaN, null, Infinity, undefined, 1]), 2)
    assert.equal(meanScore([NaN, -Infinity]), null)
    // nulls are left out, not counted as 0: (4 + 2) / 2 = 3, not 6 / 3
    assert.equal(meanScore([4, null, 2]), 3)
  })
})
