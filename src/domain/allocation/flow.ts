// Min-cost flow by successive shortest paths with Johnson potentials and Dijkstra (binary heap). Costs must be
// integers (exact sums). Arcs must go from a lower to a higher node number, so the network is a DAG and the first
// potentials come from one pass in node order even though many costs are negative.

export class MinCostFlow {
  private readonly head: Int32Array
  private readonly nextArc: number[] = []
  private readonly to: number[] = []
  private readonly cap: number[] = []
  private readonly original: number[] = []
  private readonly cost: number[] = []
  augmentations = 0

  constructor(readonly nodes: number) {
    this.head = new Int32Array(nodes).fill(-1)
  }

  get arcs(): number {
    return this.to.length / 2
  }

  /** Adds u → v and its residual twin; returns the arc's number (the twin is number ^ 1). */
  addArc(u: number, v: number, capacity: number, cost: number): number {
    if (!(u < v)) throw new Error('arcs must go from a lower to a higher node')
    const e = this.to.length
    this.push(u, v, capacity, cost)
    this.push(v, u, 0, -cost)
    return e
  }

  private push(u: number, v: number, capacity: number, cost: number): void {
    this.nextArc.push(this.head[u]!)
    this.head[u] = this.to.length
    this.to.push(v)
    this.cap.push(capacity)
    this.original.push(capacity)
    this.cost.push(cost)
  }

  flowOn(arc: number): number {
    return this.original[arc]! - this.cap[arc]!
  }

  /** Outgoing arcs of u (forward ones only), in a fixed order. */
  *outArcs(u: number): Generator<{ arc: number; to: number; flow: number }> {
    for (let e = this.head[u]!; e !== -1; e = this.nextArc[e]!) {
      if ((e & 1) === 0) yield { arc: e, to: this.to[e]!, flow: this.flowOn(e) }
    }
  }

  /**
   * Sends flow from s to t while that lowers the total cost, i.e. a min-cost flow of any amount. Each step takes a
   * cheapest path, so after k units the flow is the cheapest of value k; the total cost is convex in k, so the first
   * path that does not cost less than zero ends the search at the minimum over all amounts.
   */
  solve(s: number, t: number): { flow: number; cost: number } {
    const n = this.nodes
    const { head, nextArc, to, cap, cost } = this
    const INF = Number.POSITIVE_INFINITY
    const h = new Float64Array(n).fill(INF)
    h[s] = 0
    for (let u = 0; u < n; u++) {
      if (h[u] === INF) continue
      for (let e = head[u]!; e !== -1; e = nextArc[e]!) {
        if ((e & 1) === 0 && cap[e]! > 0 && h[u]! + cost[e]! < h[to[e]!]!) h[to[e]!] = h[u]! + cost[e]!
      }
    }
    // Nodes s cannot reach never become reachable (no residual arc into them ever appears), so any value will do.
    for (let u = 0; u < n; u++) if (h[u] === INF) h[u] = 0

    const dist = new Float64Array(n)
    const prevArc = new Int32Array(n)
    const done = new Uint8Array(n)
    const heapD: number[] = []
    const heapV: number[] = []
    let flow = 0
    let total = 0
    for (;;) {
      dist.fill(INF)
      done.fill(0)
      prevArc.fill(-1)
      dist[s] = 0
      heapD.length = 0
      heapV.length = 0
      heapPush(heapD, heapV, 0, s)
      while (heapD.length > 0) {
        const d = heapD[0]!
        const u = heapV[0]!
        heapPop(heapD, heapV)
        if (done[u] || d > dist[u]!) continue
        done[u] = 1
        if (u === t) break
        const hu = h[u]!
        for (let e = head[u]!; e !== -1; e = nextArc[e]!) {
          if (cap[e]! <= 0) continue
          const v = to[e]!
          if (done[v]) continue
          const nd = d + cost[e]! + hu - h[v]!
          if (nd < dist[v]!) {
            dist[v] = nd
            prevArc[v] = e
            heapPush(heapD, heapV, nd, v)
          }
        }
      }
      if (!done[t]) break
      const dt = dist[t]!
      const pathCost = dt + h[t]! - h[s]!
      if (pathCost >= 0) break
      // Early exit from Dijkstra: raising every potential by min(dist, dist[t]) keeps reduced costs non-negative.
      for (let v = 0; v < n; v++) h[v] = h[v]! + Math.min(dist[v]!, dt)
      let push = INF
      for (let v = t; v !== s; v = to[prevArc[v]! ^ 1]!) push = Math.min(push, cap[prevArc[v]!]!)
      for (let v = t; v !== s; v = to[prevArc[v]! ^ 1]!) {
        const e = prevArc[v]!
        cap[e] = cap[e]! - push
        cap[e ^ 1] = cap[e ^ 1]! + push
      }
      flow += push
      total += push * pathCost
      this.augmentations++
    }
    return { flow, cost: total }
  }
}

// A binary min-heap on (distance, node): ties go to the lower node number, so the paths found are deterministic.
function less(aD: number, aV: number, bD: number, bV: number): boolean {
  return aD < bD || (aD === bD && aV < bV)
}

function heapPush(hd: number[], hv: number[], d: number, v: number): void {
  let i = hd.length
  hd.push(d)
  hv.push(v)
  while (i > 0) {
    const p = (i - 1) >> 1
    if (!less(d, v, hd[p]!, hv[p]!)) break
    hd[i] = hd[p]!
    hv[i] = hv[p]!
    i = p
  }
  hd[i] = d
  hv[i] = v
}

function heapPop(hd: number[], hv: number[]): void {
  const lastD = hd.pop()!
  const lastV = hv.pop()!
  const n = hd.length
  if (n === 0) return
  let i = 0
  for (;;) {
    const l = 2 * i + 1
    if (l >= n) break
    const r = l + 1
    const c = r < n && less(hd[r]!, hv[r]!, hd[l]!, hv[l]!) ? r : l
    if (!less(hd[c]!, hv[c]!, lastD, lastV)) break
    hd[i] = hd[c]!
    hv[i] = hv[c]!
    i = c
  }
  hd[i] = lastD
  hv[i] = lastV
}
