// The allocation forms as the routes read them (parseForm: one message per field, the first). Expected values are
// written by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseForm } from '../../forms/forms'
import { allocateSchema, coverSchema, deallocateSchema } from './schema'

describe('the allocation forms', () => {
  it('allocate: a Key Worker chosen by number, a handover note up to 2,000 characters, the "allocate anyway" box', () => {
    assert.deepEqual(parseForm(allocateSchema, { staffId: ' 42 ', handoverNote: '  Housing referral  ' }), {
      ok: true,
      data: { staffId: 42, handoverNote: 'Housing referral', untrainedConfirmed: false },
    })
    for (const staffId of [undefined, '', '12abc', 'abc12', '-3', '4.5'])
      assert.deepEqual(
        parseForm(allocateSchema, { staffId }),
        { ok: false, errors: { staffId: 'Choose a Key Worker' } },
        String(staffId),
      )
    assert.deepEqual(parseForm(allocateSchema, { staffId: '7', handoverNote: 'x'.repeat(2000) }).ok, true)
    assert.deepEqual(parseForm(allocateSchema, { staffId: '7', handoverNote: 'x'.repeat(2001) }), {
      ok: false,
      errors: { handoverNote: 'The handover note must be 2,000 characters or fewer' },
    })
    // ticked: 'yes', or 'yes' among a repeated field (the hidden default and the box); anything else is not ticked
    const ticked = (v: unknown) => {
      const r = parseForm(allocateSchema, { staffId: '7', untrainedConfirmed: v })
      assert.ok(r.ok)
      return r.data.untrainedConfirmed
    }
    assert.deepEqual(
      [ticked('yes'), ticked(['', 'yes']), ticked(['no']), ticked('no'), ticked(''), ticked(undefined), ticked('YES')],
      [true, true, false, false, false, false, false],
    )
  })

  it('remove: a reason from the list, a note up to 500 characters, and a note required for "other"', () => {
    assert.deepEqual(parseForm(deallocateSchema, { reason: 'released', note: '' }), {
      ok: true,
      data: { reason: 'released', note: '' },
    })
    assert.deepEqual(parseForm(deallocateSchema, { reason: 'manual', note: ' Moved wing ' }), {
      ok: true,
      data: { reason: 'manual', note: 'Moved wing' },
    })
    for (const reason of [undefined, '', 'fired', 'cover_ended'])
      assert.deepEqual(
        parseForm(deallocateSchema, { reason }),
        { ok: false, errors: { reason: 'Choose why the Key Worker is being removed' } },
        String(reason),
      )
    for (const note of [undefined, '', '   '])
      assert.deepEqual(parseForm(deallocateSchema, { reason: 'manual', note }), {
        ok: false,
        errors: { note: 'Say why the Key Worker is being removed' },
      })
    assert.equal(parseForm(deallocateSchema, { reason: 'manual', note: 'x'.repeat(500) }).ok, true)
    assert.deepEqual(parseForm(deallocateSchema, { reason: 'transferred', note: 'x'.repeat(501) }), {
      ok: false,
      errors: { note: 'The reason must be 500 characters or fewer' },
    })
  })

  it('cover: the date it ends, named in its messages', () => {
    assert.deepEqual(parseForm(coverSchema, { until: '2027-03-09', untrainedConfirmed: 'yes' }), {
      ok: true,
      data: { until: '2027-03-09', untrainedConfirmed: true },
    })
    assert.deepEqual(parseForm(coverSchema, { until: '' }), {
      ok: false,
      errors: { until: 'Enter the date the cover ends' },
    })
    assert.deepEqual(parseForm(coverSchema, { until: '2027-02-31' }), {
      ok: false,
      errors: { until: 'The date the cover ends must be a real date, like 27/3/2024' },
    })
  })
})
