import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parse } from 'csv-parse/sync'
import { csvField, csvLine } from './tabular'
import { provisionAttributeId, uuidV5 } from './model'

describe('CSV writing', () => {
  it('leaves plain text alone and writes nothing for null', () => {
    assert.equal(csvField('Shelter'), 'Shelter')
    assert.equal(csvField(212), '212')
    assert.equal(csvField(null), '')
    assert.equal(csvField(undefined), '')
  })

  it('quotes commas, quotes, line breaks and edge spaces, doubling quotes', () => {
    assert.equal(csvField('a,b'), '"a,b"')
    assert.equal(csvField('say "hi"'), '"say ""hi"""')
    assert.equal(csvField('line\nbreak'), '"line\nbreak"')
    assert.equal(csvField('cr\rhere'), '"cr\rhere"')
    assert.equal(csvField(' padded'), '" padded"')
  })

  it('defuses text a spreadsheet would run as a formula, but writes numbers as numbers', () => {
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`)
    assert.equal(csvField('+44 20 7946 0000'), "'+44 20 7946 0000")
    assert.equal(csvField('@A1'), "'@A1")
    assert.equal(csvField('\tx'), "'\tx")
    assert.equal(csvField("'-1"), "''-1")
    assert.equal(csvField(-1.5), '-1.5')
  })

  it('reads back exactly what it wrote (csv-parse)', () => {
    const values = ['plain', 'a,b', 'say "hi"', 'multi\r\nline', ' edge ', '', 'Ünïcödé – ok']
    const text = csvLine(values) + csvLine(['x', 'y', 'z', '1', '2', '3', '4'])
    const rows = parse(text) as string[][]
    assert.deepEqual(rows[0], values)
    assert.equal(rows.length, 2)
  })
})

describe('provision attribute ids', () => {
  it('are RFC 4122 version 5 UUIDs, the same for the same service every time', () => {
    const id = provisionAttributeId('7242dd5e-5839-5ea6-b936-1f0351d2296b')
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(provisionAttributeId('7242dd5e-5839-5ea6-b936-1f0351d2296b'), id)
    assert.notEqual(provisionAttributeId('4c8b3d81-c9e5-5442-8357-459c473ce425'), id)
  })

  it('match the RFC 4122 example (DNS namespace, www.example.com)', () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex')
    assert.equal(uuidV5('www.example.com', dns), '2ed6657d-e927-568b-95e1-2665a8aea6a2')
  })
})
