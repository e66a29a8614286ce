// Rules of the Markdown content (the HTML it may become, the blocks the PDF prints, front matter) that mutation
// testing found unprotected (npm run mutation, MUTATE=src/domain/markdown.ts). Expected values written by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeEntities, markdownBlocks, plainTextOfMarkdown, renderMarkdown, splitFrontMatter } from './markdown'

describe('markdown rules: the HTML a page may show', () => {
  it('keeps every formatting tag content may use', () => {
    const html = renderMarkdown(
      [
        '###### Smallest heading',
        '',
        'Text with <b>bold</b>, <i>italic</i>, ~~struck~~, `code` and <span class="app-note">a span</span>.',
        '',
        '```',
        'preformatted',
        '```',
      ].join('\n'),
    )
    assert.match(html, /<h6 class="govuk-heading-s">Smallest heading<\/h6>/)
    assert.match(html, /<b>bold<\/b>/)
    assert.match(html, /<i>italic<\/i>/)
    assert.match(html, /<del>struck<\/del>/)
    assert.match(html, /<code>code<\/code>/)
    assert.match(html, /<span class="app-note">a span<\/span>/)
    assert.match(html, /<pre><code>preformatted\n<\/code><\/pre>/)
  })

  it('moves headings down from the base, never past h6, and classes them by their new level', () => {
    assert.match(renderMarkdown('# Top', { headingBase: 3 }), /<h3 class="govuk-heading-m">Top<\/h3>/)
    assert.match(renderMarkdown('## Second', { headingBase: 6 }), /<h6 class="govuk-heading-s">Second<\/h6>/)
    assert.match(renderMarkdown('# Top'), /<h2 class="govuk-heading-l">Top<\/h2>/)
  })

  it('drops classes that are not GOV.UK or app ones', () => {
    assert.equal(
      renderMarkdown('<span class="evil govuk-body app-x">t</span>'),
      '<p class="govuk-body"><span class="govuk-body app-x">t</span></p>\n',
    )
  })
})

describe('markdown rules: entities in text', () => {
  it('decodes the named entities marked leaves in text, and leaves others as written', () => {
    assert.equal(
      decodeEntities('Tom &amp; Jerry &lt;3 &gt; &quot;hi&quot; &#39;x&#39; &apos;y&apos; a&nbsp;b &copy;'),
      `Tom & Jerry <3 > "hi" 'x' 'y' a b &copy;`,
    )
  })
})

describe('markdown rules: blocks for the PDF', () => {
  it('writes a link as its words then its address, unless the address is its words or not a web, mail or phone one', () => {
    const [block] = markdownBlocks(
      'See [the guide](https://example.org/guide), [email us](mailto:help@example.org), ' +
        '[ring](tel:01234) or <https://example.org> or [home](/home).',
    )
    assert.deepEqual(block, {
      kind: 'paragraph',
      runs: [
        {
          text:
            'See the guide (https://example.org/guide), email us (help@example.org), ring (01234) or ' +
            'https://example.org or home.',
        },
      ],
    })
  })

  it('keeps bold and italic as runs, nested emphasis having both, neighbours of one style merged', () => {
    const [block] = markdownBlocks('**bold _both_** plain _it_')
    assert.deepEqual(block, {
      kind: 'paragraph',
      runs: [
        { text: 'bold ', bold: true },
        { text: 'both', bold: true, italic: true },
        { text: ' plain ' },
        { text: 'it', italic: true },
      ],
    })
  })

  it('keeps a hard line break as a new line', () => {
    assert.deepEqual(markdownBlocks('line one  \nline two'), [
      { kind: 'paragraph', runs: [{ text: 'line one\nline two' }] },
    ])
  })

  it('prints code as a paragraph of its text, and a quote of two paragraphs on two lines', () => {
    assert.deepEqual(markdownBlocks('```\nsome code\n```\n\n> first\n>\n> second'), [
      { kind: 'paragraph', runs: [{ text: 'some code' }] },
      { kind: 'quote', runs: [{ text: 'first' }, { text: '\n' }, { text: 'second' }] },
    ])
  })

  it('lists: numbered or not, a task item as a box to tick, a nested list after its parent', () => {
    assert.deepEqual(markdownBlocks('1. one\n2. two'), [
      { kind: 'list', ordered: true, items: [[{ text: 'one' }], [{ text: 'two' }]] },
    ])
    assert.deepEqual(markdownBlocks('- [ ] tick\n- [x] done'), [
      {
        kind: 'list',
        ordered: false,
        items: [
          [{ text: '[   ]  ' }, { text: 'tick' }],
          [{ text: '[   ]  ' }, { text: 'done' }],
        ],
      },
    ])
    assert.deepEqual(markdownBlocks('- a\n  - b'), [
      { kind: 'list', ordered: false, items: [[{ text: 'a' }]] },
      { kind: 'list', ordered: false, items: [[{ text: 'b' }]] },
    ])
  })

  it('a rule, a table and a heading with emphasis', () => {
    assert.deepEqual(markdownBlocks('## Title **bold**\n\n---\n\n| A | B |\n| - | - |\n| 1 | 2 |'), [
      { kind: 'heading', depth: 2, text: 'Title bold' },
      { kind: 'rule' },
      { kind: 'table', header: ['A', 'B'], rows: [['1', '2']] },
    ])
  })

  it('the plain words: a line per heading, paragraph, quote, list item and table row; rules and space dropped', () => {
    assert.equal(
      plainTextOfMarkdown(
        '# Head\n\nSome   **words**\n\n> quoted\n\n- one\n- two\n\n---\n\n| A | B |\n| - | - |\n| 1 | 2 |',
      ),
      'Head\nSome words\nquoted\none\ntwo\nA B\n1 2',
    )
  })
})

describe('markdown rules: front matter', () => {
  it('reads key: value lines, without their quotes, and the body after the closing ---', () => {
    assert.deepEqual(splitFrontMatter('---\ntitle: "Hello"\nlevel: \'two\'\nnot a pair\n---\nBody text'), {
      meta: { title: 'Hello', level: 'two' },
      body: 'Body text',
    })
  })

  it('reads Windows line ends too, and a file without front matter is all body', () => {
    assert.deepEqual(splitFrontMatter('---\r\ntitle: Hi\r\n---\r\nBody'), { meta: { title: 'Hi' }, body: 'Body' })
    assert.deepEqual(splitFrontMatter('No front matter'), { meta: {}, body: 'No front matter' })
  })
})

describe('markdown at its edges', () => {
  it('a table’s headings are column headers with their scope; cells are GOV.UK cells', () => {
    const html = renderMarkdown('| A | B |\n|---|---|\n| 1 | 2 |')
    assert.match(html, /<th class="govuk-table__header" scope="col">A<\/th>/)
    assert.match(html, /<td class="govuk-table__cell">2<\/td>/)
  })

  it('raw HTML keeps a GOV.UK class on any element and loses any other class and other attributes', () => {
    assert.equal(
      renderMarkdown('<span class="govuk-tag">New</span> <span class="evil" id="x">Bad</span>'),
      '<p class="govuk-body"><span class="govuk-tag">New</span> <span>Bad</span></p>\n',
    )
  })

  it('a list item’s nested list follows it as its own list, and a task is a box to tick', () => {
    assert.deepEqual(markdownBlocks('- a **b**\n  - c\n- [ ] task'), [
      {
        kind: 'list',
        ordered: false,
        items: [
          [{ text: 'a ' }, { text: 'b', bold: true }],
          [{ text: '[   ]  ' }, { text: 'task' }],
        ],
      },
      { kind: 'list', ordered: false, items: [[{ text: 'c' }]] },
    ])
  })

  it('struck-through text and code keep their words, entities decoded', () => {
    assert.deepEqual(markdownBlocks('x ~~gone~~ `a &amp; b`'), [
      { kind: 'paragraph', runs: [{ text: 'x gone a & b' }] },
    ])
    assert.deepEqual(markdownBlocks('~~**b**~~'), [{ kind: 'paragraph', runs: [{ text: 'b', bold: true }] }])
  })

  it('front matter lines are read only when whole: "key: value" from the start of the line', () => {
    assert.deepEqual(splitFrontMatter('---\ntitle: Key work\nnot a pair\n---\nBody').meta, { title: 'Key work' })
  })
})
