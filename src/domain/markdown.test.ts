import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { markdownBlocks, plainTextOfMarkdown, renderMarkdown, splitFrontMatter } from './markdown'

describe('markdown', () => {
  it('removes scripts, event handlers and javascript: links', () => {
    const html = renderMarkdown(
      [
        'Hello <script>alert("x")</script>',
        '',
        '<img src="x" onerror="alert(1)"> <a href="#" onclick="steal()">click</a> <b onmouseover="x()">bold</b>',
        '',
        '[bad](javascript:alert(1)) [also bad](JaVaScRiPt:alert(1)) <a href="javascript:alert(2)">raw</a>',
        '',
        '[good](https://www.gov.uk) [mail](mailto:a@example.org) <iframe src="https://evil.example"></iframe>',
        '',
        '<div style="background:url(javascript:x)">styled</div>',
      ].join('\n'),
    )
    assert.doesNotMatch(html, /<script|alert\("x"\)/i)
    assert.doesNotMatch(html, /onerror|onclick|onmouseover/i)
    assert.doesNotMatch(html, /javascript:/i)
    assert.doesNotMatch(html, /<img|<iframe|style=/i)
    assert.match(html, /<a href="https:\/\/www.gov.uk" class="govuk-link">good<\/a>/)
    assert.match(html, /href="mailto:a@example.org"/)
    assert.match(html, /<b class="[^"]*"?>?bold<\/b>|<b>bold<\/b>/)
  })

  it('moves headings below the page heading and adds GOV.UK classes', () => {
    const html = renderMarkdown('# Part\n\n## Section\n\ntext\n\n- a\n- b\n\n1. one\n')
    assert.match(html, /<h2 class="govuk-heading-l">Part<\/h2>/)
    assert.match(html, /<h3 class="govuk-heading-m">Section<\/h3>/)
    assert.match(html, /<p class="govuk-body">text<\/p>/)
    assert.match(html, /<ul class="govuk-list govuk-list--bullet">/)
    assert.match(html, /<ol class="govuk-list govuk-list--number">/)
    assert.doesNotMatch(html, /<h1/)
    assert.match(renderMarkdown('# Deep', { headingBase: 3 }), /<h3 class="govuk-heading-m">Deep<\/h3>/)
    assert.doesNotMatch(renderMarkdown('<h1>raw</h1>'), /<h1/)
  })

  it('renders tick boxes and space to write on worksheets', () => {
    const html = renderMarkdown('- [ ] Calm\n\n___\n')
    assert.match(html, /<span class="app-tick-box"><\/span>\s*Calm/)
    assert.match(html, /<hr class="app-write-space" \/>/)
    assert.doesNotMatch(html, /<input/)
  })

  it('turns Markdown into blocks for the PDF, with bold runs, lists and tables', () => {
    const blocks = markdownBlocks(
      '# Title\n\nSome **bold** &amp; text.\n\n- [ ] one\n- two\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n___\n',
    )
    assert.deepEqual(blocks[0], { kind: 'heading', depth: 1, text: 'Title' })
    assert.deepEqual(blocks[1], {
      kind: 'paragraph',
      runs: [{ text: 'Some ' }, { text: 'bold', bold: true }, { text: ' & text.' }],
    })
    assert.deepEqual(blocks[2], {
      kind: 'list',
      ordered: false,
      items: [[{ text: '[   ]  ' }, { text: 'one' }], [{ text: 'two' }]],
    })
    assert.deepEqual(blocks[3], { kind: 'table', header: ['A', 'B'], rows: [['1', '2']] })
    assert.deepEqual(blocks[4], { kind: 'rule' })
  })

  it('gives the plain words for reading scores, one block per line', () => {
    assert.equal(
      plainTextOfMarkdown('# My goals\n\nA goal is **something** you want.\n\n- one\n- two\n'),
      'My goals\nA goal is something you want.\none\ntwo',
    )
  })

  it('splits front matter', () => {
    assert.deepEqual(splitFrontMatter('---\ntitle: "Hello: you"\npathway: health\n---\nBody\n'), {
      meta: { title: 'Hello: you', pathway: 'health' },
      body: 'Body\n',
    })
    assert.deepEqual(splitFrontMatter('No front matter'), { meta: {}, body: 'No front matter' })
  })
})
