// `keywork demo`: guidance that reaches officers (issue 17), after the year of history: the national team publishes
// two notices (one to everyone, one to Supervising Officers), and some of the people they are for mark them read:
// in the demo Supervising Officer's establishment three in five, elsewhere a share that differs by establishment,
// so the reach pages have something to show. The demo Key Worker has read neither: the home page shows both.
// Written through the feature's service, so each publication and each read is audited.
import type { Actor } from '../../platform/audit/service'
import type { BulletinsService } from '../../features/bulletins/service'
import type { UsersService } from '../../features/users/service'
import type { Db } from '../../platform/db/database'

export interface DemoBulletinsDeps {
  bulletins: Pick<BulletinsService, 'publishNotice' | 'markRead'>
  users: Pick<UsersService, 'list'>
}

const NOTICES = [
  {
    title: 'Book an interpreter with the session',
    summary:
      'When you plan a session with a man who needs an interpreter, **book the telephone interpreting service at the same time** and put the booking reference in the plan.\n\nSessions without an interpreter when one is needed do not count as delivered.',
    link: '/guidance',
    roles: [] as ('KEY_WORKER' | 'SUPERVISING_OFFICER' | 'ESTABLISHMENT_ADMIN')[],
  },
  {
    title: 'Quality assurance sample for December',
    summary:
      'Review the sample keywork draws for each Key Worker, not entries you choose yourself. Give feedback within two weeks of the entry.',
    link: '/quality/queue',
    roles: ['SUPERVISING_OFFICER'] as ('KEY_WORKER' | 'SUPERVISING_OFFICER' | 'ESTABLISHMENT_ADMIN')[],
  },
]

export async function loadDemoBulletins(
  db: Db,
  deps: DemoBulletinsDeps,
): Promise<{ bulletins: number; reads: number }> {
  const summary = { bulletins: 0, reads: 0 }
  const national = (await deps.users.list(null, 'national')).find(u => u.username === 'national')
  if (!national) return summary
  const nationalActor: Actor = { userId: national.id, username: national.username, establishmentId: null }
  const ids: number[] = []
  for (const n of NOTICES) {
    const r = await deps.bulletins.publishNotice(nationalActor, n)
    if (!r.ok) throw new Error(`demo bulletin: ${JSON.stringify(r.errors)}`)
    ids.push(r.value)
    summary.bulletins++
  }
  // every establishment role of every enabled user, in a fixed order
  const grants = await db.db
    .selectFrom('user_roles as ur')
    .innerJoin('users as u', 'u.id', 'ur.user_id')
    .select(['u.id', 'u.username', 'ur.establishment_id', 'ur.role'])
    .where('ur.establishment_id', 'is not', null)
    .where('u.enabled', '=', 1)
    .orderBy('ur.establishment_id')
    .orderBy('u.id')
    .execute()
  const supervisorEst = grants.find(g => g.username === 'supervisor')?.establishment_id ?? null
  const byUser = new Map<number, { username: string; establishmentId: number; roles: string[]; index: number }>()
  const perEst = new Map<number, number>()
  for (const g of grants) {
    const estId = Number(g.establishment_id)
    const known = byUser.get(Number(g.id))
    if (known) {
      if (known.establishmentId === estId) known.roles.push(g.role)
      continue
    }
    const index = perEst.get(estId) ?? 0
    perEst.set(estId, index + 1)
    byUser.set(Number(g.id), { username: g.username, establishmentId: estId, roles: [g.role], index })
  }
  for (const [userId, u] of byUser) {
    if (u.username === 'keyworker') continue
    // three in five in the demo SO's establishment; elsewhere from none to most, by establishment
    const reads =
      u.establishmentId === supervisorEst ? u.index % 5 < 3 : (u.index + u.establishmentId) % 7 < u.establishmentId % 6
    if (!reads) continue
    const actor: Actor = { userId, username: u.username, establishmentId: u.establishmentId }
    for (const id of ids) {
      const r = await deps.bulletins.markRead(actor, id, u.roles)
      if (r.ok && r.value === 'marked') summary.reads++
    }
  }
  return summary
}
