import type { z } from 'zod'
import { PRISON_NUMBER, normalisePrisonNumber } from '../../domain/prisoner'
import { STAFF_NUMBER, normaliseStaffNumber } from '../../domain/staff'
import { PRISONER_FIELD_LABELS, type PrisonerRecord, prisonerRecordSchema } from '../prisoners/schema'
import { STAFF_FIELD_LABELS, type StaffRecord, staffRecordSchema } from '../staff/schema'
import { UNIT_CODE, UNIT_FIELD_LABELS, type UnitRecord, unitRecordSchema } from '../units/schema'

// What each kind of file holds: its record schema (the same one the forms use), the headings each field
// answers to, the columns a file must have, and the field that identifies a record. docs/CSV.md documents these.

export const IMPORT_KINDS = ['prisoners', 'staff', 'units'] as const
export type ImportKind = (typeof IMPORT_KINDS)[number]

export interface KindSpec<R, F extends keyof R & string = keyof R & string> {
  kind: ImportKind
  schema: { safeParse(value: unknown): z.ZodSafeParseResult<R> }
  labels: Record<F, string>
  /** headings besides the field name and its label, compared after normaliseHeader */
  aliases: Record<F, readonly string[]>
  required: readonly F[]
  /** upsert key: unique within a file */
  keyField: F
  normaliseKey(raw: string): string
  /** a key good enough to identify a record, even on a row with other errors */
  isKey(key: string): boolean
  /** a field holding a unit code that must be one of the establishment's units */
  unitField?: F
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
    unit: ['unit', 'unit code', 'houseblock', 'house block', 'wing', 'location', 'block', 'residential unit code'],
    cell: ['cell number', 'cell no', 'cell location'],
    receptionDate: ['received', 'date received', 'received date', 'reception', 'date of reception', 'arrival date'],
    releaseDate: ['release date', 'expected release', 'ERD', 'date of release'],
    status: ['prisoner status'],
    complexity: ['complexity', 'complexity of need level', 'CoN'],
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
    email: ['email', 'work email', 'email address'],
    workingPattern: ['pattern', 'full time or part time'],
    weeklyHours: ['hours', 'hours per week', 'contracted hours', 'weekly contracted hours'],
    startedInPost: ['start date', 'started', 'date started', 'started in post', 'in post since'],
    languages: ['languages', 'language', 'other languages'],
    status: ['staff status', 'availability'],
    statusReturnDate: ['date of return', 'returning', 'return'],
    keyWorker: ['key worker', 'is key worker', 'keyworker', 'holds caseload'],
    homeUnit: ['home unit', 'unit', 'residential unit', 'houseblock', 'house block', 'wing', 'location', 'base unit'],
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
    code: ['unit', 'code', 'location code', 'houseblock code', 'wing code'],
    name: ['unit name', 'description', 'houseblock name', 'location name'],
    parent: ['parent', 'parent code', 'parent unit code', 'inside', 'part of', 'within'],
    capacity: ['operational capacity', 'op cap', 'beds', 'places', 'spaces'],
  },
  required: ['code', 'name', 'capacity'],
  keyField: 'code',
  normaliseKey: (raw: string) => raw.trim().toUpperCase(),
  isKey: key => UNIT_CODE.test(key),
}

/** The specs by kind, for the ones that can be imported. */
export const KIND_SPECS: Record<ImportKind, KindSpec<never>> = {
  prisoners: prisonerKind as unknown as KindSpec<never>,
  staff: staffKind as unknown as KindSpec<never>,
  units: unitKind as unknown as KindSpec<never>,
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
