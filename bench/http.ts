// Helpers the benchmarks share: signing in like a browser, and ending a forked server process.
import type { ChildProcess } from 'node:child_process'

/** Ends a server process and waits until it has gone (and with it its database connections). */
export function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise(resolve => {
    child.once('exit', () => resolve())
    child.kill()
  })
}

/** Signs in like a browser: takes the CSRF token and cookie from the sign-in page, posts the form. */
export async function signIn(base: string, username: string, password: string): Promise<string> {
  const page = await fetch(`${base}/sign-in`)
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1]
  const first = cookieOf(page)
  if (!token || !first) throw new Error('no CSRF token or session cookie on the sign-in page')
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: first, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, username, password }),
  })
  const cookie = cookieOf(res)
  if (res.status !== 303 || res.headers.get('location') === '/sign-in' || !cookie)
    throw new Error(`sign-in as ${username} failed (${res.status})`)
  return cookie
}

/** The session cookie a response sets, as a Cookie header value. */
export function cookieOf(res: Response): string | null {
  const c = res.headers.getSetCookie().find(h => h.startsWith('keywork.sid='))
  return c ? c.split(';')[0]! : null
}
