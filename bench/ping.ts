// A child process of the directory benchmark (bench/directoryHsds.ts): asks GET <url> one request after the other,
// 20 ms apart, and on 'stop' sends back every latency in milliseconds. In its own process, so that its timing never
// waits on the server's event loop.
let url = ''
let running = true
const latencies: number[] = []

async function loop() {
  while (running) {
    const started = performance.now()
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`)
    } catch (e) {
      console.error(e instanceof Error ? e.message : e)
    }
    latencies.push(performance.now() - started)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

process.on('message', (m: { url: string } | 'stop') => {
  if (m === 'stop') {
    running = false
    process.send?.({ latencies }, () => process.exit(0))
    return
  }
  url = m.url
  process.send?.('ready')
  void loop()
})
