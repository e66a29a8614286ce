/**
 * How easy a text is to read: Flesch reading ease and Flesch–Kincaid grade level, with an approximate reading age
 * (US grade + 5). Worksheets are written for prisoners, many of whom read at the level of a 9 to 11 year old, so
 * authors see the score while they write. Syllables are counted with a heuristic (vowel groups, a silent final e,
 * common endings): good to within a syllable for most English words, which is all a reading score needs.
 */

export interface Readability {
  words: number
  sentences: number
  syllables: number
  /** 0 (very hard) to about 100 (very easy); can go below 0 or above 100 */
  readingEase: number
  /** Flesch–Kincaid grade level (US school grade) */
  grade: number
  /** approximate reading age in years: grade + 5, never below 5 */
  readingAge: number
  /** plain words for the score, like "Easy" */
  band: string
}

/** The reading age a worksheet for prisoners should not go above. */
export const TARGET_READING_AGE = 11

const round1 = (n: number) => Math.round(n * 10) / 10

/** Syllables in one word, at least 1. */
export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '')
  if (!w) return 0
  if (w.length <= 3) return 1
  // silent endings: "make", "tables" keeps -les, "used" and "hoped" lose -ed unless after t or d
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]e)$/, m => m.slice(0, 1))
  w = w.replace(/([^td])ed$/, '$1')
  w = w.replace(/^y/, '')
  const groups = w.match(/[aeiouy]+/g)
  let n = groups ? groups.length : 0
  // vowel pairs said as two syllables: "idea", "create", "period", "actual", "quiet", "easier"
  n += (w.match(/[^cst]ia|ea(?=t)|ea$|[^q]io(?!u|n)|[^q]ua|[^q]uo|[^p]eo|iet|ier$|[aeiouy]ing$/g) ?? []).length
  return Math.max(1, n)
}

/** Words of a text: letters with apostrophes or hyphens inside, numbers count as words. */
export function wordsOf(text: string): string[] {
  return text.match(/[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*/g) ?? []
}

/** Sentences: runs ending in . ! ? or a line break (headings and list items count as sentences). */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map(s => s.trim())
    .filter(s => wordsOf(s).length > 0)
}

function band(ease: number): string {
  if (ease >= 90) return 'Very easy'
  if (ease >= 80) return 'Easy'
  if (ease >= 70) return 'Fairly easy'
  if (ease >= 60) return 'Plain English'
  if (ease >= 50) return 'Fairly hard'
  if (ease >= 30) return 'Hard'
  return 'Very hard'
}

/** Scores plain text (strip Markdown first: see plainTextOfMarkdown). Empty text scores as 0 words, age 5. */
export function readability(text: string): Readability {
  const sentences = sentencesOf(text)
  const words = sentences.flatMap(wordsOf)
  const syl = words.reduce((n, w) => n + (/^\d+$/.test(w) ? 1 : syllables(w)), 0)
  if (words.length === 0)
    return { words: 0, sentences: 0, syllables: 0, readingEase: 100, grade: 0, readingAge: 5, band: band(100) }
  const wps = words.length / sentences.length
  const spw = syl / words.length
  const ease = 206.835 - 1.015 * wps - 84.6 * spw
  const grade = 0.39 * wps + 11.8 * spw - 15.59
  return {
    words: words.length,
    sentences: sentences.length,
    syllables: syl,
    readingEase: round1(ease),
    grade: round1(grade),
    readingAge: Math.max(5, Math.round(grade + 5)),
    band: band(ease),
  }
}
