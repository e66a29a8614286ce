import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely'
import type { Db } from './database'
import * as m001 from './migrations/001_foundation'
import * as m002 from './migrations/002_allocations'
import * as m003 from './migrations/003_capacity_override'
import * as m004 from './migrations/004_cover'
import * as m005 from './migrations/005_key_worker_flags'
import * as m006 from './migrations/006_directory'
import * as m007 from './migrations/007_guidance'
import * as m008 from './migrations/008_hubs'
import * as m009 from './migrations/009_sessions'
import * as m010 from './migrations/010_statistics'
import * as m012 from './migrations/012_statistics_national'
import * as m013 from './migrations/013_directory_listing'
import * as m014 from './migrations/014_sign_in_security'
import * as m015 from './migrations/015_prisoner_custody'
import * as m016 from './migrations/016_custody_history'
import * as m017 from './migrations/017_stat_answered'
import * as m018 from './migrations/018_prisoner_search_index'
import * as m019 from './migrations/019_api_tokens'
import * as m020 from './migrations/020_hsds_lossless'
import * as m021 from './migrations/021_foreign_taxonomies'
import * as m022 from './migrations/022_directory_location_indexes'
import * as m023 from './migrations/023_quality'
import * as m024 from './migrations/024_quality_indexes'
import * as m025 from './migrations/025_stat_precheck'
import * as m026 from './migrations/026_training'
import * as m027 from './migrations/027_training_indexes'
import * as m028 from './migrations/028_api_token_scope'
import * as m029 from './migrations/029_national_thresholds'
import * as m030 from './migrations/030_bulletins'
import * as m031 from './migrations/031_practice_exchange'
import * as m032 from './migrations/032_trials'
import * as m033 from './migrations/033_survey'
import * as m034 from './migrations/034_recruitment'
import * as m037 from './migrations/037_job_runs'
import * as m035 from './migrations/035_single_sign_on'
import * as m036 from './migrations/036_data_protection'
import * as m039 from './migrations/039_case_note_outbox'
import * as m038 from './migrations/038_hmpps_sync'
import * as m040 from './migrations/040_api_clients'
import * as m041 from './migrations/041_transfer_handovers'
import * as m042 from './migrations/042_audit_chains'

const migrations = {
  '001_foundation': m001,
  '002_allocations': m002,
  '003_capacity_override': m003,
  '004_cover': m004,
  '005_key_worker_flags': m005,
  '006_directory': m006,
  '007_guidance': m007,
  '008_hubs': m008,
  '009_sessions': m009,
  '010_statistics': m010,
  '012_statistics_national': m012,
  '013_directory_listing': m013,
  '014_sign_in_security': m014,
  '015_prisoner_custody': m015,
  '016_custody_history': m016,
  '017_stat_answered': m017,
  '018_prisoner_search_index': m018,
  '019_api_tokens': m019,
  '020_hsds_lossless': m020,
  '021_foreign_taxonomies': m021,
  '022_directory_location_indexes': m022,
  '023_quality': m023,
  '024_quality_indexes': m024,
  '025_stat_precheck': m025,
  '026_training': m026,
  '027_training_indexes': m027,
  '028_api_token_scope': m028,
  '029_national_thresholds': m029,
  '030_bulletins': m030,
  '031_practice_exchange': m031,
  '032_trials': m032,
  '033_survey': m033,
  '034_recruitment': m034,
  '037_job_runs': m037,
  '035_single_sign_on': m035,
  '036_data_protection': m036,
  '039_case_note_outbox': m039,
  '038_hmpps_sync': m038,
  '040_api_clients': m040,
  '041_transfer_handovers': m041,
  '042_audit_chains': m042,
}

export type MigrationName = keyof typeof migrations

/**
 * Brings the schema up to date on either engine; safe to run at every start. `upTo`: only as far as that migration
 * (a test of a migration's backfill fills the tables as the one before left them, then runs it).
 */
export async function migrateToLatest({ db, dialect }: Db, upTo?: MigrationName): Promise<string[]> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {}
      for (const [name, m] of Object.entries(migrations)) out[name] = { up: d => m.up(d, dialect) }
      return out
    },
  }
  // PostgreSQL: Kysely looks for its migration tables in every schema unless told which one, so another schema's
  // tables (a test running alongside, or one left by a crashed run) would be taken for ours.
  const migrationTableSchema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined
  const migrator = new Migrator({ db, provider, migrationTableSchema })
  const { error, results } = await (upTo ? migrator.migrateTo(upTo) : migrator.migrateToLatest())
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter(r => r.status === 'Success').map(r => r.migrationName)
}
