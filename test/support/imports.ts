import fs from 'node:fs'
import path from 'node:path'
import type { Services } from '../../src/services'
import { SYSTEM_ACTOR } from '../../src/platform/audit/service'
import type { Browser } from '../harness'
import { type ImportCommandOptions, importCommand } from '../../src/features/import/cli'

// Helpers shared by the import tests.

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/csv')

export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, name))
}

/** Residential units for a test establishment, through the units service. */
export async function addUnits(services: Services, establishmentId: number, codes: string[]) {
  for (const code of codes) {
    const r = await services.units.create(SYSTEM_ACTOR, establishmentId, {
      code,
      name: `Houseblock ${code.replace(/\D/g, '')}`,
      parent: null,
      capacity: 200,
    })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
  }
}

/** A prisoner CSV of n valid rows with prison numbers A0000AZ upwards. */
export function prisonerCsv(n: number, opts: { units?: string[]; start?: number } = {}): string {
  const units = opts.units ?? ['HB1', 'HB2']
  const lines = ['Prison number,First name,Last name,Date of birth,Residential unit,Cell,Reception date,First language']
  for (let i = 0; i < n; i++) {
    const k = (opts.start ?? 0) + i
    const number = `A${String(k).padStart(4, '0')}${String.fromCharCode(65 + (Math.floor(k / 10000) % 26))}Z`
    const dob = `19${60 + (k % 40)}-0${1 + (k % 9)}-1${k % 10}`
    const reception = `202${k % 5}-0${1 + (k % 9)}-2${k % 8}`
    lines.push(
      `${number},Name${k},Surname${k},${dob},${units[k % units.length]},${1 + (k % 4)}-${String(k % 40).padStart(2, '0')},${reception},${k % 7 === 0 ? 'Polish' : 'English'}`,
    )
  }
  return `${lines.join('\n')}\n`
}

/**
 * Posts the import form as a browser would, with the page's CSRF token: the fields given, and the file when there is
 * one (as text/csv, whatever its name).
 */
export async function uploadImport(
  browser: Browser,
  file: { name: string; bytes: Buffer } | null,
  fields: Record<string, string> = { kind: 'prisoners' },
) {
  const _csrf = await browser.csrf('/import')
  let req = browser.agent.post('/import').field('_csrf', _csrf)
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v)
  if (file) req = req.attach('file', file.bytes, { filename: file.name, contentType: 'text/csv' })
  return req
}

/** `keywork import` run in the test's process: its exit code and the lines it printed to each stream. */
export async function runImportCommand(
  services: Services,
  kind: string,
  file: string,
  opts: ImportCommandOptions,
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await importCommand(services, kind, file, opts, { out: l => out.push(l), err: l => err.push(l) })
  return { code, out, err }
}
