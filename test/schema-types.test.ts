import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import ts from 'typescript'
import { testServices } from './harness'

// src/platform/db/types.ts is written by hand; the migrations make the real schema. A fresh database migrated on this engine
// is compared with the types, read from the source with the TypeScript parser (no code of ours is trusted to say
// what the types are): every table of `interface Database` exists with exactly the columns of its interface, and a
// column may hold null exactly when its type says `| null`.

const TYPES = path.resolve(import.meta.dirname, '../src/platform/db/types.ts')

interface Declared {
  columns: Map<string, { nullable: boolean }>
}

/** `interface Database`'s tables and each table interface's columns, from the source text. */
function declaredTables(text = fs.readFileSync(TYPES, 'utf8')): Map<string, Declared> {
  const source = ts.createSourceFile(TYPES, text, ts.ScriptTarget.Latest, true)
  const interfaces = new Map<string, ts.InterfaceDeclaration>()
  source.forEachChild(node => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node)
  })
  const nameOf = (m: ts.TypeElement) =>
    m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : ''
  /** whether a column type admits null: `X | null`, or Generated<X | null> / ColumnType<X | null, …> */
  const admitsNull = (t: ts.TypeNode | undefined): boolean => {
    if (!t) return false
    if (t.kind === ts.SyntaxKind.NullKeyword) return true
    if (ts.isLiteralTypeNode(t)) return t.literal.kind === ts.SyntaxKind.NullKeyword
    if (ts.isUnionTypeNode(t)) return t.types.some(admitsNull)
    if (ts.isParenthesizedTypeNode(t)) return admitsNull(t.type)
    if (ts.isTypeReferenceNode(t) && ['Generated', 'ColumnType', 'GeneratedAlways'].includes(t.typeName.getText()))
      return admitsNull(t.typeArguments?.[0])
    return false
  }
  const columnsOf = (name: string, seen = new Set<string>()): Map<string, { nullable: boolean }> => {
    const decl = interfaces.get(name)
    assert.ok(decl, `types.ts declares interface ${name}`)
    const out = new Map<string, { nullable: boolean }>()
    for (const h of decl.heritageClauses ?? [])
      for (const base of h.types)
        if (!seen.has(base.expression.getText()))
          for (const [k, v] of columnsOf(base.expression.getText(), new Set([...seen, name]))) out.set(k, v)
    for (const m of decl.members) if (ts.isPropertySignature(m)) out.set(nameOf(m), { nullable: admitsNull(m.type) })
    return out
  }
  const database = interfaces.get('Database')
  assert.ok(database, 'types.ts declares interface Database')
  const tables = new Map<string, Declared>()
  for (const m of database.members) {
    if (!ts.isPropertySignature(m) || !m.type || !ts.isTypeReferenceNode(m.type)) continue
    tables.set(nameOf(m), { columns: columnsOf(m.type.typeName.getText()) })
  }
  return tables
}

let services: Awaited<ReturnType<typeof testServices>>
before(async () => {
  services = await testServices()
})
after(() => services.close())

describe('src/platform/db/types.ts matches the schema the migrations make', () => {
  /** What differs between the migrated database and the types (read from `text`): one line each. */
  async function differences(text?: string) {
    const db = services.db.db
    const postgres = services.db.dialect === 'postgres'
    const schema = postgres ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : null
    const real = (await db.introspection.getTables()).filter(
      t => (schema === null || t.schema === schema) && !t.name.startsWith('sqlite_') && !t.isView,
    )
    const declared = declaredTables(text)
    assert.ok(declared.size > 40, `types.ts was read (${declared.size} tables)`)
    const problems: string[] = []
    for (const name of declared.keys())
      if (!real.some(t => t.name === name)) problems.push(`${name} is in types.ts, not in the database`)
    /** SQLite lets a primary key other than an integer one hold null (a legacy its documentation keeps); ours never do */
    const primaryKey = async (table: string) =>
      postgres
        ? new Set<string>()
        : new Set(
            (await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${table})`.execute(db)).rows
              .filter(r => Number(r.pk) > 0)
              .map(r => r.name),
          )
    for (const t of real) {
      const d = declared.get(t.name)
      if (!d) {
        problems.push(`${t.name} is in the database, not in types.ts`)
        continue
      }
      const keys = await primaryKey(t.name)
      const columns = new Set(t.columns.map(c => c.name))
      for (const c of t.columns) {
        const type = d.columns.get(c.name)
        if (!type) {
          problems.push(`${t.name}.${c.name} is in the database, not in types.ts`)
          continue
        }
        // SQLite reports an integer primary key as nullable; it never holds null
        const nullable = c.isNullable && !c.isAutoIncrementing && !keys.has(c.name)
        if (nullable !== type.nullable)
          problems.push(
            `${t.name}.${c.name}: the database ${nullable ? 'allows' : 'refuses'} null, types.ts ${type.nullable ? 'allows' : 'refuses'} it`,
          )
      }
      for (const name of d.columns.keys())
        if (!columns.has(name)) problems.push(`${t.name}.${name} is in types.ts, not in the database`)
    }
    return problems.sort()
  }

  it('rule: the same tables, the same columns, null allowed exactly where the type allows it', async () => {
    assert.deepEqual(await differences(), [])
  })

  it('rule: a planted difference is found (a column left out, a null dropped, a column and a table made up)', async () => {
    const text = fs
      .readFileSync(TYPES, 'utf8')
      .replace(/(export interface PrisonerTable \{[\s\S]*?)\n {2}cell: string \| null/, '$1')
      .replace(/(export interface PrisonerTable \{[\s\S]*?\n {2}release_date: string) \| null/, '$1')
      .replace(/(export interface StaffTable \{)/, '$1\n  shoe_size: number')
      .replace(/(export interface Database \{)/, '$1\n  made_up: StaffTable')
    assert.deepEqual(await differences(text), [
      'made_up is in types.ts, not in the database',
      'prisoners.cell is in the database, not in types.ts',
      'prisoners.release_date: the database allows null, types.ts refuses it',
      'staff.shoe_size is in types.ts, not in the database',
    ])
  })
})
