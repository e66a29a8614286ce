import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { testWorld } from '../../../test/harness'
import { loadConfig } from '../../config'
import { buildServices } from '../../services'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { CLI_FILE_LIMIT_BYTES, type ImportCommandOptions } from './cli'
import { FIXTURES, addUnits, runImportCommand } from '../../../test/support/imports'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const fixturePath = (name: string) => path.join(FIXTURES, name)

describe('keywork import (the command, in process)', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let tmp: string
  before(async () => {
    world = await testWorld()
    await addUnits(world.services, world.est.MDI!, ['HB1', 'HB2'])
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-import-'))
  })
  after(async () => {
    fs.rmSync(tmp, { recursive: true, force: true })
    await world.close()
  })

  async function run(kind: string, file: string, opts: Partial<ImportCommandOptions> = {}) {
    const r = await runImportCommand(world.services, kind, file, { establishment: 'mdi', ...opts })
    return { code: r.code, out: r.out.join('\n'), err: r.err.join('\n') }
  }

  it('imports a good file and prints the counts', async () => {
    const r = await run('prisoners', fixturePath('prisoners-good.csv'))
    assert.equal(r.code, 0, r.err)
    assert.match(
      r.out,
      /Imported prisoners from .*prisoners-good\.csv into MDI: 5 created, 0 updated, 0 unchanged, 0 skipped/,
    )
    assert.match(r.err, /Ignored columns \(not recognised\): Notes/)
    const [event] = await world.services.audit.recent({ establishmentId: world.est.MDI!, entity: 'import' }, 1)
    assert.match(event?.username ?? '', /^cli:/)
    assert.match(event?.changes ?? '', /"file":"prisoners-good.csv"/)
  })

  it('changes nothing the second time', async () => {
    const r = await run('prisoners', fixturePath('prisoners-good.csv'))
    assert.equal(r.code, 0)
    assert.match(r.out, /0 created, 0 updated, 5 unchanged, 0 skipped/)
  })

  it('prints a table of every error and exits 1, importing nothing', async () => {
    const r = await run('prisoners', fixturePath('prisoners-3-bad.csv'))
    assert.equal(r.code, 1)
    assert.match(r.err, /Nothing was imported from .*: 3 rows of 7 have errors \(3 errors\)/)
    assert.match(r.err, /^Row {2}Column +Reason$/m)
    assert.match(r.err, /^ {2}3 {2}prison_number {2}Enter a prison number in the format A1234BC$/m)
    assert.match(r.err, /^ {2}5 {2}date_of_birth {2}Date of birth must be a real date/m)
    assert.match(r.err, /^ {2}7 {2}unit {11}HB9 is not a residential unit/m)
    assert.equal(await world.services.prisoners.get(world.est.MDI!, 'A2001BB'), undefined)
  })

  it('with --skip-invalid imports the good rows and lists the skipped ones', async () => {
    const r = await run('prisoners', fixturePath('prisoners-3-bad.csv'), { skipInvalid: true })
    assert.equal(r.code, 0)
    assert.match(r.out, /4 created, 0 updated, 0 unchanged, 3 skipped/)
    assert.match(r.err, /Skipped 3 rows with errors/)
    assert.match(r.err, /^ {2}7 {2}unit/m)
  })

  it('with --full-roll marks the prisoners missing from the file as released', async () => {
    const roll = path.join(tmp, 'roll.csv')
    fs.writeFileSync(roll, fs.readFileSync(fixturePath('prisoners-good.csv'), 'utf8').replace(/\na1005aa.*\n/, '\n'))
    const r = await run('prisoners', roll, { fullRoll: true })
    assert.equal(r.code, 0, r.err)
    // A1005AA from the good file and the four good rows of the bad file
    assert.match(r.out, /0 created, 0 updated, 4 unchanged, 5 released, 0 skipped/)
    assert.equal((await world.services.prisoners.get(world.est.MDI!, 'A1005AA'))?.status, 'released')
  })

  it('a clean file prints the counts only, nothing on the error stream; the audit names who ran it', async () => {
    const file = path.join(tmp, 'units.csv')
    fs.writeFileSync(file, 'Unit code,Name,Parent unit,Capacity\nHB7,Houseblock 7,,100\n')
    const r = await run('units', file, { establishment: ' Mdi ' })
    assert.equal(r.code, 0, r.err)
    assert.equal(r.out, `Imported units from ${file} into MDI: 1 created, 0 updated, 0 unchanged, 0 skipped.`)
    assert.equal(r.err, '')
    const [event] = await world.services.audit.recent({ establishmentId: world.est.MDI!, entity: 'import' }, 1)
    assert.equal(event?.username, `cli:${os.userInfo().username}`)
  })

  it('prints JSON with --json', async () => {
    const r = await run('prisoners', fixturePath('prisoners-3-bad.csv'), { json: true })
    assert.equal(r.code, 1)
    const parsed = JSON.parse(r.out) as { status: string; report: { errors: { row: number; column: string }[] } }
    assert.equal(parsed.status, 'rejected')
    assert.deepEqual(
      parsed.report.errors.map(e => [e.row, e.column]),
      [
        [3, 'prison_number'],
        [5, 'date_of_birth'],
        [7, 'unit'],
      ],
    )
  })

  it('refuses a file over 10 MB before reading it', async () => {
    const big = path.join(tmp, 'big.csv')
    fs.writeFileSync(big, '')
    fs.truncateSync(big, 50 * 1024 * 1024) // sparse: costs no disk
    const r = await run('prisoners', big)
    assert.equal(r.code, 1)
    assert.match(r.err, /The file is 50 MB; the largest file that can be imported is 10 MB/)
    const justOver = path.join(tmp, 'just-over.csv')
    fs.writeFileSync(justOver, '')
    fs.truncateSync(justOver, CLI_FILE_LIMIT_BYTES + 1)
    assert.match((await run('prisoners', justOver)).err, /The file is 10\.0 MB; the largest/)
  })

  it('gives clear errors for malformed files', async () => {
    const cases: [string, RegExp][] = [
      ['empty.csv', /The file is empty/],
      ['prisoners-header-only.csv', /column headings but no rows/],
      ['prisoners-latin1.csv', /The file must be saved as UTF-8 CSV/],
      ['prisoners-missing-columns.csv', /missing required columns: "Last name", "Date of birth"/],
    ]
    for (const [name, message] of cases) {
      const r = await run('prisoners', fixturePath(name))
      assert.equal(r.code, 1, name)
      assert.match(r.err, message, name)
    }
    assert.match((await run('prisoners', path.join(tmp, 'nope.csv'))).err, /Cannot find the file/)
  })

  it('refuses a wrong command with exit code 2', async () => {
    const file = fixturePath('prisoners-good.csv')
    assert.deepEqual(
      [
        await run('prisoners', file, { establishment: 'XYZ' }),
        await run('inmates', file),
        await run('units', file, { fullRoll: true }),
      ].map(r => [r.code, r.err]),
      [
        [2, 'There is no establishment with the code XYZ'],
        [2, 'Unknown kind "inmates": use one of prisoners, staff, units, allocations, sessions'],
        [2, '--full-roll is only for prisoners'],
      ],
    )
  })
})

describe('keywork import (the real command line)', () => {
  let tmp: string
  let env: NodeJS.ProcessEnv
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-cli-'))
    env = { ...process.env, DATABASE_URL: `sqlite:${path.join(tmp, 'keywork.sqlite')}`, LOG_LEVEL: 'silent' }
    const migrate = keywork('migrate')
    assert.equal(migrate.status, 0, migrate.stderr)
    // there is no command to add an establishment: use the services on the same database file
    const services = buildServices(loadConfig({ ...env, NODE_ENV: 'test' }))
    const r = await services.establishments.create(SYSTEM_ACTOR, {
      code: 'MDI',
      name: 'Moorland (HMP)',
      category: 'Category C',
      region: 'Yorkshire',
    })
    assert.ok(r.ok)
    await addUnits(services, r.value, ['HB1', 'HB2'])
    await services.close()
  })
  after(() => fs.rmSync(tmp, { recursive: true, force: true }))

  function keywork(...args: string[]) {
    return spawnSync(process.execPath, ['bin/keywork.js', ...args], { cwd: ROOT, env, encoding: 'utf8' })
  }

  it('imports, re-imports unchanged, and exits 1 with a table for bad rows', () => {
    const good = keywork('import', 'prisoners', fixturePath('prisoners-good.csv'), '--establishment', 'MDI')
    assert.equal(good.status, 0, good.stderr)
    assert.match(good.stdout, /5 created, 0 updated, 0 unchanged, 0 skipped/)

    const again = keywork('import', 'prisoners', fixturePath('prisoners-good.csv'), '--establishment', 'MDI')
    assert.equal(again.status, 0, again.stderr)
    assert.match(again.stdout, /0 created, 0 updated, 5 unchanged, 0 skipped/)

    const bad = keywork('import', 'prisoners', fixturePath('prisoners-3-bad.csv'), '--establishment', 'MDI', '--json')
    assert.equal(bad.status, 1)
    assert.deepEqual(
      (JSON.parse(bad.stdout) as { report: { errors: { row: number }[] } }).report.errors.map(e => e.row),
      [3, 5, 7],
    )

    const table = keywork('import', 'prisoners', fixturePath('prisoners-3-bad.csv'), '--establishment', 'MDI')
    assert.equal(table.status, 1)
    assert.match(table.stderr, /^ {2}3 {2}prison_number {2}Enter a prison number in the format A1234BC$/m)
  })

  it('shows its options in --help', () => {
    const help = keywork('import', '--help')
    assert.equal(help.status, 0)
    for (const option of ['--establishment <code>', '--skip-invalid', '--full-roll', '--json'])
      assert.ok(help.stdout.includes(option), option)
  })
})
