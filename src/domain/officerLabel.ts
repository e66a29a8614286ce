/**
 * An officer as lists and drop-downs show them: the name, then the staff number and home houseblock, so that two
 * officers with the same name can be told apart.
 */
export function officerLabel(o: {
  first_name: string
  last_name: string
  staff_number?: string | null
  home_unit_name?: string | null
}): string {
  const extra = [o.staff_number, o.home_unit_name].filter(Boolean).join(', ')
  return `${o.last_name}, ${o.first_name}${extra ? ` (${extra})` : ''}`
}
