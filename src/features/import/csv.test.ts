import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { FileProblem, NOT_UTF8, decodeUtf8, mapColumns, normaliseHeader, parseCsv, readColumns } from './csv'
import { KIND_SPECS, type KindSpec, columnHelp, prisonerKind } from './kinds'
import { validateRows } from './validate'

const problemOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof FileProblem, String(err))
    return err.messages.join('\n')
  }
  return assert.fail('expected a FileProblem')
}

const prisonerMap = (headers: string[]) =>
  mapColumns(headers, prisonerKind.aliases, prisonerKind.required, prisonerKind.labels)

describe('reading CSV files', () => {
  it('numbers rows as a spreadsheet does: blank rows count, a quoted line break does not start a row', () => {
    const t = parseCsv('a,b\n1,"two\nlines"\n\n3,x\n , \n5,y')
    assert.deepEqual(t.headers, ['a', 'b'])
    assert.deepEqual(
      t.rows.map(r => [r.row, r.cells[1]]),
      [
        [2, 'two\nlines'],
        [4, 'x'],
        [6, 'y'],
      ],
    )
  })

  it('drops a UTF-8 byte order mark and refuses what is not UTF-8', () => {
    assert.equal(decodeUtf8(Buffer.from('\uFEFFPrison number', 'utf8')), 'Prison number')
    assert.equal(decodeUtf8(Buffer.from('Zoë Martínez', 'utf8')), 'Zoë Martínez')
    assert.equal(
      problemOf(() => decodeUtf8(Buffer.from('Zo\xe9', 'latin1'))),
      NOT_UTF8,
    )
    assert.equal(
      problemOf(() => decodeUtf8(Buffer.from('\uFEFFa,b', 'utf16le'))),
      NOT_UTF8,
    )
  })

  it('explains an unclosed quote, a file without commas, and blank rows above the headings', () => {
    assert.match(
      problemOf(() => parseCsv('a,b\n1,"2\n3,4\n')),
      /quotation mark \("\) that is never closed/,
    )
    assert.match(
      problemOf(() => parseCsv('a;b;c\n1;2;3\n')),
      /separated by commas/,
    )
    assert.match(
      problemOf(() => parseCsv('\na,b\n1,2\n')),
      /first row of the file must be the column headings/,
    )
  })
})

describe('reading CSV files: the edges of each refusal', () => {
  it('refuses UTF-16 without a byte order mark (valid UTF-8 full of NUL bytes) and with either byte order mark', () => {
    assert.equal(
      problemOf(() => decodeUtf8(Buffer.from('a,b\n1,2', 'utf16le'))),
      NOT_UTF8,
    )
    const bigEndian = Buffer.from('a,b', 'utf16le').swap16()
    assert.equal(
      problemOf(() => decodeUtf8(Buffer.concat([Buffer.from([0xfe, 0xff]), bigEndian]))),
      NOT_UTF8,
    )
    assert.equal(
      problemOf(() => decodeUtf8(Buffer.from([0xff, 0xfe]))),
      NOT_UTF8,
    )
    // one byte, and plain ASCII starting with the same letters as a byte order mark would not, are read
    assert.equal(decodeUtf8(Buffer.from('a')), 'a')
  })

  it('a file of spaces and line breaks only is empty; headings with no rows under them are refused', () => {
    const empty = 'The file is empty. Upload a CSV file with a row of column headings.'
    assert.equal(
      problemOf(() => parseCsv('')),
      empty,
    )
    assert.equal(
      problemOf(() => parseCsv(' \n\t\n')),
      empty,
    )
    assert.equal(
      problemOf(() => parseCsv(',,\n , \n')),
      empty,
    )
    assert.equal(
      problemOf(() => parseCsv('a,b\n\n , \n')),
      'The file has column headings but no rows. Add a row for each record under the headings.',
    )
  })

  it('columns separated by semicolons, tabs or bars are refused; one column without them is read', () => {
    for (const text of ['a;b\n1;2\n', 'a\tb\n1\t2\n', 'a|b\n1|2\n'])
      assert.equal(
        problemOf(() => parseCsv(text)),
        'The columns must be separated by commas. Save the file from a spreadsheet as CSV UTF-8.',
        JSON.stringify(text),
      )
    assert.deepEqual(parseCsv('Prison number\nA1234BC\n'), {
      headers: ['Prison number'],
      rows: [{ row: 2, cells: ['A1234BC'] }],
    })
    // two columns, one of whose headings has a semicolon in it, are comma-separated
    assert.deepEqual(parseCsv('a;x,b\n1,2\n').headers, ['a;x', 'b'])
  })

  it('headings are trimmed; cells are kept as written', () => {
    const t = parseCsv(' a , b \n 1 ,2\n')
    assert.deepEqual(t, { headers: ['a', 'b'], rows: [{ row: 2, cells: [' 1 ', '2'] }] })
  })
})

describe('matching column headings', () => {
  it('ignores case, spaces, underscores and hyphens', () => {
    assert.equal(normaliseHeader(' Prison_Number '), 'prisonnumber')
    assert.equal(normaliseHeader('PRISON-NUMBER'), 'prisonnumber')
    assert.equal(normaliseHeader('prison number'), 'prisonnumber')
  })

  it('knows the usual other names of each column', () => {
    const cases: [string, string][] = [
      ['prison_number', 'prisonNumber'],
      ['Prisoner number', 'prisonNumber'],
      ['NOMS number', 'prisonNumber'],
      ['noms_id', 'prisonNumber'],
      ['Surname', 'lastName'],
      ['Forename', 'firstName'],
      ['DOB', 'dateOfBirth'],
      ['Houseblock', 'unit'],
      ['wing', 'unit'],
      ['Location', 'unit'],
      ['unit', 'unit'],
      ['Received', 'receptionDate'],
      ['Expected release date', 'releaseDate'],
      ['Language', 'firstLanguage'],
      ['Interpreter', 'interpreterNeeded'],
    ]
    for (const [heading, field] of cases) {
      const map = mapColumns([heading], prisonerKind.aliases, [], prisonerKind.labels)
      assert.equal(map.columns.get(field as never), 0, heading)
    }
  })

  it('names every missing required column, and lists unknown ones as ignored', () => {
    assert.equal(
      problemOf(() => prisonerMap(['Prison number', 'Notes'])),
      'The file is missing required columns: "First name", "Last name", "Date of birth", "Reception date"',
    )
    const map = prisonerMap(['NOMS id', 'Forename', 'Surname', 'DOB', 'Received', 'Notes', ''])
    assert.deepEqual(map.ignored, ['Notes', 'column 7 (no heading)'])
  })

  it('names one missing column in the singular, before any column given twice', () => {
    assert.equal(
      problemOf(() => prisonerMap(['Prison number', 'First name', 'Last name', 'DOB'])),
      'The file is missing a required column: "Reception date"',
    )
    assert.deepEqual(
      problemOf(() => prisonerMap(['NOMS id', 'Prison number', 'Forename', 'Surname', 'DOB'])).split('\n'),
      [
        'The file is missing a required column: "Reception date"',
        'The columns "NOMS id" and "Prison number" both give the prison number: keep only one of them',
      ],
    )
  })

  it('the label of a field is one of its names; of two columns for one field the first is read', () => {
    const { map, problems } = readColumns(
      ['Notes', 'Reception date', 'Received'],
      prisonerKind.aliases,
      [],
      prisonerKind.labels,
    )
    assert.equal(map.columns.get('receptionDate'), 1)
    assert.equal(map.headings.get('receptionDate'), 'Reception date')
    assert.deepEqual(map.ignored, ['Notes'])
    assert.deepEqual(problems, [
      'The columns "Reception date" and "Received" both give the reception date: keep only one of them',
    ])
  })

  it('exactly 20 ignored columns are all named, with no count after them', () => {
    const unknown = Array.from({ length: 20 }, (_, i) => `Extra ${i + 1}`)
    const map = prisonerMap(['NOMS id', 'Forename', 'Surname', 'DOB', 'Received', ...unknown])
    assert.deepEqual(map.ignored, unknown)
    const more = prisonerMap(['NOMS id', 'Forename', 'Surname', 'DOB', 'Received', ...unknown, 'Extra 21'])
    assert.deepEqual(more.ignored, [...unknown, 'and 1 more'])
  })

  it('refuses two columns for the same field', () => {
    assert.match(
      problemOf(() => prisonerMap(['NOMS id', 'Prison number', 'Forename', 'Surname', 'DOB', 'Received'])),
      /The columns "NOMS id" and "Prison number" both give the prison number/,
    )
  })
})

describe('validating rows', () => {
  it('reports a row with more values than headings, at the first extra column', () => {
    const table = parseCsv(
      'Prison number,First name,Last name,Date of birth,Reception date\nA1234BC,A,B,1990-01-01,2024-01-01,extra\n',
    )
    const v = validateRows(table, prisonerMap(table.headers), prisonerKind, [])
    assert.deepEqual(v.errors, [
      {
        row: 2,
        column: 'Column 6 (no heading)',
        reason: 'The row has 6 values but there are only 5 column headings',
      },
    ])
  })

  it('requires exactly the columns each record schema cannot do without', () => {
    for (const spec of Object.values(KIND_SPECS) as KindSpec<Record<string, unknown>, string>[]) {
      const blank = Object.fromEntries(Object.keys(spec.labels).map(f => [f, '']))
      const r = spec.schema.safeParse(blank)
      assert.equal(r.success, false)
      const failing = new Set(r.error?.issues.map(i => String(i.path[0])))
      assert.deepEqual(
        Object.keys(spec.labels).filter(f => failing.has(f)),
        [...spec.required],
        spec.kind,
      )
    }
  })

  it('docs/CSV.md documents every column and every other name of each kind', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/CSV.md'), 'utf8')
    for (const spec of Object.values(KIND_SPECS) as KindSpec<Record<string, unknown>, string>[]) {
      for (const field of Object.keys(spec.labels)) {
        assert.ok(doc.includes(spec.labels[field]!), `${spec.kind}: ${spec.labels[field]}`)
        for (const alias of spec.aliases[field] ?? []) assert.ok(doc.includes(alias), `${spec.kind}: ${alias}`)
      }
    }
  })
})

describe('validating rows: units, order and keys', () => {
  const HEAD = 'Prison number,First name,Last name,Date of birth,Reception date,Residential unit'
  const validate = (rows: string[], units: { id: number; code: string; name: string }[]) => {
    const table = parseCsv(`${HEAD}\n${rows.join('\n')}\n`)
    return validateRows(table, prisonerMap(table.headers), prisonerKind, units)
  }
  const HB = [
    { id: 7, code: 'HB1', name: 'Houseblock 1' },
    { id: 8, code: 'HB2', name: ' Houseblock Two ' },
  ]

  it('a unit is found by its code in any case or by its name, and a blank unit is no unit', () => {
    const v = validate(
      [
        'A1111AA,A,B,1990-01-01,2024-01-01,hb1',
        'A2222AA,A,B,1990-01-01,2024-01-01,HOUSEBLOCK TWO',
        'A3333AA,A,B,1990-01-01,2024-01-01, HB2 ',
        'A4444AA,A,B,1990-01-01,2024-01-01,',
      ],
      HB,
    )
    assert.deepEqual(v.errors, [])
    assert.deepEqual(
      v.valid.map(r => [r.row, r.unitId]),
      [
        [2, 7],
        [3, 8],
        [4, 8],
        [5, null],
      ],
    )
  })

  it('an unknown unit names the units there are, 30 at most, or says there are none yet', () => {
    assert.deepEqual(validate(['A1111AA,A,B,1990-01-01,2024-01-01,HB9'], []).errors, [
      {
        row: 2,
        column: 'Residential unit',
        reason: 'HB9 is not a residential unit of this establishment, which has no units yet: add the units first',
      },
    ])
    const many = Array.from({ length: 31 }, (_, i) => ({ id: i + 1, code: `U${i + 1}`, name: `Unit ${i + 1}` }))
    const listed = Array.from({ length: 30 }, (_, i) => `U${i + 1}`).join(', ')
    assert.equal(
      validate(['A1111AA,A,B,1990-01-01,2024-01-01,HB9'], many).errors[0]!.reason,
      `HB9 is not a residential unit of this establishment; use one of: ${listed} …`,
    )
    assert.equal(
      validate(['A1111AA,A,B,1990-01-01,2024-01-01,HB9'], many.slice(0, 30)).errors[0]!.reason,
      `HB9 is not a residential unit of this establishment; use one of: ${listed}`,
    )
  })

  it('errors come by row, then in the order of the columns, and every field of a row is reported', () => {
    const v = validate(
      [
        'A1111AA,A,B,not a date,2024-01-01,HB9',
        'nonsense,,B,1990-01-01,2024-01-01,HB1',
        'A3333AA,A,B,1990-01-01,2024-01-01,HB1',
      ],
      HB,
    )
    assert.deepEqual(
      v.errors.map(e => [e.row, e.column]),
      [
        [2, 'Date of birth'],
        [2, 'Residential unit'],
        [3, 'Prison number'],
        [3, 'First name'],
      ],
    )
    assert.deepEqual(
      v.valid.map(r => r.row),
      [4],
    )
    // the bad row with a readable key keeps that record out; the one without a key could be anyone
    assert.deepEqual([...v.invalidKeys], ['A1111AA'])
    assert.deepEqual(v.invalidRowsWithoutKey, [3])
    assert.deepEqual(
      [...v.rowsByKey],
      [
        ['A1111AA', [2]],
        ['NONSENSE', [3]],
        ['A3333AA', [4]],
      ],
    )
  })

  it('rows without a key are listed in order, whatever order their errors were found in', () => {
    const v = validate(
      [
        'nonsense,A,B,1990-01-01,2024-01-01,HB1',
        ',A,B,1990-01-01,2024-01-01,HB1',
        'A1111AA,A,B,1990-01-01,2024-01-01,HB1',
        'A1111AA,A,B,1990-01-01,2024-01-01,HB1',
      ],
      HB,
    )
    assert.deepEqual(v.invalidRowsWithoutKey, [2, 3])
    assert.deepEqual([...v.invalidKeys], ['A1111AA'])
    assert.deepEqual(v.valid, [])
  })
})

describe('docs/CSV.md is the table of headings: each kind reads exactly the columns it documents', () => {
  // The documentation is the oracle here: its tables (label, required, other headings) are parsed, and each heading
  // must reach one column, the same column as its label, required exactly when the table says so.
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/CSV.md'), 'utf8')
  const SECTIONS: Record<string, string> = {
    prisoners: 'Prisoners',
    staff: 'Staff',
    units: 'Residential units',
    allocations: 'Allocations',
    sessions: 'Past sessions',
  }
  const tableOf = (title: string) => {
    const section = doc.split(/^## /m).find(s => s.startsWith(`${title}\n`))
    assert.ok(section, title)
    return section
      .split('\n')
      .filter(l => l.startsWith('| ') && !l.startsWith('| Column') && !l.startsWith('| ---'))
      .map(l => l.split(/(?<!\\)\|/).map(c => c.trim()))
      .map(([, label, required, others]) => ({
        label: label!,
        required: required === 'yes',
        others: others!.split(',').map(o => o.trim()),
      }))
  }

  for (const [kind, title] of Object.entries(SECTIONS)) {
    it(`${kind}: every documented heading reaches its column; the required ones are required`, () => {
      const spec = KIND_SPECS[kind as keyof typeof KIND_SPECS] as unknown as KindSpec<Record<string, unknown>, string>
      const rows = tableOf(title)
      const fieldOf = (heading: string) => {
        const map = mapColumns([heading], spec.aliases, [], spec.labels)
        assert.deepEqual(map.ignored, [], `${kind}: "${heading}" is not read`)
        return [...map.columns.keys()][0]
      }
      const fields = new Set<string>()
      for (const row of rows) {
        const field = fieldOf(row.label)
        assert.ok(field)
        fields.add(field)
        for (const other of row.others) assert.equal(fieldOf(other), field, `${kind}: "${other}" is "${row.label}"`)
        // the file without this column: named as missing exactly when the table says it is required
        const rest = rows.filter(r => r !== row).map(r => r.label)
        const { problems } = readColumns(rest, spec.aliases, spec.required, spec.labels)
        assert.equal(
          problems.join(),
          row.required ? `The file is missing a required column: "${row.label}"` : '',
          `${kind}: ${row.label}`,
        )
      }
      assert.equal(fields.size, rows.length, `${kind}: two documented columns are one`)
      assert.deepEqual(
        [...fields].sort(),
        Object.keys(spec.labels).sort(),
        `${kind}: the columns read are the columns documented`,
      )
    })
  }

  it('the upload page’s help names each kind’s required and optional columns as the tables do', () => {
    const names = { prisoners: 'P', staff: 'S', units: 'U', allocations: 'A', sessions: 'H' }
    const help = columnHelp(names)
    assert.deepEqual(
      help.map(h => h.name),
      ['P', 'S', 'U', 'A', 'H'],
    )
    for (const [i, title] of Object.values(SECTIONS).entries()) {
      const rows = tableOf(title)
      assert.deepEqual(
        [...help[i]!.required].sort(),
        rows
          .filter(r => r.required)
          .map(r => r.label)
          .sort(),
        title,
      )
      assert.deepEqual(
        [...help[i]!.optional].sort(),
        rows
          .filter(r => !r.required)
          .map(r => r.label)
          .sort(),
        title,
      )
    }
  })
})

describe('what a message repeats from the file is short', () => {
  const HEAD = 'Prison number,First name,Last name,Date of birth,Reception date,Residential unit'
  const long = (c: string) => c.repeat(100_000)

  it('a long heading is cut to an excerpt, in a problem and in the columns it names', () => {
    const heading = `Prison${long('_')}number`
    assert.equal(
      problemOf(() => prisonerMap(['NOMS id', heading, 'Forename', 'Surname', 'DOB', 'Received'])),
      `The columns "NOMS id" and "Prison${'_'.repeat(54)}…" both give the prison number: keep only one of them`,
    )
    const table = parseCsv(
      `${heading},First name,Last name,Date of birth,Reception date\nnot a number,A,B,1990-01-01,2024-01-01\n`,
    )
    const v = validateRows(table, prisonerMap(table.headers), prisonerKind, [])
    assert.deepEqual(
      v.errors.map(e => e.column),
      [`Prison${'_'.repeat(54)}…`],
    )
  })

  it('ignored columns: 20 named, as excerpts, then how many more', () => {
    const unknown = [`Notes${long('x')}`, ...Array.from({ length: 99 }, (_, i) => `Extra ${i + 1}`)]
    const map = prisonerMap(['NOMS id', 'Forename', 'Surname', 'DOB', 'Received', ...unknown])
    assert.deepEqual(map.ignored, [
      `Notes${'x'.repeat(55)}…`,
      ...Array.from({ length: 19 }, (_, i) => `Extra ${i + 1}`),
      'and 80 more',
    ])
  })

  it('a key on many rows lists 10 of them, and no reason repeats a long value', () => {
    const rows = Array.from({ length: 30 }, () => 'A1234BC,A,B,1990-01-01,2024-01-01,')
    rows.push(`A1235BC,A,B,1990-01-01,2024-01-01,${long('U')}`)
    const table = parseCsv(`${HEAD}\n${rows.join('\n')}\n`)
    const v = validateRows(table, prisonerMap(table.headers), prisonerKind, [
      { id: 1, code: 'HB1', name: 'Houseblock 1' },
    ])
    assert.equal(
      v.errors[0]!.reason,
      'Prison number A1234BC is on more than one row (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, and 20 more)',
    )
    for (const e of v.errors) assert.ok(e.reason.length < 200, e.reason.slice(0, 300))
  })
})

describe('reading CSV files: quotes, the size limit and the whole message', () => {
  it('a problem with the file is its messages, one per line', () => {
    const one = new FileProblem('The file is empty.')
    assert.deepEqual(one.messages, ['The file is empty.'])
    assert.equal(one.message, 'The file is empty.')
    const two = new FileProblem(['First problem', 'Second problem'])
    assert.equal(two.message, 'First problem\nSecond problem')
  })

  it('an unclosed quotation mark is explained in full', () => {
    assert.equal(
      problemOf(() => parseCsv('a,b\n1,"2\n3,4\n')),
      'The file has a quotation mark (") that is never closed, so the rows after it cannot be read. ' +
        'Open the file in a spreadsheet and save it again as CSV UTF-8.',
    )
  })

  it('a quotation mark inside a cell that is not quoted is kept as written', () => {
    const t = parseCsv('Last name,Note\nO"Brien,Smith "Jo"\n"Quoted ""twice""",x"y\n')
    assert.deepEqual(
      t.rows.map(r => r.cells),
      [
        ['O"Brien', 'Smith "Jo"'],
        ['Quoted "twice"', 'x"y'],
      ],
    )
  })

  it('reads exactly 100,000 rows and refuses one more', () => {
    const rows = (n: number) => `Prison number\n${'A1234BC\n'.repeat(n)}`
    assert.equal(parseCsv(rows(100_000)).rows.length, 100_000)
    assert.equal(
      problemOf(() => parseCsv(rows(100_001))),
      'The file has 100,001 rows; the most one file can have is 100,000.',
    )
  })
})

describe('validating rows: extra values, blank keys and the checks’ own problems', () => {
  const HEAD = 'Prison number,First name,Last name,Date of birth,Reception date'
  const run = (rows: string[], checks: Parameters<typeof validateRows>[4] = {}, spec = prisonerKind) => {
    const table = parseCsv(`${HEAD}\n${rows.join('\n')}\n`)
    return validateRows(table, prisonerMap(table.headers), spec, [], checks)
  }

  it('blank values after the last heading are no problem; any value there is, at the first extra column', () => {
    const v = run([
      'A1111AA,A,B,1990-01-01,2024-01-01',
      'A2222AA,A,B,1990-01-01,2024-01-01,,',
      'A3333AA,A,B,1990-01-01,2024-01-01, ,  ',
      'A4444AA,A,B,1990-01-01,2024-01-01,,x',
    ])
    assert.deepEqual(v.errors, [
      { row: 5, column: 'Column 6 (no heading)', reason: 'The row has 7 values but there are only 5 column headings' },
    ])
    assert.deepEqual(
      v.valid.map(r => r.row),
      [2, 3, 4],
    )
  })

  it('rows with a blank key are not on "more than one row" of the same key', () => {
    const v = run([',A,B,1990-01-01,2024-01-01', ',C,D,1990-01-01,2024-01-01'])
    assert.deepEqual(
      v.errors.map(e => [e.row, e.column]),
      [
        [2, 'Prison number'],
        [3, 'Prison number'],
      ],
    )
    assert.ok(!v.errors.some(e => e.reason.includes('more than one row')))
    assert.deepEqual([...v.rowsByKey], [])
    assert.deepEqual(v.invalidRowsWithoutKey, [2, 3])
  })

  it('a check’s problem with a field already wrong is not added; one per field, in the columns’ order', () => {
    const v = run(['A1111AA,A,B,not a date,2024-01-01'], {
      cells: () => [
        { field: 'dateOfBirth', reason: 'a second opinion on the date of birth' },
        { field: 'firstName', reason: 'first name: first problem' },
        { field: 'firstName', reason: 'first name: second problem' },
      ],
    })
    assert.deepEqual(
      v.errors.map(e => e.column),
      ['First name', 'Date of birth'],
    )
    assert.equal(v.errors[0]!.reason, 'first name: first problem')
    // the date of birth keeps the schema's own message, not the check's
    assert.notEqual(v.errors[1]!.reason, 'a second opinion on the date of birth')
  })

  it('the check across rows is told the keys of the bad rows, and only those', () => {
    const told: string[][] = []
    run(['A1111AA,A,B,not a date,2024-01-01', ',A,B,1990-01-01,2024-01-01', 'A3333AA,A,B,1990-01-01,2024-01-01'], {
      cross: (valid, invalidKeys) => {
        told.push([...invalidKeys])
        return []
      },
    })
    assert.deepEqual(told, [['A1111AA']])
  })

  it('rows without a usable key are listed in row order, even when a later check found the earlier one', () => {
    // a kind none of whose keys identifies a record: every row with an error is "without a key"
    const anonymous = { ...prisonerKind, isKey: () => false }
    const v = run(
      ['A1111AA,A,B,1990-01-01,2024-01-01', 'A2222AA,A,B,not a date,2024-01-01', 'A3333AA,A,B,1990-01-01,2024-01-01'],
      { parsed: () => [{ row: 2, field: 'lastName', reason: 'found after the rows were read' }] },
      anonymous,
    )
    assert.deepEqual(
      v.errors.map(e => e.row),
      [2, 3],
    )
    assert.deepEqual(v.invalidRowsWithoutKey, [2, 3])
    assert.deepEqual([...v.invalidKeys], [])
  })
})

describe('each kind: its keys, and headings that answer to one field', () => {
  const specs = Object.entries(KIND_SPECS) as [string, KindSpec<Record<string, unknown>, string>][]

  it('is filed under its own name', () => {
    for (const [kind, spec] of specs) assert.equal(spec.kind, kind)
  })

  it('no heading answers to two fields, and no other heading repeats its field’s name or label', () => {
    for (const [kind, spec] of specs) {
      const owner = new Map<string, string>()
      for (const field of Object.keys(spec.labels)) {
        const own = new Set([normaliseHeader(field), normaliseHeader(spec.labels[field]!)])
        for (const h of own) {
          assert.ok(!owner.has(h) || owner.get(h) === field, `${kind}: "${h}" is ${owner.get(h)} and ${field}`)
          owner.set(h, field)
        }
        for (const alias of spec.aliases[field] ?? []) {
          const h = normaliseHeader(alias)
          assert.ok(!own.has(h), `${kind}: "${alias}" repeats ${field}'s name or label, or another of its headings`)
          assert.ok(!owner.has(h) || owner.get(h) === field, `${kind}: "${alias}" is ${owner.get(h)} and ${field}`)
          own.add(h)
          owner.set(h, field)
        }
      }
    }
  })

  it('knows a key good enough to name a record from one that is not, in any case and with spaces round it', () => {
    // the formats docs/CSV.md gives: a prison number like A1234BC; a staff number of up to 20 letters and digits;
    // a unit code of up to 20 letters, digits or hyphens, starting with a letter or digit
    const table: [string, string, string, boolean][] = [
      ['prisoners', ' a1234bc ', 'A1234BC', true],
      ['prisoners', 'A1234B', 'A1234B', false],
      ['staff', ' sn12345 ', 'SN12345', true],
      ['staff', 'SN-12345', 'SN-12345', false],
      ['staff', 'A'.repeat(21), 'A'.repeat(21), false],
      ['units', ' hb1 ', 'HB1', true],
      ['units', 'a-1', 'A-1', true],
      ['units', '-A1', '-A1', false],
      ['units', 'HB 1', 'HB 1', false],
      ['allocations', 'a1234bc', 'A1234BC', true],
      ['allocations', 'nonsense', 'NONSENSE', false],
      ['sessions', 'a1234bc', 'A1234BC', true],
      ['sessions', 'SN12345', 'SN12345', false],
    ]
    for (const [kind, raw, key, good] of table) {
      const spec = KIND_SPECS[kind as keyof typeof KIND_SPECS] as unknown as KindSpec<Record<string, unknown>, string>
      assert.equal(spec.normaliseKey(raw), key, `${kind} ${raw}`)
      assert.equal(spec.isKey(key), good, `${kind} ${key}`)
    }
  })
})
