// Who may change a directory service.
// Invariants: the national team changes national services and those of the establishment it acts in; an
// establishment admin changes only the establishment's own; nobody else changes any.

export interface Editor {
  /** holds the national policy role: edits national services and the establishment's own */
  national: boolean
  /** holds the establishment admin role in the establishment acting in */
  admin: boolean
}

/** Whether someone acting in `establishmentId` may change this service. */
export function mayEdit(editor: Editor, establishmentId: number, s: { establishmentId: number | null }): boolean {
  if (editor.national) return s.establishmentId === null || s.establishmentId === establishmentId
  return editor.admin && s.establishmentId === establishmentId
}
