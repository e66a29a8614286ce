import fs from 'node:fs'
import path from 'node:path'
import { splitFrontMatter } from '../../domain/markdown'

/** The project's content folder: Markdown the national team ships with keywork (guide, worksheets). */
export const CONTENT_DIR = path.resolve(import.meta.dirname, '..', '..', '..', 'content')

export interface GuideSeed {
  version: number
  body: string
  summary: string
}

/** content/guide/v1.md: the first national guide, with its summary in the front matter. */
export function loadGuideSeed(dir = CONTENT_DIR): GuideSeed {
  const { meta, body } = splitFrontMatter(fs.readFileSync(path.join(dir, 'guide', 'v1.md'), 'utf8'))
  return { version: 1, body: body.trim() + '\n', summary: meta.summary ?? 'First version' }
}
