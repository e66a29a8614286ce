/**
 * A path of this service to return to after sign-in, never another site: one leading slash not followed by another
 * slash or a backslash (browsers read '//x' and '/\x' as another host), no backslash or control character anywhere
 * (browsers drop tabs and newlines and read '\' as '/'), and nothing a URL parser reads as another origin.
 */
export function isLocalPath(url: string): boolean {
  if (!url.startsWith('/') || url[1] === '/' || url.includes('\\')) return false
  for (const c of url) if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) return false
  try {
    return new URL(url, 'http://keywork.invalid').origin === 'http://keywork.invalid'
  } catch {
    return false
  }
}
