// Bulletins (issue 17): guidance that reaches officers.
// Invariants:
// - a bulletin is national: published by the national team (a notice), or created in the same transaction as a new
//   guide version or a national worksheet (announce, called by those services through a dependency);
// - it is for every user with a role in an establishment, or only some roles (audience); the national team is not
//   its audience;
// - a read is marked by the user (opening a bulletin does not mark it), once (unique (bulletin, user)), audited;
// - the reach of an establishment names only its own officers (users with a role there);
// - the weekly digest goes to a user at most once per ISO week (Europe/London): the unique (user, week) row is
//   written in one transaction before the email, so a second run, or another instance, sends nothing.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { now } from '../../domain/clock'
import { formatDate, londonDate } from '../../domain/dates'
import { plainTextOfMarkdown, renderMarkdown } from '../../domain/markdown'
import { type Result, fail, ok } from '../../domain/result'
import {
  type AudienceRole,
  BULLETIN_KIND_NAMES,
  type BulletinKind,
  RECENT_DAYS,
  audienceText,
  digestBulletins,
  digestWindow,
  formatAudience,
  parseAudience,
  reaches,
  readPercent,
} from '../../domain/bulletins'
import { type Actor, type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import type { MailerService, OutgoingEmail } from '../../platform/notify/mailer'
import { type BulletinRow, bulletinsRepository } from './repository'
import type { NoticeInput } from './schema'

export interface BulletinsDeps {
  audit: AuditService
  mailer: Pick<MailerService, 'sendMany'>
}

/** A bulletin as pages show it: its audience as roles. */
export interface Bulletin extends BulletinRow {
  roles: AudienceRole[]
}

/** What the guidance and worksheets services announce, in their own transaction. */
export interface Announcement {
  kind: Exclude<BulletinKind, 'notice'>
  title: string
  summary: string
  link: string | null
  guideVersion?: number
  worksheetId?: number
}

/** Announces something new in the caller's transaction (the guidance and worksheets services' dependency). */
export type Announce = (trx: Kysely<Database>, actor: Actor, a: Announcement) => Promise<number>

const JOB_ACTOR = { ...SYSTEM_ACTOR, username: 'daily job' }
const DAY_MS = 86_400_000

const toBulletin = (r: BulletinRow): Bulletin => ({ ...r, id: Number(r.id), roles: parseAudience(r.audience) })

/** The instant `days` days before `at`, as stored. */
const daysBefore = (at: Date, days: number) => new Date(at.getTime() - days * DAY_MS).toISOString()

/** A user a digest may go to: their email, first establishment (the outbox's), and establishment roles. */
interface Recipient {
  id: number
  name: string
  email: string
  establishmentId: number
  roles: string[]
}

export interface ReachRow {
  bulletin: Bulletin
  officers: number
  read: number
  percent: number | null
  /** the officers who have not read it, by name */
  unread: { id: number; name: string }[]
}

export function bulletinsService(db: Kysely<Database>, deps: BulletinsDeps) {
  const repo = bulletinsRepository(db)
  const { audit } = deps

  async function insert(
    trx: Kysely<Database>,
    actor: Actor,
    b: { kind: BulletinKind; title: string; summary: string; link: string | null; roles: readonly string[] } & Pick<
      Announcement,
      'guideVersion' | 'worksheetId'
    >,
  ): Promise<number> {
    const audience = formatAudience(b.roles)
    const id = await repo.insert(trx, {
      kind: b.kind,
      title: b.title,
      summary: b.summary,
      link: b.link,
      audience,
      guide_version: b.guideVersion ?? null,
      worksheet_id: b.worksheetId ?? null,
      published_by: actor.username ?? 'system',
      published_by_user_id: actor.userId,
      published_at: now().toISOString(),
    })
    await audit.record(trx, actor, {
      action: 'create',
      entity: 'bulletin',
      entityId: id,
      establishmentId: null,
      changes: { kind: b.kind, title: b.title, link: b.link, audience },
    })
    return id
  }

  /** The establishment roles of each user: (user → establishment → roles). */
  async function rolesByUser() {
    const out = new Map<number, Map<number, string[]>>()
    for (const r of await repo.establishmentRoles()) {
      const byEst = out.get(Number(r.user_id)) ?? new Map<number, string[]>()
      const est = Number(r.establishment_id)
      byEst.set(est, [...(byEst.get(est) ?? []), r.role])
      out.set(Number(r.user_id), byEst)
    }
    return out
  }

  return {
    /** The national team publishes a notice. */
    async publishNotice(actor: Actor, input: NoticeInput): Promise<Result<number>> {
      if (actor.userId === null) return fail({ form: 'Sign in to publish a notice' })
      const id = await db
        .transaction()
        .execute(trx => insert(trx, actor, { kind: 'notice', ...input, roles: input.roles }))
      return ok(id)
    },

    /** A new guide version or national worksheet, announced to everyone in the caller's transaction. */
    announce: ((trx, actor, a) => insert(trx, actor, { ...a, roles: [] })) as Announce,

    async get(id: number): Promise<Bulletin | null> {
      const r = await repo.byId(id)
      return r ? toBulletin(r) : null
    },

    /** A bulletin the user may read: one for their roles in the establishment, or any for the national team. */
    async readable(id: number, roles: readonly string[]): Promise<Bulletin | null> {
      const r = await repo.byId(id)
      if (!r) return null
      const b = toBulletin(r)
      return roles.includes('NATIONAL_POLICY') || reaches(b.roles, roles) ? b : null
    },

    /** Whether a bulletin is for someone holding these roles (the national team reads it, but is not its audience). */
    isFor: (b: Bulletin, roles: readonly string[]) => reaches(b.roles, roles),

    readAt: async (id: number, userId: number) => (await repo.readAt(id, userId))?.read_at ?? null,

    /** The recent bulletins for the user's roles that they have not marked read, newest first. */
    async unread(userId: number, roles: readonly string[]): Promise<Bulletin[]> {
      const rows = await repo.unreadSince(userId, daysBefore(now(), RECENT_DAYS))
      return rows.map(toBulletin).filter(b => reaches(b.roles, roles))
    },

    /** The user marks a bulletin read (once; again is no change). Refused when it is not for them. */
    async markRead(actor: Actor, id: number, roles: readonly string[]): Promise<Result<'marked' | 'already'>> {
      if (actor.userId === null) return fail({ form: 'Sign in to mark a bulletin read' })
      const userId = actor.userId
      const r = await repo.byId(id)
      if (!r || !reaches(parseAudience(r.audience), roles)) return fail({ form: 'Bulletin not found' })
      return db.transaction().execute(async trx => {
        const at = now().toISOString()
        if (!(await repo.markRead(trx, id, userId, at))) return ok('already' as const)
        await audit.record(trx, actor, {
          action: 'read',
          entity: 'bulletin',
          entityId: id,
          establishmentId: actor.establishmentId,
          changes: { read_at: at },
        })
        return ok('marked' as const)
      })
    },

    /** What was published, newest first, a page at a time. */
    async list(limit: number, offset: number) {
      const [rows, total] = await Promise.all([repo.page(limit, offset), repo.count()])
      return { rows: rows.map(toBulletin), total }
    },

    /**
     * The reach of the recent bulletins in one establishment: for each, its officers (users with a role there that
     * the bulletin is for), how many have read it, and the names of those who have not.
     */
    async reach(establishmentId: number): Promise<ReachRow[]> {
      const bulletins = (await repo.since(daysBefore(now(), RECENT_DAYS))).map(toBulletin)
      const officers = new Map<number, { id: number; name: string; roles: string[] }>()
      for (const o of await repo.officersOf(establishmentId)) {
        const id = Number(o.id)
        const known = officers.get(id) ?? { id, name: o.display_name || o.username, roles: [] }
        known.roles.push(o.role)
        officers.set(id, known)
      }
      const read = new Set((await repo.reads(bulletins.map(b => b.id))).map(r => `${r.bulletin_id}:${r.user_id}`))
      return bulletins.map(bulletin => {
        const audience = [...officers.values()].filter(o => reaches(bulletin.roles, o.roles))
        const unread = audience.filter(o => !read.has(`${bulletin.id}:${o.id}`))
        const n = audience.length - unread.length
        return {
          bulletin,
          officers: audience.length,
          read: n,
          percent: readPercent(n, audience.length),
          unread: unread.map(o => ({ id: o.id, name: o.name })),
        }
      })
    },

    /** The national picture: for each enabled establishment and recent bulletin, its officers and how many read it. */
    async nationalReach() {
      const [bulletins, establishments, roles] = await Promise.all([
        repo.since(daysBefore(now(), RECENT_DAYS)).then(rows => rows.map(toBulletin)),
        repo.establishments(),
        rolesByUser(),
      ])
      const read = new Set((await repo.reads(bulletins.map(b => b.id))).map(r => `${r.bulletin_id}:${r.user_id}`))
      return {
        bulletins,
        establishments: establishments.map(e => {
          const estId = Number(e.id)
          const cells = bulletins.map(b => {
            let officers = 0
            let n = 0
            for (const [userId, byEst] of roles) {
              const here = byEst.get(estId)
              if (!here || !reaches(b.roles, here)) continue
              officers++
              if (read.has(`${b.id}:${userId}`)) n++
            }
            return { bulletinId: b.id, officers, read: n, percent: readPercent(n, officers) }
          })
          return { id: estId, code: e.code, name: e.name, cells }
        }),
      }
    },

    /**
     * The weekly digest (the daily job): to each enabled user with an email address and a role in an establishment,
     * the bulletins of the week before this one (Monday to Monday, London) for their roles that they have not read,
     * once per ISO week (Europe/London): the first run of the week sends it, later runs find the (user, week) row and
     * send nothing. No email when there is nothing new.
     */
    async runDigest(at: Date = now()): Promise<{ emails: number; week: string }> {
      const window = digestWindow(at)
      const { week } = window
      const recent = (await repo.between(window.from, window.to)).map(toBulletin)
      if (!recent.length) return { emails: 0, week }
      const byId = new Map(recent.map(b => [b.id, b]))
      const readBy = new Map<number, Set<number>>()
      for (const r of await repo.reads(recent.map(b => b.id))) {
        const set = readBy.get(r.user_id) ?? new Set<number>()
        set.add(r.bulletin_id)
        readBy.set(r.user_id, set)
      }
      const users = new Map<number, Recipient>()
      for (const r of await repo.digestRecipients()) {
        const id = Number(r.id)
        const u = users.get(id) ?? {
          id,
          name: r.display_name,
          email: String(r.email),
          establishmentId: Number(r.establishment_id),
          roles: [],
        }
        u.roles.push(r.role)
        users.set(id, u)
      }
      const planned: { user: Recipient; ids: number[] }[] = []
      for (const user of users.values()) {
        const ids = digestBulletins({
          window,
          bulletins: recent.map(b => ({ id: b.id, publishedAt: b.published_at, audience: b.roles })),
          read: readBy.get(user.id) ?? new Set(),
          roles: user.roles,
        })
        if (ids.length) planned.push({ user, ids })
      }
      if (!planned.length) return { emails: 0, week }
      const sending = await db.transaction().execute(async trx => {
        const kept: typeof planned = []
        for (const p of planned)
          if (
            await repo.insertDigest(trx, {
              user_id: p.user.id,
              week,
              bulletins: p.ids.join(','),
              sent_at: at.toISOString(),
            })
          )
            kept.push(p)
        if (kept.length)
          await audit.record(trx, JOB_ACTOR, {
            action: 'create',
            entity: 'bulletin_digest',
            establishmentId: null,
            changes: { week, users: kept.map(p => p.user.id) },
          })
        return kept
      })
      const emails: OutgoingEmail[] = sending.map(({ user, ids }) => {
        const items = ids.map(id => byId.get(id)!)
        return {
          establishmentId: user.establishmentId,
          to: user.email,
          template: 'bulletin-digest',
          subject:
            items.length === 1
              ? 'New from the national Key Work team this week'
              : `${items.length} new from the national Key Work team this week`,
          body: digestBody(items),
          reference: `bulletin-digest-${user.id}-${week}`,
        }
      })
      await deps.mailer.sendMany(JOB_ACTOR, emails)
      return { emails: emails.length, week }
    },
  }
}

/** A bulletin as the pages show it: kind and audience in words, its day, its summary as safe HTML. */
export function bulletinView(b: Bulletin, headingBase = 3) {
  return {
    id: b.id,
    title: b.title,
    kindName: BULLETIN_KIND_NAMES[b.kind as BulletinKind] ?? 'Notice',
    audience: audienceText(b.roles),
    publishedOn: londonDate(b.published_at),
    publishedBy: b.published_by,
    link: b.link,
    linkText:
      b.kind === 'guide'
        ? 'See what changed in the guide'
        : b.kind === 'worksheet'
          ? 'Open the worksheet'
          : 'Open the linked page',
    summaryHtml: renderMarkdown(b.summary, { headingBase }),
  }
}

/** The text of a digest: each bulletin's title, date, summary as plain text, and where to read it. */
export function digestBody(items: readonly Bulletin[]): string {
  const parts = items.map(b =>
    [
      `${b.title} (${formatDate(londonDate(b.published_at))})`,
      plainTextOfMarkdown(b.summary).trim(),
      `Read it in Key Work: /bulletins/${b.id}`,
    ]
      .filter(Boolean)
      .join('\n'),
  )
  return `${parts.join('\n\n')}\n\nThese are on your Key Work home page until you mark them read.`
}

export type BulletinsService = ReturnType<typeof bulletinsService>
