// A route that leaves its first request unanswered is given up at once for the rest of the sync.
import net from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { withReach } from '../../src/sync/reach.ts'
import type { Fetch } from '../../src/sync/transport.ts'

const test = suite('route deadline')

test('after one unanswered request the route is not asked again: the same error, no new connection', async () => {
  // a real server that accepts connections and never answers
  let connections = 0
  const sockets: net.Socket[] = []
  const server = net.createServer((s) => {
    connections++
    sockets.push(s)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`
  try {
    const route = withReach({ via: 'url', base, fetch: globalThis.fetch as Fetch }, { reachMs: 300 })
    const first = await route.fetch(`${base}key.asc`).then(
      () => undefined,
      (e: Error) => e,
    )
    assert.match(String(first?.message ?? first), /no answer within 0.3 s/)
    const second = await route.fetch(`${base}api/v1/public`).then(
      () => undefined,
      (e: Error) => e,
    )
    assert.ok(second, 'the second request fails too')
    assert.match(second!.message, /no answer within 0.3 s/)
    assert.is(connections, 1, 'the silent host was asked once')
  } finally {
    for (const s of sockets) s.destroy()
    server.close()
  }
})

test.run()
