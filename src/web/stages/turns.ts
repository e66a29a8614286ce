import type { Express, NextFunction, Request, Response } from 'express'

/**
 * 2a. Requests take turns: each request waits in one first-in, first-out queue and is let in one per turn of the
 * event loop (decision 024).
 *
 * Node accepts one new connection per turn of its event loop (libuv: one accept4 per epoll_wait, seen with strace on
 * Node 20). On SQLite every query runs synchronously and Kysely passes its one connection on in promise callbacks, so
 * all the requests read in one turn run to their end before the loop turns again: at saturation a turn lasts as long
 * as every established connection's request, and a new connection waits one such turn for each connection accepted
 * before it (seconds, for the 30th of 50 connections opened at once). Letting in one request a turn keeps turns as
 * short as one request, so a new connection is accepted after at most one request's work, and its first request
 * queues behind those that came before it, in order, like every other. A request that waits for real I/O (a
 * PostgreSQL query, argon2, an outside API) holds nothing: the next one is let in on the next turn.
 *
 * A request whose connection has gone while it waited is not run.
 */
export function takeTurns(app: Express) {
  app.use(turns())
}

export function turns() {
  const queue: { req: Request; res: Response; next: NextFunction }[] = []
  let scheduled = false
  const letIn = () => {
    scheduled = false
    let turn = queue.shift()
    while (turn && (turn.req.socket.destroyed || turn.res.writableEnded)) turn = queue.shift()
    if (queue.length) schedule() // on the next turn: setImmediate from inside an immediate waits for the next turn
    turn?.next()
  }
  const schedule = () => {
    if (scheduled) return
    scheduled = true
    setImmediate(letIn)
  }
  return (req: Request, res: Response, next: NextFunction) => {
    queue.push({ req, res, next })
    schedule()
  }
}
