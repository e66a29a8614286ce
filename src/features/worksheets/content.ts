import fs from 'node:fs'
import path from 'node:path'
import { splitFrontMatter } from '../../domain/markdown'
import { isPathwayCode } from '../../domain/pathways'

const CONTENT_DIR = path.resolve(import.meta.dirname, '..', '..', '..', 'content')

/** Between the Key Worker's guidance and the printable sheet in a worksheet file. */
export const SHEET_MARKER = '<!-- sheet -->'

export interface WorksheetSeed {
  slug: string
  title: string
  pathway: string
  purpose: string
  guidance: string
  sheet: string
}

/** Parses one content/worksheets/*.md file: front matter (title, pathway, purpose), guidance, marker, sheet. */
export function parseWorksheetFile(slug: string, source: string): WorksheetSeed {
  const { meta, body } = splitFrontMatter(source)
  const at = body.indexOf(SHEET_MARKER)
  if (!meta.title || !meta.pathway || !meta.purpose || at < 0)
    throw new Error(`worksheet ${slug}: needs title, pathway and purpose front matter and a ${SHEET_MARKER} line`)
  if (!isPathwayCode(meta.pathway)) throw new Error(`worksheet ${slug}: unknown pathway ${meta.pathway}`)
  return {
    slug,
    title: meta.title,
    pathway: meta.pathway,
    purpose: meta.purpose,
    guidance: body.slice(0, at).trim() + '\n',
    sheet: body.slice(at + SHEET_MARKER.length).trim() + '\n',
  }
}

/** Every national worksheet shipped in content/worksheets, in file name order. */
export function loadWorksheetSeeds(dir = path.join(CONTENT_DIR, 'worksheets')): WorksheetSeed[] {
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.md'))
    .sort()
    .map(f => parseWorksheetFile(f.replace(/\.md$/, ''), fs.readFileSync(path.join(dir, f), 'utf8')))
}
