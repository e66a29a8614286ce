// Certificates: issued for each completion that did not fail, superseded by a retraining, revoked with a voided
// completion; the PDF and the public check by code.
// Invariants:
// - of an officer's live certificates of one module code, the newest (by completion date, then issue) is current and
//   every other is superseded by it; voiding the retraining makes the earlier one current again;
// - each certificate issued is audited in the caller's transaction;
// - the public check reveals only name, module, date and state, and nothing for a code that is not one.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Actor } from '../../platform/audit/service'
import { formatDate } from '../../domain/dates'
import { finishPdf, newPdf, paragraph, pdfSafe } from '../../platform/pdf'
import { newCertificateCode, normaliseCertificateCode } from './certificateCode'
import type { CertificateState, NewCompletion, TrainingRecordsContext } from './context'

export const STATE_NAMES: Record<CertificateState, string> = {
  valid: 'Valid',
  superseded: 'Superseded by a later certificate',
  revoked: 'Revoked',
}
export const stateOf = (c: { superseded_by: number | null; revoked_at: string | null }): CertificateState =>
  c.revoked_at !== null ? 'revoked' : c.superseded_by !== null ? 'superseded' : 'valid'

export function trainingCertificates({ repo, audit }: TrainingRecordsContext) {
  /**
   * Makes the newest certificate (by completion date, then issue) of an officer's module code the current one, and
   * marks every other live one as superseded by it: a retraining supersedes the earlier certificate; voiding the
   * retraining makes the earlier one current again.
   */
  async function settleCertificates(trx: Kysely<Database>, staffId: number, moduleCode: string) {
    const live = await repo.liveCertificatesFor(trx, staffId, moduleCode)
    const first = live[0]
    if (!first) return
    const current = Number(first.id)
    if (first.superseded_by !== null) await repo.setSupersededBy(trx, [current], null)
    const stale = live.slice(1).filter(c => c.superseded_by === null || Number(c.superseded_by) !== current)
    await repo.setSupersededBy(
      trx,
      stale.map(c => Number(c.id)),
      current,
    )
  }

  /** Issues the certificate of a completion that did not fail, in the caller's transaction, and settles the current one. */
  async function issue(
    trx: Kysely<Database>,
    actor: Actor,
    row: NewCompletion,
    id: number,
    name: string,
    now: string,
    today: string,
    by: string,
  ) {
    const certificateId = await repo.insertCertificate(trx, {
      code: newCertificateCode(),
      completion_id: id,
      staff_id: row.staffId,
      establishment_id: row.establishmentId,
      name,
      module_title: row.title,
      completed_on: row.completedOn,
      issued_on: today,
      issued_at: now,
      issued_by: by,
      superseded_by: null,
      revoked_at: null,
      revoke_reason: null,
    })
    await settleCertificates(trx, row.staffId, row.moduleCode)
    await audit.record(trx, actor, {
      action: 'create',
      entity: 'training_certificate',
      entityId: certificateId,
      establishmentId: row.establishmentId,
      changes: { completion_id: id, staff_id: row.staffId, module_code: row.moduleCode },
    })
  }

  return {
    settle: settleCertificates,
    issue,
    surface: {
      /**
       * What the public verification page may show of a certificate: the name, module and date, and whether it was
       * superseded or revoked. Undefined for a code that is not one (nothing else is revealed).
       */
      async verify(code: string) {
        const norm = normaliseCertificateCode(code)
        if (!norm) return undefined
        const c = await repo.certificateByCode(norm)
        if (!c) return undefined
        const state = stateOf(c)
        return { code: c.code, name: c.name, moduleTitle: c.module_title, completedOn: c.completed_on, state }
      },

      certificate: (establishmentId: number, id: number) => repo.certificate(establishmentId, id),

      /** The certificate as an A5 PDF: name, module, date, the code and where to check it. */
      async certificatePdf(
        c: { code: string; name: string; module_title: string; completed_on: string; issued_on: string },
        verifyUrl: string,
      ) {
        const doc = newPdf(`Certificate: ${c.module_title}`)
        doc.y += 30
        paragraph(doc, 'Key Work training', { size: 11, colour: '#505a5f' })
        doc.font('Helvetica-Bold').fontSize(20).text('Certificate of completion', { align: 'left' })
        doc.font('Helvetica').fontSize(10)
        doc.y += 16
        paragraph(doc, 'This is to certify that', { size: 11 })
        doc.font('Helvetica-Bold').fontSize(16).text(pdfSafe(c.name))
        doc.font('Helvetica').fontSize(10)
        doc.y += 8
        paragraph(doc, 'completed', { size: 11 })
        doc.font('Helvetica-Bold').fontSize(14).text(pdfSafe(c.module_title))
        doc.font('Helvetica').fontSize(10)
        doc.y += 8
        paragraph(doc, `on ${formatDate(c.completed_on)}.`, { size: 11 })
        doc.y += 30
        paragraph(doc, `Verification code: ${c.code}`, { size: 12 })
        paragraph(doc, `Anyone can check it with this code at ${verifyUrl}`, { size: 9 })
        paragraph(doc, `Issued on ${formatDate(c.issued_on)}.`, { size: 9, colour: '#505a5f' })
        return finishPdf(doc, 'Key Work training certificate')
      },
    },
  }
}

export type TrainingCertificates = ReturnType<typeof trainingCertificates>
