import type { z } from 'zod'
import { PRISON_NUMBER, normalisePrisonNumber } from '../../domain/prisoner'
import { STAFF_NUMBER, normaliseStaffNumber } from '../../domain/staff'
import { PRISONER_FIELD_LABELS, type PrisonerRecord, prisonerRecordSchema } from '../prisoners/schema'
import {
  ALLOCATION_FIELD_LABELS,
  type AllocationRecord,
  SESSION_FIELD_LABELS,
  type SessionRecord,
  allocationRecordSchema,
  sessionRecordSchema,
} from './historySchema'
import { STAFF_FIELD_LABELS, type StaffRecord, staffRecordSchema } from '../staff/schema'
import { UNIT_CODE, UNIT_FIELD_LABELS, type UnitRecord, unitRecordSchema } from '../units/schema'

// What each kind of file holds: its record schema (the same one the forms use), the headings each field
// answers to, the columns a file must have, and the field that identifies a record. docs/CSV.md documents these.

export const IMPORT_KINDS = ['prisoners', 'staff', 'units', 'allocations', 'sessions'] as const
export type ImportKind = (typeof IMPORT_KINDS)[number]

export interface KindSpec<R, F extends keyof R & string = keyof R & string> {
  kind: ImportKind
  schema: { safeParse(value: unknown): z.ZodSafeParseResult<R> }
  labels: Record<F, string>
  /** headings besides the field name and its label, compared after normaliseHeader (none the same as those) */
  aliases: Record<F, readonly string[]>
  required: readonly F[]
  /** upsert key: unique within a file */
  keyField: F
  normaliseKey(raw: string): string
  /** a key good enough to identify a record, even on a row with other errors */
  isKey(key: string): boolean
  /** a field holding a unit code that must be one of the establishment's units */
  unitField?: F
  /** the key may be on several rows (a prisoner's allocations): the kind checks its own natural key */
  duplicateKeysAllowed?: boolean
}

export const prisonerKind: KindSpec<PrisonerRecord> = {
  kind: 'prisoners',
  schema: prisonerRecordSchema,
  labels: PRISONER_FIELD_LABELS,
  aliases: {
    prisonNumber: [
      'prison no',
      'prisoner number',
      'prisoner no',
      'NOMS number',
      'NOMS no',
      'NOMS id',
      'NOMS',
      'NOMIS number',
      'NOMIS id',
      'offender number',
      'offender no',
    ],
    firstName: ['forename', 'forenames', 'given name', 'first'],
    lastName: ['surname', 'family name', 'last'],
    dateOfBirth: ['DOB', 'birth date', 'born'],
    unit: ['unit code', 'houseblock', 'wing', 'location', 'block', 'residential unit code'],
    cell: ['cell number', 'cell no', 'cell location'],
    receptionDate: ['received', 'date received', 'received date', 'reception', 'date of reception', 'arrival date'],
    releaseDate: ['expected release', 'ERD', 'date of release'],
    status: ['prisoner status'],
    complexity: ['complexity of need level', 'CoN'],
    firstLanguage: ['language', 'main language', 'primary language', 'spoken language'],
    interpreterNeeded: ['interpreter', 'needs interpreter', 'needs an interpreter', 'interpreter required'],
    nationality: ['country of nationality'],
  },
  required: ['prisonNumber', 'firstName', 'lastName', 'dateOfBirth', 'receptionDate'],
  keyField: 'prisonNumber',
  normaliseKey: normalisePrisonNumber,
  isKey: key => PRISON_NUMBER.test(key),
  unitField: 'unit',
}

export const staffKind: KindSpec<StaffRecord> = {
  kind: 'staff',
  schema: staffRecordSchema,
  labels: STAFF_FIELD_LABELS,
  aliases: {
    staffNumber: [
      'staff no',
      'staff id',
      'staff ref',
      'employee number',
      'employee no',
      'employee id',
      'payroll number',
      'payroll no',
    ],
    firstName: ['forename', 'forenames', 'given name', 'first'],
    lastName: ['surname', 'family name', 'last'],
    grade: ['band', 'pay band', 'grade band'],
    email: ['work email'],
    workingPattern: ['pattern', 'full time or part time'],
    weeklyHours: ['hours', 'hours per week', 'contracted hours', 'weekly contracted hours'],
    startedInPost: ['start date', 'started', 'date started', 'in post since'],
    languages: ['language', 'other languages'],
    status: ['staff status', 'availability'],
    statusReturnDate: ['date of return', 'returning', 'return'],
    keyWorker: ['is key worker', 'holds caseload'],
    homeUnit: ['unit', 'residential unit', 'houseblock', 'wing', 'location', 'base unit'],
  },
  required: ['staffNumber', 'firstName', 'lastName', 'grade'],
  keyField: 'staffNumber',
  normaliseKey: normaliseStaffNumber,
  isKey: key => STAFF_NUMBER.test(key),
  unitField: 'homeUnit',
}

export const unitKind: KindSpec<UnitRecord> = {
  kind: 'units',
  schema: unitRecordSchema,
  labels: UNIT_FIELD_LABELS,
  aliases: {
    code: ['unit', 'location code', 'houseblock code', 'wing code'],
    name: ['unit name', 'description', 'houseblock name', 'location name'],
    parent: ['parent code', 'parent unit code', 'inside', 'part of', 'within'],
    capacity: ['operational capacity', 'op cap', 'beds', 'places', 'spaces'],
  },
  required: ['code', 'name', 'capacity'],
  keyField: 'code',
  normaliseKey: (raw: string) => raw.trim().toUpperCase(),
  isKey: key => UNIT_CODE.test(key),
}

const PRISON_NUMBER_ALIASES = ['prison no', 'prisoner number', 'NOMS number', 'NOMS id', 'NOMIS id', 'offender no']

/** A prisoner's Key Workers over time: several rows per prisoner, so the key is not unique in the file. */
export const allocationKind: KindSpec<AllocationRecord> = {
  kind: 'allocations',
  schema: allocationRecordSchema,
  labels: ALLOCATION_FIELD_LABELS,
  aliases: {
    prisonNumber: PRISON_NUMBER_ALIASES,
    staffNumber: ['key worker', 'key worker staff no', 'staff no', 'officer staff number'],
    from: ['from date', 'start date', 'allocated', 'allocated on', 'date allocated', 'start'],
    to: ['to date', 'end date', 'ended', 'deallocated', 'deallocated on', 'date deallocated', 'end'],
    reason: ['end reason', 'deallocation reason', 'reason ended'],
  },
  required: ['prisonNumber', 'staffNumber', 'from'],
  keyField: 'prisonNumber',
  normaliseKey: normalisePrisonNumber,
  isKey: key => PRISON_NUMBER.test(key),
  duplicateKeysAllowed: true,
}

/** Past key work sessions (case notes); a prisoner has many. */
export const sessionKind: KindSpec<SessionRecord> = {
  kind: 'sessions',
  schema: sessionRecordSchema,
  labels: SESSION_FIELD_LABELS,
  aliases: {
    date: ['session date', 'date of session', 'case note date', 'occurred', 'occurrence date'],
    staffNumber: ['officer', 'staff no', 'key worker staff number', 'author staff number'],
    prisonNumber: PRISON_NUMBER_ALIASES,
    delivered: ['session delivered', 'outcome', 'took place'],
    notDeliveredReason: ['reason not delivered', 'not delivered', 'reason'],
    startTime: ['time', 'start', 'starts at', 'session time'],
    duration: ['duration minutes', 'minutes', 'length'],
    caseNote: ['case note text', 'text', 'note', 'notes', 'narrative'],
  },
  required: ['date', 'staffNumber', 'prisonNumber', 'delivered'],
  keyField: 'prisonNumber',
  normaliseKey: normalisePrisonNumber,
  isKey: key => PRISON_NUMBER.test(key),
  duplicateKeysAllowed: true,
}

/** The specs by kind, for the ones that can be imported. */
export const KIND_SPECS: Record<ImportKind, KindSpec<never>> = {
  prisoners: prisonerKind as unknown as KindSpec<never>,
  staff: staffKind as unknown as KindSpec<never>,
  units: unitKind as unknown as KindSpec<never>,
  allocations: allocationKind as unknown as KindSpec<never>,
  sessions: sessionKind as unknown as KindSpec<never>,
}

/** Required and optional column labels of each kind, for the upload page's help. */
export function columnHelp(names: Record<ImportKind, string>) {
  return IMPORT_KINDS.flatMap(kind => {
    const spec = KIND_SPECS[kind] as unknown as KindSpec<Record<string, unknown>, string>
    const fields = Object.keys(spec.labels)
    return [
      {
        name: names[kind],
        required: spec.required.map(f => spec.labels[f]),
        optional: fields.filter(f => !spec.required.includes(f)).map(f => spec.labels[f]),
      },
    ]
  })
}
