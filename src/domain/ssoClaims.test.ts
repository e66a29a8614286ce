import assert from 'node:assert/strict'
import { describe, it, test } from 'node:test'
import { claimValues, grantsFromClaims, jwtPayload, roleOfClaim, sameGrants } from './ssoClaims'

const codes: Record<string, number> = { LEI: 1, MDI: 2 }
const idOf = (code: string) => codes[code]

test('claim values: arrays, or strings split on spaces and commas; anything else none', () => {
  assert.deepEqual(claimValues(['a', 'b']), ['a', 'b'])
  assert.deepEqual(claimValues('a b,c'), ['a', 'b', 'c'])
  assert.deepEqual(claimValues(42), [])
  assert.deepEqual(claimValues(undefined), [])
})

test('roles: keywork names, HMPPS ROLE_ prefix, any case; others none', () => {
  assert.equal(roleOfClaim('ROLE_KEY_WORKER'), 'KEY_WORKER')
  assert.equal(roleOfClaim('supervising_officer'), 'SUPERVISING_OFFICER')
  assert.equal(roleOfClaim('ROLE_GLOBAL_SEARCH'), null)
})

test('no roles claim configured: null (keywork roles apply)', () => {
  assert.equal(grantsFromClaims({ roles: ['KEY_WORKER'] }, {}, idOf), null)
})

test('each establishment role in each known caseload; national role once, everywhere', () => {
  const grants = grantsFromClaims(
    { authorities: ['ROLE_KEY_WORKER', 'ROLE_NATIONAL_POLICY', 'ROLE_OTHER'], caseloads: ['mdi', 'LEI', 'XXX'] },
    { rolesClaim: 'authorities', establishmentsClaim: 'caseloads' },
    idOf,
  )
  // KEY_WORKER × {LEI=1, MDI=2} (XXX unknown) + NATIONAL_POLICY (null, sorted first as 0)
  assert.deepEqual(grants, [
    { role: 'NATIONAL_POLICY', establishmentId: null },
    { role: 'KEY_WORKER', establishmentId: 1 },
    { role: 'KEY_WORKER', establishmentId: 2 },
  ])
})

test('roles without any establishment: no establishment grants', () => {
  assert.deepEqual(grantsFromClaims({ roles: 'KEY_WORKER' }, { rolesClaim: 'roles' }, idOf), [])
})

test('sameGrants ignores order, not content', () => {
  const a = { role: 'KEY_WORKER' as const, establishmentId: 1 }
  const b = { role: 'KEY_WORKER' as const, establishmentId: 2 }
  assert.equal(sameGrants([a, b], [b, a]), true)
  assert.equal(sameGrants([a], [b]), false)
  assert.equal(sameGrants([a], [a, b]), false)
})

test('a JWT access token gives its payload; an opaque or broken token none', () => {
  const payload = { user_name: 'KWORKER', authorities: ['ROLE_KEY_WORKER'] }
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  assert.deepEqual(jwtPayload(`${b64({ alg: 'RS256' })}.${b64(payload)}.signature`), payload)
  assert.equal(jwtPayload('an-opaque-token'), null)
  assert.equal(jwtPayload('a.!!!.c'), null)
  assert.equal(jwtPayload(`a.${b64([1, 2])}.c`), null)
  assert.equal(jwtPayload(undefined), null)
})

describe('SSO claims at their edges', () => {
  it('a claim array keeps only its strings, trimmed; a string splits at any run of spaces and commas', () => {
    assert.deepEqual(claimValues([' KEY_WORKER ', 7, null, 'SUPERVISING_OFFICER']), [
      'KEY_WORKER',
      'SUPERVISING_OFFICER',
    ])
    assert.deepEqual(claimValues('MDI, ,LEI  ,,BXI'), ['MDI', 'LEI', 'BXI'])
    assert.deepEqual(claimValues(', MDI'), ['MDI'])
    assert.deepEqual(claimValues({ MDI: true }), [])
  })

  it('a role is named as ours with ROLE_ only at the front, in any case, spaces round it', () => {
    assert.equal(roleOfClaim(' role_key_worker '), 'KEY_WORKER')
    assert.equal(roleOfClaim('KEY_WORKER'), 'KEY_WORKER')
    assert.equal(roleOfClaim('KEY_ROLE_WORKER'), null)
    assert.equal(roleOfClaim('XROLE_KEY_WORKER'), null)
  })

  it('without an establishments claim, establishment roles give no grant; the national role still does', () => {
    const ids: Record<string, number> = { MDI: 1 }
    assert.deepEqual(
      grantsFromClaims({ roles: ['KEY_WORKER', 'NATIONAL_POLICY'] }, { rolesClaim: 'roles' }, c => ids[c]),
      [{ role: 'NATIONAL_POLICY', establishmentId: null }],
    )
  })

  it('grants are ordered by establishment, then role', () => {
    const ids: Record<string, number> = { MDI: 2, LEI: 1 }
    assert.deepEqual(
      grantsFromClaims(
        { roles: 'SUPERVISING_OFFICER KEY_WORKER', caseloads: 'MDI LEI' },
        { rolesClaim: 'roles', establishmentsClaim: 'caseloads' },
        c => ids[c],
      ),
      [
        { role: 'KEY_WORKER', establishmentId: 1 },
        { role: 'SUPERVISING_OFFICER', establishmentId: 1 },
        { role: 'KEY_WORKER', establishmentId: 2 },
        { role: 'SUPERVISING_OFFICER', establishmentId: 2 },
      ],
    )
  })

  it('two sets of grants are the same only when each has every grant of the other', () => {
    const a = { role: 'KEY_WORKER' as const, establishmentId: 1 }
    const b = { role: 'KEY_WORKER' as const, establishmentId: 2 }
    const c = { role: 'SUPERVISING_OFFICER' as const, establishmentId: 1 }
    assert.equal(sameGrants([a, b], [b, a]), true)
    assert.equal(sameGrants([a, b], [a, c]), false)
    assert.equal(sameGrants([a], [a, b]), false)
    assert.equal(sameGrants([], []), true)
  })

  it('a token is read only when it has three parts and a payload that is a JSON object', () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    assert.deepEqual(jwtPayload(`h.${enc({ sub: 'x' })}.s`), { sub: 'x' })
    assert.equal(jwtPayload(`h.${enc({ sub: 'x' })}`), null)
    assert.equal(jwtPayload(`h.${enc({ sub: 'x' })}.s.t`), null)
    assert.equal(jwtPayload('h..s'), null)
    assert.equal(jwtPayload(`h.${enc([1, 2])}.s`), null)
    assert.equal(jwtPayload(`h.${enc('text')}.s`), null)
    assert.equal(jwtPayload(`h.${enc(null)}.s`), null)
    assert.equal(jwtPayload(`h.${enc(0)}.s`), null)
    assert.equal(jwtPayload(undefined), null)
  })
})
