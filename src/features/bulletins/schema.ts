import { z } from 'zod'
import { text } from '../../forms/fields'
import type { Parsed } from '../../forms/forms'
import { AUDIENCE_ROLES, type AudienceRole, BULLETIN_SUMMARY_MAX, BULLETIN_TITLE_MAX } from '../../domain/bulletins'
import { markdownField } from '../worksheets/schema'

/** A checkbox group posts nothing, one value, or several. */
const list = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v])

/** A local link: a page of Key Work (a path starting with one slash), never another site. */
const localLink = z
  .string()
  .trim()
  .max(300, 'The link must be 300 characters or fewer')
  .optional()
  .transform((v, ctx) => {
    if (!v) return null
    if (!/^\/(?![/\\])[A-Za-z0-9\-._~/?=&%]*$/.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'The link must be a page in Key Work, starting with /, like /guidance' })
      return z.NEVER
    }
    return v
  })

const noticeFields = z.object({
  title: text('a title', BULLETIN_TITLE_MAX),
  summary: markdownField('a summary', BULLETIN_SUMMARY_MAX),
  link: localLink,
  audience: z.enum(['everyone', 'roles'], { error: 'Choose who the notice is for' }),
  roles: z.preprocess(list, z.array(z.enum(AUDIENCE_ROLES, { error: 'Choose roles from the list' }))),
})

export interface NoticeInput {
  title: string
  summary: string
  link: string | null
  /** empty: everyone with a role in an establishment */
  roles: AudienceRole[]
}

/** A notice from the form: every problem in one pass (the roles are asked for when the notice is limited to some). */
export function parseNotice(body: unknown): Parsed<NoticeInput> {
  const r = noticeFields.safeParse(body ?? {})
  const errors: Record<string, string> = {}
  if (!r.success)
    for (const issue of r.error.issues) {
      const key = String(issue.path[0] ?? 'form')
      errors[key] ??= issue.message
    }
  const raw = (body ?? {}) as Record<string, unknown>
  if (raw.audience === 'roles' && list(raw.roles).length === 0)
    errors.roles ??= 'Choose at least one role the notice is for'
  if (!r.success || Object.keys(errors).length) return { ok: false, errors }
  const d = r.data
  return {
    ok: true,
    data: { title: d.title, summary: d.summary, link: d.link, roles: d.audience === 'roles' ? d.roles : [] },
  }
}
