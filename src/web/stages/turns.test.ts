import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import net from 'node:net'
import { describe, it } from 'node:test'
import express, { type NextFunction, type Request, type Response } from 'express'
import { turns } from './turns'

// Issue 18, point 8: at saturation on SQLite, a new connection waited seconds to be accepted, because Node accepts one
// connection per turn of its event loop and a turn ran every request read in it (decision 024).

const turn = () => new Promise<void>(resolve => setImmediate(resolve))

/** The two things the stage reads of a request, as Express gives them. */
const request = (destroyed = false) => ({ socket: { destroyed } }) as unknown as Request
const response = () => ({ writableEnded: false }) as unknown as Response

describe('requests take turns', () => {
  it('lets in one request per turn of the event loop, first come first in', async () => {
    const gate = turns()
    const order: string[] = []
    for (const name of ['A', 'B', 'C']) gate(request(), response(), (() => order.push(name)) as NextFunction)
    assert.deepEqual(order, [], 'nothing runs in the turn it arrives in')
    await turn()
    assert.deepEqual(order, ['A'])
    await turn()
    assert.deepEqual(order, ['A', 'B'])
    await turn()
    assert.deepEqual(order, ['A', 'B', 'C'])
    await turn()
    assert.deepEqual(order, ['A', 'B', 'C'])
  })

  it('does not run a request whose connection went while it waited, and lets the next one in in its place', async () => {
    const gate = turns()
    const order: string[] = []
    gate(request(true), response(), (() => order.push('gone')) as NextFunction)
    const answered = { writableEnded: true } as unknown as Response
    gate(request(), answered, (() => order.push('answered')) as NextFunction)
    gate(request(), response(), (() => order.push('waiting')) as NextFunction)
    await turn()
    assert.deepEqual(order, ['waiting'])
    await turn()
    assert.deepEqual(order, ['waiting'])
  })

  it('lets a request in at the next check phase when none waits', async () => {
    const gate = turns()
    const order: string[] = []
    gate(request(), response(), (() => order.push('A')) as NextFunction)
    await turn()
    gate(request(), response(), (() => order.push('B')) as NextFunction)
    await turn()
    assert.deepEqual(order, ['A', 'B'])
  })

  // Over real sockets: twelve keep-alive connections send as fast as they are answered while twelve more connect.
  // Without the stage every turn answers all the established connections before the next connection is accepted
  // (twelve or so requests between accepts); with it, one request is let in between one accept and the next.
  for (const gated of [true, false])
    it(`${gated ? 'with' : 'without'} the stage, ${gated ? 'at most 2' : 'more than 2'} requests are answered between two accepts while connections wait`, async () => {
      const events: ('accept' | 'answer')[] = []
      const app = express()
      if (gated) app.use(turns())
      app.post('/', (_req, res) => {
        events.push('answer')
        res.end('ok')
      })
      const server = http.createServer(app)
      server.on('connection', () => events.push('accept'))
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
      const { port } = server.address() as AddressInfo
      const sockets: net.Socket[] = []
      let stop = false
      const client = () => {
        const c = net.connect(port, '127.0.0.1')
        sockets.push(c)
        const send = () => c.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n')
        c.on('data', () => stop || send())
        c.on('error', () => {})
        send()
      }
      try {
        for (let i = 0; i < 12; i++) client()
        // the twelve are established and busy
        while (events.filter(e => e === 'answer').length < 200) await new Promise(r => setTimeout(r, 5))
        const from = events.length
        for (let i = 0; i < 12; i++) client()
        while (events.slice(from).filter(e => e === 'accept').length < 12) await new Promise(r => setTimeout(r, 5))
        stop = true
        const late = events.slice(from)
        const accepts = late.flatMap((e, i) => (e === 'accept' ? [i] : []))
        // the answers between each accept and the next, while later connections were still waiting to be accepted
        const between = accepts.slice(1).map((at, k) => late.slice(accepts[k]! + 1, at).length)
        const most = Math.max(...between)
        if (gated) assert.ok(most <= 2, `answers between accepts: ${between.join(' ')}`)
        else assert.ok(most > 2, `answers between accepts: ${between.join(' ')}`)
      } finally {
        stop = true
        for (const s of sockets) s.destroy()
        await new Promise(resolve => server.close(resolve))
      }
    })
})
