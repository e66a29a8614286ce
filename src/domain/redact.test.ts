import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { REDACTION_NAMES, nameWords, placeNames, redact } from './redact'

const names = ['Tomasz Nowak', 'Sam Officer-Smith', 'Art Black', "Liam O'Brien"]

describe('redact: names', () => {
  it('removes a name in any case, and keeps the possessive', () => {
    const r = redact("Tomasz said NOWAK's plan was good; nowak agreed. tomasz too.", { names })
    assert.equal(r.text, "[name] said [name]'s plan was good; [name] agreed. [name] too.")
    assert.deepEqual(
      r.removals.map(x => x.original),
      ['Tomasz', 'NOWAK', 'nowak', 'tomasz'],
    )
  })

  it('never removes part of a word', () => {
    const r = redact('Article 3 of the party rules; Nowakowski and Samuel; Art came.', { names })
    assert.equal(r.text, 'Article 3 of the party rules; Nowakowski and Samuel; [name] came.')
  })

  it('removes an everyday word used as a name only when it is capitalised', () => {
    const r = redact('Art and BLACK will go; the art class was black and white; Will will call.', {
      names: ['Art Black', 'Will Stone'],
    })
    assert.equal(r.text, '[name] and [name] will go; the art class was black and white; [name] will call.')
  })

  it('removes hyphenated names whole and in parts, and any apostrophe', () => {
    const r = redact('Officer-Smith met Smith and O’Brien (Liam).', { names })
    assert.equal(r.text, '[name] met [name] and [name] ([name]).')
  })

  it('removes names with letters beyond English in any case, and surnames that are everyday words only capitalised', () => {
    const r = redact('Łukasz and ŁUKASZ Wójcik met Mr Day every day; the CASE of Case.', {
      names: ['Łukasz Wójcik', 'John Day', 'Ann Case'],
    })
    assert.equal(r.text, '[name] and [name] [name] met Mr [name] every day; the [name] of [name].')
  })

  it('removes a name whose spaces differ from the record, word by word', () => {
    assert.equal(redact('Tomasz   Nowak', { names }).text, '[name]   [name]')
  })

  it('ignores one-letter parts of names', () => {
    assert.deepEqual(nameWords(['J Smith', 'A.', 'Jo-Ann Lee-Smith']), [
      'Smith',
      'Jo-Ann',
      'Jo',
      'Ann',
      'Lee-Smith',
      'Lee',
    ])
  })
})

describe('redact: prison numbers', () => {
  it('removes the A1234BC pattern in any case, not inside longer codes', () => {
    const r = redact('A1111AA and b2222bb, not XA1111AA or A1111AA1.', {})
    assert.equal(r.text, '[prison number] and [prison number], not XA1111AA or A1111AA1.')
  })
})

describe('redact: dates', () => {
  const cases: [string, string][] = [
    ['on 2026-03-27 we met', 'on [date] we met'],
    ['on 27/03/2026 and 27/3/26 and 27-03-2026 and 27.03.2026', 'on [date] and [date] and [date] and [date]'],
    ['on 27 March 2026.', 'on [date].'],
    ['on 27th March', 'on [date]'],
    ['on the 3rd of april 2025', 'on the [date]'],
    ['on Tuesday 27 Mar 2026', 'on [date]'],
    ['on Tuesday, 27th of March', 'on [date]'],
    ['on March 27, 2026 and May 5th', 'on [date] and [date]'],
    ['in March 2026', 'in [date]'],
    ['in march', 'in march'],
    ['he may 10 minutes later', 'he may 10 minutes later'],
    ['a 45 minute session, 3.5 hours, 1/2 a day', 'a 45 minute session, 3.5 hours, 1/2 a day'],
    ['in 127 March', 'in 127 March'],
    ['on 27-Mar-2026 and 3-mar-26', 'on [date] and [date]'],
  ]
  for (const [text, expected] of cases)
    it(`"${text}"`, () => {
      assert.equal(redact(text, {}).text, expected)
    })

  it('keeps a date whole rather than a date and a name in it', () => {
    const r = redact('on 1 May 2026 May came', { names: ['May Jones'] })
    assert.equal(r.text, 'on [date] [name] came')
    assert.deepEqual(r.removals, [
      { kind: 'date', original: '1 May 2026' },
      { kind: 'name', original: 'May' },
    ])
  })
})

describe('redact: places', () => {
  it('knows an establishment by its name with or without HMP', () => {
    assert.deepEqual(placeNames('Moorland (HMP)'), ['Moorland (HMP)', 'Moorland'])
    assert.deepEqual(placeNames('HMP & YOI Doncaster'), ['HMP & YOI Doncaster', 'Doncaster'])
  })

  it('removes establishments, units and towns as whole phrases, codes exactly', () => {
    const r = redact(
      'Moved from HMP Moorland to houseblock 1 (HB1), then Houseblock 12; hb1 is not a code. Back to Leeds.',
      {
        places: [...placeNames('Moorland (HMP)'), 'Houseblock 1', 'Leeds'],
        codes: ['HB1', 'A'],
      },
    )
    assert.equal(
      r.text,
      'Moved from [place] to [place] ([place]), then Houseblock 12; hb1 is not a code. Back to [place].',
    )
    assert.deepEqual(
      r.removals.map(x => x.original),
      ['HMP Moorland', 'houseblock 1', 'HB1', 'Leeds'],
    )
  })

  it('removes a one-word place only when capitalised: "Reading" the town, not reading a book', () => {
    const r = redact('Reading prison; reading and writing; READING; Readings', { places: ['Reading'] })
    assert.equal(r.text, '[place] prison; reading and writing; [place]; Readings')
  })

  it('leaves a one-letter unit code alone', () => {
    assert.equal(redact('A wing, a plan', { codes: ['A'], places: ['A wing'] }).text, '[place], a plan')
  })
})

describe('redact: segments', () => {
  it('marks each removal with what it replaced, and joins back to the text', () => {
    const r = redact('Tomasz (A1111AA) on 1/2/2026.', { names })
    assert.deepEqual(r.segments, [
      { text: '[name]', kind: 'name', original: 'Tomasz' },
      { text: ' (' },
      { text: '[prison number]', kind: 'prison_number', original: 'A1111AA' },
      { text: ') on ' },
      { text: '[date]', kind: 'date', original: '1/2/2026' },
      { text: '.' },
    ])
    assert.equal(r.segments.map(s => s.text).join(''), r.text)
  })

  it('changes nothing in a text with nothing to remove, and in an empty one', () => {
    assert.deepEqual(redact('We talked about housing.', { names }), {
      text: 'We talked about housing.',
      segments: [{ text: 'We talked about housing.' }],
      removals: [],
    })
    assert.deepEqual(redact('', { names }), { text: '', segments: [], removals: [] })
  })

  it('finds nothing more in a text it has redacted', () => {
    const once = redact('Nowak, A1111AA, 27 March 2026, HMP Moorland', { names, places: ['Moorland'] })
    assert.deepEqual(redact(once.text, { names, places: ['Moorland'] }).removals, [])
  })
})

describe('redaction at its edges', () => {
  it('names each kind of removal for the reviewer', () => {
    assert.deepEqual(REDACTION_NAMES, { name: 'Name', prison_number: 'Prison number', date: 'Date', place: 'Place' })
  })

  it('knows everyday words from every line of its list: removed only with a capital', () => {
    for (const word of ['Hill', 'Law', 'English', 'Hart', 'Swan'])
      assert.equal(
        redact(`up the ${word.toLowerCase()} with ${word}`, { names: [`Sam ${word}`] }).text,
        `up the ${word.toLowerCase()} with [name]`,
        word,
      )
  })

  it('a name or place with a character regular expressions use is matched as written, and only so', () => {
    assert.equal(redact('seen by Smith+Jones today', { names: ['Smith+Jones'] }).text, 'seen by [name] today')
    assert.equal(redact('moved to St. Giles House', { places: ['St. Giles House'] }).text, 'moved to [place]')
    assert.equal(redact('moved to StX Giles House', { places: ['St. Giles House'] }).text, 'moved to StX Giles House')
  })

  it('a place written with two spaces in the record still matches one space in the text', () => {
    assert.equal(redact('back on Houseblock 1 today', { places: ['Houseblock  1'] }).text, 'back on [place] today')
  })

  it('the longer of two places that start alike wins: "A wing east" is one place', () => {
    const r = redact('moved to A wing east today', { places: ['A wing', 'A wing east'] })
    assert.equal(r.text, 'moved to [place] today')
    assert.deepEqual(r.removals, [{ kind: 'place', original: 'A wing east' }])
  })

  it('of a name and a place starting at one word, the longer is removed whole', () => {
    const r = redact('in Houseblock 1 today', { names: ['Houseblock'], places: ['Houseblock 1'] })
    assert.deepEqual(r.removals, [{ kind: 'place', original: 'Houseblock 1' }])
    // a date found first and a longer place at the same word: the place, whole
    assert.deepEqual(redact('lives at 12 Mar Lane now', { places: ['12 Mar Lane'] }).removals, [
      { kind: 'place', original: '12 Mar Lane' },
    ])
  })

  it('with nothing to look for, the word "null" is only a word', () => {
    assert.equal(redact('null and void').text, 'null and void')
  })

  it('codes and places are trimmed; a code needs two characters, a place two letters', () => {
    assert.equal(redact('on HB1 and AB', { codes: [' HB1 ', 'AB'] }).text, 'on [place] and [place]')
    assert.equal(redact('A wing', { codes: ['A'] }).text, 'A wing')
    assert.equal(redact('went to Ab.', { places: ['Ab'] }).text, 'went to [place].')
    assert.equal(redact('reading at Reading.', { places: [' Reading '] }).text, 'reading at [place].')
    assert.equal(redact('X marks it', { places: ['X'] }).text, 'X marks it')
  })

  it('the words of names: punctuation around them off, the first spelling kept, split at any run of spaces', () => {
    assert.deepEqual(nameWords(["''Nowak,,", 'NOWAK', 'Tomasz   Kowalski']), ['Nowak', 'Tomasz', 'Kowalski'])
    assert.deepEqual(nameWords(['NOWAK', 'Nowak']), ['NOWAK'])
  })

  it('the names of a place: brackets and prison words off, spaces made single, one-letter names dropped', () => {
    assert.deepEqual(placeNames('Low(x)Newton'), ['Low(x)Newton', 'Low Newton'])
    assert.deepEqual(placeNames('HMP&YOI Doncaster'), ['HMP&YOI Doncaster', 'Doncaster'])
    assert.deepEqual(placeNames('HMP &  YOI Hindley'), ['HMP &  YOI Hindley', 'Hindley'])
    assert.deepEqual(placeNames('HM  Prison Leeds'), ['HM  Prison Leeds', 'Leeds'])
    assert.deepEqual(placeNames('Low  Newton (HMP)'), ['Low  Newton (HMP)', 'Low Newton'])
    assert.deepEqual(placeNames('X (HMP)'), ['X (HMP)'])
    assert.deepEqual(placeNames('Ab (HMP)'), ['Ab (HMP)', 'Ab'])
    assert.deepEqual(placeNames(' Moorland '), ['Moorland'])
  })
})
