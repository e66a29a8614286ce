import type { Kysely } from 'kysely'
import type { Database, User } from '../../platform/db/types'
import { type Role, type RoleGrant, isNational } from '../../domain/roles'
import type { Actor, AuditService } from '../../platform/audit/service'
import { PASSWORD_RULE, hashPassword, passwordProblem, verifyPassword } from '../../platform/auth/passwords'
import { endSessionsOf } from '../../platform/auth/sessionStore'
import { ACCOUNT_RULE, ADDRESS_RULE, signInThrottle } from '../../platform/auth/throttle'
import { type Result, fail, ok } from '../../domain/result'
import { ttlCache } from '../../domain/ttlCache'
import { usersRepository } from './repository'

export type SignInResult = { ok: true; user: User; grants: RoleGrant[] } | { ok: false; reason: 'invalid' | 'locked' }

export interface NewUserInput {
  username: string
  displayName: string
  email: string | null
  password: string | null
  roles: { role: Role; establishmentId: number | null }[]
  /** a password someone else chose (an admin): its owner must change it when they first sign in */
  mustChangePassword?: boolean
}

// A hash to verify against when the account does not exist, so timing does not reveal which usernames exist.
let decoyHash: Promise<string> | undefined

export function usersService(db: Kysely<Database>, audit: AuditService) {
  const repo = usersRepository(db)
  const throttle = signInThrottle(db)
  // Read on every request by the sign-in middleware; cleared by every write below.
  const access = ttlCache<number, { user: User | undefined; grants: RoleGrant[] }>(5000)
  const changed = <T>(value: T): T => {
    access.clear()
    return value
  }

  /**
   * Whether the actor may act on the whole account (disable or enable it, everywhere): the national team, or an
   * admin of every establishment the account has a role in. Anyone else manages only their establishment's roles.
   */
  async function mayManageAccount(actorGrants: RoleGrant[], userId: number): Promise<boolean> {
    if (isNational(actorGrants)) return true
    const administers = new Set(
      actorGrants.filter(g => g.role === 'ESTABLISHMENT_ADMIN').map(g => g.establishmentId ?? 0),
    )
    return (await repo.grants(userId)).every(g => g.establishmentId !== null && administers.has(g.establishmentId))
  }

  /**
   * Stores a new password and ends the account's sessions (but `keepSid`, the one that made the change), audited.
   * A password someone else chose for the user must be changed at their next sign-in.
   */
  async function storePassword(
    actor: Actor,
    userId: number,
    password: string,
    how: { chosenByUser: boolean; keepSid: string | null },
  ): Promise<void> {
    const password_hash = await hashPassword(password)
    await db.transaction().execute(async trx => {
      await repo.setPassword(trx, userId, password_hash, !how.chosenByUser)
      await endSessionsOf(trx, userId, how.keepSid)
      await audit.record(trx, actor, {
        action: 'update',
        entity: 'user',
        entityId: userId,
        changes: { password: how.chosenByUser ? 'changed' : 'set by an admin' },
      })
    })
    access.clear()
  }

  return {
    byId: (id: number) => repo.byId(id),
    grants: (userId: number) => repo.grants(userId),

    /** The user and their roles, for the current-user middleware: cached briefly, since every request needs it. */
    access: (userId: number) =>
      access.get(userId, async () => ({ user: await repo.byId(userId), grants: await repo.grants(userId) })),

    async signIn(username: string, password: string, address: string): Promise<SignInResult> {
      const name = username.trim().toLowerCase()
      const account = { key: `account:${name}`, rule: ACCOUNT_RULE }
      const from = { key: `address:${address}`, rule: ADDRESS_RULE }
      // the attempt is counted before the password is checked, so attempts arriving together cannot all be checked
      if (!(await throttle.take([account, from]))) return { ok: false, reason: 'locked' }
      const user = await repo.byUsername(name)
      decoyHash ??= hashPassword('decoy password that never matches')
      const valid = await verifyPassword(user?.password_hash ?? (await decoyHash), password)
      if (!user || !valid || user.enabled !== 1) {
        await audit.recordAlone(
          { userId: user?.id ?? null, username: name, establishmentId: null },
          { action: 'sign-in-failed', entity: 'user', entityId: user?.id ?? null, changes: { address } },
        )
        return { ok: false, reason: 'invalid' }
      }
      await throttle.clear(account.key)
      await throttle.release(from.key, from.rule)
      await db.transaction().execute(async trx => {
        await repo.signedIn(trx, user.id, new Date().toISOString())
        await audit.record(
          trx,
          { userId: user.id, username: user.username, establishmentId: null },
          {
            action: 'sign-in',
            entity: 'user',
            entityId: user.id,
            changes: { address },
          },
        )
      })
      return { ok: true, user, grants: await repo.grants(user.id) }
    },

    /**
     * The user's own change: their other sessions end (whoever else may know the old password is signed out), the
     * session that changed it (keepSid) stays.
     */
    async changePassword(
      actor: Actor,
      userId: number,
      current: string,
      next: string,
      keepSid: string | null = null,
    ): Promise<Result> {
      const user = await repo.byId(userId)
      if (!user) return fail({ currentPassword: 'Account not found' })
      if (user.password_hash && !(await verifyPassword(user.password_hash, current))) {
        return fail({ currentPassword: 'Current password is incorrect' })
      }
      const problem = passwordProblem(next, { username: user.username, displayName: user.display_name })
      if (problem) return fail({ newPassword: problem })
      if (user.password_hash && (await verifyPassword(user.password_hash, next)))
        return fail({ newPassword: 'Choose a new password different from your current one' })
      await storePassword(actor, userId, next, { chosenByUser: true, keepSid })
      return ok()
    },

    async create(actor: Actor, input: NewUserInput): Promise<Result<number>> {
      const username = input.username.trim().toLowerCase()
      if (input.password !== null) {
        // the whole policy where a person chooses the password for someone; accounts made by the system (the demo's
        // published password, the command line's operator, test fixtures) need only the length
        const problem = input.mustChangePassword
          ? passwordProblem(input.password, { username, displayName: input.displayName })
          : input.password.length < 12
            ? PASSWORD_RULE
            : null
        if (problem) return fail({ password: problem })
      }
      const password_hash = input.password === null ? null : await hashPassword(input.password)
      return changed(
        await db.transaction().execute(async trx => {
          if (await repo.usernameTaken(trx, username))
            return fail({ username: `The username ${username} is already taken` })
          const values = {
            username,
            display_name: input.displayName.trim(),
            email: input.email,
            password_hash,
            enabled: 1,
            created_at: new Date().toISOString(),
            last_sign_in_at: null,
            must_change_password: input.mustChangePassword && password_hash !== null ? 1 : 0,
          }
          const id = await repo.insert(trx, values)
          for (const r of input.roles) await repo.addRole(trx, id, r.role, r.establishmentId)
          await audit.record(trx, actor, {
            action: 'create',
            entity: 'user',
            entityId: id,
            changes: { username, display_name: values.display_name, email: values.email, roles: input.roles },
          })
          return ok(id)
        }),
      )
    },

    /** Replaces the user's roles in one establishment (national roles only by national users). */
    async setRoles(
      actor: Actor,
      actorGrants: RoleGrant[],
      userId: number,
      establishmentId: number,
      roles: Role[],
    ): Promise<Result> {
      if (roles.includes('NATIONAL_POLICY') && !isNational(actorGrants)) {
        return fail({ roles: 'Only the national policy team can give the national policy role' })
      }
      return changed(
        await db.transaction().execute(async trx => {
          const before = await repo.rolesIn(trx, userId, establishmentId)
          await repo.removeRoles(trx, userId, establishmentId)
          for (const role of roles.filter(r => r !== 'NATIONAL_POLICY'))
            await repo.addRole(trx, userId, role, establishmentId)
          if (isNational(actorGrants)) {
            await repo.removeRoles(trx, userId, null)
            if (roles.includes('NATIONAL_POLICY')) await repo.addRole(trx, userId, 'NATIONAL_POLICY', null)
          }
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'user_roles',
            entityId: userId,
            establishmentId,
            changes: { roles: { from: before.map(b => b.role), to: roles } },
          })
          return ok()
        }),
      )
    },

    mayManageAccount,

    async setEnabled(actor: Actor, actorGrants: RoleGrant[], userId: number, enabled: boolean): Promise<Result> {
      if (!(await mayManageAccount(actorGrants, userId)))
        return fail({
          enabled:
            'Only the national policy team, or an admin of every establishment they work in, can disable or enable ' +
            'this account. You can remove them from this establishment instead.',
        })
      await db.transaction().execute(async trx => {
        await repo.setEnabled(trx, userId, enabled)
        if (!enabled) await endSessionsOf(trx, userId, null)
        await audit.record(trx, actor, { action: 'update', entity: 'user', entityId: userId, changes: { enabled } })
      })
      access.clear()
      return ok()
    },

    /**
     * An admin sets a new password for someone (who forgot theirs): like disabling, it acts on the whole account, so
     * only for those who may manage it. Its owner must change it at their next sign-in, and their sessions end.
     */
    async setPassword(actor: Actor, actorGrants: RoleGrant[], userId: number, password: string): Promise<Result> {
      const user = await repo.byId(userId)
      if (!user) return fail({ newPassword: 'Account not found' })
      if (!(await mayManageAccount(actorGrants, userId)))
        return fail({
          newPassword:
            'Only the national policy team, or an admin of every establishment they work in, can set a new ' +
            'password for this account',
        })
      const problem = passwordProblem(password, { username: user.username, displayName: user.display_name })
      if (problem) return fail({ newPassword: problem })
      await storePassword(actor, userId, password, { chosenByUser: false, keepSid: null })
      return ok()
    },

    /** Removes every role the user holds in one establishment; their account and roles elsewhere stay. */
    async removeFromEstablishment(actor: Actor, userId: number, establishmentId: number): Promise<void> {
      await db.transaction().execute(async trx => {
        const removed = await repo.removeRoles(trx, userId, establishmentId)
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'user_roles',
          entityId: userId,
          establishmentId,
          changes: { roles: { from: removed.map(r => r.role), to: [] } },
        })
      })
      access.clear()
    },

    async list(establishmentId: number | null, search?: string) {
      const users = await repo.list(establishmentId, search, 500)
      const roles = await repo.rolesForUsers(users.map(u => u.id))
      return users.map(u => ({ ...u, roles: roles.filter(r => r.user_id === u.id) }))
    },

    /** A page of users with a role in the establishment (every user when null), each with all their roles. */
    async search(establishmentId: number | null, query: string, limit: number, offset: number) {
      const { rows, total } = await repo.search({ establishmentId, query, limit, offset })
      const roles = await repo.rolesForUsers(rows.map(u => u.id))
      return { rows: rows.map(u => ({ ...u, roles: roles.filter(r => r.user_id === u.id) })), total }
    },

    /**
     * A user is visible to an establishment if they hold a role there (national users see everyone), with their roles
     * there and their national ones: what they do in other establishments is not this establishment's business.
     */
    async visible(userId: number, establishmentId: number | null) {
      const user = await repo.byId(userId)
      if (!user) return undefined
      const roles = await repo.rolesForUsers([userId])
      if (establishmentId === null) return { ...user, roles }
      if (!roles.some(r => r.establishment_id === establishmentId)) return undefined
      return {
        ...user,
        roles: roles.filter(r => r.establishment_id === establishmentId || r.establishment_id === null),
      }
    },
  }
}

export type UsersService = ReturnType<typeof usersService>
