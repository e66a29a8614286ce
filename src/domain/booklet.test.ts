import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bookletPart2 } from './booklet'
import { bookletService as service } from './fixtures'

describe('booklet part 2', () => {
  it('groups services by pathway in the pathways’ order, a service under each of its pathways', () => {
    const p = bookletPart2([
      service({ name: 'Substance misuse team', pathways: ['drugs-alcohol', 'health'] }),
      service({ name: 'Housing advice', pathways: ['accommodation'] }),
      service({ name: 'Chaplaincy', pathways: [] }),
      service({ name: 'Closed for good', pathways: ['accommodation'], status: 'defunct' }),
    ])
    assert.deepEqual(
      p.groups.map(g => [g.code, g.services.map(s => s.name)]),
      [
        ['accommodation', ['Housing advice']],
        ['health', ['Substance misuse team']],
        ['drugs-alcohol', ['Substance misuse team']],
      ],
    )
    assert.deepEqual(
      p.other.map(s => s.name),
      ['Chaplaincy'],
    )
  })

  it('makes one contact row per contact, using the service’s phone and email when the contact has none', () => {
    const p = bookletPart2([
      service({
        name: 'Housing advice',
        email: 'housing@example.org',
        phones: ['0113 496 0000'],
        contacts: [
          { name: 'Jo Bloggs', title: 'Housing officer', email: null, phones: [] },
          { name: 'Ali Khan', title: 'Manager', email: 'ali@example.org', phones: ['0113 496 0001'] },
        ],
      }),
      service({ name: 'Samaritans', phones: ['116 123'] }),
      service({ name: 'No way to reach' }),
    ])
    assert.deepEqual(p.contacts, [
      {
        name: 'Ali Khan',
        role: 'Manager',
        service: 'Housing advice',
        phone: '0113 496 0001',
        email: 'ali@example.org',
      },
      {
        name: 'Jo Bloggs',
        role: 'Housing officer',
        service: 'Housing advice',
        phone: '0113 496 0000',
        email: 'housing@example.org',
      },
      { name: 'Samaritans', role: '', service: 'Samaritans', phone: '116 123', email: '' },
    ])
  })
})
