import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'

// `keywork serve` and `keywork start` on a port another program holds: a clear message and a failing exit code,
// never "Key Work is running" over a port it does not have.

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../../..')

interface Failure {
  code: number | null
  killed?: boolean
  stdout: string
  stderr: string
}

describe('keywork serve on a port already in use', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-port-'))
  const other = net.createServer()
  let port = 0
  let env: NodeJS.ProcessEnv
  before(async () => {
    await new Promise<void>(resolve => other.listen(0, '127.0.0.1', resolve))
    port = (other.address() as net.AddressInfo).port
    env = {
      ...process.env,
      DATABASE_URL: `sqlite:${path.join(dir, 'serve.sqlite')}`,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
    }
  })
  after(async () => {
    await new Promise(resolve => other.close(resolve))
    fs.rmSync(dir, { recursive: true, force: true })
  })

  /** Runs the CLI; a run still going after 60 s (serving after all) is killed and fails the test. */
  const refused = async (...args: string[]) => {
    const outcome = await run('node', ['bin/keywork.js', ...args], { cwd: root, env, timeout: 60_000 }).then(
      r => ({ code: 0, ...r }) as Failure,
      (e: Failure) => e,
    )
    assert.notEqual(outcome.killed, true, `keywork ${args.join(' ')} kept running: ${outcome.stdout}`)
    assert.notEqual(outcome.code, 0, `keywork ${args.join(' ')} exited 0: ${outcome.stdout}`)
    assert.equal(outcome.code, 1)
    assert.match(outcome.stderr, new RegExp(`Port ${port} is already in use: stop the other service or set PORT`))
    assert.doesNotMatch(outcome.stdout, /running/)
  }

  it('serve exits 1 with a clear message, and does not say it is running', async () => {
    await refused('serve')
  })

  it('start exits 1 the same way (a database with an establishment, so no demo is loaded)', async () => {
    await run(
      'node',
      [
        'bin/keywork.js',
        'establishments',
        'create',
        '--code',
        'MDI',
        '--name',
        'Moorland',
        '--category',
        'Cat C',
      ].concat(['--region', 'Yorkshire']),
      { cwd: root, env },
    )
    await refused('start')
  })
})
