import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Request, Response } from 'express'
import { redirectWithErrors } from './forms'

// Issue 18, point 9: the form shown again after a refusal writes out what was typed; a value JSON carries as an object
// String() cannot convert ({"toString": 1}) failed that page with a 500 on nearly every form (test/fuzz.test.ts).

describe('redirectWithErrors', () => {
  it('keeps the typed values as text, a repeated field as a list, and drops the CSRF token and passwords', () => {
    const session: Record<string, unknown> = {}
    let to = ''
    const req = {
      body: {
        _csrf: 't',
        name: 'Houseblock 1',
        capacity: 12,
        equipment: ['computer', { toString: null }],
        title: { toString: 1, valueOf: 2 },
        newPassword: 'secret',
      },
      session,
      originalUrl: '/units/new',
    } as unknown as Request
    const res = { redirect: (_s: number, url: string) => void (to = url) } as unknown as Response
    redirectWithErrors(req, res, { name: 'Enter the name' })
    assert.equal(to, '/units/new')
    assert.deepEqual(session.form, {
      errors: { name: 'Enter the name' },
      values: { name: 'Houseblock 1', capacity: '12', equipment: ['computer', ''], title: '' },
    })
  })
})
