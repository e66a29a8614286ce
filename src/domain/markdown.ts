import { type Token, type Tokens, marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

/**
 * Markdown written by national and local authors: rendered to safe HTML for pages (sanitised: no scripts, no event
 * handlers, no javascript: links, no images or frames), to plain text for the reading score, and to simple blocks
 * for the PDF. Headings move down one level, so the page keeps its own single h1.
 */

/** The largest Markdown text a form accepts (characters). */
export const MARKDOWN_MAX = 60_000

const h = (tag: string, cls: string) => sanitizeHtml.simpleTransform(tag, { class: cls })

const HEADING_CLASSES = ['govuk-heading-l', 'govuk-heading-m', 'govuk-heading-s', 'govuk-heading-s', 'govuk-heading-s']

/** Markdown heading levels 1 to 6 moved to start at `base` (an h2 by default), never beyond h6. */
function headingTransforms(base: number): Record<string, sanitizeHtml.Transformer> {
  const out: Record<string, sanitizeHtml.Transformer> = {}
  for (let level = 1; level <= 6; level++) {
    const to = Math.min(6, base + level - 1)
    out[`h${level}`] = h(`h${to}`, HEADING_CLASSES[Math.min(level - 1 + (base - 2), 4)] ?? 'govuk-heading-s')
  }
  return out
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h6',
    'h3',
    'h4',
    'h5',
    'p',
    'br',
    'strong',
    'em',
    'b',
    'i',
    'ul',
    'ol',
    'li',
    'a',
    'blockquote',
    'hr',
    'code',
    'pre',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'del',
    'span',
  ],
  allowedAttributes: { a: ['href', 'class'], '*': ['class'], th: ['class', 'scope'] },
  allowedClasses: { '*': [/^govuk-[a-z0-9_-]+$/, /^app-[a-z0-9_-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    p: h('p', 'govuk-body'),
    ul: h('ul', 'govuk-list govuk-list--bullet'),
    ol: h('ol', 'govuk-list govuk-list--number'),
    a: (tagName, attribs) => ({ tagName, attribs: { href: attribs.href ?? '', class: 'govuk-link' } }),
    blockquote: h('blockquote', 'govuk-inset-text'),
    hr: h('hr', 'app-write-space'),
    // a task list item's box: something to tick on paper, not a form control
    input: () => ({ tagName: 'span', attribs: { class: 'app-tick-box' } }),
    table: h('table', 'govuk-table'),
    tr: h('tr', 'govuk-table__row'),
    th: (tagName, _attribs) => ({ tagName, attribs: { class: 'govuk-table__header', scope: 'col' } }),
    td: h('td', 'govuk-table__cell'),
  },
}

const byBase = new Map<number, sanitizeHtml.IOptions>()

/**
 * Markdown to HTML that is safe to put in a page as it is. `headingBase`: the level a Markdown `#` heading
 * becomes (2 by default, under the page's h1).
 */
export function renderMarkdown(markdown: string, opts: { headingBase?: number } = {}): string {
  const base = Math.max(2, Math.min(6, opts.headingBase ?? 2))
  let options = byBase.get(base)
  if (!options) {
    // raw HTML headings go through the same moves as Markdown ones
    options = { ...SANITIZE, transformTags: { ...SANITIZE.transformTags, ...headingTransforms(base) } }
    byBase.set(base, options)
  }
  const html = marked.parse(markdown ?? '', { async: false, gfm: true, breaks: false })
  return sanitizeHtml(html, options)
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' }

export function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_m, e: string) => ENTITIES[e] ?? _m)
}

/** A piece of a line of text with its emphasis, for the PDF. */
export interface Run {
  text: string
  bold?: boolean
  italic?: boolean
}

export type Block =
  | { kind: 'heading'; depth: number; text: string }
  | { kind: 'paragraph'; runs: Run[] }
  | { kind: 'quote'; runs: Run[] }
  | { kind: 'list'; ordered: boolean; items: Run[][] }
  | { kind: 'rule' }
  | { kind: 'table'; header: string[]; rows: string[][] }

function runsOf(tokens: Token[] | undefined, style: { bold?: boolean; italic?: boolean } = {}): Run[] {
  const out: Run[] = []
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        out.push(...runsOf((t as Tokens.Strong).tokens, { ...style, bold: true }))
        break
      case 'em':
        out.push(...runsOf((t as Tokens.Em).tokens, { ...style, italic: true }))
        break
      case 'link': {
        const link = t as Tokens.Link
        out.push(...runsOf(link.tokens, style))
        const text = link.tokens?.map(x => ('text' in x ? x.text : '')).join('') ?? ''
        const href = link.href.replace(/^mailto:|^tel:/, '')
        if (href && href !== text && /^(https?:|mailto:|tel:)/.test(link.href))
          out.push({ text: ` (${href})`, ...style })
        break
      }
      case 'br':
        out.push({ text: '\n', ...style })
        break
      case 'html':
      case 'image':
      case 'checkbox':
        break
      case 'text': {
        const tt = t as Tokens.Text
        if (tt.tokens?.length) out.push(...runsOf(tt.tokens, style))
        else out.push({ text: decodeEntities(tt.text), ...style })
        break
      }
      default:
        if ('tokens' in t && Array.isArray(t.tokens)) out.push(...runsOf(t.tokens as Token[], style))
        else if ('text' in t && typeof t.text === 'string') out.push({ text: decodeEntities(t.text), ...style })
    }
  }
  // merge neighbours with the same style
  return out.reduce<Run[]>((acc, r) => {
    const last = acc[acc.length - 1]
    if (last && !!last.bold === !!r.bold && !!last.italic === !!r.italic) last.text += r.text
    else acc.push({ ...r })
    return acc
  }, [])
}

const plain = (runs: Run[]) => runs.map(r => r.text).join('')

function blocksOf(tokens: Token[]): Block[] {
  const out: Block[] = []
  for (const t of tokens) {
    switch (t.type) {
      case 'heading': {
        const hd = t as Tokens.Heading
        out.push({ kind: 'heading', depth: hd.depth, text: plain(runsOf(hd.tokens)) })
        break
      }
      case 'paragraph':
        out.push({ kind: 'paragraph', runs: runsOf((t as Tokens.Paragraph).tokens) })
        break
      case 'text':
        out.push({ kind: 'paragraph', runs: runsOf([t]) })
        break
      case 'code':
        out.push({ kind: 'paragraph', runs: [{ text: (t as Tokens.Code).text }] })
        break
      case 'blockquote': {
        const inner = blocksOf((t as Tokens.Blockquote).tokens)
        const runs = inner.flatMap((b, i) =>
          b.kind === 'paragraph' || b.kind === 'quote' ? [...(i ? [{ text: '\n' }] : []), ...b.runs] : [],
        )
        out.push({ kind: 'quote', runs })
        break
      }
      case 'list': {
        const list = t as Tokens.List
        out.push({
          kind: 'list',
          ordered: list.ordered,
          items: list.items.map(item => {
            const runs = runsOf(item.tokens.filter(x => x.type !== 'list' && x.type !== 'checkbox'))
            // a task list item is a box to tick on paper
            return item.task ? [{ text: '[   ]  ' }, ...runs] : runs
          }),
        })
        // nested lists follow their parent as their own list
        for (const item of list.items) out.push(...blocksOf(item.tokens.filter(x => x.type === 'list')))
        break
      }
      case 'hr':
        out.push({ kind: 'rule' })
        break
      case 'table': {
        const tb = t as Tokens.Table
        out.push({
          kind: 'table',
          header: tb.header.map(c => plain(runsOf(c.tokens))),
          rows: tb.rows.map(r => r.map(c => plain(runsOf(c.tokens)))),
        })
        break
      }
      default:
        break
    }
  }
  return out
}

/** Markdown as simple blocks (headings, paragraphs with bold and italic runs, lists, rules, tables). */
export function markdownBlocks(markdown: string): Block[] {
  return blocksOf(marked.lexer(markdown ?? '', { gfm: true }))
}

/** The words a reader reads, one block per line (headings and list items end a sentence). */
export function plainTextOfMarkdown(markdown: string): string {
  return markdownBlocks(markdown)
    .flatMap(b => {
      switch (b.kind) {
        case 'heading':
          return [b.text]
        case 'paragraph':
        case 'quote':
          return [plain(b.runs)]
        case 'list':
          return b.items.map(plain)
        case 'table':
          return [b.header.join(' '), ...b.rows.map(r => r.join(' '))]
        default:
          return []
      }
    })
    .map(line => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n')
}

/** Splits `---` front matter (simple `key: value` lines) from a Markdown file. */
export function splitFrontMatter(source: string): { meta: Record<string, string>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source)
  if (!m) return { meta: {}, body: source }
  const meta: Record<string, string> = {}
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line)
    if (kv) meta[kv[1]!] = kv[2]!.trim().replace(/^(["'])(.*)\1$/, '$2')
  }
  return { meta, body: source.slice(m[0].length) }
}
