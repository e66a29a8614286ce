// npm run bench -- integrity [--json] [--entries N] [--subset N] [--probes N] [--seed N]
//
// The near-duplicate check of key work narratives (src/domain/nearDuplicates.ts) at national scale: N entries of
// generated narrative (default 1,000,000) with near-duplicates planted at known Jaccard similarities (the same text
// with names and dates changed, small edits, sentences reordered). Reports the full scan's time (normalise,
// shingle, sign, band, verify), its recall and precision at Jaccard ≥ 0.8 against a brute-force exact Jaccard over
// a subset (default 20,000 entries, with its time), and the incremental check of one new entry against the whole
// index (p50 and p99). Targets: recall ≥ 0.95; the full scan ≤ 60 s; the incremental check p99 ≤ 20 ms.
import { parseArgs } from 'node:util'
import { Random } from '../src/domain/random'
import { BANDS, BandTable, bandHashes, jaccard, normalise, shingles, signature } from '../src/domain/nearDuplicates'

const THRESHOLD = 0.8
const TARGET = { recall: 0.95, scanSeconds: 60, incrementalP99Ms: 20 }

const FIRST = [
  'Dean',
  'Marcus',
  'Tyler',
  'Jamal',
  'Connor',
  'Wayne',
  'Piotr',
  'Liam',
  'Aaron',
  'Kyle',
  'Shane',
  'Reece',
]
const LAST = ['Walsh', 'Khan', 'Morris', 'Okafor', 'Hughes', 'Nowak', 'Reid', 'Price', 'Begum', 'Carter', 'Lowe']
const OPEN = [
  'Met {n} in the hub room on {d}.',
  'Key work session with {n} on the wing, {d}.',
  'Saw {n} at his cell door on {d} as the hub was closed.',
  'Spoke with {n} after association on {d}.',
  '{n} came to the office on {d} for his session.',
]
// sentences are built word by word from these, as officers write: the same ideas in many different words
const SUBJECT = [
  'He',
  'We',
  'I',
  'He said he',
  'He told me he',
  'We both',
  'He admitted he',
  'He feels he',
  'He thinks he',
  'He explained he',
]
const VERB = [
  'wants to sort out',
  'is worried about',
  'has started',
  'keeps putting off',
  'asked for help with',
  'talked through',
  'is waiting for',
  'has finished',
  'struggles with',
  'is proud of',
  'has had trouble with',
  'needs to chase',
  'missed',
  'is looking forward to',
  'has been offered',
  'turned down',
  'was upset about',
  'has written about',
  'will apply for',
  'got a reply about',
  'is confused by',
  'has made progress with',
  'gave up on',
  'argued about',
  'still has not heard about',
  'has asked twice about',
  'is nervous about',
  'spoke warmly about',
]
const DET = ['the', 'his', 'a', 'that', 'this', 'another']
const ADJ = [
  'new',
  'old',
  'long',
  'short',
  'difficult',
  'local',
  'weekly',
  'last',
  'next',
  'first',
  'second',
  'outstanding',
  'urgent',
  'free',
  'expensive',
  'promised',
  'delayed',
  'useful',
  'pointless',
  'online',
  'written',
  'formal',
  'informal',
  'family',
  'legal',
  'medical',
  'education',
  'housing',
  'resettlement',
  'probation',
  'recovery',
  'gym',
  'kitchen',
  'workshop',
  'chaplaincy',
  'library',
  'canteen',
  'visits',
  'phone',
  'benefits',
  'bank',
]
const NOUN = [
  'application',
  'form',
  'course',
  'letter',
  'appointment',
  'meeting',
  'visit',
  'call',
  'job',
  'place',
  'referral',
  'hearing',
  'plan',
  'review',
  'claim',
  'account',
  'card',
  'certificate',
  'class',
  'session',
  'group',
  'assessment',
  'prescription',
  'complaint',
  'request',
  'report',
  'license',
  'address',
  'tenancy',
  'hostel',
  'debt',
  'fine',
  'order',
  'contact',
  'relationship',
  'target',
  'goal',
  'routine',
  'budget',
  'interview',
  'placement',
  'transfer',
]
const LINK = ['with', 'from', 'for', 'about', 'before', 'after', 'through', 'at', 'on', 'since']
const OTHER = [
  'his probation officer',
  'the council',
  'his sister',
  'the job centre',
  'the education team',
  'healthcare',
  'the chaplain',
  'his solicitor',
  'the drug team',
  'his mum',
  'the wing office',
  'reception',
  'the OMU',
  'the kitchen manager',
  'his partner',
  'the library',
  'the gym staff',
  'mental health in-reach',
  'his children',
  'the housing officer',
  'the careers adviser',
  'his cellmate',
  'the safer custody team',
  'his key worker before',
]

function sentence(rng: Random): string {
  const words = [rng.pick(SUBJECT), rng.pick(VERB), rng.pick(DET), rng.pick(ADJ), rng.pick(NOUN)]
  if (rng.chance(0.7)) words.push(rng.pick(LINK), rng.pick(OTHER))
  if (rng.chance(0.3)) words.push('and', rng.pick(VERB), rng.pick(DET), rng.pick(NOUN))
  return `${words.join(' ')}.`
}

const CLOSE = [
  'Next session in a week.',
  'I will follow this up with the team.',
  'He agreed to speak to me if things change.',
  'Goal reviewed and kept open.',
  'Referral sent today.',
  'He thanked me for the time.',
  'I will book the hub room for next time.',
  'No concerns about his safety today.',
]

interface Corpus {
  texts: string[]
  names: string[]
  /** planted pairs: [original, copy, kind] */
  planted: [number, number, string][]
}

function date(rng: Random) {
  return `${rng.int(1, 28)}/${rng.int(1, 12)}/202${rng.int(4, 6)}`
}

function narrative(rng: Random, name: string): string {
  const parts = [rng.pick(OPEN).replace('{n}', name).replace('{d}', date(rng))]
  for (let s = rng.int(4, 8); s > 0; s--) parts.push(sentence(rng))
  parts.push(rng.pick(CLOSE))
  return parts.join(' ')
}

function generate(n: number, rng: Random): Corpus {
  const texts: string[] = []
  const names: string[] = []
  const planted: [number, number, string][] = []
  for (let i = 0; i < n; i++) {
    const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`
    // about 2 in 100 entries are copies of an entry written shortly before (same officer, same week)
    if (i > 10 && rng.chance(0.02)) {
      const from = i - rng.int(1, Math.min(i, 500))
      const kind = rng.pick(['renamed', 'edited', 'reordered'] as const)
      let text = texts[from]!.replaceAll(names[from]!, name)
      if (kind === 'renamed') text = text.replace(/\d{1,2}\/\d{1,2}\/\d{4}/, date(rng))
      else if (kind === 'edited') {
        const words = text.split(' ')
        for (let e = rng.int(1, 3); e > 0; e--) words[rng.int(0, words.length - 1)] = rng.pick(NOUN)
        text = words.join(' ')
      } else {
        const sentences = text.split(/(?<=\.) /)
        const a = rng.int(1, sentences.length - 1)
        const b = rng.int(1, sentences.length - 1)
        ;[sentences[a], sentences[b]] = [sentences[b]!, sentences[a]!]
        text = sentences.join(' ')
      }
      planted.push([from, i, kind])
      texts.push(text)
    } else texts.push(narrative(rng, name))
    names.push(name)
  }
  return { texts, names, planted }
}

/** Every entry's shingles in one array (offsets into it), and its band hashes. */
function sign(corpus: Corpus) {
  const n = corpus.texts.length
  const offsets = new Uint32Array(n + 1)
  const chunks: Uint32Array[] = []
  let total = 0
  const hashes = new Uint32Array(n * BANDS)
  for (let i = 0; i < n; i++) {
    const set = shingles(normalise(corpus.texts[i]!, [corpus.names[i]!]))
    chunks.push(set)
    offsets[i] = total
    total += set.length
    hashes.set(bandHashes(signature(set)), i * BANDS)
  }
  offsets[n] = total
  const all = new Uint32Array(total)
  chunks.forEach((c, i) => all.set(c, offsets[i]!))
  const setOf = (i: number) => all.subarray(offsets[i]!, offsets[i + 1]!)
  return { hashes, setOf }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      entries: { type: 'string', default: '1000000' },
      subset: { type: 'string', default: '20000' },
      probes: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '20261205' },
    },
  })
  const n = Number(values.entries)
  const subset = Math.min(n, Number(values.subset))
  const say = (s: string) => values.json || console.log(s)
  const rng = new Random(Number(values.seed))

  let t = performance.now()
  const corpus = generate(n, rng)
  say(
    `integrity: ${n.toLocaleString('en-GB')} entries generated in ${((performance.now() - t) / 1000).toFixed(1)} s, ${corpus.planted.length.toLocaleString('en-GB')} planted copies`,
  )

  // the full scan: normalise, shingle, sign, band; then every candidate pair checked exactly
  t = performance.now()
  const { hashes, setOf } = sign(corpus)
  const table = new BandTable(hashes)
  let candidates = 0
  const found = new Set<number>()
  for (const [i, j] of table.pairs()) {
    candidates++
    if (jaccard(setOf(i), setOf(j)) >= THRESHOLD) found.add(i * 4294967296 + j)
  }
  const scanSeconds = (performance.now() - t) / 1000
  say(
    `integrity: full scan ${scanSeconds.toFixed(1)} s: ${candidates.toLocaleString('en-GB')} candidate pairs, ${found.size.toLocaleString('en-GB')} at Jaccard ≥ ${THRESHOLD}`,
  )

  // the truth over the subset by brute force (pairs whose sizes rule out Jaccard ≥ 0.8 are skipped: exact, not a guess)
  t = performance.now()
  const bySize = Array.from({ length: subset }, (_, i) => i).sort((a, b) => setOf(a).length - setOf(b).length)
  const truth = new Set<number>()
  let compared = 0
  for (let x = 0; x < bySize.length; x++) {
    const i = bySize[x]!
    const size = setOf(i).length
    for (let y = x + 1; y < bySize.length; y++) {
      const j = bySize[y]!
      if (setOf(j).length * THRESHOLD > size) break
      compared++
      if (jaccard(setOf(i), setOf(j)) >= THRESHOLD) truth.add(Math.min(i, j) * 4294967296 + Math.max(i, j))
    }
  }
  const bruteSeconds = (performance.now() - t) / 1000
  const inSubset = [...found].filter(k => Math.floor(k / 4294967296) < subset && k % 4294967296 < subset)
  const hits = inSubset.filter(k => truth.has(k)).length
  const recall = truth.size ? hits / truth.size : 1
  const precision = inSubset.length ? hits / inSubset.length : 1
  say(
    `integrity: brute force over ${subset.toLocaleString('en-GB')} entries ${bruteSeconds.toFixed(1)} s (${compared.toLocaleString('en-GB')} exact comparisons): ${truth.size} true pairs; recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}`,
  )
  say(
    `integrity: brute force over all ${n.toLocaleString('en-GB')} would take about ${((bruteSeconds * (n / subset) ** 2) / 3600).toFixed(1)} h`,
  )

  // the incremental check of one new entry: half copies of existing entries with a word changed, half new texts
  const probes = Number(values.probes)
  const times: number[] = []
  let matched = 0
  for (let p = 0; p < probes; p++) {
    const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`
    let text: string
    if (p % 2 === 0) {
      const from = rng.int(0, n - 1)
      const words = corpus.texts[from]!.replaceAll(corpus.names[from]!, name).split(' ')
      words[rng.int(0, words.length - 1)] = 'today'
      text = words.join(' ')
    } else text = narrative(rng, name)
    const start = performance.now()
    const set = shingles(normalise(text, [name]))
    const similar = [...table.candidates(bandHashes(signature(set)))].filter(i => jaccard(set, setOf(i)) >= THRESHOLD)
    times.push(performance.now() - start)
    if (similar.length) matched++
  }
  times.sort((a, b) => a - b)
  const p50 = percentile(times, 50)
  const p99 = percentile(times, 99)
  say(
    `integrity: incremental check of one entry against ${n.toLocaleString('en-GB')}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (${matched} of ${probes} probes matched, ${probes / 2} were copies)`,
  )
  const rss = process.memoryUsage().rss / 1024 / 1024
  const result = {
    bench: 'integrity',
    entries: n,
    planted: corpus.planted.length,
    scanSeconds: Number(scanSeconds.toFixed(2)),
    candidatePairs: candidates,
    pairsFound: found.size,
    subset,
    bruteForceSeconds: Number(bruteSeconds.toFixed(2)),
    truePairs: truth.size,
    recall: Number(recall.toFixed(4)),
    precision: Number(precision.toFixed(4)),
    incrementalP50Ms: Number(p50.toFixed(3)),
    incrementalP99Ms: Number(p99.toFixed(3)),
    rssMb: Math.round(rss),
    targets: TARGET,
    met: recall >= TARGET.recall && scanSeconds <= TARGET.scanSeconds && p99 <= TARGET.incrementalP99Ms,
  }
  if (values.json) console.log(JSON.stringify(result))
  else
    say(
      `integrity: ${result.met ? 'every target met' : 'a target missed'} (recall ≥ ${TARGET.recall}, scan ≤ ${TARGET.scanSeconds} s, p99 ≤ ${TARGET.incrementalP99Ms} ms); RSS ${Math.round(rss)} MB`,
    )
}
