// More rules of Markdown content that mutation testing found unprotected (npm run mutation,
// MUTATE=src/domain/markdown.ts): the GOV.UK HTML of each element, the links and classes allowed, inline HTML and
// images in the PDF, front matter edge cases. Expected values written by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { markdownBlocks, plainTextOfMarkdown, renderMarkdown, splitFrontMatter } from './markdown'

describe('markdown rules: GOV.UK HTML of each element', () => {
  const html = renderMarkdown(
    [
      '### Three',
      '',
      '#### Four',
      '',
      'first  ',
      'second **strong** _em_',
      'same paragraph',
      '',
      '- item',
      '',
      '> quoted',
      '',
      '| A | B |',
      '| - | - |',
      '| 1 | 2 |',
    ].join('\n'),
  )

  it('moves level 3 and 4 headings to h4 and h5, small', () => {
    assert.match(html, /<h4 class="govuk-heading-s">Three<\/h4>/)
    assert.match(html, /<h5 class="govuk-heading-s">Four<\/h5>/)
  })

  it('keeps a hard break, strong and em; a single line end is not a break', () => {
    assert.match(
      html,
      /<p class="govuk-body">first<br \/>second <strong>strong<\/strong> <em>em<\/em>\nsame paragraph<\/p>/,
    )
  })

  it('classes lists, quotes and tables, with column headers scoped', () => {
    assert.match(html, /<ul class="govuk-list govuk-list--bullet">\s*<li>item<\/li>\s*<\/ul>/)
    assert.match(html, /<blockquote class="govuk-inset-text">\s*<p class="govuk-body">quoted<\/p>\s*<\/blockquote>/)
    assert.match(html, /<table class="govuk-table">\s*<thead>\s*<tr class="govuk-table__row">/)
    assert.match(html, /<th class="govuk-table__header" scope="col">A<\/th>/)
    assert.match(html, /<tbody>\s*<tr class="govuk-table__row">\s*<td class="govuk-table__cell">1<\/td>/)
  })

  it('keeps web, mail and phone links as GOV.UK links, and drops other addresses', () => {
    const links = renderMarkdown(
      '[h](http://e.org) [s](https://e.org) [m](mailto:a@e.org) [t](tel:0113) [f](ftp://e.org/x) [p](//e.org/y)',
    )
    assert.match(links, /<a href="http:\/\/e.org" class="govuk-link">h<\/a>/)
    assert.match(links, /<a href="https:\/\/e.org" class="govuk-link">s<\/a>/)
    assert.match(links, /<a href="mailto:a@e.org" class="govuk-link">m<\/a>/)
    assert.match(links, /<a href="tel:0113" class="govuk-link">t<\/a>/)
    assert.doesNotMatch(links, /ftp:/)
    assert.doesNotMatch(links, /\/\/e\.org\/y/)
  })

  it('keeps only whole GOV.UK and app class names', () => {
    assert.equal(
      renderMarkdown('<span class="govuk-a.b xgovuk-body app-c.d xapp-e govuk-ok app-ok">t</span>'),
      '<p class="govuk-body"><span class="govuk-ok app-ok">t</span></p>\n',
    )
  })
})

describe('markdown rules: PDF blocks and plain words', () => {
  it('leaves out images and inline HTML tags, keeping the words between them', () => {
    assert.deepEqual(markdownBlocks('![a picture](x.png) and <b>hi</b>'), [
      { kind: 'paragraph', runs: [{ text: ' and hi' }] },
    ])
  })

  it('keeps the words of code spans and struck text, entities decoded', () => {
    assert.deepEqual(markdownBlocks('`a & b` and ~~gone~~'), [
      { kind: 'paragraph', runs: [{ text: 'a & b and gone' }] },
    ])
  })

  it('a quote inside a quote is printed on the next line of the outer one', () => {
    assert.deepEqual(markdownBlocks('> outer\n>\n> > inner'), [
      { kind: 'quote', runs: [{ text: 'outer' }, { text: '\n' }, { text: 'inner' }] },
    ])
  })

  it('keeps emphasis inside a list item', () => {
    assert.deepEqual(markdownBlocks('- **bold** item'), [
      { kind: 'list', ordered: false, items: [[{ text: 'bold', bold: true }, { text: ' item' }]] },
    ])
  })

  it('a quote holding only a list has no words of its own', () => {
    assert.deepEqual(markdownBlocks('> - a')[0], { kind: 'quote', runs: [] })
  })

  it('adds the address after a link only when it is an absolute web, mail or phone address', () => {
    const text = (md: string) => plainTextOfMarkdown(md)
    assert.equal(text('[go](https://e.org/mailto:x)'), 'go (https://e.org/mailto:x)')
    assert.equal(text('[go](https://e.org/tel:1)'), 'go (https://e.org/tel:1)')
    assert.equal(text('[go](http://e.org)'), 'go (http://e.org)')
    assert.equal(text('[go](/next?to=https://e.org)'), 'go')
  })

  it('plain words drop empty lines and the space at the ends of a line', () => {
    assert.equal(plainTextOfMarkdown('![x](y.png)\n\nWords'), 'Words')
    assert.equal(plainTextOfMarkdown('| A |  |\n| - | - |\n| 1 |  |'), 'A\n1')
  })
})

describe('markdown rules: front matter edge cases', () => {
  it('front matter only counts at the very start, and may end the file', () => {
    assert.deepEqual(splitFrontMatter('text\n---\na: b\n---\n'), { meta: {}, body: 'text\n---\na: b\n---\n' })
    assert.deepEqual(splitFrontMatter('---\na: b\n---'), { meta: { a: 'b' }, body: '' })
  })

  it('a key starts its line; the value may follow the colon directly; spaces and whole quotes are trimmed', () => {
    assert.deepEqual(splitFrontMatter('---\n x: indented\na:b\nc: d  \ne: x"y"\nf: "y" z\n---\n').meta, {
      a: 'b',
      c: 'd',
      e: 'x"y"',
      f: '"y" z',
    })
  })
})
