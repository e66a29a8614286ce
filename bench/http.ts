// Helpers the benchmarks share: forking the app or the bare baseline, signing in like a browser, ending a process.
import { type ChildProcess, fork } from 'node:child_process'
import path from 'node:path'
import type { ServerRequest } from './pages-server'

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

/** A forked bench/pages-server.ts: the app or the bare node:http baseline. */
export interface Server {
  base: string
  child: ChildProcess
}

/** Forks bench/pages-server.ts and waits for the port it listens on. */
export function startServer(request: ServerRequest, children: ChildProcess[]): Promise<Server> {
  // BENCH_PROF=dir: the server writes a V8 CPU profile there when it ends (open it in Chrome's DevTools)
  const prof = process.env.BENCH_PROF
  const child = fork(path.join(import.meta.dirname, 'pages-server.ts'), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])],
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ base: `http://127.0.0.1:${m.port}`, child }))
    child.once('exit', code => reject(new Error(`the bench server exited (${code}) before listening`)))
    child.send(request)
  })
}

/** A command-line option that must be a positive number. */
export function positive(value: string | undefined, name: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: give a positive number`)
  return n
}

/** CPU time (user and system, microseconds) the server process has used so far (bench/pages-server.ts answers). */
export function cpuOf(server: Server): Promise<number> {
  return new Promise(resolve => {
    const onMessage = (m: { cpu?: NodeJS.CpuUsage }) => {
      if (!m.cpu) return
      server.child.off('message', onMessage)
      resolve(m.cpu.user + m.cpu.system)
    }
    server.child.on('message', onMessage)
    server.child.send('cpu')
  })
}
