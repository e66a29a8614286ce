import express, { type Express } from 'express'

/** 6. Body parsing (forms and JSON) with small limits: larger bodies get a 413. Multipart is the upload routes' own. */
export function bodyParsing(app: Express) {
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 6000 }))
  app.use(express.json({ limit: '200kb' }))
}
