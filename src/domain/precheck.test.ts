import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  LONG_SESSION_MINUTES,
  type PrecheckContext,
  THIN_NARRATIVE_CHARS,
  forCodes,
  mentions,
  precheck,
  precheckScore,
} from './precheck'
import { precheckEntry } from './fixtures'
import type { EntryText } from './sessionEntry'

const entry = precheckEntry
const ctx: PrecheckContext = { openGoalIds: [], firstName: 'Tomasz' }
const hintsOf = (e: EntryText, c = ctx) => precheck(e, c).hints.map(h => `${h.criterion} @${h.field}`)
const hintAbout = (e: EntryText, criterion: string, c = ctx) =>
  precheck(e, c).hints.find(h => h.criterion === criterion)

/** A well-written entry: 251 characters of narrative, two pathways both written about, a dated goal, a referral. */
const WORDS =
  '"I want to get my CSCS card before I leave," he said. He told me his mum visits on Saturdays and that keeps him going.'
const AGREED =
  'He is proud he finished the maths course. He will apply for the construction course by Friday; I will check with education next week.'
const good = () =>
  entry({
    prisonerWords: WORDS,
    agreed: AGREED,
    pathways: ['education-training-employment', 'children-families'],
    goals: [{ description: 'Get a CSCS card', measure: 'Card issued', targetDate: '1/3/2027' }],
    referrals: [{ to: 'service:abc-123', note: 'Construction course place', followUp: '15/1/2027' }],
  })

describe('precheck: a whole entry, worked by hand', () => {
  it('a delivered session with nothing written: each missing part hinted, estimates 1 where it can judge', () => {
    const p = precheck(entry(), ctx)
    assert.deepEqual(p.estimates, {
      voice: 1, // nothing in their own words
      needs: 1, // no pathway, nothing written
      goal: 1, // no goal set, none to review
      signposting: null, // whether a service was needed cannot be told
      risk: null, // no concern, no words of one
      strengths: null, // too little written to judge
      interpreter: null, // not needed
      'follow-up': 1, // nothing agreed, no goal, no referral
      language: 1, // nothing written at all
    })
    assert.deepEqual(
      p.hints.map(h => `${h.criterion} @${h.field}`),
      [
        'voice @prisonerWords',
        'needs @pathways',
        'goal @goal0Description',
        'signposting @referral0To',
        'follow-up @agreed',
      ],
    )
    assert.equal(precheckScore(p), 1)
  })

  it('a good entry: no hints, 3 wherever the entry shows it, never 4', () => {
    assert.equal(WORDS.length + AGREED.length, 251)
    const p = precheck(good(), ctx)
    assert.deepEqual(p.hints, [])
    assert.deepEqual(p.estimates, {
      voice: 3,
      needs: 3,
      goal: 3,
      signposting: 3,
      risk: null,
      strengths: 3, // "proud", "finished"
      interpreter: null,
      'follow-up': 3,
      language: null, // clear language needs a reader
    })
    assert.equal(precheckScore(p), 3)
  })

  it('a session not delivered is not judged', () => {
    const p = precheck(entry({ outcome: 'not_delivered', duration: '' }), ctx)
    assert.deepEqual(p.hints, [])
    assert.ok(Object.values(p.estimates).every(v => v === null))
    assert.equal(precheckScore(p), null)
  })

  it('before an outcome is chosen, checks it as a delivered session', () => {
    assert.deepEqual(hintsOf(entry({ outcome: '' })).slice(0, 1), ['voice @prisonerWords'])
  })
})

describe('precheck: each hint', () => {
  it('open goals and none reviewed: points at the first goal, counts them', () => {
    const c = { ...ctx, openGoalIds: [7, 9] }
    const h = hintAbout(entry(), 'goal', c)!
    assert.equal(h.field, 'review7Status')
    assert.equal(
      h.message,
      'Tomasz has 2 open goals and none is reviewed. Say whether each is in progress, achieved or dropped, with a note on progress.',
    )
    assert.equal(precheck(entry(), c).estimates.goal, 1)
    assert.match(hintAbout(entry(), 'goal', { ...ctx, openGoalIds: [7] })!.message, /^Tomasz has an open goal and/)
    // one of two reviewed: no hint, estimate 2; both: 3
    const one = entry({ reviews: new Map([[7, { status: 'in_progress', note: '' }]]) })
    assert.equal(hintAbout(one, 'goal', c), undefined)
    assert.equal(precheck(one, c).estimates.goal, 2)
    const both = entry({
      reviews: new Map([
        [7, { status: 'in_progress', note: '' }],
        [9, { status: 'dropped', note: '' }],
      ]),
    })
    assert.equal(precheck(both, c).estimates.goal, 3)
    // a review of a goal that is not open does not count
    assert.equal(precheck(entry({ reviews: new Map([[8, { status: 'achieved', note: '' }]]) }), c).estimates.goal, 1)
  })

  it('a new goal without a date: points at its date; estimate 2', () => {
    const e = entry({
      goals: [
        { description: '', measure: '', targetDate: '' },
        { description: 'Read a book', measure: 'Tells me about it', targetDate: '' },
      ],
    })
    const h = hintAbout(e, 'goal')!
    assert.equal(h.field, 'goal1TargetDate')
    assert.equal(h.message, 'New goal 2 has no date. A SMART goal says by when, so progress can be reviewed.')
    assert.equal(precheck(e, ctx).estimates.goal, 2)
  })

  it('pathways ticked with nothing written about them: names them', () => {
    const e = entry({ pathways: ['accommodation', 'drugs-alcohol'], prisonerWords: 'I have nowhere to live.' })
    const h = hintAbout(e, 'needs')!
    assert.equal(
      h.message,
      'A pathway is ticked with nothing written about it: Drugs and alcohol. Say in "What Tomasz said" or "What was agreed" what you discussed, or untick it.',
    )
    assert.equal(precheck(e, ctx).estimates.needs, 2)
    const none = entry({ pathways: ['accommodation', 'drugs-alcohol'], prisonerWords: 'I am bored.' })
    assert.match(
      hintAbout(none, 'needs')!.message,
      /^2 pathways are ticked with nothing written about them: Accommodation; Drugs and alcohol\./,
    )
    assert.equal(precheck(none, ctx).estimates.needs, 1)
    // words in "What was agreed" count too
    const agreed = entry({ pathways: ['drugs-alcohol'], agreed: 'He will see the drug team on Monday.' })
    assert.equal(hintAbout(agreed, 'needs'), undefined)
    assert.equal(precheck(agreed, ctx).estimates.needs, 3)
    // no pathway ticked but something written: 2
    assert.equal(precheck(entry({ agreed: 'Talked.' }), ctx).estimates.needs, 2)
  })

  it('interpreter needed and not used without a reason', () => {
    const e = entry({ interpreterNeeded: 'yes', interpreterUsed: 'no' })
    const h = hintAbout(e, 'interpreter')!
    assert.equal(h.field, 'interpreterWhyNot')
    assert.equal(
      h.message,
      'Tomasz needs an interpreter and none is recorded as used, with no reason given. Say whether one was used, and if not, why not.',
    )
    assert.equal(precheck(e, ctx).estimates.interpreter, 1)
    // not answered whether one was used: points at that question
    assert.equal(hintAbout(entry({ interpreterNeeded: 'yes' }), 'interpreter')!.field, 'interpreterUsed')
    // a reason given: no hint, and whether it is a sound one is for a reader
    const why = entry({ interpreterNeeded: 'yes', interpreterUsed: 'no', interpreterWhyNot: 'He chose English today' })
    assert.equal(hintAbout(why, 'interpreter'), undefined)
    assert.equal(precheck(why, ctx).estimates.interpreter, null)
    // used: the service and the language recorded, 3; the language missing, 2 and a hint
    const used = { interpreterNeeded: 'yes', interpreterUsed: 'yes', interpreterService: 'Big Word' }
    assert.equal(precheck(entry({ ...used, interpreterLanguage: 'Polish' }), ctx).estimates.interpreter, 3)
    assert.equal(precheck(entry(used), ctx).estimates.interpreter, 2)
    assert.equal(hintAbout(entry(used), 'interpreter')!.field, 'interpreterLanguage')
    // the record says one is needed but the officer answered no: asks, does not estimate
    const record = hintAbout(entry(), 'interpreter', { ...ctx, recordSaysInterpreter: true })!
    assert.equal(record.field, 'interpreterNeeded')
    assert.equal(precheck(entry(), { ...ctx, recordSaysInterpreter: true }).estimates.interpreter, null)
  })

  it('a 45-minute delivered session with a two-line narrative', () => {
    const e = entry({ prisonerWords: 'I am fine, nothing to report.', agreed: 'Carry on as before.' })
    assert.equal(e.prisonerWords.length + e.agreed.length, 48)
    const h = hintAbout(e, 'language')!
    assert.equal(h.field, 'prisonerWords')
    assert.equal(
      h.message,
      'This was a 45-minute session but the entry is about two lines (48 characters). A reader who was not there needs more: what Tomasz said, what you discussed, what was agreed.',
    )
    assert.equal(precheck(e, ctx).estimates.language, 1)
    // a short session, or a not-yet-delivered one, is not thin
    assert.equal(hintAbout({ ...e, duration: String(LONG_SESSION_MINUTES - 1) }, 'language'), undefined)
    assert.equal(precheck({ ...e, duration: '20' }, ctx).estimates.language, null)
    assert.equal(hintAbout({ ...e, outcome: '' }, 'language'), undefined)
    // exactly the limit is enough
    const enough = entry({ prisonerWords: `I ${'x'.repeat(THIN_NARRATIVE_CHARS - 2)}` })
    assert.equal(hintAbout(enough, 'language'), undefined)
  })

  it('a concern not escalated; words of a concern with none recorded', () => {
    const e = entry({ concern: 'yes' })
    const h = hintAbout(e, 'risk')!
    assert.equal(h.field, 'concernEscalatedTo')
    assert.equal(precheck(e, ctx).estimates.risk, 1)
    assert.equal(precheck(entry({ concern: 'yes', concernEscalatedTo: 'Safer custody' }), ctx).estimates.risk, 3)
    const words = entry({ prisonerWords: 'I thought about self-harm last week.' })
    const asked = hintAbout(words, 'risk')!
    assert.equal(asked.field, 'concern')
    assert.match(asked.message, /^The entry mentions "self-harm" but no concern is recorded\./)
    assert.equal(precheck(words, ctx).estimates.risk, null)
  })

  it('no referral or signposting; signposting in words only; a referral that says nothing of its purpose', () => {
    assert.equal(
      hintAbout(entry(), 'signposting')!.message,
      'No referral or signposting is recorded. If Tomasz needs a service, refer them to one from the directory; if not, nothing to do.',
    )
    const said = entry({ agreed: 'Told him to apply for the gym course.' })
    assert.match(hintAbout(said, 'signposting')!.message, /^The entry mentions signposting \("apply"\)/)
    assert.equal(precheck(said, ctx).estimates.signposting, 2)
    const bare = entry({ referrals: [{ to: 'service:abc', note: '', followUp: '' }] })
    assert.equal(hintAbout(bare, 'signposting')!.field, 'referral0Note')
    assert.equal(precheck(bare, ctx).estimates.signposting, 2)
    // to a team only, with a purpose, when needs were ticked: suggests a directory service
    const team = entry({
      pathways: ['health'],
      referrals: [{ to: 'stakeholder:healthcare', note: 'Sleep', followUp: '' }],
    })
    assert.equal(hintAbout(team, 'signposting')!.field, 'referral0To')
    assert.equal(precheck(team, ctx).estimates.signposting, 3)
  })

  it("the prisoner's own words: missing, a few words, or about them rather than theirs", () => {
    assert.equal(precheck(entry({ prisonerWords: 'Fine.' }), ctx).estimates.voice, 2)
    assert.match(hintAbout(entry({ prisonerWords: 'Fine.' }), 'voice')!.message, /is a few words \(5 characters\)/)
    const about = entry({ prisonerWords: 'He talked about his family and his plans for release next year.' })
    assert.equal(precheck(about, ctx).estimates.voice, 2)
    assert.match(hintAbout(about, 'voice')!.message, /reads as a description of them rather than their words/)
    const mine = entry({ prisonerWords: 'Says my family have stopped visiting and he misses them.' })
    assert.equal(precheck({ ...mine, prisonerWords: mine.prisonerWords + ' A lot.' }, ctx).estimates.voice, 3)
  })

  it('no follow-up; a follow-up with no time', () => {
    assert.equal(
      hintAbout(entry(), 'follow-up')!.message,
      'Nothing says what happens next. In "What was agreed", write who will do what, and by when.',
    )
    const vague = entry({ agreed: 'Keep going with the course.' })
    assert.equal(precheck(vague, ctx).estimates['follow-up'], 2)
    assert.equal(hintAbout(vague, 'follow-up')!.field, 'agreed')
    assert.equal(
      precheck(entry({ agreed: 'Keep going with the course until the next session.' }), ctx).estimates['follow-up'],
      3,
    )
    // a referral's follow-up date is a time
    const dated = entry({ referrals: [{ to: 'service:x', note: 'Housing', followUp: '1/2/2027' }] })
    assert.equal(precheck(dated, ctx).estimates['follow-up'], 3)
  })

  it('strengths: an achieved goal or words of progress; nothing of them in a long entry', () => {
    const long = entry({ agreed: 'We went through his sentence plan and the actions for each part of it. '.repeat(3) })
    assert.equal(long.agreed.length, 213)
    assert.equal(precheck(long, ctx).estimates.strengths, 2)
    assert.equal(hintAbout(long, 'strengths')!.field, 'agreed')
    const achieved = entry({ reviews: new Map([[4, { status: 'achieved', note: '' }]]) })
    assert.equal(precheck(achieved, { ...ctx, openGoalIds: [4] }).estimates.strengths, 3)
  })

  it('uses "the prisoner" without a name', () => {
    assert.match(
      hintAbout(entry(), 'voice', { openGoalIds: [] })!.message,
      /^Nothing is written in the prisoner's own words/,
    )
  })
})

describe('precheck: helpers', () => {
  it('matches words at the start of a word only', () => {
    assert.equal(mentions('Looking for housing', ['hous']), 'hous')
    assert.equal(mentions('His parents visit', ['rent']), null)
    assert.equal(mentions('Rent arrears', ['rent']), 'rent')
    assert.equal(mentions('talked about the next  session', ['next session']), 'next session')
    assert.equal(mentions('a.b', ['a.c']), null)
  })

  it('keeps only the criteria of a rubric version, and their hints', () => {
    const p = precheck(entry(), ctx)
    const kept = forCodes(p, ['voice', 'goal'])
    assert.deepEqual(kept.estimates, { voice: 1, goal: 1 })
    assert.deepEqual(
      kept.hints.map(h => h.criterion),
      ['voice', 'goal'],
    )
  })

  it('scores the mean of the estimates given', () => {
    assert.equal(
      precheckScore({ estimates: { ...precheck(entry(), ctx).estimates, voice: 3 } }),
      (3 + 1 + 1 + 1 + 1) / 5,
    )
  })
})
