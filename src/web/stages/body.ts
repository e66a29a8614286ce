import express, { type Express } from 'express'
import { HttpError } from '../errors'

/** JSON nesting no form or API call of keywork needs; far below where a recursive JSON.stringify overflows the stack */
export const MAX_BODY_DEPTH = 32

/** 6. Body parsing (forms and JSON) with small limits: larger bodies get a 413. Multipart is the upload routes' own. */
export function bodyParsing(app: Express) {
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 6000 }))
  app.use(express.json({ limit: '200kb' }))
  // refused before any handler runs, on both engines alike (issue 18 point 9, found by test/fuzz.test.ts):
  // - a NUL in the address or the body: PostgreSQL cannot hold one in text (the query fails), and no one types one;
  // - JSON nested deeper than MAX_BODY_DEPTH: 200 kB of '[' parse, but the session's JSON.stringify of the kept form
  //   values then overflowed the stack outside any handler, and the process died
  app.use((req, _res, next) =>
    next(/%00/i.test(req.originalUrl) || !acceptableBody(req.body) ? new HttpError(400) : undefined),
  )
}

/** Whether a parsed body holds no NUL in any key or string and nests no deeper than MAX_BODY_DEPTH (no recursion). */
export function acceptableBody(body: unknown): boolean {
  const stack: [unknown, number][] = [[body, 0]]
  while (stack.length) {
    const [v, depth] = stack.pop()!
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return false
    } else if (v && typeof v === 'object') {
      if (depth >= MAX_BODY_DEPTH) return false
      for (const [k, item] of Object.entries(v)) {
        if (k.includes('\u0000')) return false
        stack.push([item, depth + 1])
      }
    }
  }
  return true
}
