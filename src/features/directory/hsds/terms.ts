import { PATHWAY_TAXONOMY_ID, PATHWAYS } from '../../../domain/pathways'
import { excerpt, limitedList } from '../../../domain/untrusted'
import { type KeptTaxonomies, type Obj, canonicalJson, parseExtra } from './extras'
import { type Bundle, PROVISION_TAXONOMY, PROVISION_TERMS, type Problem } from './model'

/**
 * Terms of other taxonomies (docs/decisions/006-hsds-lossless.md): an attribute of a service may carry any HSDS
 * taxonomy term. keywork's own terms (the pathways, and the provision of migration 006) are written by keywork; any
 * other term is kept whole, once for every directory (directory_foreign_terms), with its taxonomy, and exported as it
 * came. A term may be mapped to a pathway (terms page).
 */

/** keywork's own term ids: the pathways and the provision terms. */
export const KEYWORK_TERM_IDS: ReadonlySet<string> = new Set([
  ...PATHWAYS.map(p => p.termId),
  PROVISION_TERMS.internal.id,
  PROVISION_TERMS.external.id,
])
export const KEYWORK_TAXONOMY_IDS: ReadonlySet<string> = new Set([PATHWAY_TAXONOMY_ID, PROVISION_TAXONOMY.id])

export interface FileTerm {
  at: string
  /** the HSDS taxonomy_term (or taxonomy) object, as the file gives it */
  data: Obj
  /** canonical JSON of data */
  text: string
}

/** The other taxonomies' terms and taxonomies a file brings, by id. */
export interface FileTaxonomies {
  terms: Map<string, FileTerm>
  taxonomies: Map<string, FileTerm>
}

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)

function differingFields(a: Obj, b: Obj): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    k => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null),
  )
}

const fieldAt = (at: string, field: string) => (at === '' || at.startsWith('/') ? `${at}/${field}` : `${at}, ${field}`)

/**
 * Takes each service attribute's taxonomy_term out of its extra (a term is stored once), and gathers the terms and
 * taxonomies of other taxonomies from the attributes (JSON) and from taxonomy_terms.csv and taxonomies.csv (tabular).
 * Two copies of a term that differ are a problem naming the fields.
 */
export function collectTaxonomies(bundle: Bundle, kept: KeptTaxonomies, problems: Problem[]): FileTaxonomies {
  const out: FileTaxonomies = { terms: new Map(), taxonomies: new Map() }
  const add = (kind: 'terms' | 'taxonomies', at: string, data: Obj) => {
    const id = typeof data.id === 'string' ? data.id : null
    if (id === null) return
    if ((kind === 'terms' ? KEYWORK_TERM_IDS : KEYWORK_TAXONOMY_IDS).has(id)) return
    const text = canonicalJson(data)
    const before = out[kind].get(id)
    if (!before) out[kind].set(id, { at, data, text })
    else if (before.text !== text)
      problems.push({
        path: fieldAt(at, 'id'),
        message: `the ${kind === 'terms' ? 'taxonomy term' : 'taxonomy'} id "${excerpt(id)}" appears more than once with different values (also at ${before.at || '/'}), in ${limitedList(differingFields(before.data, data), 5)}`,
      })
  }
  for (const { at, row } of bundle.attributes) {
    if (!row.extra) continue
    const extra = parseExtra(row.extra)
    const term = extra.taxonomy_term
    if (term === undefined) continue
    delete extra.taxonomy_term
    row.extra = Object.keys(extra).length ? canonicalJson(extra) : null
    if (!isObj(term)) continue
    add('terms', `${at}/taxonomy_term`, term)
    if (isObj(term.taxonomy_detail)) add('taxonomies', `${at}/taxonomy_term/taxonomy_detail`, term.taxonomy_detail)
  }
  for (const { at, row } of kept.terms) add('terms', at, row)
  for (const { at, row } of kept.taxonomies) add('taxonomies', at, row)
  return out
}

/** The columns of directory_foreign_terms that come from the HSDS object. */
export function termColumns(data: Obj) {
  const text = (v: unknown) => (typeof v === 'string' ? v : null)
  return {
    name: text(data.name) ?? '',
    code: text(data.code),
    taxonomy_id: text(data.taxonomy_id) ?? (isObj(data.taxonomy_detail) ? text(data.taxonomy_detail.id) : null),
    parent_id: text(data.parent_id),
    data: canonicalJson(data),
  }
}

export { differingFields }
