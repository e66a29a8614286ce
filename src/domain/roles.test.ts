import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ROLES, ROLE_NAMES, type RoleGrant, isNational, isRole, rolesIn } from './roles'

describe('rolesIn', () => {
  const grants: RoleGrant[] = [
    { role: 'KEY_WORKER', establishmentId: 1 },
    { role: 'SUPERVISING_OFFICER', establishmentId: 2 },
    { role: 'ESTABLISHMENT_ADMIN', establishmentId: 2 },
  ]

  it('gives only the roles held in the establishment acted in', () => {
    assert.deepEqual(rolesIn(grants, 1), ['KEY_WORKER'])
    assert.deepEqual(rolesIn(grants, 2).sort(), ['ESTABLISHMENT_ADMIN', 'SUPERVISING_OFFICER'])
    assert.deepEqual(rolesIn(grants, 3), [])
    assert.deepEqual(rolesIn(grants, null), [])
  })

  it('counts national roles in every establishment', () => {
    const national: RoleGrant[] = [...grants, { role: 'NATIONAL_POLICY', establishmentId: null }]
    assert.deepEqual(rolesIn(national, 3), ['NATIONAL_POLICY'])
    assert.deepEqual(rolesIn(national, 1).sort(), ['KEY_WORKER', 'NATIONAL_POLICY'])
    assert.deepEqual(rolesIn(national, null), ['NATIONAL_POLICY'])
  })

  it('lists a role once even when granted twice', () => {
    assert.deepEqual(
      rolesIn(
        [
          { role: 'KEY_WORKER', establishmentId: 1 },
          { role: 'KEY_WORKER', establishmentId: 1 },
        ],
        1,
      ),
      ['KEY_WORKER'],
    )
  })
})

describe('roles', () => {
  it('recognises the four roles and nothing else', () => {
    for (const r of ROLES) {
      assert.equal(isRole(r), true)
      assert.ok(ROLE_NAMES[r])
    }
    for (const v of ['key_worker', 'ADMIN', '', 'NATIONAL']) assert.equal(isRole(v), false, v)
  })

  it('knows a national user by their grants', () => {
    assert.equal(isNational([{ role: 'NATIONAL_POLICY', establishmentId: null }]), true)
    assert.equal(isNational([{ role: 'ESTABLISHMENT_ADMIN', establishmentId: 1 }]), false)
    assert.equal(isNational([]), false)
  })
})
