// The server under load, in its own process so that the load generator never shares its event loop.
// Two modes, chosen by the parent (bench/pages.ts) over IPC:
//   { mode: 'app', database }  the real keywork app over an already-built demo database
//   { mode: 'bare', body }     a bare node:http server sending the same bytes for every request
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { type Config, loadConfig } from '../src/config'
import { openDatabase } from '../src/platform/db/database'
import { buildServices } from '../src/services'
import { createApp } from '../src/app'

export type ServerRequest =
  { mode: 'app'; database: Config['database']; sessionSecret: string } | { mode: 'bare'; body: string }

/** Production settings (templates cached), no logging, cookies over plain HTTP on loopback. */
export function benchConfig(database: Config['database'], sessionSecret: string): Config {
  const base = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: sessionSecret,
    SECURE_COOKIES: 'false',
    LOG_LEVEL: 'silent',
  })
  return { ...base, database }
}

function listen(server: http.Server) {
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }))
}

// Only when run as the child process; bench/pages.ts imports benchConfig from here too.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // After the first message, any message asks for the CPU time used so far: CPU per request is a steadier
  // measure than requests per second on a shared machine.
  process.on('SIGTERM', () => process.exit(0)) // so that --cpu-prof (BENCH_PROF) writes its profile
  process.on('message', (m: unknown) => {
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() })
  })
  process.once('message', (m: ServerRequest) => {
    if (m.mode === 'bare') {
      const body = Buffer.from(m.body, 'base64')
      listen(
        http.createServer((_req, res) => {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length })
          res.end(body)
        }),
      )
      return
    }
    const services = buildServices(benchConfig(m.database, m.sessionSecret), openDatabase(m.database))
    listen(http.createServer(createApp(services)))
  })
}
