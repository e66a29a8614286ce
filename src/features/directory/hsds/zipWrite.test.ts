import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { strFromU8, unzipSync } from 'fflate'
import { unzipTabular } from './unzip'
import { zipFiles } from './zipWrite'

describe('the tabular export’s zip (deflated off the event loop)', () => {
  const files = {
    'services.csv': 'id,name\r\n1,Café – “quotes”\r\n'.repeat(1000),
    'phones.csv': '',
    'organizations.csv': 'id,name\r\n',
  }

  it('unzips to the same files with fflate, and with keywork’s own bounded reader', async () => {
    const zip = await zipFiles(files)
    const out = unzipSync(zip)
    assert.deepEqual(Object.keys(out), Object.keys(files))
    for (const [name, text] of Object.entries(files)) assert.equal(strFromU8(out[name]!), text)
    const read = unzipTabular(zip)
    assert.deepEqual(read.problems, [])
    assert.deepEqual(Object.fromEntries(read.files), files)
  })

  it('is a zip the system’s unzip tests clean, dated 1 January 2000', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-zip-'))
    try {
      const file = path.join(dir, 'x.zip')
      fs.writeFileSync(file, await zipFiles(files))
      let listing: string
      try {
        listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8' })
        execFileSync('unzip', ['-t', file], { encoding: 'utf8' })
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
          // no unzip on this machine: Python's zipfile checks the CRCs instead
          listing = execFileSync(
            'python3',
            [
              '-c',
              `import zipfile;z=zipfile.ZipFile(${JSON.stringify(file)});assert z.testzip() is None;print([(i.filename,i.date_time) for i in z.infolist()])`,
            ],
            { encoding: 'utf8' },
          )
          assert.match(listing, /\('services.csv', \(2000, 1, 1, 0, 0, 0\)\)/)
          return
        }
        throw e
      }
      assert.match(listing, /(2000-01-01|01-01-2000) 00:00\s+services\.csv/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('gives the same bytes for the same files', async () => {
    assert.deepEqual(await zipFiles(files), await zipFiles(files))
  })
})
