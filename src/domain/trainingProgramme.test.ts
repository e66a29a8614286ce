import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CONTRIBUTOR_ROLE_NAMES, MODULE_FORMAT_NAMES } from './training'
import {
  CHANGE_SUMMARY_MAX,
  DAYS_MAX,
  HOURS_MAX,
  INITIAL_CODE,
  MODULE_CODE,
  NATIONAL_KINDS,
  OUTCOMES_MAX,
  OUTCOME_MAX,
  SUMMARY_MAX,
  TITLE_MAX,
  NATIONAL_PROGRAMME_V1,
  parseCodes,
  parseOutcomes,
  prerequisiteCycle,
  prerequisiteProblems,
} from './trainingProgramme'

describe('the national programme, version 1', () => {
  const byCode = new Map(NATIONAL_PROGRAMME_V1.modules.map(m => [m.code, m]))

  it('has the five-day initial course and the four top-ups, with the codes the other features use', () => {
    assert.deepEqual(
      NATIONAL_PROGRAMME_V1.modules.map(m => [m.code, m.kind, m.hours]),
      [
        ['KW-INITIAL', 'initial', 30],
        ['KW-TOPUP-MI', 'topup', 3],
        ['KW-TOPUP-ENTRIES', 'topup', 2],
        ['KW-TOPUP-MH', 'topup', 3],
        ['KW-TOPUP-PATHWAYS', 'topup', 2],
      ],
    )
    const initial = byCode.get('KW-INITIAL')!
    assert.equal(initial.days, 5)
    assert.equal(initial.format, 'workshop')
    assert.deepEqual(initial.prerequisites, [])
    for (const code of ['KW-TOPUP-MI', 'KW-TOPUP-ENTRIES', 'KW-TOPUP-MH', 'KW-TOPUP-PATHWAYS'])
      assert.deepEqual(byCode.get(code)!.prerequisites, ['KW-INITIAL'], code)
  })

  it('covers every subject of the initial course the review names', () => {
    const outcomes = byCode.get('KW-INITIAL')!.outcomes.join('\n').toLowerCase()
    for (const subject of [
      'communication',
      'motivational interviewing',
      'mental health',
      'self-harm',
      'personality disorder',
      'key work entry',
      'reflect',
      'human rights',
      'rehabilitation',
      'seven pathways',
    ])
      assert.ok(outcomes.includes(subject), subject)
  })

  it('is valid by its own rules: codes, hours, formats, outcomes, prerequisites', () => {
    for (const m of NATIONAL_PROGRAMME_V1.modules) {
      assert.match(m.code, MODULE_CODE)
      assert.ok(m.hours > 0 && m.hours <= HOURS_MAX, m.code)
      assert.ok(m.format in MODULE_FORMAT_NAMES, m.code)
      assert.ok(m.outcomes.length >= 3, m.code)
      assert.ok(m.title && m.summary, m.code)
    }
    assert.equal(prerequisiteProblems(NATIONAL_PROGRAMME_V1.modules).size, 0)
  })

  it('was co-created by the six people of the issue, each with a role, named as illustrative', () => {
    assert.deepEqual(
      NATIONAL_PROGRAMME_V1.contributors.map(c => c.role),
      ['academic', 'psychologist', 'mental_health', 'prison_officer', 'prison_officer', 'prisoner_voice'],
    )
    for (const c of NATIONAL_PROGRAMME_V1.contributors) {
      assert.ok(c.role in CONTRIBUTOR_ROLE_NAMES)
      assert.match(c.name, /\(illustrative\)$/)
    }
    assert.ok(NATIONAL_PROGRAMME_V1.summary.length > 20)
  })
})

describe('module codes and outcomes typed in a form', () => {
  it('reads codes separated by commas, spaces or lines, upper case, each once', () => {
    assert.deepEqual(parseCodes(' kw-initial, KW-TOPUP-MI\nkw-initial ;LOCAL-MDI-1 '), [
      'KW-INITIAL',
      'KW-TOPUP-MI',
      'LOCAL-MDI-1',
    ])
    assert.deepEqual(parseCodes('  '), [])
  })
  it('reads outcomes one a line, without bullets or blank lines', () => {
    assert.deepEqual(parseOutcomes('- Listen\n\n• Summarise  \r\n* Refer'), ['Listen', 'Summarise', 'Refer'])
  })
  it('accepts a code of a letter then letters, digits and hyphens, 2 to 40', () => {
    assert.deepEqual(
      ['KW-INITIAL', 'LOCAL-MDI-1', 'A', '1-KW', 'KW INITIAL', 'K'.repeat(40), 'K'.repeat(41)].map(c =>
        MODULE_CODE.test(c),
      ),
      [true, true, false, false, false, true, false],
    )
  })
})

describe('prerequisites', () => {
  const m = (code: string, ...prerequisites: string[]) => ({ code, prerequisites })

  it('finds no circle in a chain or a diamond', () => {
    assert.equal(prerequisiteCycle([m('A'), m('B', 'A'), m('C', 'A'), m('D', 'B', 'C')]), null)
  })
  it('finds a circle of three, from a module back to itself', () => {
    assert.deepEqual(prerequisiteCycle([m('A', 'C'), m('B', 'A'), m('C', 'B')]), ['A', 'C', 'B', 'A'])
  })
  it('finds a circle of two whatever the case of the codes', () => {
    assert.deepEqual(prerequisiteCycle([m('x', 'Y'), m('y', 'x'), m('Z')]), ['X', 'Y', 'X'])
  })
  it('names an unknown prerequisite, a module that needs itself, and a circle', () => {
    assert.deepEqual(
      [...prerequisiteProblems([m('A'), m('B', 'A', 'NOPE'), m('C', 'C')])],
      [
        ['B', 'There is no module with the code NOPE'],
        ['C', 'C cannot be its own prerequisite'],
      ],
    )
    assert.deepEqual(
      [...prerequisiteProblems([m('A', 'B'), m('B', 'A')])],
      [['A', 'The prerequisites go round in a circle: A → B → A']],
    )
    // codes known from elsewhere (the national modules, for a local one)
    assert.equal(prerequisiteProblems([m('LOCAL-1', 'KW-INITIAL')], ['KW-INITIAL', 'LOCAL-1']).size, 0)
    assert.deepEqual(
      [...prerequisiteProblems([m('L', 'P', 'Q')], ['L'])],
      [['L', 'There are no modules with the codes P, Q']],
    )
  })
})

// ---- mutation testing (issue 20): the edges the cases above left open, each worked by hand ----
describe('the national programme, version 1: its published text', () => {
  // Version 1 is national content already published: a change to its words is a new version, never an edit.
  it('keeps every module’s title, format, days, summary and outcomes as published', () => {
    assert.deepEqual(
      NATIONAL_PROGRAMME_V1.modules.map(m => ({
        code: m.code,
        title: m.title,
        format: m.format,
        days: m.days,
        summary: m.summary,
        outcomes: m.outcomes,
      })),
      [
        {
          code: 'KW-INITIAL',
          title: 'Key Worker initial course',
          format: 'workshop',
          days: 5,
          summary:
            'Five days of workshops for officers who have been in post for some months, so the course does not drown in induction. It covers the whole of the Key Worker role: talking with prisoners, supporting change, working with vulnerable and complex prisoners, writing entries that matter and learning from your own practice.',
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
        },
        {
          code: 'KW-TOPUP-MI',
          title: 'Motivational interviewing refresher',
          format: 'practical',
          days: 1,
          summary:
            'Practise motivational interviewing again in role-play, with feedback, a year or so after the initial course.',
          outcomes: [
            'Use open questions, affirmations, reflections and summaries in a recorded role-play',
            'Recognise and respond to change talk and sustain talk',
            'Roll with resistance without arguing for change',
          ],
        },
        {
          code: 'KW-TOPUP-ENTRIES',
          title: 'Writing entries that matter',
          format: 'workshop',
          days: 1,
          summary: 'Learn from real, anonymised entries scored against the national quality rubric.',
          outcomes: [
            'Score an anonymised entry against the national quality rubric and agree the score with a colleague',
            'Rewrite a thin entry so it records the prisoner’s voice, a SMART goal and a referral',
            'Never make up or copy an entry: record a session that did not happen as not delivered, with why',
          ],
        },
        {
          code: 'KW-TOPUP-MH',
          title: 'Mental health and self-harm update',
          format: 'lecture',
          days: 1,
          summary:
            'What has changed in mental health care and self-harm prevention in custody, with the establishment’s teams.',
          outcomes: [
            'Describe the current ACCT process and the Key Worker’s part in it',
            'Recognise the signs of a mental health crisis and refer to the in-reach team the same day',
            'Look after your own wellbeing after a difficult session, and know where to get support',
          ],
        },
        {
          code: 'KW-TOPUP-PATHWAYS',
          title: 'Signposting across the seven pathways',
          format: 'e_learning',
          days: 1,
          summary:
            'Signpost to the right service for each of the seven pathways, using the establishment’s services directory.',
          outcomes: [
            'Find a service for each of the seven pathways in the establishment’s directory',
            'Make a referral that names the service, its contact and what the prisoner wants from it',
            'Follow up a referral and record what came of it',
          ],
        },
      ],
    )
  })

  it('keeps the contributors and the summary as published', () => {
    assert.equal(NATIONAL_PROGRAMME_V1.version, 1)
    assert.equal(
      NATIONAL_PROGRAMME_V1.summary,
      'The first national Key Worker training programme: the five-day initial course and four top-ups, co-created by an academic criminologist, a forensic psychologist, a mental health nurse, two Key Workers and a prisoner voice representative.',
    )
    assert.deepEqual(NATIONAL_PROGRAMME_V1.contributors, [
      {
        name: 'Dr Alex Example (illustrative)',
        role: 'academic',
        organisation: 'University criminology department',
      },
      {
        name: 'Dr Sam Placeholder (illustrative)',
        role: 'psychologist',
        organisation: 'HMPPS forensic psychology',
      },
      {
        name: 'Jo Sample RMN (illustrative)',
        role: 'mental_health',
        organisation: 'Prison mental health in-reach team',
      },
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
    ])
  })
})

describe('the programme’s fixed limits', () => {
  it('has the limits the forms check', () => {
    assert.deepEqual(
      [HOURS_MAX, DAYS_MAX, TITLE_MAX, SUMMARY_MAX, OUTCOME_MAX, OUTCOMES_MAX, CHANGE_SUMMARY_MAX],
      [200, 30, 120, 1000, 300, 20, 2000],
    )
    assert.deepEqual(NATIONAL_KINDS, ['initial', 'topup', 'cpd'])
    assert.equal(INITIAL_CODE, 'KW-INITIAL')
  })
})

describe('codes and outcomes typed in a form: edges', () => {
  it('splits codes on tabs, semicolons and runs of separators, dropping empty parts', () => {
    assert.deepEqual(parseCodes('a\tb;;c,, d\r\ne'), ['A', 'B', 'C', 'D', 'E'])
    assert.deepEqual(parseCodes(',a,'), ['A'])
    assert.deepEqual(parseCodes('KW-1 kw-1 Kw-1'), ['KW-1'])
  })
  it('drops a bullet only at the start of a line, and keeps a hyphen inside', () => {
    assert.deepEqual(parseOutcomes('  -  Self-harm awareness\n*Listen\n•Refer'), [
      'Self-harm awareness',
      'Listen',
      'Refer',
    ])
    assert.deepEqual(parseOutcomes('Listen - actively\n   \nx'), ['Listen - actively', 'x'])
    assert.deepEqual(parseOutcomes('a\rb'), ['a\rb'])
  })
})

describe('prerequisites: edges', () => {
  const m = (code: string, ...prerequisites: string[]) => ({ code, prerequisites })

  it('finds no circle in a diamond listed from the top, nor through an unknown code', () => {
    assert.equal(prerequisiteCycle([m('D', 'B', 'C'), m('B', 'A'), m('C', 'A'), m('A')]), null)
    assert.equal(prerequisiteCycle([m('A', 'NOPE')]), null)
    assert.equal(prerequisiteCycle([]), null)
  })
  it('gives the circle alone, without the modules visited before it', () => {
    // B needs A (no circle there), then C; C needs B: the circle is B → C → B, without A
    assert.deepEqual(prerequisiteCycle([m('B', 'A', 'C'), m('A'), m('C', 'B')]), ['B', 'C', 'B'])
    // reached from X: the circle starts at Y
    assert.deepEqual(prerequisiteCycle([m('X', 'Y'), m('Y', 'Z'), m('Z', 'Y')]), ['Y', 'Z', 'Y'])
    assert.deepEqual(prerequisiteCycle([m('a', 'a')]), ['A', 'A'])
  })
  it('compares codes whatever their case, names the module as written, and reports a circle only when nothing else is wrong', () => {
    assert.deepEqual([...prerequisiteProblems([m('a', 'A', 'NOPE')])], [['A', 'a cannot be its own prerequisite']])
    assert.equal(prerequisiteProblems([m('LOCAL-1', 'KW-INITIAL')], ['kw-initial']).size, 0)
    assert.equal(prerequisiteProblems([m('b', 'A'), m('a')]).size, 0)
    assert.deepEqual(
      [...prerequisiteProblems([m('A', 'B'), m('B', 'A', 'Z')])],
      [['B', 'There is no module with the code Z']],
    )
    assert.deepEqual(
      [...prerequisiteProblems([m('A', 'B'), m('B', 'C'), m('C', 'A')])],
      [['A', 'The prerequisites go round in a circle: A → B → C → A']],
    )
  })
})
