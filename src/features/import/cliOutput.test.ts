import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { testWorld } from '../../../test/harness'
import { CLI_FILE_LIMIT_BYTES, type ImportCommandOptions, errorTable } from './cli'
import { addUnits, prisonerCsv, runImportCommand } from '../../../test/support/imports'

// What `keywork import` prints, line for line, at the edges the main CLI test does not reach: the error table's
// columns, the singular, files that are not there, the size limit exactly, a wrong command asked for JSON.

describe('keywork import: what it prints', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let tmp: string
  before(async () => {
    world = await testWorld()
    await addUnits(world.services, world.est.MDI!, ['HB1'])
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-cli-output-'))
  })
  after(async () => {
    fs.rmSync(tmp, { recursive: true, force: true })
    await world.close()
  })

  const write = (name: string, text: string) => {
    const file = path.join(tmp, name)
    fs.writeFileSync(file, text)
    return file
  }
  const run = (kind: string, file: string, opts: Partial<ImportCommandOptions> = {}) =>
    runImportCommand(world.services, kind, file, { establishment: 'MDI', ...opts })

  it('the error table: numbers right-aligned, columns padded to the widest, two spaces between', () => {
    assert.equal(
      errorTable([
        { row: 7, column: 'Date of birth', reason: 'Enter a real date' },
        { row: 1234, column: 'Unit', reason: 'HB9 is not a unit' },
      ]),
      [
        ' Row  Column         Reason',
        '----  -------------  ------',
        '   7  Date of birth  Enter a real date',
        '1234  Unit           HB9 is not a unit',
      ].join('\n'),
    )
    assert.equal(errorTable([]), 'Row  Column  Reason\n---  ------  ------')
  })

  it('one bad row of one: "1 row of 1 has errors (1 error)", then the table and what to do', async () => {
    const file = write(
      'one-bad.csv',
      'Prison number,First name,Last name,Date of birth,Reception date\nA1234BC,A,B,x,2024-01-01\n',
    )
    const r = await run('prisoners', file)
    assert.equal(r.code, 1)
    assert.deepEqual(r.out, [])
    assert.equal(r.err[0], `Nothing was imported from ${file}: 1 row of 1 has errors (1 error).`)
    assert.equal(r.err[1]!.split('\n')[0], 'Row  Column         Reason')
    assert.equal(
      r.err[2],
      'Fix the rows and import the file again, or use --skip-invalid to import the valid rows only.',
    )
  })

  it('wrong headings: the messages, then the table of the rows read in the other columns', async () => {
    const file = write('headings.csv', 'Prison number,First name,Last name,Date of birth\nA1234BC,A,B,x\n')
    const r = await run('prisoners', file)
    assert.equal(r.code, 1)
    assert.deepEqual(r.err, [
      `Nothing was imported from ${file}:`,
      '  The file is missing a required column: "Reception date"',
      'Row  Column         Reason\n---  -------------  ------\n  2  Date of birth  Date of birth must be a real date, like 27/3/2024',
    ])
  })

  it('a file that is not there, or a folder, is a problem with the file (exit 1); the same as JSON', async () => {
    const missing = path.join(tmp, 'nowhere.csv')
    assert.deepEqual(await run('prisoners', missing), {
      code: 1,
      out: [],
      err: [`Nothing was imported from ${missing}:`, `  Cannot find the file ${missing}`],
    })
    assert.deepEqual(await run('prisoners', tmp), {
      code: 1,
      out: [],
      err: [`Nothing was imported from ${tmp}:`, `  ${tmp} is not a file`],
    })
    const json = await run('prisoners', missing, { json: true })
    assert.equal(json.code, 1)
    assert.deepEqual(JSON.parse(json.out[0]!), {
      status: 'file-problem',
      messages: [`Cannot find the file ${missing}`],
    })
  })

  it('a wrong command asked for JSON answers in JSON, exit 2', async () => {
    const r = await run('inmates', 'x.csv', { json: true })
    assert.equal(r.code, 2)
    assert.deepEqual(r.err, [])
    assert.deepEqual(JSON.parse(r.out[0]!), {
      status: 'usage',
      messages: ['Unknown kind "inmates": use one of prisoners, staff, units, allocations, sessions'],
    })
  })

  it('the establishment code is read in any case and with spaces around it', async () => {
    const file = write('two.csv', prisonerCsv(2, { start: 10, units: ['HB1'] }))
    const r = await run('prisoners', file, { establishment: ' mdi ' })
    assert.equal(r.code, 0, r.err.join('\n'))
    assert.deepEqual(r.out, [`Imported prisoners from ${file} into MDI: 2 created, 0 updated, 0 unchanged, 0 skipped.`])
  })

  it('a file of exactly 10 MB is read (and judged on what it holds); one byte more is refused unread', async () => {
    const exact = path.join(tmp, 'exact.csv')
    fs.writeFileSync(exact, '')
    fs.truncateSync(exact, CLI_FILE_LIMIT_BYTES)
    const r = await run('prisoners', exact)
    assert.equal(r.code, 1)
    assert.match(r.err[1]!, /The file must be saved as UTF-8 CSV/)
    assert.equal(CLI_FILE_LIMIT_BYTES, 10 * 1024 * 1024)
  })

  it('a full roll prints its released count and its warnings', async () => {
    const file = write(
      'roll.csv',
      prisonerCsv(2, { start: 10, units: ['HB1'] }).replace('A0011AZ,Name11,Surname11,', 'A0011AZ,Name11,Surname11,x'),
    )
    const r = await run('prisoners', file, { fullRoll: true, skipInvalid: true })
    assert.equal(r.code, 0, r.err.join('\n'))
    assert.deepEqual(r.out, [
      `Imported prisoners from ${file} into MDI: 0 created, 0 updated, 1 unchanged, 0 released, 1 skipped.`,
    ])
    assert.equal(r.err[0], 'Skipped 1 row with errors:')
    assert.equal(r.err.at(-1), '1 prisoner on skipped rows was not marked as released.')
  })
})
