import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Role } from '../domain/roles'
import type { RequestContext } from './context'
import { menuFor } from './menu'
import { type Access, get } from './routing'

const route = (path: string, access: Access) => get(path, access, () => {})
const routes = [
  route('/', 'signed-in'),
  route('/national', ['NATIONAL_POLICY']),
  route('/caseload', ['KEY_WORKER', 'SUPERVISING_OFFICER']),
  route('/staff', ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY']),
]
const items = [
  { text: 'Home', href: '/' },
  { text: 'National overview', href: '/national' },
  { text: 'My caseload', href: '/caseload' },
  { text: 'Staff', href: '/staff', for: ['ESTABLISHMENT_ADMIN'] as Role[] },
]
const ctx = (roles: Role[], establishment = true) =>
  ({
    roles,
    establishment: establishment ? { id: 1, code: 'MDI', name: 'Moorland' } : null,
  }) as unknown as RequestContext
const texts = (m: { text: string }[]) => m.map(x => x.text)

describe('the menu follows the routes’ access rules', () => {
  it('rule: a link shows only to someone its route would let in', () => {
    assert.deepEqual(texts(menuFor(items, routes, ctx(['KEY_WORKER']), false)), ['Home', 'My caseload'])
    assert.deepEqual(texts(menuFor(items, routes, ctx(['SUPERVISING_OFFICER']), false)), ['Home', 'My caseload'])
  })

  it('rule: "for" keeps a link to those whose everyday work it is, among those the route lets in', () => {
    assert.deepEqual(texts(menuFor(items, routes, ctx(['ESTABLISHMENT_ADMIN']), false)), ['Home', 'Staff'])
    // the national team may use /staff, but it is not their everyday work
    assert.deepEqual(texts(menuFor(items, routes, ctx(['NATIONAL_POLICY']), false)), ['Home', 'National overview'])
  })

  it('rule: with no establishment chosen, only pages that need none', () => {
    const both: Role[] = ['NATIONAL_POLICY', 'KEY_WORKER']
    assert.deepEqual(texts(menuFor(items, routes, ctx(both), true)), ['Home', 'National overview'])
    assert.deepEqual(texts(menuFor(items, routes, ctx(both), false)), ['Home', 'National overview', 'My caseload'])
  })

  it('rule: a link to a page no route serves is a mistake, not a hidden link', () => {
    assert.throws(() => menuFor([{ text: 'Lost', href: '/lost' }], routes, ctx(['KEY_WORKER']), false), /\/lost/)
  })
})
