import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { referralTargets, sameTarget } from './referTo'
import { STAKEHOLDERS } from './sessions'

describe('"Refer to": each service once', () => {
  it('drops the teams a directory service already stands for (the demo directory’s names)', () => {
    const pairs: [string, string, boolean][] = [
      ['Chaplaincy', 'Chaplaincy', true],
      ['Healthcare (primary care)', 'Healthcare', true],
      ['Resettlement team', 'Resettlement', true],
      ['Substance misuse service', 'Substance misuse team', true],
      ['Mental health in-reach team', 'Mental health team', true],
      ['Education and skills', 'Education', true],
      ['Offender management unit (POM)', 'Prison Offender Manager (POM)', true],
      ['Dental service', 'Healthcare', false],
      ['Library', 'Education', false],
      ['Safer custody team', 'Chaplaincy', false],
    ]
    for (const [service, team, same] of pairs) assert.equal(sameTarget(service, team), same, `${service} / ${team}`)
    const r = referralTargets(
      [
        { name: 'Chaplaincy', national: false },
        { name: 'Library', national: false },
      ],
      STAKEHOLDERS,
    )
    assert.deepEqual(Object.keys(r.stakeholders), [
      'pom',
      'mental_health',
      'healthcare',
      'substance_misuse',
      'education',
      'resettlement',
    ])
  })

  it('keeps the establishment’s own service over a national one of the same name', () => {
    const own = { id: 'a', name: 'Samaritans', national: false }
    const national = { id: 'b', name: 'Samaritans', national: true }
    const other = { id: 'c', name: 'Library', national: false }
    assert.deepEqual(referralTargets([national, other, own], {}).services, [other, own])
  })
})
