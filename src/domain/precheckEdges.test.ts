import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type PrecheckContext, mentions, precheck } from './precheck'
import { precheckEntry } from './fixtures'
import type { EntryText } from './sessionEntry'

const entry = precheckEntry
const ctx: PrecheckContext = { openGoalIds: [], firstName: 'Tomasz' }
const hintAbout = (e: EntryText, criterion: string, c = ctx) =>
  precheck(e, c).hints.find(h => h.criterion === criterion)
const estimate = (e: EntryText, criterion: string, c = ctx) =>
  (precheck(e, c).estimates as Record<string, number | null>)[criterion]

const CSCS = { description: 'Get a CSCS card', measure: 'Card issued', targetDate: '1/3/2027' }

describe("precheck edges: the prisoner's own voice", () => {
  it('"I" at the very start of what they said is their voice', () => {
    const e = entry({ prisonerWords: 'I want to stay on the enhanced wing and keep going to the gym every morning.' })
    assert.equal(estimate(e, 'voice'), 3)
    assert.equal(hintAbout(e, 'voice'), undefined)
  })

  it('"me" as the very last word is their voice', () => {
    const e = entry({
      prisonerWords: 'He said the kitchen job would be good and the gym is the only thing that works for me',
    })
    assert.equal(estimate(e, 'voice'), 3)
  })

  it('60 characters is an account; 59 is a few words, pointing at "What they said"', () => {
    const sixty = 'I want to go to education and do my maths and English levels'
    assert.equal(sixty.length, 60)
    assert.equal(estimate(entry({ prisonerWords: sixty }), 'voice'), 3)
    const few = entry({ prisonerWords: sixty.slice(0, 59) })
    assert.equal(estimate(few, 'voice'), 2)
    assert.deepEqual(hintAbout(few, 'voice'), {
      criterion: 'voice',
      field: 'prisonerWords',
      message:
        'What Tomasz said is a few words (59 characters). Add what they told you about how they are and what they want, in their words.',
    })
  })

  it('a description of them points at "What they said"', () => {
    const about = entry({ prisonerWords: 'He talked about his family and his plans for release next year.' })
    assert.equal(hintAbout(about, 'voice')!.field, 'prisonerWords')
  })

  it('spaces alone are nothing written', () => {
    const e = entry({ prisonerWords: '   \n ' })
    assert.equal(estimate(e, 'voice'), 1)
    assert.match(hintAbout(e, 'voice')!.message, /^Nothing is written in Tomasz's own words\./)
  })

  it("the prisoner's first name is used trimmed, and spaces alone are no name", () => {
    const e = entry()
    assert.match(
      hintAbout(e, 'voice', { openGoalIds: [], firstName: ' Tomasz ' })!.message,
      /^Nothing is written in Tomasz's own words\./,
    )
    assert.match(
      hintAbout(e, 'voice', { openGoalIds: [], firstName: '   ' })!.message,
      /^Nothing is written in the prisoner's own words\./,
    )
  })
})

describe('precheck edges: pathways', () => {
  it('each pathway ticked with none of its words is named, in the order ticked', () => {
    const e = entry({
      prisonerWords: 'I want to get my CSCS card so I can work on building sites when I get out.',
      pathways: [
        'health',
        'finance-benefit-debt',
        'attitudes-thinking-behaviour',
        'wellbeing-safety',
        'education-training-employment',
      ],
    })
    assert.deepEqual(hintAbout(e, 'needs'), {
      criterion: 'needs',
      field: 'pathways',
      message:
        '4 pathways are ticked with nothing written about them: Health (including mental health); Finance, benefit ' +
        'and debt; Attitudes, thinking and behaviour; Wellbeing and safety. Say in "What Tomasz said" or "What was ' +
        'agreed" what you discussed, or untick them.',
    })
    // "work" is written about: one of five is not silent
    assert.equal(estimate(e, 'needs'), 2)
  })

  it('each pathway is found by its own words: health, finance, attitudes, wellbeing', () => {
    const e = entry({
      prisonerWords: 'I have been low and I cannot sleep. I owe money on the wing after a fight last month.',
      pathways: ['health', 'finance-benefit-debt', 'attitudes-thinking-behaviour', 'wellbeing-safety'],
    })
    // sleep (health), owe (finance), fight (attitudes), low (wellbeing)
    assert.equal(hintAbout(e, 'needs'), undefined)
    assert.equal(estimate(e, 'needs'), 3)
  })

  it('a code that is not a pathway is not a tick', () => {
    const e = entry({ pathways: ['housing-support'], agreed: 'Talked about where he will live on release.' })
    assert.deepEqual(hintAbout(e, 'needs'), {
      criterion: 'needs',
      field: 'pathways',
      message:
        'No pathway is ticked. Tick the pathways you talked about, so the entry shows which needs were explored.',
    })
    assert.equal(estimate(e, 'needs'), 2)
  })
})

describe('precheck edges: goals', () => {
  it('a new goal with spaces only in one box is no goal', () => {
    for (const goal of [
      { description: '  ', measure: '', targetDate: '' },
      { description: '', measure: '  ', targetDate: '' },
      { description: '', measure: '', targetDate: '  ' },
    ]) {
      const e = entry({ goals: [goal] })
      assert.equal(estimate(e, 'goal'), 1, JSON.stringify(goal))
      assert.deepEqual(hintAbout(e, 'goal'), {
        criterion: 'goal',
        field: 'goal0Description',
        message: 'No goal is set. Agree one goal with Tomasz: what they will do, how you will both know, and by when.',
      })
    }
  })

  it('a goal with only a description is a goal, and its date is asked for', () => {
    const e = entry({ goals: [{ description: 'Go to the gym three times a week', measure: '', targetDate: '' }] })
    assert.equal(estimate(e, 'goal'), 2)
    assert.deepEqual(
      precheck(e, ctx)
        .hints.filter(h => h.criterion === 'goal')
        .map(h => h.field),
      ['goal0TargetDate'],
    )
  })

  it('a SMART goal needs all three of description, measure and date, spaces not counting', () => {
    for (const goal of [
      { ...CSCS, description: '  ' },
      { ...CSCS, measure: '  ' },
      { ...CSCS, targetDate: '  ' },
      { ...CSCS, measure: '' },
    ])
      assert.equal(estimate(entry({ goals: [goal] }), 'goal'), 2, JSON.stringify(goal))
    assert.equal(estimate(entry({ goals: [CSCS] }), 'goal'), 3)
  })

  it('the date is asked for only of a goal with a description, and a date of spaces is none', () => {
    const noDescription = entry({ goals: [{ description: '  ', measure: 'Card issued', targetDate: '' }] })
    assert.equal(hintAbout(noDescription, 'goal'), undefined)
    const spaces = entry({ goals: [{ ...CSCS, targetDate: '  ' }] })
    assert.equal(hintAbout(spaces, 'goal')!.field, 'goal0TargetDate')
  })

  it('a review status of spaces is not a review', () => {
    const c = { ...ctx, openGoalIds: [7] }
    const e = entry({ reviews: new Map([[7, { status: '  ', note: '' }]]) })
    assert.equal(hintAbout(e, 'goal', c)!.field, 'review7Status')
    assert.equal(estimate(e, 'goal', c), 1)
  })
})

describe('precheck edges: referrals and signposting', () => {
  it('a referral "to" of spaces is no referral', () => {
    const e = entry({ referrals: [{ to: '  ', note: 'Housing advice', followUp: '' }] })
    assert.equal(estimate(e, 'signposting'), null)
    assert.equal(hintAbout(e, 'signposting')!.field, 'referral0To')
  })

  it('a note of spaces does not say what the referral is for', () => {
    const e = entry({ referrals: [{ to: 'service:abc', note: '  ', followUp: '' }] })
    assert.equal(estimate(e, 'signposting'), 2)
    assert.equal(hintAbout(e, 'signposting')!.field, 'referral0Note')
  })

  it('the referral without a purpose is numbered from 1', () => {
    const e = entry({
      referrals: [
        { to: 'service:abc', note: 'Housing advice before release', followUp: '' },
        { to: 'service:def', note: '', followUp: '' },
      ],
    })
    assert.deepEqual(hintAbout(e, 'signposting'), {
      criterion: 'signposting',
      field: 'referral1Note',
      message:
        'Referral 2 does not say what it is for. Add what Tomasz wants from it, so the service and a reviewer know.',
    })
    assert.equal(estimate(e, 'signposting'), 3)
  })

  it('referrals to teams only: suggests a service from the directory', () => {
    const e = entry({
      pathways: ['health'],
      agreed: 'He cannot sleep; referred to healthcare.',
      referrals: [{ to: 'stakeholder:healthcare', note: 'Sleep', followUp: '' }],
    })
    assert.equal(
      hintAbout(e, 'signposting')!.message,
      "The referrals are to teams only. If a service in the directory meets Tomasz's need, refer to it by name.",
    )
  })

  it('the signposting word is quoted without its trailing space', () => {
    const e = entry({ agreed: 'He is going to do an app for the library.' })
    assert.equal(
      hintAbout(e, 'signposting')!.message,
      'The entry mentions signposting ("app") but no referral is recorded. Choose the service from the directory in "Refer to", with what it is for.',
    )
  })
})

describe('precheck edges: concerns', () => {
  it('a concern escalated to spaces is not escalated', () => {
    const e = entry({ concern: 'yes', concernEscalatedTo: '   ' })
    assert.equal(estimate(e, 'risk'), 1)
    assert.deepEqual(hintAbout(e, 'risk'), {
      criterion: 'risk',
      field: 'concernEscalatedTo',
      message:
        'You recorded a wellbeing or self-harm concern but not who it was escalated to. Escalate it (safer custody, the orderly officer, an ACCT) and say to whom.',
    })
  })

  it('a yes is read whatever its case and spaces', () => {
    assert.equal(estimate(entry({ concern: ' Yes ', concernEscalatedTo: 'Safer custody' }), 'risk'), 3)
  })
})

describe('precheck edges: strengths', () => {
  // 200 characters of narrative with no word of a strength
  const AGREED =
    'We went through his sentence plan and the actions for each part of it, then looked at the date for his parole ' +
    'hearing and what the board will want to see from him before then. He asked about the wing.'

  it('a narrative of exactly 200 characters has room for strengths; 199 does not', () => {
    assert.equal(AGREED.length, 200)
    const e = entry({ agreed: AGREED })
    assert.equal(estimate(e, 'strengths'), 2)
    assert.deepEqual(hintAbout(e, 'strengths'), {
      criterion: 'strengths',
      field: 'agreed',
      message:
        'Nothing in the entry says what Tomasz is doing well. Note a strength or some progress and build the plan on it.',
    })
    const short = entry({ agreed: AGREED.slice(0, 199) })
    assert.equal(estimate(short, 'strengths'), null)
    assert.equal(hintAbout(short, 'strengths'), undefined)
  })

  it('an open goal reviewed as in progress is not an achievement', () => {
    const c = { ...ctx, openGoalIds: [4] }
    const e = entry({ agreed: AGREED, reviews: new Map([[4, { status: 'in_progress', note: '' }]]) })
    assert.equal(estimate(e, 'strengths', c), 2)
  })
})

describe('precheck edges: interpreter', () => {
  const used = { interpreterNeeded: 'yes', interpreterUsed: 'yes' }

  it('used, with the service and the language: no hint', () => {
    const e = entry({ ...used, interpreterService: 'Big Word', interpreterLanguage: 'Polish' })
    assert.equal(hintAbout(e, 'interpreter'), undefined)
  })

  it('used, the service of spaces: points at the service', () => {
    const e = entry({ ...used, interpreterService: '  ', interpreterLanguage: 'Polish' })
    assert.equal(estimate(e, 'interpreter'), 2)
    assert.deepEqual(hintAbout(e, 'interpreter'), {
      criterion: 'interpreter',
      field: 'interpreterService',
      message: 'An interpreter was used: record the interpreting service and the language.',
    })
  })

  it('used, the language of spaces: points at the language', () => {
    const e = entry({ ...used, interpreterService: 'Big Word', interpreterLanguage: '  ' })
    assert.equal(estimate(e, 'interpreter'), 2)
    assert.equal(hintAbout(e, 'interpreter')!.field, 'interpreterLanguage')
  })

  it('not used, with a reason of spaces: no reason given', () => {
    const e = entry({ interpreterNeeded: 'yes', interpreterUsed: 'no', interpreterWhyNot: '   ' })
    assert.equal(estimate(e, 'interpreter'), 1)
    assert.equal(hintAbout(e, 'interpreter')!.field, 'interpreterWhyNot')
  })

  it('the record says one is needed and the answer is no, whatever its case and spaces', () => {
    const e = entry({ interpreterNeeded: ' No' })
    assert.deepEqual(hintAbout(e, 'interpreter', { ...ctx, recordSaysInterpreter: true }), {
      criterion: 'interpreter',
      field: 'interpreterNeeded',
      message:
        "Tomasz's record says they need an interpreter but you answered no. If they managed without one, say so in the entry.",
    })
  })
})

describe('precheck edges: follow-up and length', () => {
  it('a goal date alone is a time for what happens next', () => {
    const e = entry({ goals: [CSCS] })
    assert.equal(estimate(e, 'follow-up'), 3)
    assert.equal(hintAbout(e, 'follow-up'), undefined)
  })

  it('a goal date or a referral follow-up of spaces is no time', () => {
    const goal = entry({ goals: [{ ...CSCS, targetDate: '  ' }] })
    assert.equal(estimate(goal, 'follow-up'), 2)
    assert.deepEqual(hintAbout(goal, 'follow-up'), {
      criterion: 'follow-up',
      field: 'agreed',
      message:
        'What happens next has no time. Say when: a date, "by the next session", or a follow-up date on a referral.',
    })
    const referral = entry({ referrals: [{ to: 'service:abc', note: 'Housing advice', followUp: '  ' }] })
    assert.equal(estimate(referral, 'follow-up'), 2)
  })

  it('"What was agreed" of spaces is nothing agreed', () => {
    const e = entry({ agreed: '  \n  ' })
    assert.equal(estimate(e, 'follow-up'), 1)
    assert.equal(
      hintAbout(e, 'follow-up')!.message,
      'Nothing says what happens next. In "What was agreed", write who will do what, and by when.',
    )
  })

  it('a session of exactly 30 minutes is a long one', () => {
    const e = entry({ duration: '30', prisonerWords: 'I am fine, nothing to report.', agreed: 'Carry on as before.' })
    // 29 + 19 = 48 characters
    assert.equal(estimate(e, 'language'), 1)
    assert.equal(
      hintAbout(e, 'language')!.message,
      'This was a 30-minute session but the entry is about two lines (48 characters). A reader who was not there needs more: what Tomasz said, what you discussed, what was agreed.',
    )
  })
})

describe('precheck edges: matching words', () => {
  it('a word with a dot in it is matched as written, the dot a dot', () => {
    assert.equal(mentions('Seen by the G.P. on Monday', ['g.p.']), 'g.p.')
    assert.equal(mentions('He will apply (again) for the gym', ['(again)']), '(again)')
  })
})
