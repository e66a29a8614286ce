/**
 * The columns the QA repositories read of an entry (joined as `s`) and its people: the prisoner (`p`) and the officer
 * the entry is for (`st`), as the QA lists and pages show them.
 */
export const PRISONER_COLUMNS = [
  'p.prison_number',
  'p.first_name as prisoner_first_name',
  'p.last_name as prisoner_last_name',
] as const

export const ENTRY_PEOPLE = [
  ...PRISONER_COLUMNS,
  'st.first_name as staff_first_name',
  'st.last_name as staff_last_name',
] as const

/** An entry's date and author, and its people. */
export const ENTRY_COLUMNS = ['s.session_date', 's.author_user_id', 's.author', ...ENTRY_PEOPLE] as const
