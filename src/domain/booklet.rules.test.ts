// Rules of part 2 of the Key Worker booklet that mutation testing found unprotected (npm run mutation,
// MUTATE=src/domain/booklet.ts): which services it lists and in what order, and the contact table's rows.
// Expected values written by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bookletPart2 } from './booklet'
import { bookletService as service } from './fixtures'

describe('booklet part 2: rules', () => {
  it('lists active and temporarily closed services, by name, and leaves out inactive and defunct ones', () => {
    const p = bookletPart2([
      service({ name: 'Zeta', status: 'temporarily closed' }),
      service({ name: 'Alpha', status: 'active' }),
      service({ name: 'Gone', status: 'defunct' }),
      service({ name: 'Paused', status: 'inactive' }),
    ])
    assert.deepEqual(
      p.other.map(s => s.name),
      ['Alpha', 'Zeta'],
    )
  })

  it('a contact row lists every phone, separated by commas; a service without contacts has its own row', () => {
    const p = bookletPart2([
      service({
        name: 'Housing',
        phones: ['0113 000 0001', '0113 000 0002'],
        email: 'housing@example.org',
        contacts: [{ name: 'Ann Lee', title: null, email: null, phones: [] }],
      }),
      service({ name: 'Library', phones: ['0113 000 0003', '0113 000 0004'] }),
    ])
    assert.deepEqual(p.contacts, [
      {
        name: 'Ann Lee',
        role: '',
        service: 'Housing',
        phone: '0113 000 0001, 0113 000 0002',
        email: 'housing@example.org',
      },
      { name: 'Library', role: '', service: 'Library', phone: '0113 000 0003, 0113 000 0004', email: '' },
    ])
  })

  it('the same person listed by two services is one row; two people who differ only in role are two', () => {
    const jo = { name: 'Jo', title: 'Chaplain', email: 'jo@example.org', phones: ['1'] }
    const p = bookletPart2([
      service({ name: 'A', contacts: [jo] }),
      service({ name: 'B', contacts: [jo, { ...jo, title: 'Imam' }] }),
    ])
    assert.deepEqual(
      p.contacts.map(c => [c.name, c.role, c.service]),
      [
        ['Jo', 'Chaplain', 'A'],
        ['Jo', 'Imam', 'B'],
      ],
    )
  })
})
