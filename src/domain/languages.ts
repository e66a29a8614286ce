/** ISO 639-1 codes (639-3 where there is none) of the languages most often met in the male estate. */
export const LANGUAGES: Record<string, string> = {
  en: 'English',
  sq: 'Albanian',
  ar: 'Arabic',
  bn: 'Bengali',
  bg: 'Bulgarian',
  zh: 'Chinese (Mandarin)',
  yue: 'Chinese (Cantonese)',
  cs: 'Czech',
  nl: 'Dutch',
  fa: 'Farsi (Persian)',
  fr: 'French',
  de: 'German',
  el: 'Greek',
  gu: 'Gujarati',
  hi: 'Hindi',
  hu: 'Hungarian',
  ga: 'Irish',
  it: 'Italian',
  ku: 'Kurdish',
  lv: 'Latvian',
  lt: 'Lithuanian',
  pl: 'Polish',
  ps: 'Pashto',
  pt: 'Portuguese',
  pa: 'Punjabi',
  ro: 'Romanian',
  rom: 'Romani',
  ru: 'Russian',
  sk: 'Slovak',
  so: 'Somali',
  es: 'Spanish',
  ta: 'Tamil',
  ti: 'Tigrinya',
  tr: 'Turkish',
  uk: 'Ukrainian',
  ur: 'Urdu',
  vi: 'Vietnamese',
  cy: 'Welsh',
  bsl: 'British Sign Language',
}

const byName = new Map(Object.entries(LANGUAGES).map(([code, name]) => [name.toLowerCase(), code]))
byName.set('mandarin', 'zh')
byName.set('cantonese', 'yue')
byName.set('farsi', 'fa')
byName.set('persian', 'fa')

/** Accepts an ISO code or an English name, any case; returns the code or null if unknown. */
export function languageCode(value: string): string | null {
  const v = value.trim().toLowerCase()
  if (Object.hasOwn(LANGUAGES, v)) return v
  return byName.get(v) ?? null
}

export function languageName(code: string): string {
  return LANGUAGES[code] ?? code
}

/** Parses a list such as "Polish; ro" into codes; returns the unknown entries too. */
export function parseLanguageList(value: string): { codes: string[]; unknown: string[] } {
  const codes: string[] = []
  const unknown: string[] = []
  for (const part of value.split(/[;,|]/)) {
    if (!part.trim()) continue
    const code = languageCode(part)
    if (code) {
      if (!codes.includes(code)) codes.push(code)
    } else unknown.push(part.trim())
  }
  return { codes, unknown }
}

export const LANGUAGE_OPTIONS = Object.entries(LANGUAGES)
  .map(([code, name]) => ({ code, name }))
  .sort((a, b) => (a.code === 'en' ? -1 : b.code === 'en' ? 1 : a.name.localeCompare(b.name)))
