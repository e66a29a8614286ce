import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Random } from './random'
import {
  NearDuplicateIndex,
  BandTable,
  bandHashes,
  jaccard,
  normalise,
  sharedPassages,
  shingles,
  signature,
  similarPairs,
} from './nearDuplicates'

const setOf = (text: string, remove: string[] = []) => shingles(normalise(text, remove))

describe('near-duplicate narratives: normalising', () => {
  it('rule: names, prison numbers, dates, times and numbers are not what an officer wrote', () => {
    assert.deepEqual(
      normalise('Met John Smith (A1234BC) on 12/03/2026 at 10:30 and on 5 June 2026; agreed 3 goals.', ['John Smith']),
      ['met', 'on', 'at', 'and', 'on', 'agreed', 'goals'],
    )
    assert.deepEqual(normalise('Discussed housing, 2026-07-01, with Mr. O’Neil!', ['o’neil']), [
      'discussed',
      'housing',
      'with',
      'mr',
    ])
  })

  it('rule: the same narrative written for two men is the same text once their names are gone', () => {
    const a = setOf('Spoke with Alan Jones about his benefits claim and his housing on release.', ['Alan Jones'])
    const b = setOf('Spoke with Brian Kerr about his benefits claim and his housing on release.', ['Brian Kerr'])
    assert.equal(jaccard(a, b), 1)
  })
})

describe('near-duplicate narratives: exact similarity', () => {
  it('property: jaccard equals the naive count over two sets', () => {
    const set = fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 })
    fc.assert(
      fc.property(set, set, (xs, ys) => {
        const a = Uint32Array.from(xs).sort()
        const b = Uint32Array.from(ys).sort()
        const both = xs.filter(x => ys.includes(x)).length
        const union = new Set([...xs, ...ys]).size
        assert.equal(jaccard(a, b), union ? both / union : 0)
      }),
    )
  })

  it('rule: three-word shingles by hand', () => {
    // "a b c d" → {a b c, b c d}; "a b c e" → {a b c, b c e}: 1 shared of 3
    assert.equal(jaccard(shingles(['a', 'b', 'c', 'd']), shingles(['a', 'b', 'c', 'e'])), 1 / 3)
    // a text shorter than a shingle is one shingle of itself
    assert.equal(shingles(['short', 'one']).length, 1)
    assert.equal(shingles([]).length, 0)
  })
})

describe('near-duplicate narratives: MinHash and bands', () => {
  const words = fc.array(fc.constantFrom('housing', 'job', 'family', 'drugs', 'course', 'visit', 'plan', 'talked'), {
    minLength: 1,
    maxLength: 40,
  })

  it('property: identical texts always collide, whatever their words', () => {
    fc.assert(
      fc.property(words, ws => {
        const index = new NearDuplicateIndex<string>()
        index.add('first', shingles(ws))
        assert.deepEqual(
          index.similar(shingles(ws), 1).map(p => p.b),
          ['first'],
        )
      }),
    )
  })

  it('property: signatures and band keys are deterministic', () => {
    fc.assert(
      fc.property(words, ws => {
        assert.deepEqual(signature(shingles(ws)), signature(shingles([...ws])))
        assert.deepEqual(bandHashes(signature(shingles(ws))), bandHashes(signature(shingles(ws))))
      }),
    )
  })

  it('rule: recall of pairs at Jaccard ≥ 0.8 is at least 0.95, and no pair below the threshold is reported', () => {
    const rng = new Random(20261205)
    const vocabulary = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`)
    const text = (n: number) => Array.from({ length: n }, () => rng.pick(vocabulary))
    const entries: { id: number; set: Uint32Array }[] = []
    const planted: [number, number][] = []
    for (let i = 0; i < 300; i++) {
      const base = text(rng.int(40, 90))
      entries.push({ id: entries.length, set: shingles(base) })
      if (i % 2 === 0) {
        // a copy with one or two words changed: similar, at a Jaccard this test measures exactly
        const copy = [...base]
        for (let e = rng.int(1, 2); e > 0; e--) copy[rng.int(0, copy.length - 1)] = rng.pick(vocabulary)
        planted.push([entries.length - 1, entries.length])
        entries.push({ id: entries.length, set: shingles(copy) })
      }
    }
    // the truth by brute force over every pair
    const truth = new Set<string>()
    for (let i = 0; i < entries.length; i++)
      for (let j = i + 1; j < entries.length; j++)
        if (jaccard(entries[i]!.set, entries[j]!.set) >= 0.8) truth.add(`${i} ${j}`)
    assert.ok(truth.size >= 100, `enough planted pairs at ≥ 0.8 (${truth.size})`)
    const found = similarPairs(entries, 0.8)
    for (const p of found) assert.ok(p.similarity >= 0.8 && truth.has(`${p.a} ${p.b}`), `${p.a} ${p.b} is a true pair`)
    assert.ok(found.length / truth.size >= 0.95, `recall ${found.length} of ${truth.size}`)
  })
})

describe('near-duplicate narratives: the sorted band table', () => {
  it('property: the table finds the same candidate pairs as the per-band maps', () => {
    const texts = fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 8 }), {
      minLength: 1,
      maxLength: 25,
    })
    fc.assert(
      fc.property(texts, ts => {
        const hashes = ts.map(t => bandHashes(signature(shingles(t))))
        const table = new BandTable(Uint32Array.from(hashes.flatMap(h => [...h])))
        const fromTable = [...table.pairs()].map(([i, j]) => `${i} ${j}`).sort()
        // the reference: two entries are candidates when some band's hashes are equal
        const naive: string[] = []
        for (let i = 0; i < ts.length; i++)
          for (let j = i + 1; j < ts.length; j++)
            if (hashes[i]!.some((h, b) => h === hashes[j]![b])) naive.push(`${i} ${j}`)
        assert.deepEqual(fromTable, naive.sort())
        // and looking one entry up gives the entries it pairs with, itself included
        const withFirst = [...table.candidates(hashes[0]!)].sort((a, b) => a - b)
        const expected = [0, ...naive.filter(p => p.startsWith('0 ')).map(p => Number(p.split(' ')[1]))]
        assert.deepEqual(
          withFirst,
          expected.sort((a, b) => a - b),
        )
      }),
    )
  })
})

describe('near-duplicate narratives: shared passages', () => {
  it('rule: runs of three or more words found in both texts are marked in each', () => {
    const a = 'We talked about his housing on release and his family visits'
    const b = 'Talked about his housing on release, then about work'
    // a: "talked about his housing on release" is words 1–6; b: words 0–5 ("release," matches "release")
    assert.deepEqual(sharedPassages(a, b), { a: [[1, 7]], b: [[0, 6]] })
    assert.deepEqual(sharedPassages('one two three', 'four five six'), { a: [], b: [] })
  })
})

describe('normalise removes the named phrases as a word-by-word scan would (issue 18: the faster lookup)', () => {
  // the plain rule: at each word, the first phrase in the order given whose words all follow is skipped whole
  const plain = (words: string[], phrases: string[][]) => {
    const out: string[] = []
    let i = 0
    while (i < words.length) {
      let skipped = 0
      for (const p of phrases)
        if (p.length && p.every((w, k) => words[i + k] === w)) {
          skipped = p.length
          break
        }
      if (skipped) i += skipped
      else out.push(words[i++]!)
    }
    return out
  }
  it('property: the same words are left, whatever phrases overlap or share a first word', () => {
    const word = fc.constantFrom('he', 'said', 'key', 'work', 'session', 'john', 'smith', 'housing')
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 30 }),
        fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { maxLength: 6 }),
        (words, phrases) => {
          assert.deepEqual(
            normalise(
              words.join(' '),
              phrases.map(p => p.join(' ')),
            ),
            plain(words, phrases),
          )
        },
      ),
      { numRuns: 500 },
    )
  })
  it('rule: of two phrases with one first word, the one named first wins', () => {
    assert.deepEqual(normalise('key work session held', ['key work', 'key work session']), ['session', 'held'])
    assert.deepEqual(normalise('key work session held', ['key work session', 'key work']), ['held'])
  })
})
