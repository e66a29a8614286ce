// What a change to a service leaves behind: its HSDS metadata (one row per field changed) and its audit event.
// Invariants: both are written in the caller's transaction, from the same before and after; a field whose text is
// the same before and after gets no metadata row; the metadata names the user (or 'system').
import type { Insertable, Kysely } from 'kysely'
import { diff } from '../../domain/audit'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { Database, DirectoryMetadataTable } from '../../platform/db/types'
import { orderedUuid } from './ids'
import type { DirectoryRepository } from './repository'

const ENTITY = 'directory_service'

/** The HSDS metadata rows of a change: one for each field whose text changed. */
function metadataRows(
  serviceId: string,
  action: 'create' | 'update',
  before: Record<string, string>,
  after: Record<string, string>,
  actor: Actor,
  at: string,
): Insertable<DirectoryMetadataTable>[] {
  const out: Insertable<DirectoryMetadataTable>[] = []
  for (const field of Object.keys(after)) {
    const previous = before[field] ?? ''
    const replacement = after[field] ?? ''
    if (previous === replacement) continue
    out.push({
      id: orderedUuid(),
      resource_id: serviceId,
      resource_type: 'service',
      last_action_date: at,
      last_action_type: action,
      field_name: field,
      previous_value: previous,
      replacement_value: replacement,
      updated_by: actor.username ?? 'system',
    })
  }
  return out
}

/** Writes a change's metadata and its audit event (`before` null: the service was created). */
export async function recordChange(
  trx: Kysely<Database>,
  deps: { repo: DirectoryRepository; audit: AuditService },
  change: {
    actor: Actor
    serviceId: string
    establishmentId: number | null
    before: Record<string, string> | null
    after: Record<string, string>
    at: string
  },
) {
  const { actor, serviceId, before, after, at } = change
  const action = before === null ? 'create' : 'update'
  await deps.repo.insertMetadata(trx, metadataRows(serviceId, action, before ?? {}, after, actor, at))
  await deps.audit.record(trx, actor, {
    action,
    entity: ENTITY,
    entityId: serviceId,
    establishmentId: change.establishmentId,
    changes: diff(before, after),
  })
}
