import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

// Dates are ISO 8601 text ('YYYY-MM-DD'), timestamps ISO text with time zone 'Z', booleans 0/1:
// one representation on both engines, so every query behaves the same on SQLite and PostgreSQL.

export interface NationalPolicyTable {
  id: number
  ratio_default: number
  ratio_min: number
  ratio_max: number
  frequency_weeks_default: number
  frequency_weeks_min: number
  frequency_weeks_max: number
  session_minutes_default: number
  session_minutes_min: number
  session_minutes_max: number
  updated_at: string
  qa_sample_default: ColumnType<number, number | undefined, number>
  qa_sample_min: ColumnType<number, number | undefined, number>
  qa_sample_max: ColumnType<number, number | undefined, number>
}

export interface EstablishmentTable {
  id: Generated<number>
  code: string
  name: string
  category: string
  region: string
  enabled: number
  ratio: number | null
  frequency_weeks: number | null
  session_minutes: number | null
  /** 1: Supervising Officers run automatic allocation; 0: allocation by hand only */
  auto_allocation: ColumnType<number, number | undefined, number>
  created_at: string
  updated_at: string
}

export interface ResidentialUnitTable {
  id: Generated<number>
  establishment_id: number
  code: string
  name: string
  parent_id: number | null
  capacity: number
  created_at: string
  updated_at: string
}

export interface StaffTable {
  id: Generated<number>
  establishment_id: number
  staff_number: string
  first_name: string
  last_name: string
  grade: string
  email: string | null
  working_pattern: string
  weekly_hours: number
  started_in_post: string | null
  languages: string
  status: string
  status_return_date: string | null
  home_unit_id: number | null
  user_id: number | null
  /** null: use the pro-rata default from the establishment's ratio */
  capacity_override: ColumnType<number | null, number | null | undefined, number | null>
  /** 1: holds a caseload (allocation considers them); band 3 officers by default */
  key_worker: ColumnType<number, number | undefined, number>
  created_at: string
  updated_at: string
}

export interface PrisonerTable {
  id: Generated<number>
  prison_number: string
  first_name: string
  last_name: string
  date_of_birth: string
  establishment_id: number
  unit_id: number | null
  cell: string | null
  reception_date: string
  release_date: string | null
  status: string
  complexity: string
  first_language: string
  interpreter_needed: number
  nationality: string
  created_at: string
  updated_at: string
}

/** A prisoner's movement into or out of one establishment's custody, recorded by that establishment. */
export interface CustodyEventTable {
  id: Generated<number>
  prison_number: string
  /** reception, transfer_in, transfer_out, release, complexity (of need changed), moved (to another unit) */
  kind: string
  /** the establishment that recorded it, and its record of him */
  establishment_id: number
  prisoner_id: number
  /** a transfer in: the establishment he came from, which sees the event too */
  from_establishment_id: number | null
  /** the day it happened (yyyy-mm-dd) */
  date: string
  recorded_at: string
  user_id: number | null
  username: string | null
  /** an arrival or a move: his unit from that day */
  unit_id: number | null
  /** an arrival or a complexity change: his complexity of need from that day */
  complexity: string | null
}

/** Spells of eligibility for a Key Worker derived from custody_events (src/domain/custody.ts): to_date excluded. */
export interface CustodySpellTable {
  id: Generated<number>
  establishment_id: number
  prisoner_id: number
  unit_id: number | null
  from_date: string
  to_date: string | null
}

export interface UserTable {
  id: Generated<number>
  username: string
  display_name: string
  email: string | null
  password_hash: string | null
  enabled: number
  created_at: string
  last_sign_in_at: string | null
  /** 1: a password set by an admin, to be changed at the next sign-in */
  must_change_password: Generated<number>
  /** the OpenID provider's subject, set at the first single sign-on */
  oidc_subject: Generated<string | null>
}

export interface UserRoleTable {
  id: Generated<number>
  user_id: number
  establishment_id: number | null
  role: string
}

export interface WebSessionTable {
  sid: string
  data: string
  expires_at: string
  user_id: number | null
  signed_in_at: string | null
}

export interface SignInAttemptTable {
  key: string
  failures: number
  first_failure_at: string
  locked_until: string | null
}

export interface AuditEventTable {
  id: Generated<number>
  at: string
  user_id: number | null
  username: string | null
  establishment_id: number | null
  action: string
  entity: string
  entity_id: string | null
  changes: string | null
  prev_hash: string
  hash: string
  /** the establishment's id in decimal, 'national' (no establishment) or 'legacy' (before migration 042) */
  chain: string
  /** the event's number in its chain, from 1 without gaps */
  seq: number
}

/** The head of each audit chain: its last event's number, hash and id. */
export interface AuditChainTable {
  chain: string
  seq: number
  hash: string
  last_id: number
}

export interface AllocationTable {
  id: Generated<number>
  establishment_id: number
  prisoner_id: number
  staff_id: number
  allocated_at: string
  allocated_by: string | null
  allocation_reason: string
  deallocated_at: string | null
  deallocated_by: string | null
  deallocation_reason: string | null
  deallocation_note: string | null
  handover_note: string | null
  cover_until: Generated<string | null>
  covering_for_staff_id: Generated<number | null>
}

// Services directory: Open Referral HSDS 3.0 entities, HSDS field names, UUID text ids.

export interface DirectoryTaxonomyTable {
  id: string
  name: string
  description: string
  uri: string | null
  version: string | null
}

export interface DirectoryTaxonomyTermTable {
  id: string
  taxonomy_id: string
  code: string
  name: string
  description: string
}

export interface DirectoryOrganizationTable {
  id: string
  /** null: national, seen by every establishment */
  establishment_id: number | null
  name: string
  description: string
  email: string | null
  website: string | null
  created_at: string
  updated_at: string
  /** HSDS fields and nested records keywork does not model, as canonical JSON (hsds/extras.ts); null: none */
  extra?: string | null
}

export interface DirectoryServiceTable {
  id: string
  /** null: national, seen by every establishment */
  establishment_id: number | null
  organization_id: string
  name: string
  alternate_name: string | null
  description: string | null
  url: string | null
  email: string | null
  /** HSDS: active | inactive | defunct | temporarily closed */
  status: string
  /** internal (inside the prison) | external (in the community); exported as an HSDS attribute */
  provision: string
  application_process: string | null
  eligibility_description: string | null
  wait_time: string | null
  interpretation_services: string | null
  /** last checked */
  assured_date: string | null
  assurer_email: string | null
  /** lower-cased name, description, organisation and contact text, for search */
  search_text: string
  created_at: string
  updated_at: string
  /** HSDS fields and nested records keywork does not model, as canonical JSON (hsds/extras.ts); null: none */
  extra?: string | null
}

export interface DirectoryLocationTable {
  id: string
  establishment_id: number | null
  organization_id: string | null
  /** HSDS: physical | postal | virtual */
  location_type: string
  name: string
  description: string | null
  url: string | null
  /** HSDS fields and nested records keywork does not model, as canonical JSON (hsds/extras.ts); null: none */
  extra?: string | null
}

export interface DirectoryAddressTable {
  id: string
  location_id: string
  address_1: string
  address_2: string | null
  city: string
  region: string | null
  state_province: string
  postal_code: string
  country: string
  address_type: string
  /** HSDS fields and nested records keywork does not model, as canonical JSON (hsds/extras.ts); null: none */
  extra?: string | null
}

export interface DirectoryServiceAtLocationTable {
  id: string
  service_id: string
  location_id: string
  description: string | null
  /** HSDS fields and nested records keywork does not model, as canonical JSON (hsds/extras.ts); null: none */
  extra?: string | null
}

export interface DirectoryContactTable {
  id: string
  service_id: string | null
  name: string | null
  title: string | null
  department: string | null
  email: string | null
  /** HSDS fields and nested records keywork does not model, as canonical JSON (hsds/extras.ts); null: none */
  extra?: string | null
}

export interface DirectoryPhoneTable {
  id: string
  service_id: string | null
  contact_id: string | null
  location_id: string | null
  number: string
  extension: string | null
  type: string | null
  description: string | null
  /** HSDS fields and nested records keywork does not model, as canonical JSON (hsds/extras.ts); null: none */
  extra?: string | null
}

export interface DirectoryScheduleTable {
  id: string
  service_id: string
  freq: string | null
  interval: number | null
  byday: string | null
  opens_at: string | null
  closes_at: string | null
  valid_from: string | null
  valid_to: string | null
  description: string | null
  notes: string | null
  /** HSDS fields and nested records keywork does not model, as canonical JSON (hsds/extras.ts); null: none */
  extra?: string | null
}

export interface DirectoryLanguageTable {
  id: string
  service_id: string
  name: string | null
  code: string | null
  note: string | null
  /** HSDS fields and nested records keywork does not model, as canonical JSON (hsds/extras.ts); null: none */
  extra?: string | null
}

export interface DirectoryAttributeTable {
  id: string
  link_id: string
  link_type: string | null
  link_entity: string
  taxonomy_term_id: string
  value: string | null
  /** HSDS fields and nested records keywork does not model, as canonical JSON (hsds/extras.ts); null: none */
  extra?: string | null
}

export interface DirectoryMetadataTable {
  id: string
  resource_id: string
  resource_type: string
  last_action_date: string
  last_action_type: string
  field_name: string
  previous_value: string
  replacement_value: string
  updated_by: string
}

/** A taxonomy other than keywork's, kept whole as an import brought it (migration 021). */
export interface DirectoryForeignTaxonomyTable {
  id: string
  /** the directory that first imported it; null: national */
  establishment_id: number | null
  name: string
  /** the HSDS taxonomy object, as canonical JSON */
  data: string
}

/** A term of another taxonomy, kept whole, and the pathway it is mapped to (migration 021). */
export interface DirectoryForeignTermTable {
  id: string
  establishment_id: number | null
  taxonomy_id: string | null
  parent_id: string | null
  code: string | null
  name: string
  /** the HSDS taxonomy_term object, as canonical JSON */
  data: string
  /** keywork's pathway term (directory_taxonomy_terms) it is mapped to; null: not mapped */
  pathway_term_id: string | null
  mapped_at: string | null
  mapped_by: string | null
  /** whose admin mapped it; null with mapped_at set: the national team */
  mapped_by_establishment_id: number | null
}

// Key Worker hubs: rooms and desks for private sessions, and their bookings. Times are 'HH:MM' text.

export interface HubTable {
  id: Generated<number>
  establishment_id: number
  name: string
  /** the houseblock (a top-level residential unit) it serves; null: a central hub */
  unit_id: number | null
  opens_at: string
  closes_at: string
  active: number
  created_at: string
  updated_at: string
}

export interface HubRoomTable {
  id: Generated<number>
  establishment_id: number
  hub_id: number
  name: string
  /** room | desk */
  kind: string
  is_private: number
  has_computer: number
  has_phone: number
  active: number
  created_at: string
  updated_at: string
}

export interface HubBookingTable {
  id: Generated<number>
  establishment_id: number
  room_id: number
  date: string
  starts_at: string
  ends_at: string
  staff_id: number | null
  prisoner_id: number | null
  purpose: string
  booked_by_user_id: number | null
  booked_by: string | null
  created_at: string
  cancelled_at: ColumnType<string | null, string | null | undefined, string | null>
  cancelled_by: ColumnType<string | null, string | null | undefined, string | null>
  cancel_reason: ColumnType<string | null, string | null | undefined, string | null>
}

// Guidance: the national Key Worker guide in numbered versions, each establishment's local introduction (booklet
// part 2) and worksheets (establishment_id null: national). Bodies are Markdown, sanitised when rendered.

export interface GuideVersionTable {
  id: Generated<number>
  version: number
  body: string
  /** what changed, in the publisher's words */
  summary: string
  published_at: string
  published_by: string | null
}

export interface BookletIntroductionTable {
  establishment_id: number
  body: string
  updated_at: string
  updated_by: string | null
}

export interface WorksheetTable {
  id: Generated<number>
  /** null: national, seen by every establishment */
  establishment_id: number | null
  /** the content file a national worksheet was seeded from */
  slug: string | null
  title: string
  pathway: string
  purpose: string
  /** for the Key Worker */
  guidance: string
  /** the printable sheet, for the prisoner */
  sheet: string
  created_at: string
  updated_at: string
  updated_by: string | null
}

// Key Work sessions (migration 009): rota slots, session entries, amendments, goals, referrals, outbox.

export interface KeyWorkSlotTable {
  id: Generated<number>
  establishment_id: number
  staff_id: number
  /** 1 = Monday … 7 = Sunday, for a weekly slot; null for a one-off */
  weekday: number | null
  /** ISO date of a one-off slot; null for a weekly one */
  on_date: string | null
  starts_at: string
  ends_at: string
  valid_from: string
  valid_to: string | null
  created_at: string
  created_by: string | null
}

export interface KeyWorkSessionTable {
  id: Generated<number>
  establishment_id: number
  prisoner_id: number
  /** the Key Worker who held (or was to hold) the session */
  staff_id: number | null
  author_user_id: number | null
  author: string
  /** draft | submitted | deleted */
  status: string
  /** 0: recorded for a prisoner not on the officer's caseload (cover) */
  on_caseload: number
  /** delivered | not_delivered */
  outcome: string | null
  not_delivered_reason: string | null
  not_delivered_detail: string | null
  session_date: string | null
  starts_at: string | null
  duration_minutes: number | null
  /** hub_room | interview_room | cell | wing_office */
  location: string | null
  hub_booking_id: number | null
  private: number | null
  interpreter_needed: number | null
  interpreter_used: number | null
  interpreter_service: string | null
  interpreter_booking_ref: string | null
  interpreter_language: string | null
  interpreter_why_not: string | null
  /** pathway codes, comma separated */
  pathways: string
  concern: number
  concern_escalated_to: string | null
  prisoner_words: string | null
  agreed: string | null
  /** a random key the form carries, so a double submit cannot make two entries */
  client_key: string | null
  /** JSON of the form as typed while a draft (the sessions feature); null once submitted */
  draft_form: ColumnType<string | null, string | null | undefined, string | null>
  created_at: string
  updated_at: string
  submitted_at: string | null
  deleted_at: string | null
  deleted_by: string | null
  deleted_reason: string | null
  /** JSON of the pre-check kept at submit: { rubricVersion, estimates: { code: 1-4 | null }, hints: [code] } */
  precheck: ColumnType<string | null, string | null | undefined, string | null>
  /** the mean of the pre-check's estimates */
  precheck_score: ColumnType<number | null, number | null | undefined, number | null>
}

export interface SessionAmendmentTable {
  id: Generated<number>
  session_id: number
  amended_at: string
  amended_by: string
  reason: string
  /** JSON: { field: { from, to } } */
  changes: string
}

export interface SessionGoalTable {
  id: Generated<number>
  establishment_id: number
  prisoner_id: number
  set_in_session_id: number
  description: string
  measure: string
  target_date: string | null
  /** open | in_progress | achieved | dropped */
  status: string
  updated_in_session_id: number | null
  created_at: string
  updated_at: string
}

export interface GoalReviewTable {
  id: Generated<number>
  goal_id: number
  session_id: number
  status: string
  note: string | null
}

export interface ReferralTable {
  id: Generated<number>
  establishment_id: number
  prisoner_id: number
  session_id: number
  /** a directory service, or else a stakeholder */
  service_id: string | null
  /** pom | mental_health | healthcare | substance_misuse | chaplaincy | education | resettlement */
  stakeholder: string | null
  note: string | null
  /** sent | acknowledged | done | declined */
  status: string
  follow_up_date: string | null
  created_at: string
  created_by: string
  updated_at: string
  updated_by: string | null
}

export interface SessionWorksheetTable {
  session_id: number
  worksheet_id: number
}

export interface OutboxEmailTable {
  id: Generated<number>
  establishment_id: number | null
  to_address: string
  template: string
  subject: string
  body: string
  reference: string | null
  /** outbox (not sent: Notify not configured) | sent | failed */
  status: string
  notify_id: string | null
  error: string | null
  created_at: string
  sent_at: string | null
}

/** Delivery statistics: exact pre-aggregates of submitted sessions per establishment and day (010_statistics). */
export interface StatDailyTable {
  establishment_id: number
  day: string
  delivered: number
  not_delivered: number
  nd_prisoner_refused: number
  nd_unavailable_court: number
  nd_unavailable_healthcare: number
  nd_unavailable_visit: number
  nd_unavailable_segregation: number
  nd_officer_redeployed: number
  nd_regime_curtailed: number
  nd_other: number
  private_delivered: number
  /** delivered sessions whose privacy was answered (migration 017) */
  private_answered: number
  interpreter_needed: number
  interpreter_used: number
  /** delivered sessions needing an interpreter where its use was answered (migration 017) */
  interpreter_answered: number
  gap_count: number
  gap_days: number
  first_count: number
  first_days: number
  /** submitted entries with a pre-check score (migration 025) */
  precheck_n: number
  /** the sum of their pre-check scores, in ten-thousandths (PRECHECK_SCALE, migration 025) */
  precheck_sum: number
}

/** Days between a prisoner's delivered sessions, as a histogram per establishment and day (for medians). */
export interface StatGapTable {
  establishment_id: number
  day: string
  gap_days: number
  n: number
}

/** referrals and goals per establishment and the day they were made, by current status (statistics) */
export interface StatFollowUpTable {
  establishment_id: number
  day: string
  referrals_made: number
  referrals_acknowledged: number
  referrals_completed: number
  goals_set: number
  goals_achieved: number
}

/** stat_gaps summed over every establishment, per day (kept in step by the statistics repository) */
export interface StatGapAllTable {
  day: string
  gap_days: number
  n: number
}

/** An API token given to a partner (the HSDS API, or an establishment's xAPI statements); only its SHA-256 is kept (features/directory/hsds/tokens.ts). */
export interface ApiTokenTable {
  id: Generated<number>
  /** null: a national token, for the national services */
  establishment_id: number | null
  name: string
  /** hex SHA-256 of the token */
  token_hash: string
  created_by_user_id: number | null
  created_by: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  revoked_by: string | null
  /** what the token is for: the HSDS API or an establishment's xAPI statements (028_api_token_scope) */
  scope: Generated<ApiTokenScope>
}

/** 'hsds': reads the services directory (HSDS API); 'xapi': an establishment's learning record store (xAPI). */
export type ApiTokenScope = 'hsds' | 'xapi'

/** Quality assurance and supervision (023_quality). */
export interface QaRubricVersionTable {
  id: Generated<number>
  version: number
  /** draft | published | superseded */
  status: string
  notes: string | null
  created_at: string
  created_by: string
  published_at: string | null
  published_by: string | null
}

export interface QaCriterionTable {
  id: Generated<number>
  /** a national criterion's rubric version; null for an establishment's own */
  rubric_version_id: number | null
  /** an establishment's own criterion; null for a national one */
  establishment_id: number | null
  code: string
  title: string
  guidance: string
  descriptor_1: string
  descriptor_2: string
  descriptor_3: string
  descriptor_4: string
  position: number
  active: ColumnType<number, number | undefined, number>
  created_at: string
  created_by: string
}

export interface QaSettingTable {
  establishment_id: number
  sample_per_officer: number
  review_due_days: number
  thin_entry_chars: number
  supervision_weeks: number
  updated_at: string
  updated_by: string
}

export interface QaSampleTable {
  id: Generated<number>
  establishment_id: number
  session_id: number
  staff_id: number | null
  /** YYYY-MM, Europe/London */
  month: string
  random: number
  /** risk reasons (qaSample RISK_REASONS), comma separated */
  risk: ColumnType<string, string | undefined, string>
  sampled_at: string
  due_on: string
  /** due | reviewed */
  status: string
}

export interface QaCalibrationTable {
  id: Generated<number>
  /** null: a national exercise */
  establishment_id: number | null
  title: string
  rubric_version_id: number
  /** open | closed */
  status: string
  due_on: string | null
  created_at: string
  created_by_user_id: number | null
  created_by: string
  closed_at: string | null
}

export interface QaCalibrationEntryTable {
  calibration_id: number
  session_id: number
}

export interface QaCalibrationMarkerTable {
  calibration_id: number
  user_id: number
}

export interface QaReviewTable {
  id: Generated<number>
  establishment_id: number
  session_id: number
  /** sample | calibration | chosen */
  kind: string
  sample_id: number | null
  calibration_id: number | null
  reviewer_user_id: number
  reviewer: string
  rubric_version_id: number
  overall_score: number
  feedback_good: string
  feedback_change: string
  officer_user_id: number | null
  submitted_at: string
  updated_at: string
  read_at: string | null
  acknowledged_at: string | null
  reply: string | null
  replied_at: string | null
}

export interface QaReviewScoreTable {
  review_id: number
  criterion_id: number
  /** 1-4; null: not applicable to this entry */
  score: number | null
  comment: string | null
}

export interface QaReviewAmendmentTable {
  id: Generated<number>
  review_id: number
  amended_at: string
  amended_by: string
  reason: string
  /** JSON: { field: { from, to } } */
  changes: string
}

export interface QaCommendationTable {
  id: Generated<number>
  establishment_id: number
  session_id: number | null
  staff_id: number
  officer_user_id: number | null
  text: string
  by_user_id: number
  by_name: string
  created_at: string
  seen_at: string | null
}

export interface GoodPracticeTable {
  id: Generated<number>
  establishment_id: number
  session_id: number
  nominated_by_user_id: number
  nominated_by: string
  nominated_at: string
  reason: string
  /** nominated | published | declined */
  status: string
  title: string | null
  /** the redacted text as published */
  text: string | null
  /** pathway codes, comma separated */
  pathways: ColumnType<string, string | undefined, string>
  decided_by: string | null
  decided_at: string | null
  decision_note: string | null
}

export interface IntegrityFlagTable {
  id: Generated<number>
  establishment_id: number
  /** near_duplicate | overlap | out_of_custody | officer_away | over_time | burst | thin */
  kind: string
  /** unique per establishment: the kind and the entries it is about */
  flag_key: string
  session_id: number
  other_session_id: number | null
  staff_id: number | null
  similarity: number | null
  /** JSON: what the flag rests on */
  evidence: string
  raised_at: string
  /** open | resolved */
  status: string
  /** no_concern | advice_given | entry_amended | referred_on */
  outcome: string | null
  note: string | null
  resolved_by_user_id: number | null
  resolved_by: string | null
  resolved_at: string | null
}

export interface IntegrityBandTable {
  session_id: number
  establishment_id: number
  band: number
  /** the band hash as a signed 32-bit integer (hash | 0) */
  hash: number
}

export interface SupervisionTable {
  id: Generated<number>
  establishment_id: number
  staff_id: number
  supervisor_user_id: number
  supervisor: string
  held_on: string
  topics: string
  agreed: string
  next_due_on: string | null
  created_at: string
  updated_at: string
  updated_by: string
}

export interface UserNoticeTable {
  id: Generated<number>
  user_id: number
  establishment_id: number | null
  kind: string
  message: string
  link: string
  created_at: string
  read_at: string | null
}

/** Training and professional development (026_training). */
export interface TrainingProgrammeVersionTable {
  id: Generated<number>
  version: number
  /** draft | published | superseded */
  status: string
  /** what changed, in the publisher's words */
  summary: string
  created_at: string
  created_by: string
  published_at: string | null
  published_by: string | null
}

export interface TrainingContributorTable {
  id: Generated<number>
  programme_version_id: number
  name: string
  /** academic | psychologist | mental_health | prison_officer | prisoner_voice | other */
  role: string
  organisation: ColumnType<string, string | undefined, string>
  position: number
}

export interface TrainingModuleTable {
  id: Generated<number>
  /** a national module's programme version; null for an establishment's local module */
  programme_version_id: number | null
  /** an establishment's local module; null for a national one */
  establishment_id: number | null
  /** stable across versions: a completion counts for the code */
  code: string
  title: string
  /** initial | topup | local | cpd */
  kind: string
  summary: ColumnType<string, string | undefined, string>
  /** learning outcomes, one a line */
  outcomes: string
  /** workshop | lecture | practical | observation | peer_supervision | e_learning */
  format: string
  hours: number
  days: ColumnType<number, number | undefined, number>
  /** module codes, comma separated */
  prerequisites: ColumnType<string, string | undefined, string>
  position: number
  active: ColumnType<number, number | undefined, number>
  created_at: string
  created_by: string
  updated_at: string
  updated_by: string
}

export interface TrainingPolicyTable {
  id: number
  window_from_months: ColumnType<number, number | undefined, number>
  window_to_months: ColumnType<number, number | undefined, number>
  window_to_max: ColumnType<number, number | undefined, number>
  topup_months: ColumnType<number, number | undefined, number>
  topup_months_min: ColumnType<number, number | undefined, number>
  topup_months_max: ColumnType<number, number | undefined, number>
  cpd_hours: ColumnType<number, number | undefined, number>
  cpd_hours_min: ColumnType<number, number | undefined, number>
  cpd_hours_max: ColumnType<number, number | undefined, number>
  /** allow | warn | refuse: may an officer without the initial course be allocated prisoners */
  untrained_allocation: ColumnType<string, string | undefined, string>
  /** 1: an establishment may set its own untrained_allocation */
  untrained_local: ColumnType<number, number | undefined, number>
  updated_at: string
  updated_by: string
}

export interface TrainingSettingTable {
  establishment_id: number
  window_from_months: number | null
  window_to_months: number | null
  topup_months: number | null
  cpd_hours: number | null
  untrained_allocation: string | null
  updated_at: string
  updated_by: string
}

export interface TrainingCourseTable {
  id: Generated<number>
  module_id: number
  /** null: a regional course (region set) */
  establishment_id: number | null
  region: string | null
  trainer_user_id: number | null
  trainer: string
  place: string
  capacity: number
  /** scheduled | cancelled | completed */
  status: string
  notes: ColumnType<string, string | undefined, string>
  created_at: string
  created_by: string
  cancelled_at: string | null
  cancelled_by: string | null
  cancel_reason: string | null
  completed_at: string | null
  completed_by: string | null
}

export interface TrainingCourseDayTable {
  course_id: number
  day: string
  /** HH:MM */
  starts_at: string
  ends_at: string
}

export interface TrainingEnrolmentTable {
  id: Generated<number>
  course_id: number
  staff_id: number
  /** enrolled | waiting | withdrawn | cancelled | completed | not_completed */
  status: string
  enrolled_at: string
  enrolled_by: string
  /** a waiting-list place: the earliest moves up first */
  waiting_since: string | null
  updated_at: string
  updated_by: string
}

export interface TrainingAttendanceTable {
  course_id: number
  day: string
  staff_id: number
  present: number
  recorded_at: string
  recorded_by: string
}

export interface TrainingCompletionTable {
  id: Generated<number>
  establishment_id: number
  staff_id: number
  module_id: number | null
  module_code: string
  /** the module's kind: initial | topup | local | cpd */
  kind: string
  title: string
  completed_on: string
  hours: number
  /** completed | passed | failed */
  outcome: string
  evidence: ColumnType<string, string | undefined, string>
  /** course | csv | xapi | manual */
  source: string
  course_id: number | null
  external_id: string | null
  recorded_at: string
  recorded_by: string
  voided_at: string | null
  voided_by: string | null
  void_reason: string | null
}

export interface TrainingCertificateTable {
  id: Generated<number>
  code: string
  completion_id: number
  staff_id: number
  establishment_id: number
  name: string
  module_title: string
  completed_on: string
  issued_on: string
  issued_at: string
  issued_by: string
  superseded_by: number | null
  revoked_at: string | null
  revoke_reason: string | null
}

export interface TrainingReminderTable {
  id: Generated<number>
  establishment_id: number
  staff_id: number
  /** a module code, or 'cpd' */
  subject: string
  /** due | overdue | expiring */
  kind: string
  /** the date the reminder is about (the window opening, the due date, the expiry) */
  about_date: string
  sent_on: string
  sent_at: string
}

export interface TrainingFeedbackTable {
  id: Generated<number>
  course_id: number
  module_id: number
  staff_id: number
  rating: number
  comment: ColumnType<string, string | undefined, string>
  created_at: string
}

export interface TrainingAssignmentTable {
  id: Generated<number>
  establishment_id: number
  staff_id: number
  module_code: string
  review_id: number | null
  reason: string
  due_on: string
  assigned_at: string
  assigned_by_user_id: number | null
  assigned_by: string
  cancelled_at: string | null
}

export interface ReflectiveEntryTable {
  id: Generated<number>
  establishment_id: number
  staff_id: number
  user_id: number
  /** gibbs | short (a short entry keeps its text in description) */
  form: string
  title: string
  written_on: string
  description: ColumnType<string, string | undefined, string>
  feelings: ColumnType<string, string | undefined, string>
  evaluation: ColumnType<string, string | undefined, string>
  analysis: ColumnType<string, string | undefined, string>
  conclusion: ColumnType<string, string | undefined, string>
  action_plan: ColumnType<string, string | undefined, string>
  /** minutes counted towards CPD */
  minutes: ColumnType<number, number | undefined, number>
  /** 1: shared with the officer's Supervising Officers */
  shared: ColumnType<number, number | undefined, number>
  shared_at: string | null
  /** JSON: what the check found (prison numbers, caseload names) when last saved */
  flags: ColumnType<string, string | undefined, string>
  created_at: string
  updated_at: string
}

/** An intervention under trial (migration 032): what it is; its adoptions, comparisons and outcomes in their tables. */
export interface TrialTable {
  id: Generated<number>
  name: string
  /** key_worker_hub | supervising_officer | initial_training | guide_version | other */
  kind: string
  description: ColumnType<string, string | undefined, string>
  /** the number of the latest saved version (trial_revisions) */
  version: ColumnType<number, number | undefined, number>
  created_at: string
  created_by: string
  updated_at: string
  updated_by: string
}

/** An establishment that adopted the intervention and the date it started there. */
export interface TrialAdoptionTable {
  trial_id: number
  establishment_id: number
  start_date: string
}

/** A chosen comparison establishment (none listed: every establishment not adopting). */
export interface TrialComparisonTable {
  trial_id: number
  establishment_id: number
}

/** An outcome measure of a trial: compliance | qa_score | seen_28 | gap_days | count:<measure> | survey:<code>. */
export interface TrialOutcomeTable {
  trial_id: number
  measure: string
  position: number
}

/** A saved version of a trial's whole definition (JSON), for the audited history of edits. */
export interface TrialRevisionTable {
  id: Generated<number>
  trial_id: number
  version: number
  snapshot: string
  changed_at: string
  changed_by: string
}

/** A monthly count from outside keywork (violence, self-harm, adjudications…) for one establishment. */
export interface TrialOutcomeCountTable {
  id: Generated<number>
  establishment_id: number
  /** YYYY-MM */
  month: string
  measure: string
  count: number
  /** the prisoner population that month as imported; null: keywork's roll is used */
  population: number | null
  imported_at: string
  imported_by: string
}

/** An accepted outcome CSV import. */
export interface TrialOutcomeImportTable {
  id: Generated<number>
  file_name: string
  rows_added: number
  rows_replaced: number
  imported_at: string
  imported_by: string
}

/** The survey's national disclosure thresholds (one row, id 1) (issue 17). */
export interface SurveySettingsTable {
  id: number
  threshold: ColumnType<number, number | undefined, number>
  free_text_threshold: ColumnType<number, number | undefined, number>
  updated_at: string | null
  updated_by: string | null
}

/** A staff culture survey round the national team published. closed_on: the day it was closed early. */
export interface SurveyRoundTable {
  id: Generated<number>
  title: string
  opens_on: string
  closes_on: string
  closed_on: string | null
  created_at: string
  created_by: string
}

/** A question of a round: kind 'scale' (1–5 agreement) or 'text' (optional free text). */
export interface SurveyQuestionTable {
  id: Generated<number>
  round_id: number
  code: string
  kind: string
  text: string
  position: number
}

/** That a user took their one-time token for a round: nothing else about them is kept. */
export interface SurveyInvitationTable {
  round_id: number
  user_id: number
}

/** A one-time token's SHA-256 hash, with the establishment and role it answers for: no user. */
export interface SurveyTokenTable {
  token_hash: string
  round_id: number
  establishment_id: number
  role: string
  used: ColumnType<number, number | undefined, number>
}

/** An anonymous response: a random id, no user, no token, no time. */
export interface SurveyResponseTable {
  id: string
  round_id: number
  establishment_id: number
  role: string
}

export interface SurveyAnswerTable {
  response_id: string
  question_id: number
  value: number | null
  answer_text: string | null
}

/** A bulletin the national team published to establishment staff (issue 17). */
export interface BulletinTable {
  id: Generated<number>
  /** 'guide' | 'worksheet' | 'notice' */
  kind: string
  title: string
  /** Markdown, rendered safely */
  summary: string
  /** a local path (the guide's changes page, the worksheet), or null */
  link: string | null
  /** roles it is limited to, comma-separated; '' everyone with a role in an establishment */
  audience: ColumnType<string, string | undefined, string>
  guide_version: number | null
  worksheet_id: number | null
  published_by: string
  published_by_user_id: number | null
  published_at: string
}

export interface BulletinReadTable {
  id: Generated<number>
  bulletin_id: number
  user_id: number
  read_at: string
}

/** One weekly digest email per user per ISO week (Europe/London), e.g. '2026-W49'. */
export interface BulletinDigestTable {
  id: Generated<number>
  user_id: number
  week: string
  /** the bulletin ids it carried, comma-separated */
  bulletins: string
  sent_at: string
}
/** Values-based recruitment: national settings, one row (id 1). */
/** Data protection: the national retention rule, one row (id 1). */
export interface RetentionSettingsTable {
  id: number
  years_after_release: ColumnType<number, number | undefined, number>
  updated_at: string
  updated_by: string
}

/**
 * A transfer handover (041): what the sending establishment chose to share with the one he moves to, as it was when
 * shared. prisoner_id is the sender's record of him; the receiver finds it by its establishment and prison number.
 */
export interface TransferHandoverTable {
  id: Generated<number>
  sending_establishment_id: number
  receiving_establishment_id: number
  prisoner_id: number
  prison_number: string
  /** the Key Worker's handover note; null when none (or withdrawn) */
  note: string | null
  /** his Key Worker at the sender when shared, by name */
  key_worker: string | null
  prepared_by: string
  prepared_by_name: string
  prepared_by_user_id: number | null
  shared_at: string
  /** the receiver's first view */
  read_at: string | null
  withdrawn_at: string | null
  withdrawn_by: string | null
}

/** One shared item of a handover, as it was: an open goal, an open referral, or what was agreed at a session. */
export interface TransferHandoverItemTable {
  id: Generated<number>
  handover_id: number
  /** goal | referral | agreed */
  kind: string
  /** the sender's goal, referral or session id (for the sender; never shown to the receiver) */
  source_id: number
  position: number
  text: string
  detail: string | null
  status: string | null
  /** when set, referred or agreed (yyyy-mm-dd) */
  since: string | null
  /** a goal's target date or a referral's follow-up date */
  due: string | null
}

/** A prisoner record the retention job anonymised. */
export interface RetentionAnonymisedTable {
  prisoner_id: number
  establishment_id: number
  anonymised_at: string
}

export interface RecruitmentSettingsTable {
  id: number
  retention_days: ColumnType<number, number | undefined, number>
  min_group: ColumnType<number, number | undefined, number>
  updated_at: string
  updated_by: string
}

/** A recruitment campaign: national, one establishment's or a region's. */
export interface RecruitmentCampaignTable {
  id: Generated<number>
  title: string
  establishment_id: number | null
  region: string | null
  opens_on: string
  closes_on: string
  scale_max: ColumnType<number, number | undefined, number>
  moderation_gap: number
  retention_days: number
  pass_mark: number
  assessor_a_user_id: number | null
  assessor_b_user_id: number | null
  moderator_user_id: number | null
  created_at: string
  created_by: string
}

export interface RecruitmentCriterionTable {
  id: Generated<number>
  campaign_id: number
  code: string
  name: string
  /** value | behaviour | attitude */
  kind: string
  description: ColumnType<string, string | undefined, string>
  position: number
}

export interface RecruitmentQuestionTable {
  id: Generated<number>
  campaign_id: number
  criterion_id: number
  /** interview | role_play */
  kind: string
  text: string
  /** JSON array of the anchors' texts, score 1 first */
  anchors: string
  position: number
}

/** A candidate as assessors know them: a code. */
export interface RecruitmentCandidateTable {
  id: Generated<number>
  campaign_id: number
  code: string
  code_year: number
  code_number: number
  assessor_a_user_id: number | null
  assessor_b_user_id: number | null
  moderator_user_id: number | null
  created_at: string
  created_by: string
  personal_deleted_at: string | null
}

/** A candidate's personal data, apart: only the national team reads it; deleted after the retention period. */
export interface RecruitmentCandidatePersonalTable {
  candidate_id: number
  name: string
  email: string
  establishment_id: number | null
  created_at: string
}

export interface RecruitmentSubmissionTable {
  id: Generated<number>
  candidate_id: number
  assessor_user_id: number
  submitted_at: string
}

export interface RecruitmentScoreTable {
  id: Generated<number>
  submission_id: number
  question_id: number
  score: number
  evidence: ColumnType<string, string | undefined, string>
}

export interface RecruitmentModerationTable {
  id: Generated<number>
  candidate_id: number
  question_id: number
  score: number
  reason: string
  moderator_user_id: number
  decided_at: string
}

/** A Supervising Officer's good practice from their establishment, with keywork's figures as submitted (issue 17). */
export interface PracticeSubmissionTable {
  id: Generated<number>
  establishment_id: number
  title: string
  what_they_did: string
  what_changed: string
  /** optional free-text evidence */
  evidence: string | null
  /** pathway codes, comma separated */
  pathways: ColumnType<string, string | undefined, string>
  /** measure codes, comma separated (domain/practiceExchange MEASURES) */
  measures: string
  /** the two periods of whole months, 'YYYY-MM' */
  before_from: string
  before_to: string
  after_from: string
  after_to: string
  /** JSON: FigureSnapshot[], taken from keywork's data when submitted; never recomputed */
  figures: string
  figures_at: string
  /** submitted | published | returned */
  status: string
  submitted_by_user_id: number
  submitted_by: string
  submitted_at: string
  reviewed_by: string | null
  reviewed_at: string | null
  /** the national team's note when it returned the submission */
  review_note: string | null
  published_at: string | null
  updated_at: string
}

/** A question to the national policy team and its answer (issue 17). */
export interface PracticeQuestionTable {
  id: Generated<number>
  establishment_id: number
  asked_by_user_id: number
  asked_by: string
  title: string
  detail: string
  asked_at: string
  answer: string | null
  answered_by: string | null
  answered_at: string | null
  updated_at: string
}

/** The national overview's RAG rule for one measure (migration 029): green at / amber at, and which way is better. */
export interface NationalThresholdTable {
  measure: string
  green: number
  amber: number
  /** 'higher' | 'lower': which way is better */
  direction: string
  updated_at: string | null
  updated_by: string | null
}

/** Scheduled work: one row per job and due time, claimed by the instance that ran it (src/platform/jobs.ts). */
/** A client of the API for other services (/api/v1): migration 040. */
export interface ApiClientTable {
  id: Generated<number>
  client_id: string
  name: string
  secret_hash: string
  /** space separated */
  scopes: string
  all_establishments: ColumnType<number, number | undefined, number>
  owner_establishment_id: number | null
  rate_limit_per_minute: number
  created_by_user_id: number | null
  created_by: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  revoked_by: string | null
}

export interface ApiClientEstablishmentTable {
  api_client_id: number
  establishment_id: number
}

export interface ApiAccessTokenTable {
  id: Generated<number>
  api_client_id: number
  token_hash: string
  scopes: string
  issued_at: string
  expires_at: string
}

export interface ApiRateWindowTable {
  api_client_id: number
  window_start: string
  hits: number
}

/** One run of the roll sync from Prisoner Search for one establishment (features/hmppsSync). */
export interface HmppsSyncRunTable {
  id: Generated<number>
  establishment_id: number
  started_at: string
  finished_at: string | null
  /** running, ok, failed */
  outcome: string
  pages: number
  /** prisoners on the roll */
  roll: number
  created: number
  updated: number
  unchanged: number
  released: number
  transferred: number
  invalid: number
  /** JSON: the invalid roll entries and those refused, each with its problems (the first 50) */
  problems: string | null
  /** why it failed */
  message: string | null
  /** the job, or the CLI's user */
  started_by: string
}

/** An HMPPS domain event taken once by its natural key (features/hmppsSync). */
export interface HmppsEventTable {
  id: Generated<number>
  event_key: string
  event_type: string
  prison_number: string | null
  prison_code: string | null
  /** the establishment it was applied to; null: not one keywork runs, or none named */
  establishment_id: number | null
  occurred_at: string
  received_at: string
  message_id: string | null
  /** applied, unchanged, ignored */
  outcome: string
  detail: string
}

export interface JobRunTable {
  job: string
  due_key: string
  instance: string
  started_at: string
  finished_at: string | null
}

/** The case note outbox (migration 039): a key work case note, or an amendment of one, to push to the MoJ service. */
export interface CaseNoteOutboxTable {
  id: Generated<number>
  establishment_id: number
  session_id: number
  /** the session amendment this row pushes (kind amend); null for the note itself */
  amendment_id: number | null
  prison_number: string
  /** create | amend */
  kind: string
  /** the natural key: 'session:{id}' or 'amendment:{id}' */
  source: string
  /** JSON of the request body */
  payload: string
  /** sent as the Idempotency-Key header, the same on every retry */
  idempotency_key: string
  /** pending | sent | failed */
  status: string
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: string
  /** the claim of the instance sending it (a random token), and until when it holds */
  claimed_by: string | null
  claimed_until: string | null
  last_error: string | null
  /** the case note id the service returned (an amendment: that of its note) */
  case_note_id: string | null
  created_at: string
  updated_at: string
  sent_at: string | null
}

export interface Database {
  national_policy: NationalPolicyTable
  establishments: EstablishmentTable
  residential_units: ResidentialUnitTable
  staff: StaffTable
  prisoners: PrisonerTable
  custody_events: CustodyEventTable
  custody_spells: CustodySpellTable
  users: UserTable
  user_roles: UserRoleTable
  web_sessions: WebSessionTable
  sign_in_attempts: SignInAttemptTable
  audit_events: AuditEventTable
  audit_chains: AuditChainTable
  allocations: AllocationTable
  directory_taxonomies: DirectoryTaxonomyTable
  directory_taxonomy_terms: DirectoryTaxonomyTermTable
  directory_organizations: DirectoryOrganizationTable
  directory_services: DirectoryServiceTable
  directory_locations: DirectoryLocationTable
  directory_addresses: DirectoryAddressTable
  directory_service_at_locations: DirectoryServiceAtLocationTable
  directory_contacts: DirectoryContactTable
  directory_phones: DirectoryPhoneTable
  directory_schedules: DirectoryScheduleTable
  directory_languages: DirectoryLanguageTable
  directory_attributes: DirectoryAttributeTable
  directory_metadata: DirectoryMetadataTable
  directory_foreign_taxonomies: DirectoryForeignTaxonomyTable
  directory_foreign_terms: DirectoryForeignTermTable
  api_tokens: ApiTokenTable
  key_work_slots: KeyWorkSlotTable
  key_work_sessions: KeyWorkSessionTable
  session_amendments: SessionAmendmentTable
  session_goals: SessionGoalTable
  goal_reviews: GoalReviewTable
  referrals: ReferralTable
  session_worksheets: SessionWorksheetTable
  outbox_emails: OutboxEmailTable
  hubs: HubTable
  hub_rooms: HubRoomTable
  hub_bookings: HubBookingTable
  guide_versions: GuideVersionTable
  booklet_introductions: BookletIntroductionTable
  worksheets: WorksheetTable
  stat_daily: StatDailyTable
  stat_gaps: StatGapTable
  stat_gaps_all: StatGapAllTable
  stat_followups: StatFollowUpTable
  qa_rubric_versions: QaRubricVersionTable
  qa_criteria: QaCriterionTable
  qa_settings: QaSettingTable
  qa_samples: QaSampleTable
  qa_calibrations: QaCalibrationTable
  qa_calibration_entries: QaCalibrationEntryTable
  qa_calibration_markers: QaCalibrationMarkerTable
  qa_reviews: QaReviewTable
  qa_review_scores: QaReviewScoreTable
  qa_review_amendments: QaReviewAmendmentTable
  qa_commendations: QaCommendationTable
  good_practice: GoodPracticeTable
  practice_submissions: PracticeSubmissionTable
  practice_questions: PracticeQuestionTable
  integrity_flags: IntegrityFlagTable
  integrity_bands: IntegrityBandTable
  supervisions: SupervisionTable
  user_notices: UserNoticeTable
  training_programme_versions: TrainingProgrammeVersionTable
  training_contributors: TrainingContributorTable
  training_modules: TrainingModuleTable
  training_policy: TrainingPolicyTable
  training_settings: TrainingSettingTable
  training_courses: TrainingCourseTable
  training_course_days: TrainingCourseDayTable
  training_enrolments: TrainingEnrolmentTable
  training_attendance: TrainingAttendanceTable
  training_completions: TrainingCompletionTable
  training_certificates: TrainingCertificateTable
  training_reminders: TrainingReminderTable
  training_feedback: TrainingFeedbackTable
  training_assignments: TrainingAssignmentTable
  reflective_entries: ReflectiveEntryTable
  national_thresholds: NationalThresholdTable
  bulletins: BulletinTable
  bulletin_reads: BulletinReadTable
  bulletin_digests: BulletinDigestTable
  trials: TrialTable
  trial_adoptions: TrialAdoptionTable
  trial_comparisons: TrialComparisonTable
  trial_outcomes: TrialOutcomeTable
  trial_revisions: TrialRevisionTable
  trial_outcome_counts: TrialOutcomeCountTable
  trial_outcome_imports: TrialOutcomeImportTable
  survey_settings: SurveySettingsTable
  survey_rounds: SurveyRoundTable
  survey_questions: SurveyQuestionTable
  survey_invitations: SurveyInvitationTable
  survey_tokens: SurveyTokenTable
  survey_responses: SurveyResponseTable
  survey_answers: SurveyAnswerTable
  recruitment_settings: RecruitmentSettingsTable
  retention_settings: RetentionSettingsTable
  retention_anonymised: RetentionAnonymisedTable
  recruitment_campaigns: RecruitmentCampaignTable
  recruitment_criteria: RecruitmentCriterionTable
  recruitment_questions: RecruitmentQuestionTable
  recruitment_candidates: RecruitmentCandidateTable
  recruitment_candidate_personal: RecruitmentCandidatePersonalTable
  recruitment_submissions: RecruitmentSubmissionTable
  recruitment_scores: RecruitmentScoreTable
  recruitment_moderations: RecruitmentModerationTable
  job_runs: JobRunTable
  case_note_outbox: CaseNoteOutboxTable
  hmpps_sync_runs: HmppsSyncRunTable
  hmpps_events: HmppsEventTable
  api_clients: ApiClientTable
  api_client_establishments: ApiClientEstablishmentTable
  api_access_tokens: ApiAccessTokenTable
  api_rate_windows: ApiRateWindowTable
  transfer_handovers: TransferHandoverTable
  transfer_handover_items: TransferHandoverItemTable
}

export type Establishment = Selectable<EstablishmentTable>
export type ResidentialUnit = Selectable<ResidentialUnitTable>
export type Staff = Selectable<StaffTable>
export type NewStaff = Insertable<StaffTable>
export type StaffUpdate = Updateable<StaffTable>
export type Prisoner = Selectable<PrisonerTable>
export type NewPrisoner = Insertable<PrisonerTable>
export type User = Selectable<UserTable>
export type NationalPolicy = Selectable<NationalPolicyTable>
export type AuditEvent = Selectable<AuditEventTable>
